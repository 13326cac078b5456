"""Turn the benchmark's raw measurements into the table.

    report.py RAW.tsv

RAW lines: scenario, client, run, wall_s, cpu_s, rss_kb, exit code. For
each scenario and client the table gives medians over the runs that
exited 0 (a failed run is counted and shown, never hidden), then the
ratios the issue's targets are stated in.
"""
import statistics
import sys
from collections import OrderedDict

CLIENTS = ["lsrun", "py-legacy", "py-current", "curl"]


def read(path):
    rows = OrderedDict()
    with open(path) as f:
        for line in f:
            scen, client, _run, wall, cpu, rss, rc = line.rstrip().split("\t")
            r = rows.setdefault(scen, OrderedDict()).setdefault(
                client, {"wall": [], "cpu": [], "rss": [], "failed": 0})
            if rc != "0":
                r["failed"] += 1
                continue
            r["wall"].append(float(wall))
            r["cpu"].append(float(cpu))
            r["rss"].append(int(rss) / 1024)
    return rows


def med(r, k):
    return statistics.median(r[k]) if r and r[k] else None


def fmt(v, spec):
    if v is None:
        return "-".rjust(int(spec.split(".")[0]))
    return format(v, spec)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def measures(rows):
    out = ["Medians (wall and CPU in seconds, peak RSS in MB)",
           f"{'scenario':<22}{'client':<12}{'wall':>9}{'cpu':>9}"
           f"{'rss':>8}  runs"]
    for scen, clients in rows.items():
        first = True
        for c in CLIENTS + [c for c in clients if c not in CLIENTS]:
            r = clients.get(c)
            if r is None:
                continue
            ok = len(r["wall"])
            runs = f"{ok}" + (f" ({r['failed']} failed)" if r["failed"] else "")
            out.append(f"{scen if first else '':<22}{c:<12}"
                       f"{fmt(med(r, 'wall'), '9.3f')}"
                       f"{fmt(med(r, 'cpu'), '9.3f')}"
                       f"{fmt(med(r, 'rss'), '8.1f')}  {runs}")
            first = False
    return out


def ratios(rows):
    out = ["Ratios (lsrun against each; below 1 means lsrun is lower)",
           f"{'scenario':<22}{'wall/legacy':>12}{'wall/current':>13}"
           f"{'wall/curl':>10}{'cpu/legacy':>11}{'cpu/current':>12}"
           f"{'rss/legacy':>11}"]
    for scen, c in rows.items():
        ls = c.get("lsrun")
        leg, cur, curl = c.get("py-legacy"), c.get("py-current"), c.get("curl")
        out.append(f"{scen:<22}"
                   f"{ratio(med(ls, 'wall'), med(leg, 'wall')):>12}"
                   f"{ratio(med(ls, 'wall'), med(cur, 'wall')):>13}"
                   f"{ratio(med(ls, 'wall'), med(curl, 'wall')):>10}"
                   f"{ratio(med(ls, 'cpu'), med(leg, 'cpu')):>11}"
                   f"{ratio(med(ls, 'cpu'), med(cur, 'cpu')):>12}"
                   f"{ratio(med(ls, 'rss'), med(leg, 'rss')):>11}")
    return out


def growth(rows):
    small, big = rows.get("export 5k"), rows.get("export 10k")
    if not small or not big:
        return []
    out = ["Export peak RSS growth from 5,000 to 10,000 tasks (MB)"]
    for c in CLIENTS:
        a, b = med(small.get(c), "rss"), med(big.get(c), "rss")
        if a is not None and b is not None:
            out.append(f"  {c:<12}{b - a:+8.1f}")
    return out


def main(path):
    rows = read(path)
    print("\n".join(measures(rows) + [""] + ratios(rows) + [""]
                    + growth(rows)))


if __name__ == "__main__":
    main(sys.argv[1])

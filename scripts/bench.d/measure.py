"""Run one command and print what it cost, as one tab-separated line.

    measure.py OUT LABEL -- command args...

Appends "LABEL<TAB>wall_s<TAB>cpu_s<TAB>rss_kb<TAB>rc" to OUT. Wall time
is from just before fork to the child's exit; CPU (user + system) and
peak RSS come from wait4's rusage of that child alone, so the cost of
this wrapper is not counted. The child's stdout and stderr pass through.
"""
import os
import sys
import time


def run(argv):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, \
        os.waitstatus_to_exitcode(status)


def main():
    out, label, sep, *argv = sys.argv[1:]
    if sep != "--" or not argv:
        sys.exit("usage: measure.py OUT LABEL -- command args...")
    wall, cpu, rss, rc = run(argv)
    with open(out, "a") as f:
        f.write(f"{label}\t{wall:.4f}\t{cpu:.4f}\t{rss}\t{rc}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

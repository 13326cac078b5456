"""Make the benchmark's input files.

    gen.py tasks N PATH            N text tasks (about 600 bytes each)
    gen.py predictions IDS PATH    one prediction per task id in file IDS
                                   (a JSON list of ids)
    gen.py export MB PATH          a Label-Studio-style JSON export of
                                   about MB megabytes
    gen.py chunks PATH SIZE DIR    split the task list at PATH into files
                                   DIR/0001.json ... of SIZE tasks

The data is deterministic (seeded), so every run sends the same bytes.
"""
import json
import os
import random
import sys

WORDS = ("label studio task text image audio region bounding box class "
         "annotation prediction model score review agree cat dog car tree "
         "person sky road water night day blue red green").split()

CONFIG_CHOICES = ["pos", "neg", "neutral"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_tasks(n):
    rng = random.Random(9)
    return [{"text": sentence(rng, 90), "source": "bench", "index": i}
            for i in range(n)]


def make_predictions(ids):
    rng = random.Random(9)
    return [{"task": tid, "score": round(rng.random(), 6),
             "model_version": "bench-1",
             "result": [{"from_name": "label", "to_name": "text",
                         "type": "choices",
                         "value": {"choices": [rng.choice(CONFIG_CHOICES)]}}]}
            for tid in ids]


def region(rng, i):
    return {"id": f"r{i}", "from_name": "box", "to_name": "image",
            "type": "rectanglelabels", "origin": "manual",
            "original_width": 1920, "original_height": 1080,
            "image_rotation": 0,
            "value": {"x": rng.random() * 90, "y": rng.random() * 90,
                      "width": rng.random() * 10, "height": rng.random() * 10,
                      "rotation": 0, "rectanglelabels": ["Car"]}}


def export_task(rng, i):
    ann = [{"id": 2 * i + k, "completed_by": 1,
            "result": [region(rng, j) for j in range(4)],
            "was_cancelled": False, "ground_truth": False,
            "created_at": "2024-05-01T10:00:00.000000Z",
            "updated_at": "2024-05-01T10:00:00.000000Z",
            "lead_time": rng.random() * 100, "task": i, "project": 1}
           for k in range(2)]
    return {"id": i, "annotations": ann, "predictions": [],
            "data": {"image": f"s3://bench.invalid/images/{i:07d}.jpg",
                     "note": sentence(rng, 30)},
            "meta": {}, "created_at": "2024-05-01T09:00:00.000000Z",
            "updated_at": "2024-05-01T10:00:00.000000Z", "inner_id": i,
            "total_annotations": 2, "cancelled_annotations": 0,
            "total_predictions": 0, "project": 1}


def write_export(mb, path):
    rng = random.Random(9)
    limit, size, i = mb * 1000 * 1000, 1, 0
    with open(path, "w") as f:
        f.write("[")
        while size < limit:
            i += 1
            text = json.dumps(export_task(rng, i))
            f.write(("," if i > 1 else "") + text)
            size += len(text) + 1
        f.write("]")


def write_json(value, path):
    with open(path, "w") as f:
        json.dump(value, f)


def write_chunks(path, size, folder):
    with open(path) as f:
        tasks = json.load(f)
    os.makedirs(folder, exist_ok=True)
    for k in range(0, len(tasks), size):
        write_json(tasks[k:k + size],
                   os.path.join(folder, f"{k // size + 1:04d}.json"))


def main(what, *args):
    if what == "tasks":
        write_json(make_tasks(int(args[0])), args[1])
    elif what == "predictions":
        with open(args[0]) as f:
            write_json(make_predictions(json.load(f)), args[1])
    elif what == "export":
        write_export(int(args[0]), args[1])
    elif what == "chunks":
        write_chunks(args[0], int(args[1]), args[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(*sys.argv[1:])

#!/usr/bin/env python3
"""Writes a Label-Studio-style JSON export of about SIZE MB (default 50)
for scripts/bench-json: image tasks whose annotations hold
rectanglelabels regions with float coordinates, ids, ISO timestamps,
an s3:// URL and some text. The same seed gives the same file."""

import json
import random
import sys

WORDS = ("car truck person bicycle road sign tree building sky cloud "
         "crossing lane night rain café Zürich naïve 東京 — left right "
         "blurred occluded partial small large").split()
LABELS = ["Car", "Truck", "Person", "Bicycle", "Traffic Sign"]


def stamp(rng):
    return "2024-%02d-%02dT%02d:%02d:%02d.%06dZ" % (
        rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
        rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999999))


def region(rng):
    rid = "".join(rng.choice("abcdefghijkABCDEFGHIJK0123456789_-")
                  for _ in range(10))
    return {
        "original_width": 1920, "original_height": 1080,
        "image_rotation": 0,
        "value": {
            "x": rng.uniform(0, 90), "y": rng.uniform(0, 90),
            "width": rng.uniform(1, 10), "height": rng.uniform(1, 10),
            "rotation": 0, "rectanglelabels": [rng.choice(LABELS)],
        },
        "id": rid, "from_name": "label", "to_name": "image",
        "type": "rectanglelabels", "origin": "manual",
    }


def annotation(rng, aid, tid):
    return {
        "id": aid, "completed_by": rng.randint(1, 20),
        "result": [region(rng) for _ in range(rng.randint(1, 8))],
        "was_cancelled": False, "ground_truth": rng.random() < 0.1,
        "created_at": stamp(rng), "updated_at": stamp(rng),
        "draft_created_at": None, "lead_time": rng.uniform(1, 300),
        "prediction": {}, "result_count": 0,
        "unique_id": "%032x" % rng.getrandbits(128),
        "import_id": None, "last_action": None, "task": tid,
        "project": 7, "updated_by": 1, "parent_prediction": None,
        "parent_annotation": None, "last_created_by": None,
    }


def task(rng, tid):
    return {
        "id": tid,
        "annotations": [annotation(rng, tid * 10 + k, tid)
                        for k in range(rng.randint(1, 2))],
        "file_upload": None, "drafts": [], "predictions": [],
        "data": {
            "image": "s3://ls-bench-bucket/images/%08d.jpg" % tid,
            "text": " ".join(rng.choice(WORDS) for _ in range(12)),
        },
        "meta": {}, "created_at": stamp(rng), "updated_at": stamp(rng),
        "inner_id": tid, "total_annotations": 1,
        "cancelled_annotations": 0, "total_predictions": 0,
        "comment_count": 0, "unresolved_comment_count": 0,
        "last_comment_updated_at": None, "project": 7, "updated_by": 1,
        "comment_authors": [],
    }


def main():
    path = sys.argv[1]
    size = float(sys.argv[2]) if len(sys.argv) > 2 else 50
    rng = random.Random(2)
    with open(path, "w", encoding="utf-8") as out:
        out.write("[")
        tid, written = 1, 1
        while written < size * 1e6:
            text = json.dumps(task(rng, tid), ensure_ascii=False)
            if tid > 1:
                out.write(", ")
            out.write(text)
            written += len(text.encode("utf-8")) + 2
            tid += 1
        out.write("]\n")


main()

"""Benchmark driver: the Python SDK's legacy Client.

    py_legacy.py SCENARIO [ARGS]   (LABEL_STUDIO_URL, LABEL_STUDIO_API_KEY)

health                  import the SDK, make a client, GET /health
import PROJECT TASKS    import the task list in file TASKS
list PROJECT            every task, all fields
ids PROJECT             every task id
predictions PROJECT F   the predictions in file F, in one bulk request
export PROJECT PATH     export all tasks as JSON to PATH
decode PATH             decode a JSON export with Python's json

Each scenario is written the way the SDK's documentation shows it, and
prints one short line (a count) so the work cannot be skipped.
"""
import json
import os
import sys

from label_studio_sdk._legacy import Client


def client():
    return Client(url=os.environ["LABEL_STUDIO_URL"],
                  api_key=os.environ["LABEL_STUDIO_API_KEY"])


def load(path):
    with open(path) as f:
        return json.load(f)


def health():
    return client().check_connection()["status"]


def import_(project, path):
    return len(client().get_project(int(project)).import_tasks(load(path)))


def list_(project):
    return len(client().get_project(int(project)).get_tasks())


def ids(project):
    return len(client().get_project(int(project)).get_tasks_ids())


def predictions(project, path):
    p = client().get_project(int(project))
    return p.create_predictions(load(path))


def export(project, path):
    p = client().get_project(int(project))
    p.export_tasks(download_all_tasks=True, export_location=path)
    return os.path.getsize(path)


def decode(path):
    return len(load(path))


SCENARIOS = {"health": health, "import": import_, "list": list_,
             "ids": ids, "predictions": predictions, "export": export,
             "decode": decode}


if __name__ == "__main__":
    print(SCENARIOS[sys.argv[1]](*sys.argv[2:]))

"""Benchmark driver: the Python SDK's current client, LabelStudio.

    py_current.py SCENARIO [ARGS]  (LABEL_STUDIO_URL, LABEL_STUDIO_API_KEY)

Scenarios and arguments as in py_legacy.py. The client has no call for
/health, so that scenario sends it through the client's own HTTP
wrapper. Export uses download_sync and writes the byte stream to the
file as it comes (the client's as_file helper would first gather it all
in memory).
"""
import json
import os
import sys

from label_studio_sdk import LabelStudio


def client():
    return LabelStudio(base_url=os.environ["LABEL_STUDIO_URL"],
                       api_key=os.environ["LABEL_STUDIO_API_KEY"])


def load(path):
    with open(path) as f:
        return json.load(f)


def health():
    http = client()._client_wrapper.httpx_client
    return http.request("health", method="GET").json()["status"]


def import_(project, path):
    r = client().projects.import_tasks(int(project), request=load(path),
                                       return_task_ids=True)
    return len(r.task_ids)


def list_(project):
    return sum(1 for _ in client().tasks.list(project=int(project)))


def ids(project):
    pager = client().tasks.list(project=int(project), fields="task_only",
                                include="id")
    return len([t.id for t in pager])


def predictions(project, path):
    r = client().projects.import_predictions(int(project),
                                             request=load(path))
    return r


def export(project, path):
    stream = client().projects.exports.download_sync(
        int(project), export_type="JSON", download_all_tasks=True)
    with open(path, "wb") as f:
        for chunk in stream:
            f.write(chunk)
    return os.path.getsize(path)


def decode(path):
    return len(load(path))


SCENARIOS = {"health": health, "import": import_, "list": list_,
             "ids": ids, "predictions": predictions, "export": export,
             "decode": decode}


if __name__ == "__main__":
    print(SCENARIOS[sys.argv[1]](*sys.argv[2:]))

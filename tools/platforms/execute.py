"""One notebook in one session, in a process of its own: `python -m tools.platforms.execute SPEC.json`.

The kernel papermill starts inherits this process's environment, and papermill changes the working
folder of its process; a process per notebook lets `make platforms` run sessions side by side.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time

from tools.runner import ipc_kernel_manager


def execute(spec: dict) -> dict:
    import papermill

    os.environ.clear()
    os.environ.update(spec["env"])
    # A kernel in another network namespace is reached through Unix sockets, not TCP.
    extra = {"kernel_manager_class": ipc_kernel_manager()} if spec["isolated"] else {}
    entry = {"status": "ok"}
    start = time.perf_counter()
    try:
        papermill.execute_notebook(spec["notebook"], spec["out"], kernel_name=spec["kernel_name"], cwd=spec["cwd"],
                                   progress_bar=False, log_output=False, start_timeout=180,
                                   execution_timeout=900, **extra)
    except Exception as exc:  # PapermillExecutionError carries the cell's error
        entry["status"] = "error"
        evalue = str(getattr(exc, "evalue", exc)).strip().splitlines() or [""]
        entry["error"] = f"{getattr(exc, 'ename', type(exc).__name__)}: {evalue[0][:200]}"
    entry["seconds"] = round(time.perf_counter() - start, 1)
    return entry


def main(argv=None) -> int:
    logging.disable(logging.WARNING)  # papermill's and jupyter_client's English log lines
    [path] = argv if argv is not None else sys.argv[1:]
    with open(path, encoding="utf-8") as fh:
        spec = json.load(fh)
    result = execute(spec)
    with open(spec["result"], "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())

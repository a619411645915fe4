"""Performance report of the course: `make bench` → build/bench.json and build/bench.md.

Measures `import utils`, kernel start + setup cell, and each notebook's headless execution time
(median of 3 runs when a run is cheap). Timings are facts about this machine, not test assertions.
"""
from __future__ import annotations

import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import course as C
from tools import runner
from utils import config

CHEAP_SECONDS = 30  # notebooks faster than this are run 3 times and the median kept
# Training benchmarks added by later notebooks: name -> module whose run() returns numbers + "markdown".
SECTIONS = {"cnn": "tools.bench_cnn", "cost": "tools.bench_cost", "transfer": "tools.bench_transfer"}


def _median_time(fn, repeats: int) -> tuple[float, list]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def import_time(repeats: int = 5) -> float:
    code = "import time; t = time.perf_counter(); import utils; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=C.ROOT, capture_output=True, text=True,
                                 check=True).stdout) for _ in range(repeats)]
    return statistics.median(runs)


def conv2d_time(repeats: int = 5) -> float:
    """Seconds for `utils.conv.conv2d` of a 512×512×3 photo with a 3×3×3 kernel, SAME padding."""
    import numpy as np

    from utils.conv import conv2d

    photo, kernel = np.random.default_rng(0).uniform(0, 255, (512, 512, 3)), np.full((3, 3, 3), 1 / 27)
    return _median_time(lambda: conv2d(photo, kernel, padding="same"), repeats)[0]


def kernel_setup_time(course: C.Course, repeats: int = 3) -> float:
    """Seconds from starting a kernel to the end of the setup cell and `utils.setup()`."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(C.setup_source(course)),
        nbformat.v4.new_code_cell("info = utils.setup(seed=42, quiet=True)"),
    ])
    run = lambda: NotebookClient(nb, kernel_name="python3", kernel_manager_class=runner.ipc_kernel_manager(),
                                 resources={"metadata": {"path": str(course.root / "notebooks")}}).execute()
    return _median_time(run, repeats)[0]


def notebook_times(course: C.Course, only=None) -> dict:
    import papermill

    results = {}
    selected = [course.notebook(i) for i in only] if only else course.notebooks
    with tempfile.TemporaryDirectory() as tmp:
        for nb in selected:
            out = Path(tmp) / nb.file
            run = lambda: papermill.execute_notebook(str(nb.path), str(out), kernel_name="python3",
                                                     cwd=str(nb.path.parent), progress_bar=False,
                                                     kernel_manager_class=runner.ipc_kernel_manager())
            first, _ = _median_time(run, 1)
            runs = [first]
            if first < CHEAP_SECONDS:
                runs += _median_time(run, 2)[1]
            results[nb.file] = {"median_s": round(statistics.median(runs), 2), "runs": [round(r, 2) for r in runs]}
            print(f"  {nb.file}: {results[nb.file]['median_s']} s")
    return results


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NN", help="notebook ids to time (default: all)")
    parser.add_argument("--sections", nargs="*", default=list(SECTIONS), choices=list(SECTIONS),
                        help="training benchmarks to run (default: all)")
    args = parser.parse_args(argv)
    os.environ.update(config.HEADLESS_ENV)
    course = C.load_manifest()
    print("import utils ...")
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "offline": config.offline(),
        "import_utils_s": round(import_time(), 4),
    }
    report["conv2d_512x512x3_s"] = round(conv2d_time(), 4)
    print("kernel start + setup cell ...")
    report["kernel_setup_s"] = round(kernel_setup_time(course), 2)
    print("notebooks ...")
    report["notebooks"] = notebook_times(course, args.only)
    for name in args.sections:
        print(f"{name} benchmark ...")
        report[name] = importlib.import_module(SECTIONS[name]).run()
    out = course.root / "build"
    out.mkdir(exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lines = ["# Benchmark", "", f"Python {report['machine']['python']}, {report['machine']['cpus']} CPUs, "
             f"offline data: {'yes' if report['offline'] else 'no'}", "", "| measure | seconds |", "|---|---:|",
             f"| `import utils` (median of 5) | {report['import_utils_s']} |",
             f"| `utils.conv.conv2d`, 512×512×3 photo, 3×3 kernel (median of 5) | {report['conv2d_512x512x3_s']} |",
             f"| kernel start + setup cell (median of 3) | {report['kernel_setup_s']} |"]
    lines += [f"| {name} (median of {len(r['runs'])}) | {r['median_s']} |" for name, r in report["notebooks"].items()]
    for name in args.sections:
        lines += ["", f"## {name}", "", report[name]["markdown"]]
    (out / "bench.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Performance report of the course: `make bench` → build/bench.json and build/bench.md in one run.

Measures `import utils`, kernel start + setup cell, each notebook's headless execution time under
`make run`'s conditions here (offline data, an empty data cache; median of `--repeats` runs when a run
is cheap), notebook 06 on full MNIST when the data cache holds it (the student's online path), and the
training benchmarks in SECTIONS; then checks issue 14's targets. Timings are facts about this machine,
not test assertions.
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
from utils import config, env

CHEAP_SECONDS = 30  # notebooks faster than this are run `repeats` times and the median kept
# Training benchmarks: name -> module whose run() returns numbers + "markdown".
SECTIONS = {"cnn": "tools.bench_cnn", "cost": "tools.bench_cost", "transfer": "tools.bench_transfer"}
# Issue 14's targets on this machine: the whole course, one notebook, notebook 06 on full MNIST, the
# course CNN's seconds to 99,2 % over keras-io's 15-epoch seconds.
TARGETS = {"course_total_s": 180.0, "notebook_max_s": 30.0, "nb06_full_mnist_s": 45.0, "cnn_ratio": 0.15}
FULL_MNIST_NOTEBOOK = "06"


def _median_time(fn, repeats: int) -> tuple[float, list]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def machine() -> dict:
    """Date, CPU model and count, Python and platform: what the README quotes beside the figures."""
    model = platform.processor() or platform.machine()
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                model = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": time.strftime("%Y-%m-%d"), "cpu": model, "cpus": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform()}


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
                                 startup_timeout=300,  # a busy machine can take more than the default minute
                                 resources={"metadata": {"path": str(course.root / "notebooks")}}).execute()
    return _median_time(run, repeats)[0]


def notebook_times(course: C.Course, only=None, *, repeats: int = 3, environ: dict | None = None) -> dict:
    """Seconds of each notebook, papermill in a fresh kernel (median of `repeats` when cheap), with
    `environ` set for the kernels."""
    import papermill

    results = {}
    selected = [course.notebook(i) for i in only] if only else course.notebooks
    with tempfile.TemporaryDirectory() as tmp, runner._environ(environ or {}):
        for nb in selected:
            out = Path(tmp) / nb.file
            run = lambda: papermill.execute_notebook(str(nb.path), str(out), kernel_name="python3",
                                                     cwd=str(nb.path.parent), progress_bar=False,
                                                     kernel_manager_class=runner.ipc_kernel_manager())
            first, _ = _median_time(run, 1)
            runs = [first]
            if first < CHEAP_SECONDS and repeats > 1:
                runs += _median_time(run, repeats - 1)[1]
            results[nb.file] = {"median_s": round(statistics.median(runs), 2), "runs": [round(r, 2) for r in runs]}
            print(f"  {nb.file}: {results[nb.file]['median_s']} s", flush=True)
    return results


def full_mnist_cache() -> Path | None:
    """The data cache folder when it holds full MNIST (60 000 training images), else None."""
    import numpy as np

    folder = config.data_dir()
    try:
        with np.load(folder / "mnist.npz") as f:
            return folder if len(f["y_train"]) == 60_000 else None
    except (OSError, KeyError, ValueError):
        return None


def targets(report: dict) -> list[dict]:
    """Issue 14's targets against the measured figures: name, target, measured, met (None: not measured)."""
    seconds = [r["median_s"] for r in report.get("notebooks", {}).values()]
    cnn = report.get("cnn") or {}
    full = report.get("nb06_full_mnist")
    rows = [("course_total_s", "whole course, sum of notebook seconds", sum(seconds) if seconds else None),
            ("notebook_max_s", "slowest notebook, seconds", max(seconds) if seconds else None),
            ("nb06_full_mnist_s", "notebook 06 on full MNIST, seconds", full["median_s"] if full else None),
            ("cnn_ratio", "CNN to 99.2 % / keras-io 15 epochs", cnn.get("ratio") if cnn.get("full_mnist") else None)]
    return [{"name": name, "what": what, "target": TARGETS[name],
             "measured": None if value is None else round(value, 3),
             "met": None if value is None else value <= TARGETS[name]} for name, what, value in rows]


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = ["# Benchmark", "", f"{m['date']} · {m['cpu']}, {m['cpus']} CPUs · Python {m['python']} · "
             f"notebooks with offline data (as `make run` here)", "", "## Targets (issue 14)", "",
             "| target | limit | measured | met |", "|---|---:|---:|---|"]
    for t in report["targets"]:
        met = "not measured" if t["met"] is None else ("yes" if t["met"] else "**no**")
        measured = "–" if t["measured"] is None else f"{t['measured']:g}"
        lines.append(f"| {t['what']} | {t['target']:g} | {measured} | {met} |")
    lines += ["", "## Times", "", "| measure | seconds |", "|---|---:|",
              f"| `import utils` (median of 5) | {report['import_utils_s']} |",
              f"| `utils.conv.conv2d`, 512×512×3 photo, 3×3 kernel (median of 5) | {report['conv2d_512x512x3_s']} |",
              f"| kernel start + setup cell (median of 3) | {report['kernel_setup_s']} |"]
    lines += [f"| {name} (median of {len(r['runs'])}) | {r['median_s']} |" for name, r in report["notebooks"].items()]
    if report["notebooks"]:
        lines.append(f"| **all notebooks** | **{sum(r['median_s'] for r in report['notebooks'].values()):.1f}** |")
    if report.get("nb06_full_mnist"):
        r = report["nb06_full_mnist"]
        lines.append(f"| notebook 06 on full MNIST (median of {len(r['runs'])}) | {r['median_s']} |")
    for name in report["sections"]:
        lines += ["", f"## {name}", "", report[name]["markdown"]]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NN", help="notebook ids to time (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each cheap notebook (median kept)")
    parser.add_argument("--sections", nargs="*", default=list(SECTIONS), choices=list(SECTIONS),
                        help="training benchmarks to run (default: all)")
    args = parser.parse_args(argv)
    os.environ.update(config.HEADLESS_ENV)
    env.import_tensorflow().get_logger().setLevel("ERROR")  # quietly, and no English retracing notices
    course = C.load_manifest()
    full = full_mnist_cache()
    print("import utils ...", flush=True)
    report = {"machine": machine(), "import_utils_s": round(import_time(), 4), "sections": args.sections}
    report["conv2d_512x512x3_s"] = round(conv2d_time(), 4)
    print("kernel start + setup cell ...", flush=True)
    report["kernel_setup_s"] = round(kernel_setup_time(course), 2)
    print("notebooks (offline data, empty cache) ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-data-") as empty:
        offline = {"COURSE_OFFLINE": "1", "COURSE_DATA_DIR": empty}
        report["notebooks"] = notebook_times(course, args.only, repeats=args.repeats, environ=offline)
    if full is not None and (not args.only or FULL_MNIST_NOTEBOOK in args.only):
        print(f"notebook {FULL_MNIST_NOTEBOOK} on full MNIST ...", flush=True)
        online = {"COURSE_OFFLINE": None, "COURSE_DATA_DIR": str(full)}
        report["nb06_full_mnist"] = next(iter(notebook_times(course, [FULL_MNIST_NOTEBOOK], repeats=1,
                                                             environ=online).values()))
    for name in args.sections:
        print(f"{name} benchmark ...", flush=True)
        report[name] = importlib.import_module(SECTIONS[name]).run()
    report["targets"] = targets(report)
    out = course.root / "build"
    out.mkdir(exist_ok=True)
    text = markdown(report)
    (out / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "bench.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

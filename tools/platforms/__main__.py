"""`make platforms`: every notebook of the manifest, headless, in Colab's and Kaggle's runtimes.

    python -m tools.platforms [--targets colab kaggle kaggle-legacy] [--only 05 06] [--keep]
    python -m tools.platforms profile NAME --freeze pip-freeze.txt --python 3.13 --source "…" [--add PIN ...]

Exits non-zero if any notebook fails, or shows a student something broken, in any profile.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.platforms import harness, profiles, report

ROOT = Path(__file__).resolve().parents[2]


def execute(nb, session: harness.Session, out: Path, runtime: Path) -> dict:
    """Run `nb` in `session` through a worker process; return its status, seconds and findings."""
    folder = out.parent / f"{out.stem}.run"
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"notebook": str(nb.path), "out": str(out), "kernel_name": session.kernel_name, "cwd": str(session.cwd),
            "isolated": session.isolated, "result": str(folder / "result.json"),
            "env": {**session.env, "JUPYTER_RUNTIME_DIR": str(runtime), "PATH": os.environ.get("PATH", "")}}
    (folder / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tools.platforms.execute", str(folder / "spec.json")],
                          cwd=ROOT, capture_output=True, text=True)
    result = folder / "result.json"
    if result.is_file():
        entry = {"id": nb.id, "file": nb.file, **json.loads(result.read_text(encoding="utf-8"))}
    else:
        last = (done.stderr.strip().splitlines() or ["sin mensaje"])[-1]
        entry = {"id": nb.id, "file": nb.file, "status": "error", "error": f"el ejecutor falló: {last[:200]}",
                 "seconds": round(time.perf_counter() - start, 1)}
    executed = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    entry["findings"] = report.findings(executed)
    entry["explorers"] = report.read_probe(session.probe_log)
    entry["findings"] += report.explorer_findings(entry["explorers"])
    return entry


def run(target_names=None, only=None, *, keep=False, jobs=2) -> int:
    from tools import kaggle as K
    from tools.manifest import load_manifest

    course = load_manifest()
    targets = [t for t in harness.TARGETS if not target_names or t.name in target_names]
    unknown = set(target_names or ()) - {t.name for t in harness.TARGETS}
    if unknown:
        raise profiles.PlatformError(f"perfiles desconocidos: {', '.join(sorted(unknown))}; "
                                     f"los hay: {', '.join(t.name for t in harness.TARGETS)}")
    notebooks = [course.notebook(i) for i in only] if only else course.notebooks
    workspace = Path(tempfile.mkdtemp(prefix="platforms-"))
    results, header = [], []
    try:
        venvs = {}
        for target in targets:
            profile = profiles.load(target.profile)
            if profile.name not in venvs:
                venvs[profile.name] = profiles.ensure_venv(profile)
                header.append(f"- **{profile.name}** (`platforms/{profile.path.name}`): Python {profile.python}, "
                              f"TensorFlow {profile.version('tensorflow')}, Keras {profile.version('keras')}, "
                              f"numpy {profile.version('numpy')}, ipywidgets {profile.version('ipywidgets')}")
        mirror = None
        if any(t.platform == "colab" for t in targets):
            mirror = harness.make_mirror(course.root, course.ref, workspace)
        dataset = None
        if any(t.platform == "kaggle" for t in targets):
            print("Kaggle: construyendo el data set del curso (python -m tools.kaggle build)", flush=True)
            dataset = K.build(course, [], out_dir=workspace / "kaggle-build")[0]
        header.append(f"- Generado {time.strftime('%Y-%m-%d %H:%M')} en {platform.machine()}, {os.cpu_count()} núcleos; "
                      "Kaggle sin red (espacio de nombres de red propio); datos por sus fuentes en línea, que aquí "
                      "fallan, y sus copias sin conexión")
        jupyter_path, runtime = workspace / "jupyter", workspace / "rt"
        runtime.mkdir()

        def one(target, nb):
            session = harness.new_session(
                target, venvs[target.profile], workspace / target.name / nb.id, mirror=mirror,
                repository=course.repository, dataset=dataset, dataset_id=K.dataset_id(course),
                jupyter_path=jupyter_path)
            out = workspace / target.name / f"{nb.id}.ipynb"
            entry = {"target": target.name, **execute(nb, session, out, runtime)}
            mark = "ok" if entry["status"] == "ok" and not entry["findings"] else (
                "ERROR" if entry["status"] != "ok" else "avisos")
            print(f"  {target.name:<14} {nb.file:<36} {mark:<6} {entry['seconds']:6.1f} s", flush=True)
            if keep and out.exists():
                kept = course.root / "build" / "platforms" / target.name
                kept.mkdir(parents=True, exist_ok=True)
                shutil.copy(out, kept / nb.file)
            return entry

        print(f"{len(targets) * len(notebooks)} sesiones, {jobs} a la vez: "
              + ", ".join(f"{t.label} ({t.profile})" for t in targets), flush=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(one, target, nb) for target in targets for nb in notebooks]
            results = [future.result() for future in futures]
        path = report.write(results, targets, course.root / "build", header)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    bad = [r for r in results if r["status"] != "ok" or r["findings"]]
    for r in bad:
        print(f"✗ {r['target']} · {r['file']}: {r.get('error') or r['findings'][0]}")
    print(f"Informe: {path.relative_to(course.root)} · {len(results) - len(bad)} correctos, {len(bad)} con problemas")
    return 1 if bad else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.platforms", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    p_run = sub.add_parser("run", help="execute the notebooks in every profile (the default)")
    for p in (parser, p_run):
        p.add_argument("--targets", nargs="+", metavar="PERFIL", help="colab, kaggle, kaggle-legacy")
        p.add_argument("--only", nargs="+", metavar="NN", help="notebook ids, e.g. 05")
        p.add_argument("--keep", action="store_true", help="keep the executed notebooks in build/platforms/")
        p.add_argument("--jobs", type=int, default=2, help="sessions run side by side (default 2)")
    p_profile = sub.add_parser("profile", help="write platforms/NAME.txt from a platform's pip freeze")
    p_profile.add_argument("name")
    p_profile.add_argument("--freeze", type=Path, required=True)
    p_profile.add_argument("--python", required=True)
    p_profile.add_argument("--source", required=True, help="where the package list comes from, and its date")
    p_profile.add_argument("--add", nargs="*", default=[], help="pins replacing the freeze's, or names to re-resolve")
    p_profile.add_argument("--exclude-newer", help="resolve packages the freeze lacks as of this date")
    args = parser.parse_args(argv)
    logging.getLogger("papermill").setLevel(logging.ERROR)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    try:
        if args.command == "profile":
            path = profiles.write_profile(args.name, args.freeze, args.python, args.source, add=args.add,
                                          exclude_newer=args.exclude_newer)
            print(f"Perfil escrito: platforms/{path.name}")
            return 0
        return run(args.targets, args.only, keep=args.keep, jobs=max(1, args.jobs))
    except (profiles.PlatformError, ValueError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""`python -m tools.grading CARPETA [--cuaderno NN] [--salida DIR] [--tiempo 300] [--memoria 4G]`."""
from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tools.grading import answers, gradebook, sandbox
from tools.grading.gradebook import FAILED, Submission, Verdict

DEFAULT_OUT = Path("build") / "calificaciones"
RECORD_LIMIT = 64 * 2**20  # bytes of one record: a trained model with its weights fits
CALL_SECONDS = 10  # per call of a student's function, inside the kernel


class UsageError(Exception):
    """Bad input from the instructor: one Spanish line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"opción no válida ({message}); uso: python -m tools.grading CARPETA [--cuaderno NN] "
                         "[--salida DIR] [--tiempo 300] [--memoria 4G]")


def _read(path: Path):
    import nbformat

    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError
        return nb, None
    except Exception:  # noqa: BLE001 - any file that is not a notebook
        return None, "el archivo no es un cuaderno de Jupyter válido (.ipynb)"


class _Notebook:
    """An instructor notebook's exercises and check calls, loaded once."""

    def __init__(self, nb_id: str):
        from tools.manifest import load_manifest

        course = load_manifest()
        entry = course.notebook(nb_id)
        self.id, self.calls = nb_id, answers.check_calls(entry.path)
        self.module = importlib.import_module(f"utils.ejercicios.nb{nb_id}")
        self.exercises = {int(name.split("_")[1]): getattr(self.module, name) for name in dir(self.module)
                          if name.startswith("ejercicio_") and name.split("_")[1].isdigit()}
        self.numbers = sorted(self.exercises)
        self.titles = {n: getattr(ex, "title", None) for n, ex in self.exercises.items()}


def _spec(nb: _Notebook, number: int, nonce: str) -> dict:
    exercise = nb.exercises[number]
    kind = gradebook.kind_of(exercise)
    spec = {"nonce": nonce, "kind": kind, "max_bytes": RECORD_LIMIT * 3 // 4, "max_text": 4000,
            "weights": gradebook.needs_weights(exercise), "call_seconds": CALL_SECONDS}
    if kind == "function":
        from tools.grading.values import encode_cases

        spec["cases"] = encode_cases(exercise.cases)
    return spec


def grade_one(path: Path, forced: str | None, cache: dict, options: dict, workspace: Path) -> Submission:
    """Identify, execute and judge one handed-in file; never raises because of the file."""
    sub = Submission(path.name)
    nb, problem = _read(path)
    nb_id = forced or (answers.identify(nb) if nb is not None else None)
    if nb is None or nb_id is None:
        sub.note = problem or ("no se sabe de qué cuaderno es: no importa `from utils.ejercicios import nbNN` "
                               "(usa --cuaderno)")
        return sub
    try:
        if nb_id not in cache:
            cache[nb_id] = _Notebook(nb_id)
    except (ValueError, ImportError, OSError) as exc:
        sub.note = f"el cuaderno {nb_id} no existe en el curso ({str(exc)[:120]})"
        return sub
    ref = cache[nb_id]
    sub.notebook = nb_id
    calls = {n: c for n, c in ref.calls.items() if n in ref.exercises}
    places = answers.anchors(nb, calls)
    root = sandbox.new_folder(workspace)
    copy, plan = answers.inject(nb, calls, places, str(root / "grader"), str(root / "trabajo"))
    specs = {rec.spec_name: _spec(ref, rec.number, rec.nonce) for rec in plan.values()}
    run = sandbox.execute(copy, plan, specs, root=root, time_limit=options["time"], memory=options["memory"],
                          record_limit=RECORD_LIMIT, active=options["active"])
    sub.seconds = run.seconds
    by_number = {rec.number: (index, rec) for index, rec in plan.items()}
    peeks = gradebook.peeks([str(c.get("source", "")) for c in nb.cells if c.get("cell_type") == "code"], ref.numbers)
    for number in ref.numbers:
        if number not in by_number:
            sub.verdicts[number] = Verdict(FAILED, "el cuaderno del profesor no llama a `check` en este ejercicio")
            continue
        index, rec = by_number[number]
        if run.stopped and number not in run.records:
            sub.verdicts[number] = Verdict(FAILED, f"el cuaderno {run.stopped}")
            continue
        error = run.cell_errors.get(rec.anchor) if rec.anchor is not None else None
        exercise = ref.exercises[number]
        verdict, value = gradebook.judge(exercise, run.records.get(number), error, rec.nonce)
        verdict = gradebook.held_for_review(verdict, peeks.get(number), own_data=hasattr(exercise, "use_data"))
        sub.verdicts[number], sub.values[number] = verdict, value
    if run.stopped:
        sub.note = f"el cuaderno {run.stopped}"
    return sub


def grade_folder(folder: Path, *, notebook: str | None = None, out: Path = DEFAULT_OUT, time_limit: float = 300,
                 memory: int = 4 * 2**30, log=print) -> list[Submission]:
    """Grade every file of `folder` (sorted by name), write the gradebook and feedback; return the results."""
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise UsageError(f"no existe la carpeta de entregas {folder.name or folder}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise UsageError(f"la carpeta {folder.name} no tiene ninguna entrega")
    if notebook is not None and not (len(notebook) == 2 and notebook.isdigit()):
        raise UsageError(f"--cuaderno debe ser el número de dos cifras de un cuaderno, p. ej. 01; "
                         f"se recibió {notebook!r}")
    active = sandbox.protections()
    log(sandbox.describe(active))
    out.mkdir(parents=True, exist_ok=True)
    modes = {p: p.stat().st_mode & 0o7777 for p in (folder, out)}
    options = {"time": time_limit, "memory": memory, "active": active}
    cache, results, start = {}, [], time.perf_counter()
    workspace = Path(tempfile.mkdtemp(prefix="calificador-"))
    try:
        for p in modes:
            os.chmod(p, 0o700)  # the kernel (nobody) may read neither the submissions nor the grades
        os.chmod(workspace, 0o711)
        for path in files:
            sub = grade_one(path, notebook, cache, options, workspace)
            results.append(sub)
            log(f"{sub.name}: correctos {sub.correct()} ({sub.seconds:.0f} s)" + (f" · {sub.note}" if sub.note else ""))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
        for p, mode in modes.items():
            os.chmod(p, mode)
    numbers = sorted({n for ref in cache.values() for n in ref.numbers}) or [1]
    titles = {n: t for ref in cache.values() for n, t in ref.titles.items()}
    for sub in results:
        if sub.notebook is None or not sub.verdicts:
            sub.verdicts = {n: Verdict(FAILED, sub.note) for n in numbers}
    gradebook.atomic_write(out / "gradebook.csv", gradebook.gradebook_csv(results, numbers))
    taken = set()
    for sub in results:
        name = f"{Path(sub.name).stem}.md"
        name = name if name not in taken else f"{sub.name}.md"  # "a.ipynb" and "a.txt" both handed in
        taken.add(name)
        gradebook.atomic_write(out / name, gradebook.feedback(sub, numbers, titles))
    log(gradebook.table(results, numbers))
    log(f"{len(results)} entregas calificadas en {time.perf_counter() - start:.0f} s → {out.name}/gradebook.csv")
    return results


def main(argv=None) -> int:
    parser = _Parser(prog="python -m tools.grading", description="Califica una carpeta de cuadernos entregados.")
    parser.add_argument("carpeta")
    parser.add_argument("--cuaderno")
    parser.add_argument("--salida", default=str(DEFAULT_OUT))
    parser.add_argument("--tiempo", default="300")
    parser.add_argument("--memoria", default="4G")
    try:
        args = parser.parse_args(argv)
        try:
            seconds = float(args.tiempo)
        except ValueError:
            seconds = -1
        if not seconds > 0:
            raise UsageError(f"--tiempo debe ser un número de segundos mayor que 0; se recibió {args.tiempo!r}")
        try:
            memory = sandbox.parse_memory(args.memoria)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        grade_folder(Path(args.carpeta), notebook=args.cuaderno, out=Path(args.salida), time_limit=seconds,
                     memory=memory)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

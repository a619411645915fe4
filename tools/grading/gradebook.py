"""Verdicts from records, judged by the instructor's checkers in this process; gradebook, feedback, table.

Statuses in the gradebook: correcto, incorrecto, sin responder, no se pudo ejecutar, and
"respondido (revisión manual)" for ThoughtExercise answers (never counted as correct).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tools.grading.values import RecordError, decode

# A student's code that reads a checker's insides (`ej.ejercicio_3.expected`, `vars(ej)`, `import
# utils.ejercicios.nb01`...) can copy the expected answer: such an answer is left to the instructor.
_ALLOWED = ("check", "hint", "solution")
_ONE = re.compile(r"\bejercicio_(\d+)\s*\.\s*(\w+)")
_ALL = re.compile(r"(getattr|vars|dir|hasattr|setattr)\s*\(\s*ej\b|\bej\s*\.\s*__|\bej\s*\.\s*(?!ejercicio_)[a-z_]\w*"
                  r"|utils\.ejercicios\.nb\d\d|\bimport\s+utils\.ejercicios|\binspect\.\w+\(\s*ej\b|utils\.exercises\.\w+\s*\(")

CORRECT, WRONG, EMPTY, FAILED, MANUAL = ("correcto", "incorrecto", "sin responder", "no se pudo ejecutar",
                                         "respondido (revisión manual)")
SYMBOLS = {CORRECT: "✔", WRONG: "✘", EMPTY: "·", FAILED: "!", MANUAL: "?"}


@dataclass
class Verdict:
    status: str
    message: str = ""


@dataclass
class Submission:
    """One handed-in file's outcome: verdicts by exercise number (1..N) and a note for the whole file."""

    name: str
    notebook: str | None = None
    verdicts: dict = field(default_factory=dict)
    note: str = ""
    seconds: float = 0.0
    values: dict = field(default_factory=dict)  # exercise → rebuilt value (tests read what the kernel saw)

    def correct(self) -> int:
        return sum(v.status == CORRECT for v in self.verdicts.values())


def kind_of(exercise) -> str:
    """How an exercise's answer is recorded: 'text', 'function' or 'value'."""
    from utils.exercises import FunctionExercise, ThoughtExercise

    if isinstance(exercise, ThoughtExercise):
        return "text"
    return "function" if isinstance(exercise, FunctionExercise) else "value"


def needs_weights(exercise) -> bool:
    """Checkers that measure a trained model (predict, evaluate) need its weights, not just its config."""
    from utils.exercises import Exercise, ModelExercise

    method = type(exercise)._diagnose
    return method not in (ModelExercise._diagnose, Exercise._diagnose) and ".predict(" in _source(type(exercise))


def _source(cls) -> str:
    import inspect

    try:
        return inspect.getsource(cls._diagnose)
    except (OSError, TypeError):
        return ""


def judge(exercise, raw: bytes | None, cell_error: str | None, nonce: str) -> tuple[Verdict, object]:
    """The verdict on one record, and the value it rebuilt (None when there is none)."""
    if cell_error:
        return Verdict(FAILED, f"tu celda lanzó {cell_error}"), None
    if raw is None:
        return Verdict(FAILED, "no se registró la respuesta (el cuaderno no llegó a esa celda)"), None
    try:
        record = json.loads(raw.decode("utf-8"))
        if not isinstance(record, dict) or record.get("nonce") != nonce:
            raise RecordError("registro sin la marca de esta ejecución")
    except (ValueError, UnicodeDecodeError):
        return Verdict(FAILED, "el registro de la respuesta está dañado o es demasiado grande"), None
    status = record.get("status")
    if status == "missing":
        return Verdict(EMPTY, f"no existe la respuesta ({str(record.get('error', ''))[:120]})"), None
    if status == "too_big":
        return Verdict(FAILED, "la respuesta es demasiado grande para registrarla"), None
    if status != "ok":
        return Verdict(FAILED, f"al leer la respuesta saltó {str(record.get('error', ''))[:200]}"), None
    try:
        cases = getattr(exercise, "cases", None)
        value = decode(record.get("value"), cases=cases if kind_of(exercise) == "function" else None)
        keywords = {k: decode(v) for k, v in (record.get("keywords") or {}).items()}
    except Exception as exc:  # noqa: BLE001 - a malformed record, or a model Keras refuses to rebuild
        return Verdict(FAILED, f"no se pudo reconstruir la respuesta ({type(exc).__name__}: {str(exc)[:150]})"), None
    if hasattr(exercise, "use_data"):  # nb12: the data to measure with; never a previous submission's
        import inspect

        exercise.use_data(**{k: keywords.get(k) for k in inspect.signature(exercise.use_data).parameters})
    verdict = exercise.evaluate(value)
    if kind_of(exercise) == "text":
        if verdict.status == "sin responder":
            return Verdict(EMPTY, verdict.message), value
        return Verdict(MANUAL, f"tu respuesta: {str(value)[:500]}"), value
    if verdict.status == "correcto":
        return Verdict(CORRECT, verdict.message), value
    if verdict.status == "sin responder":
        return Verdict(EMPTY, verdict.message), value
    return Verdict(WRONG, verdict.message), value


def peeks(sources: list[str], numbers: list[int]) -> dict[int, str]:
    """Exercise number → the first piece of the student's code that reads that exercise's checker (or
    every checker) instead of calling check/hint/solution."""
    found = {}
    for source in sources:
        for match in _ONE.finditer(source):
            number, attribute = int(match.group(1)), match.group(2)
            if attribute not in _ALLOWED and number in numbers:
                found.setdefault(number, match.group(0))
        everything = _ALL.search(source)
        if everything:
            for number in numbers:
                found.setdefault(number, everything.group(0).strip())
    return found


def held_for_review(verdict: Verdict, peek: str | None, own_data: bool) -> Verdict:
    """A correct verdict the student could have copied or chosen the data for becomes a manual review."""
    if verdict.status != CORRECT:
        return verdict
    if peek:
        return Verdict(MANUAL, f"el comprobador la da por buena, pero tu código lee su interior (`{peek}`): "
                               "la revisará el profesor")
    if own_data:
        return Verdict(MANUAL, "el comprobador la da por buena con los datos de tu propio cuaderno: la revisará "
                               "el profesor")
    return verdict


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def gradebook_csv(submissions: list[Submission], numbers: list[int]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["entrega", *[f"ejercicio_{n}" for n in numbers], "correctos", "autocalificados"])
    for sub in submissions:
        graded = sum(1 for n in numbers if sub.verdicts.get(n, Verdict(FAILED)).status != MANUAL)
        writer.writerow([sub.name, *[sub.verdicts.get(n, Verdict(FAILED)).status for n in numbers],
                         sub.correct(), graded])
    return out.getvalue()


def feedback(sub: Submission, numbers: list[int], titles: dict) -> str:
    """The Spanish Markdown a student receives."""
    lines = [f"# Corrección de «{sub.name}»", ""]
    if sub.notebook:
        lines += [f"Cuaderno {sub.notebook} del curso.", ""]
    if sub.note:
        lines += [f"**Nota:** {sub.note}", ""]
    graded = [n for n in numbers if sub.verdicts.get(n, Verdict(FAILED)).status != MANUAL]
    lines += [f"**Ejercicios correctos: {sub.correct()} de {len(graded)}** (calificados automáticamente).", ""]
    for n in numbers:
        verdict = sub.verdicts.get(n, Verdict(FAILED, sub.note))
        lines += [f"## {titles.get(n) or f'Ejercicio {n}'}", "",
                  f"- **{verdict.status.capitalize()}**" + (f": {verdict.message}" if verdict.message else ""), ""]
    return "\n".join(lines)


def table(submissions: list[Submission], numbers: list[int]) -> str:
    """The summary printed at the end: one row per submission, a symbol per exercise, the total."""
    width = max([len("entrega"), *(len(s.name) for s in submissions)])
    head = f"{'entrega':<{width}}  " + " ".join(f"{n:>2}" for n in numbers) + "  total"
    rows = [head]
    for sub in submissions:
        marks = " ".join(f"{SYMBOLS[sub.verdicts.get(n, Verdict(FAILED)).status]:>2}" for n in numbers)
        graded = sum(1 for n in numbers if sub.verdicts.get(n, Verdict(FAILED)).status != MANUAL)
        rows.append(f"{sub.name:<{width}}  {marks}  {sub.correct()}/{graded}")
    rows.append("✔ correcto · ✘ incorrecto · · sin responder · ! no se pudo ejecutar · ? revisión manual")
    return "\n".join(rows)

"""Where each answer is: the instructor's check calls, the student's cells, and the recording cells.

The answer EXPRESSION of exercise N is the first argument of `ej.ejercicio_N.check(EXPR, ...)` in the
instructor's notebook (its keywords too: nb12 passes the data to measure with). In a submission,
exercise N's cell is the last code cell calling `ejercicio_N.check`, else the last one mentioning
`ejercicio_N`; if the student deleted every such cell, the first cell after exercise N-1's that assigns
a name EXPR reads (`respuesta = ...`, `def caja(...)`). With no cell at all the answer is recorded at
the end of the notebook. A recording cell is injected right after that cell.
"""
from __future__ import annotations

import ast
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

NOTEBOOK_IMPORT = re.compile(r"from\s+utils\.ejercicios\s+import\s+nb(\d{2})\b|utils\.ejercicios\.nb(\d{2})\b")
RECORDER_SOURCE = (Path(__file__).resolve().parent / "recorder.py").read_text(encoding="utf-8")


@dataclass(frozen=True)
class CheckCall:
    """`ejercicio_N.check(expression, name=keyword, ...)` as written in the instructor's notebook."""

    number: int
    expression: str
    keywords: dict = field(default_factory=dict)

    @property
    def names(self) -> set:
        """Names the expression reads (`respuesta`, `caja`, `entrenamiento`...)."""
        return {node.id for node in ast.walk(ast.parse(self.expression, mode="eval")) if isinstance(node, ast.Name)}


def _python(source: str) -> ast.Module | None:
    """A cell's AST; IPython lines (`%magic`, `!shell`) are blanked; None if it still does not parse."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None


def identify(nb) -> str | None:
    """The notebook id ('01') a submission imports its exercises from, or None."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            match = NOTEBOOK_IMPORT.search(str(cell.get("source", "")))
            if match:
                return match.group(1) or match.group(2)
    return None


def check_calls(notebook_path: Path) -> dict[int, CheckCall]:
    """Exercise number → its check call, read from the instructor's notebook."""
    nb = nbformat.read(str(notebook_path), as_version=4)
    calls = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        tree = _python(source)
        for node in ast.walk(tree) if tree else ():
            func = getattr(node, "func", None)
            if not (isinstance(node, ast.Call) and isinstance(func, ast.Attribute) and func.attr == "check"):
                continue
            match = re.fullmatch(r"ejercicio_(\d+)", getattr(func.value, "attr", getattr(func.value, "id", "")))
            if match and node.args:
                keywords = {k.arg: ast.get_source_segment(source, k.value) for k in node.keywords if k.arg}
                number = int(match.group(1))
                calls.setdefault(number, CheckCall(number, ast.get_source_segment(source, node.args[0]), keywords))
    return calls


def _assigned(tree: ast.Module | None) -> set:
    names = set()
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def anchors(nb, calls: dict[int, CheckCall]) -> dict[int, int | None]:
    """Exercise number → index of the submission's code cell its answer is recorded after (None: the end)."""
    code = [(i, str(c.get("source", ""))) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    found, previous = {}, None
    start = next((i for i, s in code if NOTEBOOK_IMPORT.search(s)), -1)
    for number in sorted(calls):
        word = re.compile(rf"\bejercicio_{number}\b")
        checking = [i for i, s in code if re.search(rf"\bejercicio_{number}\s*\.\s*check\b", s)]
        mentioning = [i for i, s in code if word.search(s)]
        cell = (checking or mentioning or [None])[-1]
        if cell is None:
            after = previous if previous is not None else start
            names = calls[number].names
            cell = next((i for i, s in code if i > after and names & _assigned(_python(s))), None)
        found[number] = cell
        if cell is not None:
            previous = cell
    return found


@dataclass
class Recording:
    """One injected cell: which exercise, where its spec is read and its record written."""

    number: int
    nonce: str
    spec_name: str
    out_name: str
    anchor: int | None  # index of the student's cell in the submission


def recording_cell(call: CheckCall, recording: Recording, spec_path: str, out_path: str) -> str:
    """Source of the cell that writes the value of `call.expression` (the recorder inlined, nothing global)."""
    ns = f"_calificador_{recording.nonce}"
    keywords = ", ".join(f"{json.dumps(k)}: lambda: ({v})" for k, v in call.keywords.items())
    return (f"{ns} = {{'__name__': {ns!r}}}\n"
            f"exec({RECORDER_SOURCE!r}, {ns})\n"
            f"{ns}['record'](lambda: ({call.expression}), {{{keywords}}}, {spec_path!r}, {out_path!r})\n"
            f"del {ns}\n")


def inject(nb, calls: dict[int, CheckCall], places: dict[int, int | None], specs_dir: str, out_dir: str):
    """A copy of the submission (outputs cleared) with a recording cell after each answer's cell.

    Returns (notebook, {index of an injected cell in the copy: Recording}, {Recording: original anchor}).
    """
    cells, plan = [], {}
    by_anchor = {}
    for number, anchor in places.items():
        by_anchor.setdefault(anchor, []).append(number)

    def add_recordings(numbers):
        for number in numbers:
            nonce = secrets.token_hex(8)
            rec = Recording(number, nonce, f"{nonce}.spec.json", f"{nonce}.json", places[number])
            source = recording_cell(calls[number], rec, f"{specs_dir}/{rec.spec_name}", f"{out_dir}/{rec.out_name}")
            plan[len(cells)] = rec
            cells.append(nbformat.v4.new_code_cell(source))

    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") == "code":
            cells.append(nbformat.v4.new_code_cell(str(cell.get("source", ""))))
            cells[-1].metadata["calificador_original"] = index
            add_recordings(sorted(by_anchor.get(index, [])))
    add_recordings(sorted(by_anchor.get(None, [])))
    copy = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "calificador",
                                                                          "display_name": "Python 3",
                                                                          "language": "python"}})
    return copy, plan

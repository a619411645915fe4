"""Written solutions and withheld hints of utils/ejercicios/nbNN.py replaced by `WITHHELD`, at their `ast` positions."""
from __future__ import annotations

import ast
import re

EXERCISE = re.compile(r"ejercicio_(\d+)")
SOLUTION_ARGS = ("solution", "model_answer")
IMPORT_LINE = b"from utils.exercises import WITHHELD  # student edition: solutions published after the deadline\n"


class EditionError(Exception):
    """Bad input or a state the edition cannot be built from; the message is Spanish and one line."""


def exercise_calls(tree: ast.Module) -> dict[int, ast.Call]:
    """{N: the call} of the module's top-level `ejercicio_N = SomeExercise(...)`."""
    calls = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call) and (m := EXERCISE.fullmatch(node.targets[0].id))):
            calls[int(m[1])] = node.value
    return calls


def _written(call: ast.Call) -> list[ast.expr]:
    """The solution arguments of a call: `solution=`, `model_answer=`, ThoughtExercise's second argument."""
    values = [k.value for k in call.keywords if k.arg in SOLUTION_ARGS]
    func = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
    return values + (call.args[1:2] if func == "ThoughtExercise" else [])


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def solution_nodes(tree: ast.Module, name: str) -> list[ast.expr]:
    """Every written solution of the module (a string or f-string); an exercise's solution that is not
    written in its own call (a variable...) is refused rather than left behind."""
    for n, call in exercise_calls(tree).items():
        if any(not _is_text(v) and not (isinstance(v, ast.Name) and v.id == "WITHHELD") for v in _written(call)):
            raise EditionError(f"{name}, ejercicio_{n}: la solución no está escrita como texto en la llamada; "
                               "no sé retirarla")
    return [v for call in ast.walk(tree) if isinstance(call, ast.Call) for v in _written(call) if _is_text(v)]


def exercise_numbers(source: str) -> list[int]:
    return sorted(exercise_calls(ast.parse(source)))


def strip_module(source: str, name: str, hints: set[int] | bool = False) -> tuple[str, list[str], int]:
    """`source` with every written solution, and the hints of the exercises in `hints` (True: all), replaced
    by `WITHHELD` (imported from utils.exercises). Returns the new source, the texts withheld (each
    expression's string constants and its source) and the number of solutions withheld."""
    tree = ast.parse(source)
    solutions = solution_nodes(tree, name)
    hint_nodes = []
    for n, call in exercise_calls(tree).items():
        for value in (k.value for k in call.keywords if k.arg == "hint" and (hints is True or (hints and n in hints))):
            if any(isinstance(node, ast.Name) for node in ast.walk(value)):
                if not (isinstance(value, ast.Name) and value.id == "WITHHELD"):
                    raise EditionError(f"{name}, ejercicio_{n}: las pistas no están escritas como texto en la "
                                       "llamada; no sé retenerlas")
            else:
                hint_nodes.append(value)
    targets = solutions + hint_nodes
    if not targets:
        return source, [], 0
    data = source.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def at(line, col):  # ast columns are UTF-8 byte offsets
        return starts[line - 1] + col

    edits = [(at(t.lineno, t.col_offset), at(t.end_lineno, t.end_col_offset), b"WITHHELD") for t in targets]
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    anchor = next((n for n in reversed(imports) if isinstance(n, ast.ImportFrom) and n.module == "utils.exercises"),
                  imports[-1] if imports else None)
    if "WITHHELD" not in {a.name for n in imports if isinstance(n, ast.ImportFrom) for a in n.names}:
        line = anchor.end_lineno if anchor else 0
        edits.append((starts[line], starts[line], IMPORT_LINE))
    for start, end, text in sorted(edits, key=lambda e: e[:2], reverse=True):
        data = data[:start] + text + data[end:]
    new = data.decode("utf-8")
    try:
        left = solution_nodes(ast.parse(new), name)
    except SyntaxError as error:
        raise EditionError(f"{name}: el módulo no compila tras retirar las soluciones ({error.msg})") from None
    if left:
        raise EditionError(f"{name}: quedan {len(left)} soluciones escritas tras retirarlas")
    texts = [t for node in targets for t in _texts(node, source)]
    return new, texts, len(solutions)


def _texts(node: ast.expr, source: str) -> list[str]:
    strings = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return strings + [ast.get_source_segment(source, node) or ""]

"""Helpers of the exercise tests: verdicts, and running code the way a notebook would.

`wrong` / `right` assert a checker's verdict. `run_solution` and `starter_answer` execute an
exercise's written solution, or its notebook's starter cell, in the names the notebook itself
defines: each name the code uses is looked up in the notebook (its imports and top-level
assignments) and only those statements are run, so a solution that uses a name the notebook never
defines fails here as it would for a student.
"""
import ast
import builtins
import functools
import importlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = [importlib.import_module(f"utils.ejercicios.{p.stem}") for p in sorted(ROOT.glob("utils/ejercicios/nb[0-9][0-9].py"))]
_MAGIC = re.compile(r"^\s*[%!].*$", re.M)  # IPython magics and shell escapes: not Python


def wrong(exercise, answer) -> str:
    """Assert `answer` is judged wrong and return the diagnosis shown to the student."""
    verdict = exercise.evaluate(answer)
    assert verdict.status == "incorrecto", verdict
    return verdict.message


def right(exercise, answer):
    """Assert `answer` is judged right."""
    verdict = exercise.evaluate(answer)
    assert verdict.status == "correcto", verdict


# ------------------------------------------------------------------ exercises and their notebooks

def exercises(module) -> list:
    """`ejercicio_1`, `ejercicio_2`, ... of an exercise module, in order, stopping at the first gap."""
    found = []
    while hasattr(module, f"ejercicio_{len(found) + 1}"):
        found.append(getattr(module, f"ejercicio_{len(found) + 1}"))
    return found


def locate(exercise) -> tuple:
    """(module, n) of an exercise object `utils.ejercicios.nbNN.ejercicio_n`."""
    for module in MODULES:
        for n, candidate in enumerate(exercises(module), 1):
            if candidate is exercise:
                return module, n
    raise LookupError(f"{exercise!r} no es un ejercicio de utils.ejercicios")


def notebook_path(module) -> Path:
    number = module.__name__[-2:]
    paths = sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    assert len(paths) == 1, f"se esperaba un cuaderno notebooks/{number}_*.ipynb y hay {len(paths)}"
    return paths[0]


@functools.cache
def notebook_code(module) -> tuple:
    """The notebook's code cells, parsed (magics blanked)."""
    cells = json.loads(notebook_path(module).read_text(encoding="utf-8"))["cells"]
    return tuple(ast.parse(_MAGIC.sub("", "".join(c["source"]))) for c in cells if c["cell_type"] == "code")


def _bound_by(statement) -> set:
    """Top-level names a statement binds."""
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in statement.names}
    if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
        return {statement.name}
    targets = statement.targets if isinstance(statement, ast.Assign) else \
        [statement.target] if isinstance(statement, ast.AnnAssign) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


@functools.cache
def notebook_definitions(module) -> dict:
    """Name -> the first top-level statement of the notebook that binds it."""
    definitions = {}
    for tree in notebook_code(module):
        for statement in tree.body:
            for name in _bound_by(statement):
                definitions.setdefault(name, statement)
    return definitions


def free_names(tree) -> set:
    """Names a piece of code reads without binding them itself (builtins excluded)."""
    used, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return used - bound - set(dir(builtins))


def notebook_namespace(module, names, given=None) -> dict:
    """A namespace holding `names` as the notebook defines them (plus `given`), running only what they need."""
    namespace = dict(given or {})
    definitions = notebook_definitions(module)

    def define(name, needed_by):
        if name in namespace:
            return
        statement = definitions.get(name)
        if statement is None:
            raise NameError(f"{needed_by} usa `{name}`, que el cuaderno {notebook_path(module).name} no define")
        code = ast.Module(body=[statement], type_ignores=[])
        for dependency in sorted(free_names(code) - {name}):
            define(dependency, f"`{name}`")
        exec(compile(code, notebook_path(module).name, "exec"), namespace)

    for name in sorted(names):
        define(name, "el código")
    return namespace


def run_solution(exercise, **given) -> dict:
    """Execute the solution shown to students in the names its notebook defines; return the namespace.

    `given` supplies or overrides names (a test's own doubles). Raises NameError when the solution
    uses a name the notebook never defines: pasted into the notebook, it would fail the same way.
    """
    module, n = locate(exercise)
    assert exercise._solution, f"{module.__name__}.ejercicio_{n} no tiene solución escrita"
    tree = ast.parse(exercise._solution)
    namespace = notebook_namespace(module, free_names(tree) - set(given), given)
    exec(compile(tree, f"solución de {module.__name__}.ejercicio_{n}", "exec"), namespace)
    return namespace


def _checked(node):
    """(n, argument node) if `node` is `ej.ejercicio_n.check(argument)` (or `ejercicio_n.check(...)`), else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "check"
            and len(node.args) == 1):
        return None
    target = node.func.value
    name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
    match = re.fullmatch(r"ejercicio_(\d+)", name)
    return (int(match.group(1)), node.args[0]) if match else None


def _check_call(node):
    """n and the argument's name if `node` is `ej.ejercicio_n.check(name)`, else None."""
    found = _checked(node)
    return (found[0], found[1].id) if found and isinstance(found[1], ast.Name) else None


@functools.cache
def exercise_cells(module) -> dict:
    """n -> (name the notebook checks, the cell's other statements) for each `ej.ejercicio_n.check(name)` cell."""
    cells = {}
    for tree in notebook_code(module):
        for statement in tree.body:
            found = isinstance(statement, ast.Expr) and _check_call(statement.value)
            if found:
                n, name = found
                rest = [s for s in tree.body if not (isinstance(s, ast.Expr) and _check_call(s.value))]
                cells.setdefault(n, (name, ast.Module(body=rest, type_ignores=[])))
    return cells


def starter_answer(exercise):
    """What the notebook's exercise cell, run untouched, passes to `check`."""
    module, n = locate(exercise)
    name, code = exercise_cells(module)[n]
    namespace = notebook_namespace(module, free_names(code))
    exec(compile(code, f"celda del ejercicio {n} de {notebook_path(module).name}", "exec"), namespace)
    return notebook_namespace(module, {name}, namespace)[name]  # `check(____)`: the cell binds nothing


def answer_name(exercise) -> str:
    """The name the notebook passes to `ej.ejercicio_n.check(...)`."""
    module, n = locate(exercise)
    return exercise_cells(module)[n][0]


def solution_answer(exercise, namespace):
    """What a solution run by `run_solution` answers: the argument of its own last `check(...)` call
    (a solution that includes the check replaces the whole cell), else the name the notebook checks."""
    module, n = locate(exercise)
    calls = [found for node in ast.walk(ast.parse(exercise._solution)) if (found := _checked(node))]
    if not calls:
        return namespace[answer_name(exercise)]
    checked, argument = calls[-1]
    assert checked == n, f"la solución de {module.__name__}.ejercicio_{n} comprueba el ejercicio {checked}"
    return eval(compile(ast.Expression(argument), "check", "eval"), namespace)

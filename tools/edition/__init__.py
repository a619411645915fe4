"""The student edition: the course without written solutions (nor the hints withheld), as a folder or a branch.

    python -m tools.edition --ref NAME [--sin-pistas | --sin-pistas 06:3,07:1] [--out DIR] [--branch [--force]]

The copy holds the tracked files a student needs (notebooks, utils, data, manifest, requirements, README),
never tests/, tools/ or CI. In utils/ejercicios/nbNN.py every `solution=` and ThoughtExercise model answer,
and the withheld hints, become `WITHHELD` (strip.py), so `solution()` says it will be published after the
deadline while `check()` is unchanged. Notebook outputs showing a withheld text are cleared and every file is
searched for one (leaks.py); course.toml's `ref` is NAME and the generated cells follow it
(tools.course.sync on the copy). `--branch` commits the copy as branch NAME without history (branch.py).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from tools.edition import branch as git_branch
from tools.edition.leaks import file_text, leaks, needles, normal, scrub_outputs, write_atomic
from tools.edition.strip import EditionError, exercise_numbers, strip_module
from tools.manifest import ROOT, load_manifest

__all__ = ["EditionError", "build", "main", "parse_hints", "shipped_files"]
SHIPPED_DIRS = ("notebooks/", "utils/", "data/")
SHIPPED_FILES = re.compile(r"course\.toml|requirements[\w.-]*\.txt|pyproject\.toml|environment\.yml|README\.md"
                           r"|GLOSARIO\.md|LICEN[CS]E(\.\w+)?|\.gitignore")
MAX_DATA_BYTES = 1_000_000  # data/ ships small files only (a README, a label list), never caches
MODULE = re.compile(r"utils/ejercicios/nb(\d\d)\.py")


class LeakError(EditionError):
    """A withheld text is still somewhere in the copy (exit 1: not the instructor's input)."""


def parse_hints(value: str | None, modules: dict[str, str]) -> dict[str, set[int] | bool]:
    """`--sin-pistas` → {notebook id: exercise numbers, or True for all}; `modules` maps id → source."""
    if value is None:
        return {}
    if value == "todas":
        return dict.fromkeys(modules, True)
    chosen: dict[str, set[int] | bool] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        m = re.fullmatch(r"(\d{1,2}):(\d+)", item)
        if not m:
            raise EditionError(f"--sin-pistas: {item!r} no es cuaderno:ejercicio, p. ej. 06:3")
        nb, n = m[1].zfill(2), int(m[2])
        if nb not in modules:
            raise EditionError(f"--sin-pistas: no hay ningún cuaderno {nb} con ejercicios; los hay "
                               f"del {min(modules)} al {max(modules)}")
        numbers = exercise_numbers(modules[nb])
        if n not in numbers:
            raise EditionError(f"--sin-pistas: el cuaderno {nb} no tiene ejercicio {n} (tiene del 1 al {max(numbers)})")
        chosen.setdefault(nb, set()).add(n)
    if not chosen:
        raise EditionError("--sin-pistas: indica cuaderno:ejercicio separados por comas, p. ej. 06:3,07:1")
    return chosen


def shipped_files(root: Path) -> list[str]:
    """The tracked files (`git ls-files`) a student gets, as they are in the working tree."""
    files = []
    for path in git_branch.git(root, "ls-files", "-z").split("\0"):
        wanted = path.startswith(SHIPPED_DIRS) or SHIPPED_FILES.fullmatch(path)
        if wanted and (root / path).is_file() and not (
                path.startswith("data/") and (root / path).stat().st_size > MAX_DATA_BYTES):
            files.append(path)
    return files


def _set_ref(path: Path, name: str) -> None:
    """course.toml's `ref` in [course] set to `name`, the rest of the file as it was."""
    lines, section = path.read_text(encoding="utf-8").splitlines(keepends=True), None
    for i, line in enumerate(lines):
        if line.strip().startswith("["):
            section = line.strip()
        elif section == "[course]" and re.match(r"\s*ref\s*=", line):
            lines[i] = f'ref = "{name}"\n'
            break
    else:
        raise EditionError("course.toml: no encuentro la clave ref en [course]")
    write_atomic(path, "".join(lines))
    if load_manifest(path).ref != name:
        raise EditionError("course.toml: no se pudo cambiar la ref")


def _fill(root: Path, files: list[str], copy: Path, hints_arg: str | None) -> tuple[int, int, set[str]]:
    """Copy `files` into `copy` with the solutions (and withheld hints) stripped; returns the solutions and the
    exercises whose hints were withheld, and the texts that must not appear in the copy."""
    modules = {m[1]: (root / f).read_text(encoding="utf-8") for f in files if (m := MODULE.fullmatch(f))}
    hints = parse_hints(hints_arg, modules)
    if "utils/exercises.py" not in files or "WITHHELD = " not in (root / "utils/exercises.py").read_text("utf-8"):
        raise EditionError("utils/exercises.py no conoce WITHHELD: actualízalo antes de hacer la edición")
    for f in files:
        (copy / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f, copy / f)
    lesson = [file_text(root / f, outputs=False) for f in files if not MODULE.fullmatch(f)]
    texts, solutions, withheld_hints = [], 0, 0
    for nb, source in sorted(modules.items()):
        chosen = hints.get(nb, set())
        new, withheld, count = strip_module(source, f"nb{nb}.py", chosen)
        write_atomic(copy / f"utils/ejercicios/nb{nb}.py", new)
        texts, solutions, lesson = texts + withheld, solutions + count, lesson + [new]
        withheld_hints += len(exercise_numbers(source)) if chosen is True else len(chosen)
    # What the copy shows on purpose (the lessons, the hints kept, the checkers) is not a leak.
    return solutions, withheld_hints, needles(texts, normal("\n".join(lesson)))


def _shown(path: Path, root: Path) -> str:
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def build(name: str, *, hints: str | None = None, out: Path | None = None, branch: bool = False,
          force: bool = False, root: Path = ROOT, say=print) -> Path | None:
    """Write the student edition `name` into `out` (default build/edicion-NAME unless only `branch`) and/or
    commit it as branch `name`; returns the folder written, if any."""
    from tools import course as course_sync

    root = Path(root).resolve()
    if not (root / "course.toml").is_file() or not git_branch.is_repository(root):
        raise EditionError(f"{root.name or root}: no es la carpeta de un curso en un repositorio de git")
    git_branch.check_name(root, name)
    try:
        course = load_manifest(root / "course.toml")
    except (OSError, ValueError) as error:
        raise EditionError(f"no se puede leer course.toml: {error}") from None
    if out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise EditionError(f"--out {out}: ya existe y no es una carpeta vacía; elige otra o bórrala")
    if branch and not force and git_branch.branch_exists(root, name):
        raise EditionError(f"la rama {name} ya existe: usa otro --ref o añade --force para reemplazarla")
    target = out if out is not None else (None if branch else root / "build" / f"edicion-{name.replace('/', '-')}")
    files = shipped_files(root)
    changed = git_branch.git(root, "status", "--porcelain", "--", *files).splitlines() if files else []
    parent = target.resolve().parent if target else Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    copy = Path(tempfile.mkdtemp(dir=parent, prefix=".edicion-"))
    try:
        solutions, withheld_hints, secret = _fill(root, files, copy, hints)
        say(f"Edición «{name}» de «{course.title}»: {len(files)} archivos copiados (sin tests/ ni tools/)"
            + (f"; {len(changed)} con cambios sin confirmar" if changed else ""))
        say(f"Soluciones retiradas: {solutions}; ejercicios con las pistas retenidas: {withheld_hints}")
        _set_ref(copy / "course.toml", name)
        missing = [d for d in course_sync.sync(load_manifest(copy / "course.toml")) if "falta la celda" in d]
        say(f"course.toml y las celdas generadas apuntan a la ref {name}"
            + (f" (aviso: {'; '.join(missing)})" if missing else ""))
        say(f"Salidas borradas por mostrar una solución: {scrub_outputs(copy / 'notebooks', secret)} celdas")
        found = leaks(copy, secret)
        if found:
            raise LeakError(f"una solución sigue en la copia: {found[0]} (y {len(found) - 1} más)")
        _validate(copy)
        say(f"Comprobado: ningún texto retirado ({len(secret)}) aparece en la copia y los cuadernos son válidos")
        if branch:
            message = f"Student edition {name}: the course without written solutions"
            commit = git_branch.commit_branch(root, copy, name, message, force=force)
            say(f"Rama {name}: commit {commit[:12]} sin historia (árbol de trabajo, índice y rama actual intactos)")
        if target is not None:
            if target.exists():  # an empty --out, or the default folder of an earlier edition
                shutil.rmtree(target) if out is None else target.rmdir()
            copy.rename(target)
            say(f"Carpeta: {_shown(target, root)}")
        if branch:
            say(f"Para publicarla: git push origin {name}")
        return target
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def _validate(copy: Path) -> None:
    import nbformat

    for path in sorted((copy / "notebooks").glob("*.ipynb")):
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except nbformat.ValidationError as error:
            raise EditionError(f"{path.name} no es un cuaderno válido tras la edición: {error.message}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        message = (message.replace("the following arguments are required", "falta")
                   .replace("unrecognized arguments", "opción desconocida")
                   .replace("expected one argument", "necesita un valor"))
        print(f"Error: {message}. Uso: python -m tools.edition --ref NOMBRE [--sin-pistas [NN:E,...]] "
              "[--out CARPETA] [--branch [--force]]", file=sys.stderr)
        sys.exit(2)


def main(argv=None) -> int:
    parser = _Parser(prog="python -m tools.edition", description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, metavar="NOMBRE",
                        help="rama o etiqueta de la edición (p. ej. curso-2026)")
    parser.add_argument("--sin-pistas", nargs="?", const="todas", metavar="NN:E,...",
                        help="retiene las pistas: todas, o las de los ejercicios indicados (06:3,07:1)")
    parser.add_argument("--out", type=Path, metavar="CARPETA",
                        help="carpeta nueva o vacía (por defecto build/edicion-NOMBRE)")
    parser.add_argument("--branch", action="store_true",
                        help="guarda la edición como la rama NOMBRE de este repositorio")
    parser.add_argument("--force", action="store_true", help="con --branch, reemplaza la rama si ya existe")
    parser.add_argument("--repo", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        build(args.ref, hints=args.sin_pistas, out=args.out, branch=args.branch, force=args.force, root=args.repo)
    except LeakError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except EditionError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    return 0

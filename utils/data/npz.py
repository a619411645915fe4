"""Reading a Keras-layout `.npz` safely: every array's declared shape and dtype is checked before loading."""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np

from utils.data.registry import DatasetSpec

KERAS_KEYS = ("x_train", "y_train", "x_test", "y_test")
MAX_BYTES = 1 << 30  # what the four arrays of one data set may declare in all (full MNIST: 55 MB)
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


class NotKerasNpz(ValueError):
    """The file is not a data set in Keras's .npz layout (the message says why, in Spanish)."""



def validate(spec: DatasetSpec, arrays: dict) -> dict:
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


def _declared(archive: zipfile.ZipFile, key: str) -> tuple[tuple, np.dtype]:
    """Shape and dtype that the header of `<key>.npy` declares, read without loading the array."""
    member = f"{key}.npy"
    info = archive.getinfo(member)
    with archive.open(member) as f:
        version = np.lib.format.read_magic(f)
        if version not in _HEADER_READERS:
            raise NotKerasNpz(f"{member} usa una versión del formato .npy no admitida ({version})")
        shape, _, dtype = _HEADER_READERS[version](f)
        header_end = f.tell()
    if dtype.hasobject:
        raise NotKerasNpz(f"{key} contiene objetos de Python (no se abren: podrían ejecutar código)")
    size = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if size > MAX_BYTES:
        raise NotKerasNpz(f"{key} declara una forma {shape} de {size / 2**30:,.0f} GiB, más de lo que cabe en memoria")
    if info.file_size < header_end + size:
        raise NotKerasNpz(f"{key} declara {size} bytes pero el archivo trae menos (está incompleto)")
    return shape, dtype


def check_headers(spec: DatasetSpec, file) -> None:
    """Refuse, before loading anything, an .npz whose arrays are missing or declare a wrong or huge shape."""
    dims = ", ".join(str(d) for d in spec.image_shape)
    with zipfile.ZipFile(file) as archive:
        present = {name.removesuffix(".npy") for name in archive.namelist()}
        missing = [key for key in KERAS_KEYS if key not in present]
        if missing:
            raise NotKerasNpz(f"faltan las claves {', '.join(missing)} (se esperan {', '.join(KERAS_KEYS)})")
        declared = {key: _declared(archive, key) for key in KERAS_KEYS}
    total = 0
    for split in ("train", "test"):
        (x_shape, x_dtype), (y_shape, y_dtype) = declared[f"x_{split}"], declared[f"y_{split}"]
        if x_dtype != np.uint8 or tuple(x_shape[1:]) != spec.image_shape:
            raise NotKerasNpz(f"x_{split} debe ser uint8 de forma (N, {dims}); se declara {x_dtype} {x_shape}")
        if tuple(y_shape) != (x_shape[0],) or y_dtype.kind not in "iu":
            raise NotKerasNpz(f"y_{split} debe ser un vector de {x_shape[0]} enteros; se declara {y_dtype} {y_shape}")
        total += x_dtype.itemsize * int(np.prod(x_shape, dtype=object)) + y_dtype.itemsize * y_shape[0]
    if total > MAX_BYTES:
        raise NotKerasNpz(f"los arreglos declaran {total / 2**30:,.1f} GiB en total, más de lo que cabe en memoria")


def read_npz(spec: DatasetSpec, file) -> dict:
    """Read and validate a Keras-layout .npz; ValueError in Spanish if it is not one.

    The declared shapes are checked first, so a file that announces a huge array is refused
    without allocating it. MemoryError (and OSError of the disk) are left to the caller.
    """
    try:
        check_headers(spec, file)
        with np.load(file, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in KERAS_KEYS}
    except NotKerasNpz:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, zlib.error, KeyError) as e:
        raise NotKerasNpz(f"no es un archivo .npz legible ({type(e).__name__})") from e
    return validate(spec, arrays)


def read_explicit(spec: DatasetSpec, path) -> dict:
    """The .npz given with `load(name, path=...)` (a file, or a folder holding `<name>.npz`); errors raise."""
    file = Path(path).expanduser()
    if file.is_dir():
        file = file / spec.filename
    if not file.is_file():
        raise FileNotFoundError(f"no existe el archivo {file.name} indicado con path=")
    try:
        return read_npz(spec, file)
    except MemoryError as e:
        raise ValueError(f"{file.name} (path=) no cabe en la memoria de esta máquina") from e
    except ValueError as e:
        raise ValueError(f"{file.name} (path=) no contiene {spec.name} en el formato de Keras: {e}") from e

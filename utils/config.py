"""The one place that reads the course's environment variables (`COURSE_*`).

    COURSE_OFFLINE       1/true/yes/sí: never touch the network (tests, CI); 0/false/no or unset: online
    COURSE_HEADLESS      1/true/yes/sí: nobody is watching (papermill, nbval): explorers draw a static figure
    COURSE_DATA_DIR      the data cache (default: `data/` of the repository, else ~/.cache/dl-vision-curso)
    COURSE_KAGGLE_INPUT  where Kaggle mounts attached data sets (default /kaggle/input)
    COURSE_SOURCES_LOG   a file where each load appends {"dataset": …, "source": …} (set by the course runner)

Every module asks here instead of parsing `os.environ` itself, so a value means the same everywhere.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

TRUE, FALSE = frozenset({"1", "true", "yes", "y", "on", "sí", "si"}), frozenset({"", "0", "false", "no", "n", "off"})
# What every headless run (papermill, nbval, the Makefile) gives its kernels: no one watching, quiet TensorFlow.
HEADLESS_ENV = {"COURSE_HEADLESS": "1", "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "1"}
REPO_ROOT = Path(__file__).resolve().parent.parent


def flag(name: str) -> bool:
    """A yes/no variable; a value that is neither says so in Spanish instead of guessing."""
    value = os.environ.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"la variable de entorno {name} vale {value!r}: usa 1 (sí) o 0 (no)")


def offline() -> bool:
    """True when COURSE_OFFLINE says so: nothing may open a network connection."""
    return flag("COURSE_OFFLINE")


def headless() -> bool:
    """True when COURSE_HEADLESS says so: the course runner and the test suite set it."""
    return flag("COURSE_HEADLESS")


def data_dir() -> Path:
    """Where the data cache should be (not created here): COURSE_DATA_DIR, `data/` of the repo, or ~/.cache."""
    if os.environ.get("COURSE_DATA_DIR", "").strip():
        return Path(os.environ["COURSE_DATA_DIR"].strip()).expanduser()
    if (REPO_ROOT / "course.toml").is_file() and os.access(REPO_ROOT, os.W_OK):  # not a read-only mount
        return REPO_ROOT / "data"
    return Path.home() / ".cache" / "dl-vision-curso"


def kaggle_input() -> Path:
    """The folder under which Kaggle mounts the data sets attached to a notebook."""
    return Path(os.environ.get("COURSE_KAGGLE_INPUT", "").strip() or "/kaggle/input")


def record_source(dataset: str, source: str) -> None:
    """Append `{"dataset": …, "source": …}` to COURSE_SOURCES_LOG when it is set; a log that cannot be
    written is skipped (a load never fails because of its report)."""
    log = os.environ.get("COURSE_SOURCES_LOG", "").strip()
    if log:
        try:
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"dataset": dataset, "source": source}, ensure_ascii=False) + "\n")
        except OSError:
            pass

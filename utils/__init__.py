"""Shared helpers of the course *Deep Learning para visión por computador*.

`import utils` is cheap: it imports neither TensorFlow nor matplotlib. Submodules
(`utils.data`, `utils.plots`, `utils.conv`, ...) load on first use.
"""
from importlib import import_module

__version__ = "0.1.0"

_SUBMODULES = {"bench", "conv", "course", "credentials", "data", "download", "ejercicios", "env", "exercises", "plots", "widgets"}


def setup(seed: int = 42, **kwargs):
    """Prepare a notebook: seeds, quiet logs, runtime detection. See `utils.env.setup`."""
    return import_module("utils.env").setup(seed=seed, **kwargs)


def publish(name: str, value, **kwargs):
    """Record a key figure for the course report. See `utils.course.publish`."""
    return import_module("utils.course").publish(name, value, **kwargs)


def __getattr__(name):
    if name in _SUBMODULES:
        return import_module(f"utils.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")


__all__ = ["setup", "publish", *sorted(_SUBMODULES)]

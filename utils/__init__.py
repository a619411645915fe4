"""Shared helpers of the course *Deep Learning para visión por computador*.

`import utils` is cheap: it imports neither TensorFlow nor matplotlib. Submodules
(`utils.data`, `utils.plots`, `utils.conv`, ...) load on first use.
"""
from importlib import import_module
from importlib.util import find_spec

__version__ = "0.1.0"


def setup(seed: int = 42, **kwargs):
    """Prepare a notebook: seeds, quiet logs, runtime detection. See `utils.env.setup`."""
    return import_module("utils.env").setup(seed=seed, **kwargs)


def publish(name: str, value, **kwargs):
    """Record a key figure for the course report. See `utils.course.publish`."""
    return import_module("utils.course").publish(name, value, **kwargs)


def __getattr__(name):
    """`utils.data`, `utils.plots`, ...: any submodule, imported on first use."""
    if not name.startswith("_") and find_spec(f"utils.{name}") is not None:
        return import_module(f"utils.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")

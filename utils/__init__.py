"""Shared helpers of the course *Deep Learning para visión por computador*.

`import utils` is cheap: it imports neither TensorFlow nor matplotlib. Submodules
(`utils.data`, `utils.plots`, `utils.conv`, ...) load on first use.
"""
from importlib import import_module
from importlib.util import find_spec

__version__ = "0.1.0"
# What notebooks use: `dir(utils)` and autocompletion show these and nothing else.
__all__ = [
    "setup", "publish",
    "cnn", "conv", "credentials", "data", "download", "ejercicios", "env", "exercises", "experiments",
    "models", "optim", "plots", "pretrained", "search", "widgets",
]


def setup(seed: int = 42, **kwargs):
    """Prepare a notebook: seeds, quiet logs, runtime detection. See `utils.env.setup`."""
    return import_module("utils.env").setup(seed=seed, **kwargs)


def publish(name: str, value, **kwargs):
    """Show a key figure and record it for the course report. See `utils.figures.publish`."""
    return import_module("utils.figures").publish(name, value, **kwargs)


def __getattr__(name):
    """`utils.data`, `utils.plots`, ...: any submodule, imported on first use."""
    if not name.startswith("_") and find_spec(f"utils.{name}") is not None:
        return import_module(f"utils.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)

"""Stand-in for Colab's `google.colab` in `make platforms`: only what the course touches.

Colab's kernel loads the real package as an IPython extension before the first cell, so it is in
`sys.modules` from the start; the platform runner does the same with this one.
"""
from google.colab import output, userdata  # noqa: F401

__all__ = ["output", "userdata"]


def load_ipython_extension(ipython):
    """Colab registers its display hooks here; the course needs none of them."""

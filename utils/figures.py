"""Key figures a notebook publishes (`utils.publish`): shown to the student, recorded for the course report.

In a notebook the figure is displayed with its own MIME type beside the text, so the executed notebook
carries it; the course runner (`python -m tools.course run`) reads it back from there.
"""
from __future__ import annotations

import re

FIGURE_MIME = "application/vnd.dlvision.figure+json"


def publish(name: str, value, *, label: str | None = None):
    """Show a key figure and record it in the executed notebook for the course report."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
        raise ValueError(f"el nombre de una cifra publicada debe ser snake_case; se recibió {name!r}")
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, (int, float, str, bool)):
        raise ValueError(f"solo se publican números o textos; se recibió {type(value).__name__}")
    shown = f"{value:.4g}" if isinstance(value, float) else str(value)
    text = f"Cifra publicada · {label or name}: {shown}"
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({FIGURE_MIME: {"name": name, "value": value}, "text/plain": text}, raw=True)
            return
    except ImportError:
        pass
    print(text)

"""Interactive explorers that also render when a notebook runs headless (papermill, nbval, CI)."""
from __future__ import annotations

import os


def headless() -> bool:
    """True when no person is watching: the course runner and the test suite set COURSE_HEADLESS=1."""
    return os.environ.get("COURSE_HEADLESS", "").lower() in ("1", "true", "yes")


def explorer(function, **controls):
    """`ipywidgets.interactive(function, **controls)` for a person; a static figure when headless.

    Headless, `function` is called once with each control's default value, so papermill and nbval
    execute (and compare) the explorer's default state. Returns nothing, so that a cell ending with
    the call does not show the explorer twice.
    """
    import ipywidgets as widgets
    from IPython.display import display

    if headless():
        defaults = {name: _default(name, control) for name, control in controls.items()}
        function(**defaults)
        return
    display(widgets.interactive(function, **controls))


def _default(name, control):
    """The value ipywidgets itself would start the control at."""
    import ipywidgets as widgets

    try:
        widget = widgets.interactive.widget_from_abbrev(control)
    except (TypeError, ValueError):
        widget = None
    if widget is None:
        raise ValueError(f"explorer: no sé qué valor inicial usar para el control {name!r} "
                         f"({type(control).__name__}); pasa un widget, una lista de opciones o un valor")
    return widget.value

"""Interactive explorers that also render when a notebook runs headless (papermill, nbval, CI)."""
from __future__ import annotations

import inspect

from utils.config import headless

__all__ = ["explorer", "headless"]


def explorer(function, **controls):
    """`ipywidgets.interactive(function, **controls)` for a person; a static figure when headless.

    Headless (`utils.config.headless()`), `function` is called once with each control's default value,
    so papermill and nbval execute (and compare) the explorer's default state. Returns nothing, so
    that a cell ending with the call does not show the explorer twice.
    """
    _check_controls(function, controls)
    import ipywidgets as widgets
    from IPython.display import display

    if headless():
        defaults = {name: _default(name, control) for name, control in controls.items()}
        function(**defaults)
        return
    display(widgets.interactive(function, **controls))


def _check_controls(function, controls):
    """Every control names a parameter of `function`, and every parameter without default has a control."""
    if not callable(function):
        raise TypeError(f"explorer: el primer argumento debe ser la función que dibuja; se recibió un objeto de "
                        f"tipo {type(function).__name__}")
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # some builtins have no signature: nothing to compare
        return
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return
    names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    unknown = sorted(set(controls) - names)
    if unknown:
        raise TypeError(f"explorer: la función {getattr(function, '__name__', '')} no tiene el parámetro "
                        f"{', '.join(map(repr, unknown))}; sus parámetros son {sorted(names)}")
    missing = [p.name for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
               and p.name not in controls]
    if missing:
        raise TypeError(f"explorer: falta un control para el parámetro {', '.join(map(repr, missing))} de la "
                        f"función {getattr(function, '__name__', '')}; pasa uno, p. ej. {missing[0]}=(1, 10)")


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

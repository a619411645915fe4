"""IPython extension for the kernels of `make platforms`: drives every explorer a notebook displays.

After each cell, every new `ipywidgets.interactive` is exercised the way a student would: each of its
controls is moved to another value, and the probe records whether the explorer drew a new figure and
whether its function raised. One JSON line per explorer goes to the file named by COURSE_PROBE_LOG.
It works with ipywidgets 7 (Colab) and 8 (Kaggle, local) and changes nothing a cell prints.
"""
import json
import os

_state = {"images": 0, "errors": [], "seen": set(), "cell_images": 0, "cell_errors": 0}


def _instances():
    from ipywidgets.widgets import widget

    registry = getattr(widget, "_instances", None)  # ipywidgets 8
    if registry is None:
        registry = widget.Widget.widgets  # ipywidgets 7
    return list(registry.values())


def _other_value(control):
    """A value different from the control's current one, or None if the probe can't choose one."""
    if hasattr(control, "options") and hasattr(control, "index"):
        count = len(control.options)
        return ("index", (control.index + 1) % count) if count > 1 else None
    value = getattr(control, "value", None)
    if isinstance(value, bool):
        return ("value", not value)
    if isinstance(value, str):
        return ("value", value + " ")  # the student edits the text (a trailing space keeps it valid)
    if hasattr(control, "max") and hasattr(control, "min"):
        low, high = control.min, control.max
        if hasattr(control, "base"):  # FloatLogSlider: min and max are exponents
            low, high = control.base ** low, control.base ** high
        if isinstance(value, (int, float)):
            return ("value", high if value != high else low)
        if isinstance(value, tuple) and len(value) == 2:  # a range slider
            return ("value", (low, high) if tuple(value) != (low, high) else (low, type(low)((low + high) / 2)))
    return None


def _drive(explorer, cell_images, errors_at_start):
    import contextlib

    import ipywidgets

    # Drawn outside the explorer's Output widget: headless, no frontend owns that widget's messages, and
    # redirecting them after the cell has run stalls the notebook client.
    explorer.out, output = contextlib.nullcontext(), explorer.out
    explorer.clear_output, clear = False, explorer.clear_output
    try:
        record = _move_controls(explorer, cell_images, ipywidgets.__version__)
        record["errors_at_start"] = errors_at_start
        return record
    finally:
        explorer.out, explorer.clear_output = output, clear


def _move_controls(explorer, cell_images, version):

    record = {"explorer": getattr(explorer.f, "__name__", "?"), "ipywidgets": version,
              "drawn_at_start": cell_images, "controls": []}
    for control in explorer.kwargs_widgets:
        change = _other_value(control)
        name = getattr(control, "description", "") or type(control).__name__
        if change is None:
            record["controls"].append({"control": name, "skipped": True})
            continue
        attribute, value = change
        images, errors, previous = _state["images"], len(_state["errors"]), getattr(control, attribute)
        try:
            setattr(control, attribute, value)
        except Exception as exc:  # the control refused the value: the probe's fault, recorded as such
            _state["errors"].append(f"la sonda no pudo mover el control: {type(exc).__name__}: {exc}")
        record["controls"].append({"control": name, "to": repr(getattr(control, "value", value)),
                                   "figures": _state["images"] - images, "errors": _state["errors"][errors:]})
        setattr(control, attribute, previous)
    return record


def load_ipython_extension(ip):
    log = os.environ.get("COURSE_PROBE_LOG")
    publish, showtraceback = ip.display_pub.publish, ip.showtraceback

    def counting_publish(data, *args, **kwargs):
        if "image/png" in data or "image/svg+xml" in data:
            _state["images"] += 1
        return publish(data, *args, **kwargs)

    def recording_showtraceback(*args, **kwargs):
        import sys

        kind, value = sys.exc_info()[:2]
        _state["errors"].append(f"{getattr(kind, '__name__', kind)}: {value}")
        return showtraceback(*args, **kwargs)

    def pre_run_cell(*_):
        _state["cell_images"], _state["cell_errors"] = _state["images"], len(_state["errors"])

    def post_run_cell(*_):
        if "ipywidgets" not in __import__("sys").modules:
            return
        import ipywidgets

        for widget in _instances():
            if isinstance(widget, ipywidgets.interactive) and id(widget) not in _state["seen"]:
                _state["seen"].add(id(widget))
                try:
                    record = _drive(widget, _state["images"] - _state["cell_images"],
                                    _state["errors"][_state["cell_errors"]:])
                except Exception as exc:  # never let the probe break the student's notebook
                    record = {"explorer": "?", "ipywidgets": "?", "drawn_at_start": 0,
                              "controls": [{"control": "sonda", "errors": [f"{type(exc).__name__}: {exc}"],
                                            "figures": 0}]}
                if log:
                    with open(log, "a", encoding="utf-8") as fh:
                        fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    ip.display_pub.publish = counting_publish
    ip.showtraceback = recording_showtraceback
    ip.events.register("pre_run_cell", pre_run_cell)
    ip.events.register("post_run_cell", post_run_cell)

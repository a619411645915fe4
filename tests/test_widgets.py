"""Explorers: interactive for a person, their default state when headless."""
import ipywidgets as widgets
import pytest

from utils import widgets as W


def test_headless_calls_function_with_defaults(monkeypatch):
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    calls = []
    result = W.explorer(lambda k, s, p, f: calls.append((k, s, p, f)) or "dibujado",
                        k=["borde", "suavizado"], s=widgets.IntSlider(value=2, min=1, max=3),
                        p=[("VALID", "valid"), ("SAME", "same")], f=widgets.fixed(7))
    assert calls == [("borde", 2, "valid", 7)]
    assert result is None, "nada que Jupyter vuelva a mostrar al final de la celda"


def test_interactive_for_a_person_displayed_once(monkeypatch):
    import IPython.display

    monkeypatch.setenv("COURSE_HEADLESS", "0")
    shown, seen = [], []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    result = W.explorer(lambda n: seen.append(n), n=widgets.IntSlider(value=3, min=0, max=5))
    assert result is None and len(shown) == 1 and isinstance(shown[0], widgets.interactive)
    shown[0].children[0].value = 5
    assert seen[-1] == 5, "mover el control vuelve a llamar a la función"


def test_unknown_control_is_explained(monkeypatch):
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    with pytest.raises(ValueError, match="valor inicial.*'x'"):
        W.explorer(lambda x: None, x=object())

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


# ------------------------------------------------------------------ bad inputs: Spanish, before anything is drawn

def test_headless_is_read_by_utils_config_only(monkeypatch):
    from utils import config

    assert W.headless is config.headless
    monkeypatch.setenv("COURSE_HEADLESS", "sí")  # config's spelling of yes: the explorer must agree with the runner
    calls = []
    W.explorer(lambda n: calls.append(n), n=widgets.IntSlider(value=4))
    assert calls == [4]
    monkeypatch.setenv("COURSE_HEADLESS", "quizá")
    with pytest.raises(ValueError, match="COURSE_HEADLESS vale 'quizá': usa 1"):
        W.explorer(lambda n: calls.append(n), n=widgets.IntSlider(value=4))


@pytest.mark.parametrize("function, controls, fragments", [
    (5, {"n": 3}, ["la función que dibuja", "int"]),
    (lambda k: None, {"k": 3, "tamaño": 2}, ["no tiene el parámetro 'tamaño'", "['k']"]),
    (lambda k, s: None, {"k": 3}, ["falta un control para el parámetro 's'"]),
], ids=["not-callable", "unknown-control", "missing-control"])
def test_explorer_mistakes_are_explained_before_calling(monkeypatch, function, controls, fragments):
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    with pytest.raises(TypeError) as info:
        W.explorer(function, **controls)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_explorer_accepts_defaults_and_var_keyword(monkeypatch):
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    calls = []
    W.explorer(lambda k, s=2: calls.append((k, s)), k=[1, 2])
    W.explorer(lambda **kw: calls.append(kw), k=[1, 2])
    assert calls == [(1, 2), {"k": 1}]

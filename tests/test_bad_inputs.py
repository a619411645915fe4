"""The fault battery: what a student can pass to `utils.conv`, `utils.plots` and the checkers.

Every bad input gets a Spanish message that says what was expected, never NumPy's or matplotlib's
English error, a raw traceback, a silent wrong answer, a huge allocation or an endless loop.
"""
import sys

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from exercise_checks import right, wrong
from utils import plots
from utils.conv import conv1d, conv2d, pool2d
from utils.ejercicios import nb11
from utils.exercises import (Exercise, FunctionExercise, PlaceholderError, ThoughtExercise, ValueExercise,
                             ____)

IMG5, K3 = np.ones((5, 5)), np.ones((3, 3))


class Endless:
    """An iterator that never ends; it counts what was taken and refuses to go on for ever."""

    def __init__(self, limit=10_000):
        self.taken, self.limit = 0, limit

    def __iter__(self):
        return self

    def __next__(self):
        self.taken += 1
        if self.taken > self.limit:
            raise AssertionError(f"se consumieron más de {self.limit} elementos de un iterador sin fin")
        return 1


# ------------------------------------------------------------------ utils.conv

CONV_CASES = [
    (conv2d, ("abc", K3), {}, TypeError, ["image debe ser un array de NumPy", "se recibió el texto 'abc'"]),
    (conv2d, ([[1, 2], [3]], K3), {}, ValueError, ["misma longitud", "longitudes distintas"]),
    (conv2d, (IMG5, [["a", "b", "c"]] * 3), {}, TypeError, ["kernel debe ser", "array de textos"]),
    (conv2d, (None, K3), {}, TypeError, ["image debe ser", "se recibió None"]),
    (conv2d, (IMG5, [[1, None, 1]] * 3), {}, TypeError, ["kernel debe ser", "contiene None"]),
    (conv2d, (IMG5 * 1j, K3), {}, TypeError, ["números complejos"]),
    (conv2d, (np.ones((2, 5, 5, 3)), np.ones((3, 3, 3))), {}, ValueError,
     ["image debe ser 2-D", "forma (2, 5, 5, 3)", "¿un lote?"]),
    (conv2d, (np.where(np.eye(5) > 0, np.nan, 1.0), K3), {}, ValueError,
     ["image debe contener solo números finitos", "5 valores NaN o infinitos", "posición [0, 0]"]),
    (conv2d, (IMG5, [[1, 1, np.inf]] * 3), {}, ValueError, ["kernel debe contener solo números finitos", "[0, 2]"]),
    (conv1d, ("señal", [1, 1]), {}, TypeError, ["signal debe ser", "se recibió el texto 'señal'"]),
    (pool2d, ([[1, 2], [3]],), {}, ValueError, ["x debe ser", "longitudes distintas"]),
    (pool2d, (np.full((4, 4), np.nan),), {}, ValueError, ["x debe contener solo números finitos"]),
    (pool2d, (IMG5,), {"mode": np.array(["max"])}, ValueError, ['mode debe ser "max", "avg" o "l2"']),
]


@pytest.mark.parametrize("func, args, kwargs, error, fragments", CONV_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CONV_CASES)])
def test_conv_bad_values_get_a_spanish_message(func, args, kwargs, error, fragments):
    with pytest.raises(error) as info:
        func(*args, **kwargs)
    message = str(info.value)
    assert "debe" in message and "se recibi" in message
    for fragment in fragments:
        assert fragment in message


def test_conv_refuses_a_huge_padding_before_allocating_and_says_the_size(monkeypatch):
    def no_pad(*args, **kwargs):
        raise AssertionError("np.pad no debe llamarse antes de comprobar el tamaño")

    monkeypatch.setattr(np, "pad", no_pad)
    with pytest.raises(ValueError) as info:
        conv2d(IMG5, K3, padding=10**5)
    message = str(info.value)
    # (5 + 2·100 000)² = 40 002 000 025 values of 8 bytes: 298 GiB
    assert "como mucho 100 000 000 valores" in message and "(200005, 200005, 1)" in message
    assert "40 002 000 025 valores" in message and "298.0 GiB" in message and "padding=100000" in message
    with pytest.raises(ValueError, match=r"tendría forma \(200000005, 1\)"):
        conv1d(np.ones(5), np.ones(3), padding=10**8)


def test_conv_right_answers_still_pass_next_to_the_checks():
    assert conv2d([[1, 2], [3, 4]], [[1, 1], [1, 1]]).tolist() == [[10.0]]
    assert conv2d(np.ones((4, 4), dtype=bool), np.ones((3, 3), dtype=np.int8), padding=1)[0, 0] == 4.0
    assert pool2d([[1, 2], [2, 4]], mode="l2").tolist() == [[5.0]]  # √(1 + 4 + 4 + 16)
    assert conv1d(np.array([1, 2, 3], dtype=object), [1, 1]).tolist() == [3.0, 5.0]


# ------------------------------------------------------------------ utils.plots

PLOT_CASES = [
    (plots.image_grid, (None,), {}, TypeError, ["images debe ser un array (N, alto, ancho)", "se recibió None"]),
    (plots.image_grid, (np.zeros(5),), {}, ValueError, ["forma (5,)", "¿son etiquetas?"]),
    (plots.image_grid, (np.zeros((8, 8)),), {}, ValueError, ["forma (8, 8)", "[imagen]"]),
    (plots.image_grid, ([np.zeros((4, 4)), np.zeros((4, 4, 2))],), {}, ValueError,
     ["la imagen 1 debe tener forma", "1, 3 o 4 canales", "(4, 4, 2)"]),
    (plots.image_grid, ([np.zeros((4, 4)), [[1, 2], [3]]],), {}, ValueError, ["la imagen 1", "longitudes distintas"]),
    (plots.image_grid, (["abc"],), {}, TypeError, ["la imagen 0 debe contener números", "'abc'"]),
    (plots.image_grid, (np.zeros((3, 4, 4)), 5), {}, TypeError, ["labels debe ser una lista", "int"]),
    (plots.image_grid, (np.zeros((3, 4, 4)), [0, 1, 2]), {"predictions": np.full((3, 10), 0.1)}, ValueError,
     ["predictions debe tener una etiqueta por imagen", "(3, 10)", "np.argmax"]),
    (plots.image_grid, (np.zeros((2, 4, 4)), [-1, 0]), {"class_names": ["gato", "perro"]}, ValueError,
     ["labels debe contener índices de clase de 0 a 1", "la etiqueta -1"]),
    (plots.image_grid, (np.zeros((2, 4, 4)), [0, 1]), {"predictions": [0, 2], "class_names": ["gato", "perro"]},
     ValueError, ["predictions debe contener índices de clase de 0 a 1", "la etiqueta 2"]),
    (plots.image_grid, (np.zeros((2, 4, 4)),), {"ncols": "4"}, ValueError, ["ncols debe ser un entero positivo"]),
    (plots.image_grid, (np.zeros((2, 4, 4)),), {"ncols": 0}, ValueError, ["ncols debe ser un entero positivo"]),
    (plots.confusion_matrix, ([0, -1, 1], [0, 1, 1]), {}, ValueError,
     ["y_true debe contener índices de clase de 0 en adelante", "la etiqueta -1"]),
    (plots.confusion_matrix, ([0, 1, 1], [0, 2, 1], ["a", "b"]), {}, ValueError,
     ["y_pred debe contener índices de clase de 0 a 1", "la etiqueta 2"]),
    (plots.confusion_matrix, ([], []), {}, ValueError, ["al menos una etiqueta"]),
    (plots.confusion_matrix, ([0, 1], [0.3, 0.9]), {}, ValueError, ["y_pred debe contener índices de clase enteros",
                                                                    "0.3"]),
    (plots.confusion_matrix, ([0, 1], [[0.7, 0.3], [0.2, 0.8]]), {}, ValueError, ["forma (2, 2)", "np.argmax"]),
    (plots.confusion_matrix, (["gato", "perro"], ["gato", "gato"]), {}, TypeError, ["y_true debe contener índices"]),
    (plots.confusion_matrix, ([10**9], [0]), {}, ValueError, ["como mucho 100 clases", "1000000001×1000000001"]),
    (plots.training_curves, ({"val_loss": [1.0, 0.5]},), {}, ValueError, ["al menos una métrica", "'val_loss'"]),
    (plots.training_curves, ({"loss": 0.3},), {}, ValueError, ["'loss'", "un número por época"]),
    (plots.training_curves, ({"loss": ["bien", "mal"]},), {}, ValueError, ["'loss'", "no son números"]),
    (plots.training_curves, ({"loss": [1.0, 0.5, 0.3], "val_loss": [1.0]},), {}, ValueError,
     ["val_loss debe tener un valor por época", "3 épocas de entrenamiento y 1 de validación"]),
]


@pytest.mark.parametrize("func, args, kwargs, error, fragments", PLOT_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(PLOT_CASES)])
def test_plots_bad_inputs_get_a_spanish_message(func, args, kwargs, error, fragments):
    with pytest.raises(error) as info:
        func(*args, **kwargs)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message


def test_image_grid_takes_a_bounded_number_of_images_from_an_iterator():
    endless = Endless()
    with pytest.raises(ValueError, match="como mucho 400 imágenes.*images\\[:32\\]"):
        plots.image_grid(np.zeros((4, 4)) for _ in endless)
    assert endless.taken <= plots.MAX_IMAGES + 1


def test_plots_right_inputs_still_draw():
    fig = plots.image_grid([np.zeros((4, 4)), np.zeros((6, 6, 3))], ["gris", "color"])  # mixed shapes are fine
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["gris", "color"]
    fig = plots.training_curves({"loss": [1.0, 0.5], "accuracy": [0.5, 0.9]}, "loss")  # one metric as text
    assert [ax.get_ylabel() for ax in fig.axes] == ["pérdida"]
    _, counts = plots.confusion_matrix([0.0, 1.0, 1.0], np.array([[0], [1], [0]]), ["a", "b"])
    assert counts.tolist() == [[1, 0], [1, 1]]
    with pytest.raises(ValueError, match="una etiqueta por imagen: 2 imágenes y 1"):
        plots.image_grid(np.zeros((2, 4, 4)), [0])
    with pytest.raises(ValueError, match="al menos una imagen"):
        plots.image_grid([], [])


# ------------------------------------------------------------------ checkers (utils.exercises)

class RaisingRepr:
    def __repr__(self):
        raise RuntimeError("repr roto")


class RaisingEq:
    def __eq__(self, other):
        raise ValueError("eq roto")

    __hash__ = None


class UnprintableError(Exception):
    def __str__(self):
        raise RuntimeError("str roto")


def self_referencing_list():
    a = []
    a.append(a)
    return a


THOUGHT = ThoughtExercise("¿Por qué padding 'same'?", "Para conservar el tamaño.")


def test_thought_exercise_survives_an_answer_whose_repr_raises():
    verdict = THOUGHT.evaluate(RaisingRepr())
    assert verdict.status == "sin responder"
    assert "no pude leer tu respuesta como texto" in verdict.message and "RuntimeError" in verdict.message
    assert THOUGHT.evaluate("para no encoger").status == "respuesta modelo"


def test_thought_exercise_echoes_a_self_referencing_list():
    verdict = THOUGHT.evaluate(self_referencing_list())
    assert verdict.status == "respuesta modelo" and "Tu respuesta: [[...]]" in verdict.message


def test_tuple_checker_takes_at_most_one_item_too_many_from_an_endless_iterator():
    shape = ValueExercise((26, 26))
    endless = Endless()
    message = wrong(shape, endless)
    assert "se esperaban 2 valores y tu respuesta da más de 2" in message and "`(a, b)`" in message
    assert endless.taken == 3
    right(shape, iter([26, 26]))
    assert "se esperaban 2 valores y has dado 1" in wrong(shape, iter([26]))


def test_function_returning_an_endless_generator_is_diagnosed():
    exercise = FunctionExercise(lambda n: (n, n), [3])

    def pares(n):
        yield from Endless()
    assert "da más de 2" in wrong(exercise, pares)
    right(exercise, lambda n: (n, n))


def test_self_referencing_answers_do_not_recurse():
    assert "se esperaban 2 valores y has dado 1" in wrong(ValueExercise((1, 2)), self_referencing_list())
    message = wrong(FunctionExercise(lambda x: [1, 2], [0]), lambda x: self_referencing_list())
    assert "devolvió [[[list de 1 elementos]]]" in message and "se esperaban 2 valores" in message


@pytest.mark.parametrize("code", [0, 1, "adiós"])
def test_student_function_calling_sys_exit_is_a_diagnosis(code):
    def area(h, w):
        sys.exit(code)
    exercise = FunctionExercise(lambda h, w: h * w, [(2, 3)])
    message = wrong(exercise, area)
    assert "con la entrada `area(2, 3)` tu función llamó a `sys.exit`" in message and "`return`" in message
    right(exercise, lambda h, w: w * h)


def test_sys_exit_inside_a_notebook_checker_is_a_diagnosis():
    message = wrong(nb11.ejercicio_3, lambda rows: sys.exit())
    assert "no pude comprobar tu respuesta: tu código llamó a `sys.exit`" in message


def test_keyboard_interrupt_still_stops_the_check():
    def slow(x):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        FunctionExercise(abs, [1]).evaluate(slow)


def test_answers_whose_eq_or_truth_raise_get_a_spanish_diagnosis():
    nothing = ValueExercise(None)
    message = wrong(nothing, RaisingEq())
    assert "no se puede comparar con la esperada" in message and "ValueError" in message
    assert "se esperaba None" in message
    assert wrong(nothing, np.arange(3)) == "se esperaba None y has dado un array de NumPy de forma (3,)."
    right(nothing, None)
    # nb11's checker compares what the function returns with `==`: an array there has no truth value
    message = wrong(nb11.ejercicio_3, lambda rows: np.array([r["trial"] for r in rows]))
    assert "un array de NumPy no es verdadero ni falso" in message and "The truth value" not in message
    right(nb11.ejercicio_3, lambda rows: max(rows, key=lambda r: r["val_acc"])["trial"])


def test_an_exception_whose_message_raises_is_still_reported():
    def area(h, w):
        raise UnprintableError
    message = wrong(FunctionExercise(lambda h, w: h * w, [(2, 3)]), area)
    assert message == "con la entrada `area(2, 3)` tu función lanzó una excepción: UnprintableError."


def test_unexpected_checker_failure_says_it_could_not_check_in_spanish():
    class Fragile(Exercise):
        def _diagnose(self, answer):
            return {"a": None}[answer]  # a checker that did not foresee this answer

    message = wrong(Fragile(), "b")
    assert message.startswith("no pude comprobar tu respuesta: al examinarla saltó KeyError")
    assert "del tipo que pide el enunciado" in message


def test_half_filled_numpy_expression_stays_a_placeholder():
    y = np.array([1.0, 2.0, 3.0])
    answer = np.mean(np.abs(y - ____))  # the student has not filled in the prediction yet
    assert answer is ____
    assert np.sqrt(np.sum((y - ____) ** 2)) is ____ and np.where(y > ____, 1, 0) is ____
    assert ValueExercise(0.5).evaluate(answer).status == "sin responder"
    right(ValueExercise(0.5), float(np.mean(np.abs(y - np.array([1.5, 2.5, 3.5])))))


@pytest.mark.parametrize("use, action", [
    (float, "convertir en número"), (int, "usar como entero"), (lambda p: range(p), "usar como entero"),
    (lambda p: 1 if p else 0, "usar como condición"), (lambda p: max(0, p), "usar como condición"),
    (len, "medir con `len`"), (list, "recorrer"), (lambda p: p[0], "indexar"),
    (lambda p: p.shape, "no tiene el atributo `.shape`"),
], ids=["float", "int", "range", "if", "max", "len", "list", "index", "attribute"])
def test_placeholder_where_a_real_value_is_needed_raises_in_spanish(use, action):
    with pytest.raises(PlaceholderError) as info:
        use(____)
    assert isinstance(info.value, TypeError)
    assert action in str(info.value) and "sustituye `____` por tu respuesta" in str(info.value)


def test_half_filled_function_is_unanswered_not_an_exception():
    exercise = FunctionExercise(lambda x: max(0, x), [3, -2])
    verdict = exercise.evaluate(lambda x: max(0, ____))
    assert verdict.status == "sin responder" and "____" in verdict.message
    right(exercise, lambda x: x if x > 0 else 0)

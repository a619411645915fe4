"""Tests for utils.exercises: every checker with right and wrong answers, placeholders, display."""
import copy
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

from utils import exercises
from utils.exercises import (PENDIENTE, PlaceholderError, ArrayExercise, FunctionExercise, ModelExercise, ThoughtExercise,
                             ValueExercise, Verdict, ____, layer)

ADDRESS = re.compile(r"0x[0-9a-f]+")
ROOT = Path(__file__).resolve().parents[1]


def incorrect(exercise, answer) -> str:
    """Evaluate a wrong answer and return its message, checking the status on the way."""
    verdict = exercise.evaluate(answer)
    assert verdict.status == "incorrecto", verdict
    assert not verdict
    return verdict.message


def assert_correct(exercise, answer):
    verdict = exercise.evaluate(answer)
    assert verdict.status == "correcto", verdict
    assert verdict


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


# ------------------------------------------------------------------ placeholder

def test_placeholder_is_one_object_that_absorbs_arithmetic_and_calls():
    assert PENDIENTE is ____
    assert ____ + 1 is ____ and 2 * ____ is ____ and -____ is ____ and ____ / 3 is ____
    assert np.ones(3) * ____ is ____
    assert ____(1, 2, padding="same") is ____
    assert copy.deepcopy([____])[0] is ____
    assert pickle.loads(pickle.dumps(____)) is ____
    assert repr(____) == "____" and f"{____:.2f}" == "____"


@pytest.mark.parametrize("use", [lambda: np.float64(____), lambda: np.arange(3)[____], lambda: np.array([1, ____]),
                                 lambda: np.asarray(____, dtype=float)], ids=["float64", "index", "array", "asarray"])
def test_placeholder_numpy_cannot_use_refuses_in_spanish(use):
    with pytest.raises(PlaceholderError, match="sustituye `____` por tu respuesta"):
        use()


def test_import_does_not_load_keras_or_tensorflow():
    code = "import sys, utils.exercises; print(sorted({'keras', 'tensorflow'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("exercise", [
    ValueExercise(12), ValueExercise((1, 2)), ArrayExercise(np.eye(2)),
    FunctionExercise(abs, [1]), ModelExercise([layer("Dense", units=2)]),
], ids=["value", "tuple", "array", "function", "model"])
@pytest.mark.parametrize("answer", [____, [1, ____], (____,), {"a": ____}, np.array([1, ____], dtype=object),
                                    ____ * 3], ids=["bare", "list", "tuple", "dict", "objarray", "arith"])
def test_placeholder_answers_are_unanswered_for_every_kind(exercise, answer):
    verdict = exercise.evaluate(answer)
    assert verdict.status == "sin responder"
    assert not verdict
    assert "____" in verdict.message


def test_check_without_answer_and_with_placeholder_prints_without_raising(capsys):
    exercise = ValueExercise(3, title="Ejercicio 1 · Suma")
    assert exercise.check() is None
    assert exercise.check([____, 2]) is None
    out = capsys.readouterr().out
    assert out.count("Sin responder") == 2 and "Ejercicio 1 · Suma" in out


def test_function_returning_the_placeholder_is_unanswered():
    def mi_relu(x):
        return ____
    assert FunctionExercise(lambda x: max(x, 0), [1, -1]).evaluate(mi_relu).status == "sin responder"


# ------------------------------------------------------------------ verdicts and display

def test_verdict_has_text_and_coloured_html_bundles():
    formatter = DisplayFormatter()
    colours = {}
    for status in ("correcto", "incorrecto", "sin responder"):
        data, _ = formatter.format(Verdict(status, "mensaje con `código` y <etiqueta>", title="Ejercicio 2"))
        assert {"text/plain", "text/html"} <= set(data)
        assert "Ejercicio 2" in data["text/plain"] and "mensaje" in data["text/plain"]
        assert "<code>código</code>" in data["text/html"] and "&lt;etiqueta&gt;" in data["text/html"]
        colours[status] = re.search(r"color:(#[0-9a-f]{6})", data["text/html"]).group(1)
    assert len(set(colours.values())) == 3
    with pytest.raises(ValueError, match="status"):
        Verdict("regular", "x")


def test_verdict_is_deterministic_and_free_of_memory_addresses():
    class Widget:
        pass

    def leaky(x):
        raise RuntimeError(f"fallo con {object()!r}")

    def take_widget(x):
        return 1

    verdicts = [
        FunctionExercise(take_widget, [Widget()]).evaluate(leaky),
        ValueExercise(3).evaluate(Widget()),
        ArrayExercise(np.eye(2)).evaluate(Widget()),
        FunctionExercise(abs, [1]).evaluate(lambda x: Widget()),
        Verdict("incorrecto", "<Foo object at 0x7f3a2b10> y 0xdeadbeef"),
    ]
    assert "RuntimeError: fallo con <object object>" in verdicts[0].message
    assert "Widget" in verdicts[1].message and "Widget" in verdicts[3].message
    for verdict in verdicts:
        assert verdict.status == "incorrecto"
        assert not ADDRESS.search(repr(verdict)) and not ADDRESS.search(verdict._repr_html_())
    assert repr(verdicts[0]) == repr(FunctionExercise(take_widget, [Widget()]).evaluate(leaky))
    assert not ADDRESS.search(repr(FunctionExercise(abs, [1], title="Ejercicio 4")))


@pytest.mark.parametrize("make", [
    lambda: ValueExercise(10, title="Ejercicio 3"), lambda: ArrayExercise(np.ones(2), title="Ejercicio 3"),
    lambda: FunctionExercise(abs, [-1], title="Ejercicio 3"),
    lambda: ModelExercise(["Dense"], title="Ejercicio 3"),
], ids=["value", "array", "function", "model"])
def test_check_prints_the_verdict_outside_ipython(capsys, make):
    exercise = make()
    assert exercise.check("texto") is None
    assert exercise.check(____) is None
    out = capsys.readouterr().out
    assert out.count("Ejercicio 3 — ") == 2 and "Incorrecto: " in out and "Sin responder: " in out
    assert not ADDRESS.search(out) and not ADDRESS.search(exercise.evaluate("texto")._repr_html_())


def test_hints_are_numbered_and_out_of_range_is_explained(capsys):
    exercise = ValueExercise(1, hint=["Piensa en el borde.", "Usa la fórmula (n - k) / s + 1."])
    exercise.hint()
    exercise.hint(2)
    exercise.hint(5)
    ValueExercise(1).hint()
    out = capsys.readouterr().out
    assert "Pista 1 de 2: Piensa en el borde." in out and "hint(2)" in out
    assert "Pista 2 de 2: Usa la fórmula" in out
    assert "hay 2 pistas" in out
    assert "no tiene pistas" in out


def test_solution_is_a_dedented_python_code_block(capsys, monkeypatch):
    exercise = ValueExercise(1, solution="""
        mapa = conv2d(imagen, kernel)
        print(mapa.shape)
    """)
    exercise.solution()
    assert "Solución:\nmapa = conv2d(imagen, kernel)\nprint(mapa.shape)" in capsys.readouterr().out
    shown = []
    monkeypatch.setattr(exercises, "_show", shown.append)  # keep the display object instead of printing it
    exercise.solution()
    exercise.hint()
    data, _ = DisplayFormatter().format(shown[0])
    assert "```python\nmapa = conv2d(imagen, kernel)\nprint(mapa.shape)\n```" in data["text/markdown"]
    assert "mapa = conv2d" in data["text/plain"]
    assert "no tiene pistas" in DisplayFormatter().format(shown[1])[0]["text/markdown"]


# ------------------------------------------------------------------ ValueExercise

@pytest.mark.parametrize("answer", [12, 12.0, np.int64(12), np.float32(12.000001), np.array(12.0)])
def test_value_right_answers(answer):
    assert_correct(ValueExercise(12), answer)


@pytest.mark.parametrize("answer, fragments", [
    (13, ["pasado en 1"]), (11, ["falta 1"]), (120, ["10×"]), (6, ["mitad"]), (24, ["doble"]),
    (-12, ["signo"]), (1.2, ["10 veces menor"]), ("12", ["'12'", "comillas"]), (True, ["booleano"]),
    ([12], ["número", "lista"]), (47, ["47", "mayor"]), (3, ["3", "menor"]),
    (np.array([12]), ["forma (1,)", ".item()"]), (float("nan"), ["nan"]),
])
def test_value_wrong_answers_are_diagnosed(answer, fragments):
    message = incorrect(ValueExercise(12), answer)
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("answer, fragment", [
    (1244, "se pasa en 10"), (1134, "le faltan 100"), (1235, "pasado en 1"), (12340, "10×"), (1500, "mayor")])
def test_value_counts_off_by_a_few_are_miscounts_not_rounding(answer, fragment):
    message = incorrect(ValueExercise(1234), answer)
    assert fragment in message and "redondeo" not in message


def test_value_percentage_near_miss_and_tolerances():
    assert "porcentaje" in incorrect(ValueExercise(0.85), 85)
    assert "255" in incorrect(ValueExercise(0.5), 127.5)
    assert "muy cerca" in incorrect(ValueExercise(3.14159), 3.14)
    assert_correct(ValueExercise(0.3), 0.1 + 0.2)
    assert_correct(ValueExercise(3.14159, rtol=1e-2), 3.14)
    assert_correct(ValueExercise(0.0, atol=1e-9), 1e-12)
    with pytest.raises(ValueError, match="rtol"):
        ValueExercise(1, rtol=-1)


def test_value_tuples_strings_and_bools():
    shape = ValueExercise((None, 26, 26, 32))
    assert_correct(shape, (None, 26, 26, 32))
    assert_correct(shape, [None, 26, 26, 32])
    assert "4 valores" in incorrect(shape, (None, 26, 26))
    assert "elemento 1" in incorrect(shape, (None, 28, 26, 32))
    assert "tupla" in incorrect(shape, 26)
    box = ValueExercise((3, 2, 6, 4))
    assert "en otro orden" in incorrect(box, (2, 3, 6, 4)) and "en otro orden" in incorrect(box, [3, 2, 4, 6])
    assert "en otro orden" not in incorrect(box, (3, 2, 6, 5))
    padding = ValueExercise("same")
    assert_correct(padding, "same")
    assert "mayúsculas" in incorrect(padding, "Same ")
    assert "'valid'" in incorrect(padding, "valid")
    assert "texto" in incorrect(padding, 3)
    flag = ValueExercise(True)
    assert_correct(flag, True)
    assert "False" in incorrect(flag, False)
    assert "True o False" in incorrect(flag, "True")


# ------------------------------------------------------------------ ArrayExercise

EXPECTED = np.arange(1.0, 13.0).reshape(3, 4)


@pytest.mark.parametrize("answer", [EXPECTED.copy(), EXPECTED.tolist(), EXPECTED + 1e-9, EXPECTED.astype(np.float32)])
def test_array_right_answers(answer):
    assert_correct(ArrayExercise(EXPECTED), answer)


@pytest.mark.parametrize("answer, fragments", [
    (np.zeros((3, 3)), ["(3, 4)", "(3, 3)"]),
    (EXPECTED.T, ["(4, 3)", "traspuesta"]),
    (EXPECTED.ravel(), ["(12,)", "reshape"]),
    (EXPECTED[None], ["(1, 3, 4)", "sobra un eje"]),
    (EXPECTED[0], ["(3, 4)", "(4,)"]),
    (-EXPECTED, ["signo cambiado"]),
    (EXPECTED * 10, ["10×"]),
    (EXPECTED / 2, ["mitad"]),
    (EXPECTED * 0.37, ["proporcionales", "0.37"]),
    (EXPECTED + 1, ["desplazados", "+1"]),
    (np.where(EXPECTED == 7, 0, EXPECTED), ["1 de 12", "[1, 2]", "tienes 0", "se esperaba 7"]),
    (np.where(EXPECTED > 10, 0, EXPECTED), ["2 de 12", "[2, 2]", "se esperaba 11"]),
    (np.where(EXPECTED == 5, np.nan, EXPECTED), ["NaN"]),
    ("hola", ["array de NumPy", "texto"]),
    ([[1, 2], [3]], ["longitudes distintas"]),
])
def test_array_wrong_answers_are_diagnosed(answer, fragments):
    message = incorrect(ArrayExercise(EXPECTED), answer)
    for fragment in fragments:
        assert fragment in message


def test_array_square_transpose_missing_axis_and_dtype():
    square = np.arange(9.0).reshape(3, 3)
    assert "traspuesta" in incorrect(ArrayExercise(square), square.T)
    assert "falta un eje" in incorrect(ArrayExercise(square[None]), square)
    mask = np.array([True, False, True])
    assert_correct(ArrayExercise(mask), [1, 0, 1])
    message = incorrect(ArrayExercise(mask, check_dtype=True), np.array([1, 0, 1]))
    assert "booleanos" in message and "enteros" in message
    with pytest.raises(ValueError, match="numérico"):
        ArrayExercise(np.array(["a", "b"]))


# ------------------------------------------------------------------ FunctionExercise

def reference_area(h, w):
    return h * w


AREA = FunctionExercise(reference_area, [(2, 3), (0, 5), (1, 1)])


def test_function_right_answer_and_input_not_shared():
    def area(h, w):
        return w * h
    assert_correct(AREA, area)

    def ordena(xs):
        xs.sort()  # mutates its argument: the reference must not see the mutation
        return xs
    cases = [[3, 1, 2]]
    exercise = FunctionExercise(sorted, [tuple(cases)])
    assert_correct(exercise, ordena)
    assert cases == [[3, 1, 2]]


def test_function_reports_first_failing_input_with_got_and_expected():
    def area(h, w):
        return h * w if h else 1
    message = incorrect(AREA, area)
    assert "area(0, 5)" in message and "devolvió 1" in message and "se esperaba 0" in message
    message = incorrect(AREA, lambda h, w: h + w)
    assert "(2, 3)" in message and "5" in message and "6" in message


def test_function_exceptions_missing_return_and_non_functions():
    def area(h, w):
        return h / (w - 3)
    message = incorrect(AREA, area)
    assert "area(2, 3)" in message and "ZeroDivisionError" in message and "excepción" in message

    def area_sin_devolver(h, w):
        h * w
    message = incorrect(AREA, area_sin_devolver)
    assert "devolvió None" in message and "¿falta un `return`?" in message
    assert "sin paréntesis" in incorrect(AREA, 6)
    with pytest.raises(ValueError, match="caso"):
        FunctionExercise(reference_area, [])
    with pytest.raises(TypeError, match="reference"):
        FunctionExercise(42, [1])


def test_function_with_array_results_reports_the_shape():
    exercise = FunctionExercise(lambda image: image[::2, ::2], [np.arange(16.0).reshape(4, 4)])

    def submuestrea(image):
        return image[::2]
    message = incorrect(exercise, submuestrea)
    assert "array de forma (4, 4)" in message and "(2, 2)" in message and "(2, 4)" in message
    assert_correct(exercise, lambda image: image[0::2, 0::2].copy())


# ------------------------------------------------------------------ ModelExercise

def tiny_cnn(keras, *, filters=8, kernel=3, padding="same", activation="relu", pool=None,
             units=10, rate=0.5, with_input=True, extra=(), drop_last=False):
    layers = [keras.layers.Conv2D(filters, kernel, padding=padding, activation=activation),
              (pool or keras.layers.MaxPooling2D)(2), keras.layers.Flatten(), keras.layers.Dropout(rate), *extra]
    if not drop_last:
        layers.append(keras.layers.Dense(units, activation="softmax"))
    return keras.Sequential(([keras.Input((8, 8, 1))] if with_input else []) + layers)


# Conv2D: 8 filters × (3·3·1 weights + 1 bias); 8×8×8 pooled to 4×4×8 = 128 inputs for Dense(10).
CNN_PARAMS = 8 * (3 * 3 * 1 + 1) + 10 * (4 * 4 * 8 + 1)


@pytest.fixture(scope="module")
def cnn_exercise():
    return ModelExercise(
        [layer("Conv2D", filters=8, kernel_size=3, padding="same", activation="relu"),
         layer("MaxPool2D", pool_size=(2, 2)), "Flatten", layer("Dropout", rate=0.5),
         layer("Dense", units=10, activation="softmax")],
        input_shape=(8, 8, 1), output_shape=(None, 10), params=CNN_PARAMS, title="Ejercicio 5 · CNN")


def test_model_right_answers(keras, cnn_exercise):
    assert_correct(cnn_exercise, tiny_cnn(keras))
    assert_correct(cnn_exercise, tiny_cnn(keras, with_input=False))  # unbuilt: built with input_shape
    assert_correct(cnn_exercise, tiny_cnn(keras, kernel=(3, 3), activation=keras.activations.relu))
    assert_correct(cnn_exercise, tiny_cnn(keras).layers)  # a list of layers
    assert str(CNN_PARAMS) in cnn_exercise.evaluate(tiny_cnn(keras)).message


@pytest.mark.parametrize("kwargs, fragments", [
    ({"filters": 16}, ["capa 1", "Conv2D", "filters=8", "filters=16"]),
    ({"kernel": 5}, ["kernel_size=(3, 3)", "kernel_size=(5, 5)"]),
    ({"padding": "valid"}, ["padding='same'", "padding='valid'"]),
    ({"activation": "tanh"}, ["activation='relu'", "activation='tanh'"]),
    ({"units": 5}, ["capa 5", "Dense", "units=10", "units=5"]),
    ({"rate": 0.25}, ["capa 4", "rate=0.5", "rate=0.25"]),
    ({"pool": "AveragePooling2D"}, ["capa 2", "MaxPooling2D", "AveragePooling2D"]),
    ({"drop_last": True}, ["5 capas", "tiene 4", "Dense"]),
    ({"extra": "Dropout"}, ["5 capas", "tiene 6", "capa 5", "Dense", "Dropout"]),
])
def test_model_wrong_layers_are_diagnosed(keras, cnn_exercise, kwargs, fragments):
    if "pool" in kwargs:
        kwargs["pool"] = getattr(keras.layers, kwargs["pool"])
    if "extra" in kwargs:
        kwargs["extra"] = [keras.layers.Dropout(0.5)]
    message = incorrect(cnn_exercise, tiny_cnn(keras, **kwargs))
    for fragment in fragments:
        assert fragment in message


def test_model_activation_layers_match_activation_specs(keras):
    L = keras.layers
    relu = ModelExercise([layer("Dense", units=4), layer("Activation", activation="relu")], input_shape=(3,))
    for right in ([L.Dense(4), L.ReLU()], [L.Dense(4), L.Activation("relu")], [L.Dense(4), L.Activation(keras.activations.relu)]):
        assert_correct(relu, right)
    assert "activation='tanh'" in incorrect(relu, [L.Dense(4), L.Activation("tanh")])
    assert "es ReLU" in incorrect(relu, [L.Dense(4), L.ReLU(max_value=6.0)])  # ReLU6 is not relu
    assert "es Softmax" in incorrect(relu, [L.Dense(4), L.Softmax()])
    as_layer = ModelExercise([layer("Dense", units=4), layer("ReLU")], input_shape=(3,))
    assert_correct(as_layer, [L.Dense(4), L.Activation("relu")])
    assert "es Activation" in incorrect(as_layer, [L.Dense(4), L.Activation("sigmoid")])


def test_model_output_shape_params_and_building(keras):
    conv = ModelExercise([layer("Conv2D", filters=4)], input_shape=(8, 8, 1), output_shape=(8, 8, 4))
    assert_correct(conv, keras.layers.Conv2D(4, 3, padding="same"))
    message = incorrect(conv, keras.layers.Conv2D(4, 3))
    assert "(None, 6, 6, 4)" in message and "(None, 8, 8, 4)" in message
    message = incorrect(conv, [keras.layers.Conv2D(4, 9)])
    assert "no se pudo construir" in message and "(8, 8, 1)" in message

    dense = ModelExercise(["Dense"], input_shape=(3,), params=4 * 3 + 4)
    assert_correct(dense, keras.layers.Dense(4))
    message = incorrect(dense, keras.layers.Dense(4, use_bias=False))
    assert "tiene 12 parámetros" in message and "se esperaban 16" in message

    unbuilt = ModelExercise(["Dense"], output_shape=(4,))
    assert "keras.Input" in incorrect(unbuilt, keras.Sequential([keras.layers.Dense(4)]))
    inputs = keras.Input((3,))
    assert_correct(unbuilt, keras.Model(inputs, keras.layers.Dense(4)(inputs)))  # InputLayer not counted


def test_model_wrong_kinds_of_answer(keras, cnn_exercise):
    assert "modelo de Keras" in incorrect(cnn_exercise, "mi_modelo")
    assert "elemento 2" in incorrect(cnn_exercise, [keras.layers.Dense(2), 3])
    assert "atributo foo" in incorrect(ModelExercise([layer("Dense", foo=1)]), keras.layers.Dense(2))


# ------------------------------------------------------------------ ThoughtExercise

def test_thought_exercise_shows_model_answer_for_self_assessment(capsys):
    exercise = ThoughtExercise("¿Por qué se usa padding 'same'?", "Para conservar el tamaño espacial.",
                               title="Ejercicio 6")
    alone = exercise.evaluate()
    assert alone.status == "respuesta modelo" and "conservar el tamaño" in alone.message
    mine = exercise.evaluate("Para no perder los bordes")
    assert mine.status == "respuesta modelo" and not mine
    assert mine.message.index("no perder los bordes") < mine.message.index("conservar el tamaño")
    for empty in ("", "   ", ____):
        verdict = exercise.evaluate(empty)
        assert verdict.status == "sin responder" and "solution()" in verdict.message
    exercise.check(____)
    exercise.solution()
    out = capsys.readouterr().out
    assert "Sin responder" in out and "Respuesta modelo: Para conservar el tamaño espacial." in out


def test_a_slip_that_raises_on_some_case_does_not_spoil_the_verdict():
    cases = [(np.ones((2, 3)),), (np.ones((3, 3)),)]
    exercise = FunctionExercise(lambda m: m.sum(axis=0), cases,
                                slips=[(lambda m: m @ np.ones((3, 3)), "multiplicas en lugar de sumar"),
                                       (lambda m: m.sum(axis=1), "sumas por filas: usa axis=0")])
    assert_correct(exercise, lambda m: m.sum(axis=0))
    assert "axis=0" in incorrect(exercise, lambda m: m.sum(axis=1))
    assert "multiplicas" not in incorrect(exercise, lambda m: m.sum(axis=0) + 1)


def test_slips_name_typical_mistakes_for_every_kind():
    value = ValueExercise(12, slips=[(10, "olvidaste los sesgos")])
    assert value.evaluate(10).message == "olvidaste los sesgos."
    assert "olvidaste" not in value.evaluate(11).message and value.evaluate(12)
    array = ArrayExercise(np.eye(2), slips=[(np.zeros((2, 2)), "eso es antes de la ReLU")])
    assert array.evaluate(np.zeros((2, 2))).message == "eso es antes de la ReLU."
    assert array.evaluate(np.ones((2, 2))).status == "incorrecto" and "ReLU" not in array.evaluate(np.ones((2, 2))).message
    function = FunctionExercise(abs, [-2, 0, 3], slips=[(lambda x: x, "te falta cambiar el signo de los negativos")])
    assert function.evaluate(lambda x: x).message == "te falta cambiar el signo de los negativos."
    assert function.evaluate(abs) and function.evaluate(____).status == "sin responder"


# ------------------------------------------------------------------ the student edition's marker (tools.edition)

def test_withheld_solution_and_hints_show_the_notice_and_checks_are_unchanged(capsys):
    from utils.exercises import WITHHELD, WITHHELD_HINTS, WITHHELD_SOLUTION

    full = ValueExercise(12, slips=[(10, "olvidaste los sesgos")], hint=["suma los sesgos"], solution="total = 12")
    kept = ValueExercise(12, slips=[(10, "olvidaste los sesgos")], hint=["suma los sesgos"], solution=WITHHELD)
    bare = ValueExercise(12, slips=[(10, "olvidaste los sesgos")], hint=WITHHELD, solution=WITHHELD)
    for answer in (12, 10, 11, "doce", ____):
        assert repr(kept.evaluate(answer)) == repr(bare.evaluate(answer)) == repr(full.evaluate(answer))
    assert bare.evaluate(12) and bare.evaluate(10).status == "incorrecto"
    kept.solution()
    kept.hint()
    bare.hint(2)
    out = capsys.readouterr().out
    assert WITHHELD_SOLUTION in out and "total = 12" not in out
    assert "suma los sesgos" in out and out.count(WITHHELD_HINTS) == 1
    full.solution()
    assert "total = 12" in capsys.readouterr().out and not full.withheld and bare.withheld == {"hint", "solution"}


def test_withheld_model_answer_is_never_shown_but_the_text_is_echoed(capsys):
    from utils.exercises import WITHHELD, WITHHELD_SOLUTION

    exercise = ThoughtExercise("¿Por qué padding SAME?", WITHHELD, hint="Piensa en los bordes.")
    verdict = exercise.evaluate("para no perder los bordes")
    assert verdict.status == "respuesta modelo" and "para no perder los bordes" in verdict.message
    assert WITHHELD_SOLUTION in verdict.message and "Respuesta modelo" not in verdict.message
    assert exercise.evaluate().message == WITHHELD_SOLUTION and exercise.evaluate(____).status == "sin responder"
    exercise.solution()
    exercise.hint()
    out = capsys.readouterr().out
    assert WITHHELD_SOLUTION in out and "Piensa en los bordes." in out and exercise.model_answer is None
    shown = ThoughtExercise("¿Por qué?", "Para conservar el tamaño.").evaluate("no sé").message
    assert "Respuesta modelo: Para conservar el tamaño." in shown and WITHHELD_SOLUTION not in shown

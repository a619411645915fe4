"""Exercises of notebook 05: typical wrong answers get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np

from utils.conv import conv2d, output_size, pool2d
from utils.ejercicios import nb05
from utils.exercises import ____
from exercise_checks import right, wrong


# ------------------------------------------------------------------ 1 · a feature map by hand

def test_1_expected_map_is_the_seeds():
    expected = nb05.ejercicio_1.expected
    assert expected.shape == (4, 4) and expected[0, 0] == -7  # seed 001: "Output 4x4", starting -7
    # Each value is (left column sum) - (right column sum) of its 3×3 window.
    cols = np.array([[nb05.IMAGE_6[i:i + 3, j].sum() for j in range(6)] for i in range(4)])
    np.testing.assert_array_equal(expected, cols[:, :4] - cols[:, 2:])


def test_1_wrong_answers():
    ex = nb05.ejercicio_1
    assert "girado el kernel" in wrong(ex, conv2d(nb05.IMAGE_6, nb05.VERTICAL_KERNEL[:, ::-1]))
    assert "padding SAME" in wrong(ex, conv2d(nb05.IMAGE_6, nb05.VERTICAL_KERNEL, padding="same"))
    slip = ex.expected.copy()
    slip[2, 3] += 1
    assert "1 de 16 valores no coincide" in wrong(ex, slip)
    assert "traspuesta" in wrong(ex, ex.expected.T)


# ------------------------------------------------------------------ 2 · your own convolution

def test_2_wrong_functions():
    ex = nb05.ejercicio_2

    def loops(imagen, kernel, kh, kw, extra):
        imagen, kernel = np.asarray(imagen, dtype=float), np.asarray(kernel, dtype=float)
        salida = np.zeros((imagen.shape[0] - kh + extra, imagen.shape[1] - kw + extra))
        for i in range(salida.shape[0]):
            for j in range(salida.shape[1]):
                salida[i, j] = np.sum(imagen[i:i + kh, j:j + kw] * kernel)
        return salida

    def one_short(imagen, kernel):  # forgets the +1: one position short on each axis
        return loops(imagen, kernel, *np.shape(kernel), extra=0)

    def square_only(imagen, kernel):  # uses the kernel's height for both axes
        return loops(imagen, kernel, len(kernel), len(kernel), extra=1)

    def no_return(imagen, kernel):
        np.zeros(3)

    assert "se esperaba forma (3, 3) y tiene (2, 2)" in wrong(ex, one_short)
    assert "array de forma (4, 7)" in wrong(ex, square_only)  # only the rectangular case catches it
    assert "falta un `return`" in wrong(ex, no_return)
    assert "se esperaba una función" in wrong(ex, conv2d(nb05.IMAGE_6, nb05.VERTICAL_KERNEL))


# ------------------------------------------------------------------ 3 · output sizes

def test_3_sizes():
    ex = nb05.ejercicio_3
    assert ex.expected == ((28 - 5) + 1, (32 - 3 + 2) // 2 + 1, 55)  # 55: AlexNet's first layer (seed 003: 55×55)
    assert "+1 final" in wrong(ex, tuple(n - 1 for n in ex.expected))
    assert "hacia abajo" in wrong(ex, (24, 16.5, 55))
    assert "el elemento 2 no es correcto" in wrong(ex, (24, 16, 54.5))
    assert "se esperaban 3 valores" in wrong(ex, (24, 16))


# ------------------------------------------------------------------ 4 · the padding that keeps the size

def test_4_padding():
    ex = nb05.ejercicio_4
    p, side = ex.expected
    assert 32 - 5 + 2 * p + 1 == 32  # keeps the size at stride 1
    assert side == (32 - 5 + 2 * p) // 2 + 1
    assert "FULL" in wrong(ex, (4, output_size(32, 5, stride=2, padding=4)))
    assert "redondea" in wrong(ex, (p, (32 - 5 + 2 * p) / 2 + 1))
    assert "el elemento 0 no es correcto" in wrong(ex, (1, side))
    assert ex.evaluate((2, ____)).status == "sin responder"  # half answered


# ------------------------------------------------------------------ 5 · ReLU and max pooling

def test_5_pooling():
    ex = nb05.ejercicio_5
    relu = np.maximum(nb05.ejercicio_1.expected, 0)
    by_blocks = relu.reshape(2, 2, 2, 2).max(axis=(1, 3))  # independent of pool2d
    np.testing.assert_array_equal(ex.expected, by_blocks)
    mapa = nb05.ejercicio_1.expected
    assert "sin ReLU" in wrong(ex, mapa.reshape(2, 2, 2, 2).max(axis=(1, 3)))
    assert "promediado" in wrong(ex, relu.reshape(2, 2, 2, 2).mean(axis=(1, 3)))
    assert "stride 1" in wrong(ex, pool2d(relu, 2, stride=1))
    assert "forma (2, 2)" in wrong(ex, relu)


# ------------------------------------------------------------------ 6 · how many filters fit in a bottleneck

def test_6_bottleneck_budget(run_solution):
    ex = nb05.ejercicio_6
    direct = 14 * 14 * 48 * 5 * 5 * 480  # by hand, independent of mult_count

    def branch(n):
        return 14 * 14 * n * 480 + 14 * 14 * 48 * 5 * 5 * n  # the 1×1 layer, then the 5×5 on n channels

    assert ex.expected == 34 and branch(34) <= direct / 10 < branch(35)
    assert run_solution(ex)["respuesta"] == 34
    right(ex, 34)
    assert "solo cuentas la 5×5" in wrong(ex, 48)  # 14·14·48·25·n ≤ direct/10 without the 1×1 cost
    assert "11 524 800 multiplicaciones" in wrong(ex, 35)
    assert "lo que usa GoogLeNet" in wrong(ex, 16)
    assert "te falta 1" in wrong(ex, 33)
    assert "se esperaba un número" in wrong(ex, (direct, branch(16)))  # the old question's answer shape


# ------------------------------------------------------------------ 7 · a convolutional block in Keras

def test_7_model(keras):
    layers = keras.layers
    ex = nb05.ejercicio_7

    def model(*blocks):
        return keras.Sequential([keras.Input(shape=(28, 28, 1)), *blocks])

    assert "padding='same'" in wrong(ex, model(layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(2)))
    assert "activation='relu'" in wrong(ex, model(layers.Conv2D(8, 3, padding="same"), layers.MaxPooling2D(2)))
    assert "filters=8" in wrong(ex, model(layers.Conv2D(16, 3, padding="same", activation="relu"),
                                          layers.MaxPooling2D(2)))
    assert "faltan capas" in wrong(ex, model(layers.Conv2D(8, 3, padding="same", activation="relu")))
    assert "MaxPooling2D" in wrong(ex, model(layers.Conv2D(8, 3, padding="same", activation="relu"),
                                             layers.AveragePooling2D(2)))
    # The parameter count the checker expects: 8 filters of 3·3·1 weights plus a bias each.
    assert ex.params == model(layers.Conv2D(8, 3)).count_params() == 80


# ------------------------------------------------------------------ 8 · a question to think about

def test_8_thought():
    ex = nb05.ejercicio_8
    assert ex.evaluate().status == "respuesta modelo"
    assert ex.evaluate("").status == "sin responder"
    verdict = ex.evaluate("Solo los del lado derecho.")
    assert verdict.status == "respuesta modelo"
    assert "Solo los del lado derecho." in verdict.message and "ReLU anula los negativos" in verdict.message

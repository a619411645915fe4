"""Exercises of notebook 10: typical wrong answers get their diagnosis (what all exercises owe: test_ejercicios.py)."""
from utils import models
from utils.ejercicios import nb10
from exercise_checks import right, wrong


def test_1_conv_params_agree_with_keras_and_slips(keras):
    vgg_layer = keras.layers.Conv2D(256, 3)
    vgg_layer.build((None, 56, 56, 128))
    right(nb10.ejercicio_1, vgg_layer.count_params())
    assert "faltan los sesgos" in wrong(nb10.ejercicio_1, 3 * 3 * 128 * 256)
    assert "3·3·128 pesos" in wrong(nb10.ejercicio_1, (3 * 3 + 1) * 256)
    assert "un solo filtro" in wrong(nb10.ejercicio_1, 3 * 3 * 128 + 1)
    assert "mayor que el esperado" in wrong(nb10.ejercicio_1, 10**6)


def test_2_lenet_shape_matches_the_model():
    right(nb10.ejercicio_2, dict((r["name"], r["shape"]) for r in models.layer_table(models.lenet5()))["s4"])
    right(nb10.ejercicio_2, [5, 5, 16])
    assert "padding SAME" in wrong(nb10.ejercicio_2, (8, 8, 16))
    assert "16 mapas" in wrong(nb10.ejercicio_2, (5, 5, 6))
    assert "falta el último pooling" in wrong(nb10.ejercicio_2, (10, 10, 16))
    assert "se esperaban 3 valores" in wrong(nb10.ejercicio_2, (5, 5))


def test_3_inception_branch(keras, run_solution):
    layers = keras.layers
    branch = keras.Sequential([keras.Input((28, 28, 192)), *run_solution(nb10.ejercicio_3)["respuesta"]])
    x = keras.Input((28, 28, 192))
    module = keras.Model(x, models.inception_module(x, name="m"))
    expected = module.get_layer("m_3x3_reduce").count_params() + module.get_layer("m_3x3").count_params()
    assert branch.count_params() == expected == nb10.ejercicio_3.params
    no_padding = [layers.Conv2D(96, 1, activation="relu"), layers.Conv2D(128, 3, activation="relu")]
    assert "se esperaba padding='same' y tiene padding='valid'" in wrong(nb10.ejercicio_3, no_padding)
    swapped = [layers.Conv2D(128, 3, padding="same", activation="relu"), layers.Conv2D(96, 1, activation="relu")]
    assert "se esperaba filters=96 y tiene filters=128" in wrong(nb10.ejercicio_3, swapped)
    assert "faltan capas" in wrong(nb10.ejercicio_3, [layers.Conv2D(128, 3, padding="same", activation="relu")])


def test_4_receptive_field(run_solution):
    campo_receptivo = run_solution(nb10.ejercicio_4)["campo_receptivo"]
    assert [campo_receptivo(n) for n in (1, 2, 3)] == [3, 5, 7]  # VGG: three 3×3 see 7×7
    assert "devolvió 6 y se esperaba 5" in wrong(nb10.ejercicio_4, lambda n: 3 * n)
    assert "se esperaba una función" in wrong(nb10.ejercicio_4, 7)


def test_5_alexnet_dense_fraction():
    dense = (6 * 6 * 256 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 1000  # fc6, fc7, fc8 (by hand)
    convs = (11 * 11 * 3 + 1) * 96 + (5 * 5 * 96 + 1) * 256 + (3 * 3 * 256 + 1) * 384 + (3 * 3 * 384 + 1) * 384 \
        + (3 * 3 * 384 + 1) * 256
    answer = dense / (dense + convs)
    right(nb10.ejercicio_5, answer)
    right(nb10.ejercicio_5, round(answer, 2))
    assert "fracción de las capas convolucionales" in wrong(nb10.ejercicio_5, 1 - answer)
    assert "porcentaje en lugar de fracción" in wrong(nb10.ejercicio_5, 100 * answer)

"""Exercises of notebook 10: each checker with its own solution, typical wrong answers and the placeholder."""
import keras
import pytest
from keras import layers

from utils import models
from utils.conv import output_size
from utils.ejercicios import nb10
from utils.exercises import ____
from exercise_checks import wrong

EXERCISES = [getattr(nb10, f"ejercicio_{n}") for n in range(1, 6)]


def solve(exercise, name="respuesta"):
    """Run the exercise's model solution with what the notebook has imported; return its answer."""
    namespace = {"keras": keras, "layers": layers, "models": models, "output_size": output_size}
    exec(exercise._solution, namespace)
    return namespace[name]


@pytest.mark.parametrize("n", range(1, 6))
def test_titles_hints_and_placeholder(n):
    exercise = EXERCISES[n - 1]
    assert exercise.title.startswith(f"Ejercicio {n} · ")
    assert exercise.hints
    assert exercise.evaluate(____).status == "sin responder"


def test_1_conv_params_solution_and_slips():
    assert nb10.ejercicio_1.evaluate(solve(nb10.ejercicio_1)).status == "correcto"
    vgg_layer = layers.Conv2D(256, 3)
    vgg_layer.build((None, 56, 56, 128))
    assert nb10.ejercicio_1.evaluate(vgg_layer.count_params()).status == "correcto"
    assert "faltan los sesgos" in wrong(nb10.ejercicio_1, 3 * 3 * 128 * 256)
    assert "3·3·128 pesos" in wrong(nb10.ejercicio_1, (3 * 3 + 1) * 256)
    assert "un solo filtro" in wrong(nb10.ejercicio_1, 3 * 3 * 128 + 1)
    assert "mayor que el esperado" in wrong(nb10.ejercicio_1, 10**6)


def test_2_lenet_shape_matches_the_model():
    lenet_shape = dict((r["name"], r["shape"]) for r in models.layer_table(models.lenet5()))["s4"]
    assert nb10.ejercicio_2.evaluate(lenet_shape).status == "correcto"
    assert nb10.ejercicio_2.evaluate(solve(nb10.ejercicio_2)).status == "correcto"
    assert nb10.ejercicio_2.evaluate([5, 5, 16]).status == "correcto"
    assert "padding SAME" in wrong(nb10.ejercicio_2, (8, 8, 16))
    assert "16 mapas" in wrong(nb10.ejercicio_2, (5, 5, 6))
    assert "falta el último pooling" in wrong(nb10.ejercicio_2, (10, 10, 16))
    assert "se esperaban 3 valores" in wrong(nb10.ejercicio_2, (5, 5))


def test_3_inception_branch():
    answer = solve(nb10.ejercicio_3)
    assert nb10.ejercicio_3.evaluate(answer).status == "correcto"
    branch = keras.Sequential([keras.Input((28, 28, 192)), *solve(nb10.ejercicio_3)])
    x = keras.Input((28, 28, 192))
    module = keras.Model(x, models.inception_module(x, name="m"))
    expected = module.get_layer("m_3x3_reduce").count_params() + module.get_layer("m_3x3").count_params()
    assert branch.count_params() == expected == nb10.ejercicio_3.params
    no_padding = [layers.Conv2D(96, 1, activation="relu"), layers.Conv2D(128, 3, activation="relu")]
    assert "se esperaba padding='same' y tiene padding='valid'" in wrong(nb10.ejercicio_3, no_padding)
    swapped = [layers.Conv2D(128, 3, padding="same", activation="relu"), layers.Conv2D(96, 1, activation="relu")]
    assert "se esperaba filters=96 y tiene filters=128" in wrong(nb10.ejercicio_3, swapped)
    assert "faltan capas" in wrong(nb10.ejercicio_3, [layers.Conv2D(128, 3, padding="same", activation="relu")])


def test_4_receptive_field():
    campo_receptivo = solve(nb10.ejercicio_4, "campo_receptivo")
    assert nb10.ejercicio_4.evaluate(campo_receptivo).status == "correcto"
    assert [campo_receptivo(n) for n in (1, 2, 3)] == [3, 5, 7]  # VGG: three 3×3 see 7×7
    message = wrong(nb10.ejercicio_4, lambda n: 3 * n)
    assert "devolvió 6 y se esperaba 5" in message
    assert "se esperaba una función" in wrong(nb10.ejercicio_4, 7)


def test_5_alexnet_dense_fraction():
    answer = solve(nb10.ejercicio_5)
    assert nb10.ejercicio_5.evaluate(answer).status == "correcto"
    assert nb10.ejercicio_5.evaluate(round(answer, 2)).status == "correcto"
    assert "fracción de las capas convolucionales" in wrong(nb10.ejercicio_5, 1 - answer)
    assert "porcentaje en lugar de fracción" in wrong(nb10.ejercicio_5, 100 * answer)
    keras.backend.clear_session()

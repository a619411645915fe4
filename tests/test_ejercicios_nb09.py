"""Checkers of notebook 09: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np

from utils.ejercicios import nb09 as ej
from exercise_checks import right, wrong


def test_1_preprocessing():
    assert "desplazados en +1" in wrong(ej.ejercicio_1, lambda x: x / 127.5)
    assert "[-1, 1]" in wrong(ej.ejercicio_1, lambda x: x / 255)
    assert "¿falta un `return`?" in wrong(ej.ejercicio_1, lambda x: None)


def test_2_feature_map_shape(keras):
    right(ej.ejercicio_2, lambda lado: [-(-lado // 32), -(-lado // 32), 1280])
    assert "redondeas hacia abajo" in wrong(ej.ejercicio_2, lambda lado: (lado // 32, lado // 32, 1280))
    assert "1 280 canales" in wrong(ej.ejercicio_2, lambda lado: (-(-lado // 32), -(-lado // 32), 3))
    assert "no siempre es entero" in wrong(ej.ejercicio_2, lambda lado: (lado / 32, lado / 32, 1280))
    assert "se esperaban 3 valores" in wrong(ej.ejercicio_2, lambda lado: (-(-lado // 32), 1280))
    # The rule is MobileNetV2's own, also where the side is not a multiple of 32.
    for side in (33, 100):
        base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(side, side, 3))
        assert tuple(base.output_shape[1:]) == ej.output_shape(side)


def test_3_head_layers(keras):
    layers = keras.layers
    flatten = [layers.Flatten(), layers.Dropout(0.2), layers.Dense(4, activation="softmax")]
    assert "la capa 1 debería ser GlobalAveragePooling2D y es Flatten" in wrong(ej.ejercicio_3, flatten)
    linear = [layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(4)]
    assert "activation='softmax'" in wrong(ej.ejercicio_3, linear)
    ten = [layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(10, activation="softmax")]
    assert "units=4" in wrong(ej.ejercicio_3, ten)
    rate = [layers.GlobalAveragePooling2D(), layers.Dropout(0.5), layers.Dense(4, activation="softmax")]
    assert "rate=0.2" in wrong(ej.ejercicio_3, rate)


def test_4_trainable_parameters():
    right(ej.ejercicio_4, (1280 * 4 + 4, 2_257_984 - 34_112 + 1280 * 4 + 4))
    head, base, statistics = 5124, 2_257_984, 34_112
    frozen_counted = wrong(ej.ejercicio_4, (base + head, base - statistics + head))
    assert "con la base congelada has contado como entrenables sus 2 257 984 parámetros" in frozen_counted
    statistics_counted = wrong(ej.ejercicio_4, (head, base + head))
    assert "has contado como entrenables las medias y varianzas móviles de batch normalization (34 112" \
           in statistics_counted
    both = wrong(ej.ejercicio_4, (base + head, base + head))
    assert "congelada has contado" in both and "varianzas móviles" in both
    assert "congelada has contado los pesos que la base entrenaría descongelada" in \
        wrong(ej.ejercicio_4, (base - statistics + head,) * 2)
    assert "falta la cabeza, que también se entrena" in wrong(ej.ejercicio_4, (head, base - statistics))
    assert "falta la cabeza, y las medias" in wrong(ej.ejercicio_4, (head, base))
    assert "se entrenan también los pesos de la base" in wrong(ej.ejercicio_4, (head, head))
    assert "faltan los sesgos" in wrong(ej.ejercicio_4, (1280 * 4, base - statistics + head))
    assert "aplanando" in wrong(ej.ejercicio_4, (3 * 3 * 1280 * 4 + 4, base - statistics + head))
    assert "tupla de 2 valores" in wrong(ej.ejercicio_4, head)
    assert "quita las comillas" in wrong(ej.ejercicio_4, ("5124", base - statistics + head))


def test_4_counts_are_mobilenetv2s(keras):
    base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3))
    statistics = sum(2 * layer.moving_mean.shape[0] for layer in base.layers
                     if isinstance(layer, keras.layers.BatchNormalization))
    assert (base.count_params(), statistics) == (ej.BASE_PARAMS, ej.BN_STATISTICS)
    trainable = sum(int(np.prod(w.shape)) for w in base.trainable_weights)
    assert trainable + ej.HEAD_PARAMS == ej.UNFROZEN


def test_5_thought_shows_the_model_answer():
    assert ej.ejercicio_5.evaluate("").status == "sin responder"
    mine = ej.ejercicio_5.evaluate("solo la cabeza con 200; casi toda la red con 200 000")
    assert mine.status == "respuesta modelo" and "solo la cabeza con 200" in mine.message
    assert "tasa de aprendizaje baja" in mine.message
    assert ej.ejercicio_5.evaluate().status == "respuesta modelo"


def test_expected_values_follow_the_architecture():
    assert ej.output_shape(224) == (224 // 32, 224 // 32, 1280) and ej.output_shape(100) == (4, 4, 1280)
    assert ej.ejercicio_4.expected[0] == ej.ejercicio_3.params
    assert ej._preprocess(np.array([0, 255])).tolist() == [-1.0, 1.0]

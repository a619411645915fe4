"""Exercises of notebook 08: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np

from utils.ejercicios import nb08 as ej
from exercise_checks import right, wrong


def test_1_augmentation_pipeline(keras):
    layers = keras.layers
    message = wrong(ej.ejercicio_1, keras.Sequential([layers.RandomFlip(), layers.RandomRotation(0.1),
                                                      layers.RandomZoom(0.2)]))
    assert "capa 1 (RandomFlip): se esperaba mode='horizontal' y tiene mode='horizontal_and_vertical'" in message
    message = wrong(ej.ejercicio_1, [layers.RandomFlip("horizontal"), layers.RandomRotation(0.2), layers.RandomZoom(0.2)])
    assert "capa 2 (RandomRotation): se esperaba factor=(-0.1, 0.1) y tiene factor=(-0.2, 0.2)" in message
    message = wrong(ej.ejercicio_1, [layers.RandomFlip("horizontal"), layers.RandomZoom(0.2), layers.RandomRotation(0.1)])
    assert "la capa 2 debería ser RandomRotation y es RandomZoom" in message


def test_2_flip_matches_keras_and_numpy(keras):
    right(ej.ejercicio_2, lambda imagen: np.flip(imagen, axis=1))
    assert "eso es un volteo vertical" in wrong(ej.ejercicio_2, lambda imagen: imagen[::-1])
    message = wrong(ej.ejercicio_2, lambda imagen: np.rot90(imagen, 2))
    assert "con la entrada" in message and "valores no coinciden" in message
    # The reference is exactly what RandomFlip("horizontal") does when it flips.
    image = np.random.default_rng(0).random((1, 5, 6, 3)).astype("float32")
    flipped = np.asarray(keras.layers.RandomFlip("horizontal", seed=1)(np.repeat(image, 8, axis=0), training=True))
    mirrored = [np.allclose(f, ej.flip_horizontal(image[0])) for f in flipped]
    unchanged = [np.allclose(f, image[0]) for f in flipped]
    assert any(mirrored) and all(m or u for m, u in zip(mirrored, unchanged))


def test_3_offline_and_online_counts():
    assert ej.distinct_images(10, 2, 5) == (30, 50)
    assert "guarda también los originales" in wrong(ej.ejercicio_3, (500 * 8, 15000))
    assert "multiplica por el número de épocas" in wrong(ej.ejercicio_3, (4500, 500))
    assert "online no hay copias guardadas" in wrong(ej.ejercicio_3, (4500, 4500 * 30))
    assert "el elemento 1 no es correcto" in wrong(ej.ejercicio_3, (4500, 14000))


def test_4_label_preserving_transformations():
    message = wrong(ej.ejercicio_4, (True, True, False, True, True, False))
    assert "el elemento 0 no es correcto: True no es la respuesta correcta" in message
    assert "se esperaba True o False" in wrong(ej.ejercicio_4, ("no", True, False, True, True, False))
    assert "piensa en un 6 girado 180°" in wrong(ej.ejercicio_4, (True,) * 6)
    assert "se esperaban 6 valores y has dado 5" in wrong(ej.ejercicio_4, (False, True, False, True, True))


def cnn(keras, rotation=0.05, augment=True):
    layers = keras.layers
    front = [layers.RandomRotation(rotation), layers.RandomTranslation(0.1, 0.1)] if augment else []
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), *front, layers.Conv2D(16, 3, activation="relu"),
                             layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10, activation="softmax")])


def test_5_augmentation_inside_the_model(keras):
    assert ej.ejercicio_5.params == cnn(keras).count_params()
    assert "la capa 1 debería ser RandomRotation y es Conv2D" in wrong(ej.ejercicio_5, cnn(keras, augment=False))
    message = wrong(ej.ejercicio_5, cnn(keras, rotation=0.1))
    assert "capa 1 (RandomRotation): se esperaba factor=(-0.05, 0.05)" in message

"""Exercises of notebook 07: typical mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
import numpy as np
import pytest

from utils.ejercicios import nb07 as ej
from exercise_checks import right, wrong


def dropout_model(keras, rate=0.3, units=128):
    layers = keras.layers
    return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(units, activation="relu"),
                             layers.Dropout(rate), layers.Dense(10, activation="softmax")])


def test_1_dropout_model(keras):
    assert "capa 3 (Dropout): se esperaba rate=0.3 y tiene rate=0.5" in wrong(ej.ejercicio_1, dropout_model(keras, rate=0.5))
    assert "units=128" in wrong(ej.ejercicio_1, dropout_model(keras, units=64))
    layers = keras.layers
    before = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dropout(0.3),
                               layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")])
    assert "la capa 2 debería ser Dense y es Dropout" in wrong(ej.ejercicio_1, before)


def test_1_parameter_count_matches_keras(keras):
    assert ej.ejercicio_1.params == dropout_model(keras).count_params()


def test_2_inverted_dropout_scale(keras):
    right(ej.ejercicio_2, (4.0, 3.0))
    right(ej.ejercicio_2, (3.0 / (1 - 0.25), 3))
    assert "en entrenamiento falta la escala" in wrong(ej.ejercicio_2, (3.0, 3.0))
    assert "has dividido entre rate" in wrong(ej.ejercicio_2, (12.0, 3.0))
    assert "has multiplicado por la probabilidad de sobrevivir" in wrong(ej.ejercicio_2, (3.0 * 0.75, 3.0))
    assert "dropout del artículo original" in wrong(ej.ejercicio_2, (3.0, 3.0 * 0.75))
    assert "0 es lo que sale cuando la neurona se apaga" in wrong(ej.ejercicio_2, (0.0, 3.0))
    assert "en inferencia el dropout no hace nada" in wrong(ej.ejercicio_2, (4.0, 4.0))
    assert "el elemento 1 no es correcto" in wrong(ej.ejercicio_2, (4.0, 0.0))
    assert "en otro orden" in wrong(ej.ejercicio_2, (3.0, 4.0))
    # The expected scaling is the one Keras applies: every survivor of Dropout(0.25) becomes 3 / 0.75.
    out = np.asarray(keras.layers.Dropout(ej.SCALING_RATE, seed=1)(np.full((1, 400), 3.0, "float32"), training=True))
    assert set(np.unique(out).round(5)) == {0.0, round(ej.ejercicio_2.expected[0], 5)}


def test_3_penalty_function_agrees_with_keras(keras):
    message = wrong(ej.ejercicio_3, lambda w, l1, l2: l1 * np.sum(w) + l2 * np.sum(w ** 2))
    assert "te falta `np.abs`" in message
    message = wrong(ej.ejercicio_3, lambda w, l1, l2: l1 * np.sum(np.abs(w)) + l2 / 2 * np.sum(w ** 2))
    assert "Keras no divide entre 2 la parte L2" in message
    message = wrong(ej.ejercicio_3, lambda w, l1, l2: l1 * np.sum(np.abs(w)))
    assert "con la entrada" in message and "tu función devolvió" in message
    w = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    keras_value = float(keras.regularizers.L1L2(l1=0.01, l2=0.02)(w))
    assert ej.penalty(w, 0.01, 0.02) == pytest.approx(keras_value, rel=1e-5)


def test_4_stopping_epochs(keras):
    right(ej.ejercicio_4, ej.stopping_epochs)
    zero_based = lambda losses, patience: tuple(e - 1 for e in ej.stopping_epochs(losses, patience))  # noqa: E731
    assert "tus épocas empiezan en 0" in wrong(ej.ejercicio_4, zero_based)
    only_best = lambda losses, patience: (len(losses), ej.stopping_epochs(losses, patience)[1])  # noqa: E731
    assert "con la entrada" in wrong(ej.ejercicio_4, only_best)
    assert "devolvió None" in wrong(ej.ejercicio_4, lambda losses, patience: None)


def test_4_reference_is_what_keras_early_stopping_does(keras):
    """Replay each case's validation losses through the real callback."""
    for losses, patience in ej.ejercicio_4.cases:
        callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
        callback.set_model(keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)]))
        callback.model.stop_training = False
        callback.on_train_begin()
        ran = 0
        for epoch, loss in enumerate(losses):
            callback.on_epoch_end(epoch, {"val_loss": loss})
            ran = epoch + 1
            if callback.model.stop_training:
                break
        assert ej.stopping_epochs(losses, patience) == (ran, int(np.argmin(losses[:ran])) + 1)


def test_5_scale_is_judged_by_the_gradient_it_lets_through():
    for sigma in (0.125, 1 / np.sqrt(64), np.float32(0.125), 0.2, np.sqrt(2 / 64)):  # 1/√n, and He's √(2/n)
        right(ej.ejercicio_5, sigma)
    assert "has dividido entre n" in wrong(ej.ejercicio_5, 1 / 64)
    assert "no los 784 píxeles" in wrong(ej.ejercicio_5, 1 / np.sqrt(784))
    assert "σ·√64 = 8, las tanh se saturan y el gradiente explota" in wrong(ej.ejercicio_5, 1.0)
    assert "has multiplicado por √64 en vez de dividir" in wrong(ej.ejercicio_5, 8)
    message = wrong(ej.ejercicio_5, 0.5)
    assert "con σ = 0,5, cada capa multiplica el gradiente por unos 1,5" in message and message.endswith("explota.")
    assert "veces el de la última, se desvanece" in wrong(ej.ejercicio_5, 0.01)
    assert "debe ser un número positivo" in wrong(ej.ejercicio_5, -0.125)
    assert "debe ser un número positivo" in wrong(ej.ejercicio_5, 0)
    assert "quita las comillas" in wrong(ej.ejercicio_5, "0.125")
    assert "se esperaba un número" in wrong(ej.ejercicio_5, (0.125,))


def test_5_gradient_ratio_agrees_with_keras(keras):
    """The checker's NumPy network and a Keras one with RandomNormal(stddev=σ) tell the same story."""
    import tensorflow as tf

    low, high = ej.GAIN_WINDOW
    x = np.random.default_rng(1).normal(size=(256, ej.GAIN_UNITS)).astype("float32")
    for sigma, verdict in [(0.01, "vanishes"), (0.125, "keeps"), (1.0, "explodes")]:
        ratio = ej.gradient_ratio(sigma)
        assert verdict == ("vanishes" if ratio < low else "explodes" if ratio > high else "keeps")
        keras.utils.set_random_seed(0)
        dense = [keras.layers.Dense(ej.GAIN_UNITS, use_bias=False,
                                    kernel_initializer=keras.initializers.RandomNormal(stddev=sigma))
                 for _ in range(ej.GAIN_DEPTH)]
        with tf.GradientTape() as tape:
            h, pre = tf.constant(x), []
            for layer in dense:
                pre.append(layer(h))
                tape.watch(pre[-1])
                h = tf.tanh(pre[-1])
            loss = tf.reduce_sum(h * tf.constant(np.random.default_rng(2).normal(size=h.shape), tf.float32))
        norms = [float(tf.norm(g)) for g in tape.gradient(loss, pre)]
        assert np.log10(norms[0] / norms[-1]) == pytest.approx(np.log10(ratio), abs=1.0)


def test_6_batch_norm_block(keras):
    layers = keras.layers
    message = wrong(ej.ejercicio_6, [layers.Dense(64, activation="relu"), layers.BatchNormalization()])
    assert "se esperaban 3 capas y tu modelo tiene 2" in message
    message = wrong(ej.ejercicio_6, [layers.Dense(64), layers.BatchNormalization(), layers.Activation("relu")])
    assert "se esperaba use_bias=False y tiene use_bias=True" in message
    message = wrong(ej.ejercicio_6, [layers.Dense(64, use_bias=False, activation="relu"), layers.BatchNormalization(),
                                     layers.Activation("relu")])
    assert "se esperaba activation='linear' y tiene activation='relu'" in message
    message = wrong(ej.ejercicio_6, [layers.Dense(64, use_bias=False), layers.BatchNormalization(),
                                     layers.Activation("sigmoid")])
    assert "capa 3 (Activation): se esperaba activation='relu' y tiene activation='sigmoid'" in message


def test_6_relu_layer_counts_as_the_relu_activation(keras):
    layers = keras.layers
    right(ej.ejercicio_6, [layers.Dense(64, use_bias=False), layers.BatchNormalization(), layers.ReLU()])
    right(ej.ejercicio_6, [layers.Dense(64, use_bias=False), layers.BatchNormalization(), layers.Activation("relu")])
    assert "layers.ReLU()" in " ".join(ej.ejercicio_6.hints)
    leaky = [layers.Dense(64, use_bias=False), layers.BatchNormalization(), layers.ReLU(negative_slope=0.1)]
    assert "la capa 3 debería ser Activation y es ReLU" in wrong(ej.ejercicio_6, leaky)

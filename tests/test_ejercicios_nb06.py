"""Exercises of notebook 06: realistic mistakes get their diagnosis (what all exercises owe: test_ejercicios.py)."""
from utils.ejercicios import nb06 as ej
from exercise_checks import right, wrong


# ---------------------------------------------------------------- 1 · parameters of a Conv2D

def test_conv_params_matches_keras(keras):
    for k, c_in, filters in ej.ejercicio_1.cases:
        layer = keras.layers.Conv2D(filters, k)
        layer.build((None, 10, 10, c_in))
        assert layer.count_params() == ej.conv_params(k, c_in, filters)


def test_ejercicio_1_wrong():
    def sin_sesgo(k, canales_entrada, filtros):
        return k * k * canales_entrada * filtros

    def sin_canales(k, canales_entrada, filtros):
        return (k * k + 1) * filtros

    assert "olvidado del sesgo" in wrong(ej.ejercicio_1, sin_sesgo)
    assert "canales de entrada" in wrong(ej.ejercicio_1, sin_canales)

    def doble(k, canales_entrada, filtros):  # no named slip: the generic diagnosis shows the first failing case
        return 2 * (k * k * canales_entrada + 1) * filtros

    assert "`doble(3, 1, 32)` tu función devolvió 640 y se esperaba 320" in wrong(ej.ejercicio_1, doble)
    assert "se esperaba una función" in wrong(ej.ejercicio_1, 320)


# ---------------------------------------------------------------- 2 · a conv block

def test_ejercicio_2_wrong(keras):
    layers = keras.layers
    valid = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2)]
    assert "padding='same'" in wrong(ej.ejercicio_2, valid)
    no_relu = [layers.Conv2D(32, 3, padding="same"), layers.MaxPooling2D(2)]
    assert "activation='relu'" in wrong(ej.ejercicio_2, no_relu)
    average = [layers.Conv2D(32, 3, padding="same", activation="relu"), layers.AveragePooling2D(2)]
    assert "debería ser MaxPooling2D y es AveragePooling2D" in wrong(ej.ejercicio_2, average)
    five = [layers.Conv2D(32, 5, padding="same", activation="relu"), layers.MaxPooling2D(2)]
    assert "kernel_size" in wrong(ej.ejercicio_2, five)


# ---------------------------------------------------------------- 3 · output shape after two blocks

def test_ejercicio_3_expected_shape_matches_keras(keras):
    layers = keras.layers
    model = keras.Sequential([keras.Input(shape=ej.CIFAR_SHAPE),
                              layers.Conv2D(16, 3), layers.MaxPooling2D(2),
                              layers.Conv2D(32, 3), layers.MaxPooling2D(2)])
    assert tuple(model.output_shape[1:]) == ej.SHAPE


def test_ejercicio_3_right_and_wrong():
    right(ej.ejercicio_3, ej.SHAPE)
    right(ej.ejercicio_3, list(ej.SHAPE))
    assert "padding SAME" in wrong(ej.ejercicio_3, ej.SHAPE_SAME)
    assert "canales delante" in wrong(ej.ejercicio_3, (ej.SHAPE[2], ej.SHAPE[0], ej.SHAPE[1]))
    assert "se esperaban 3 valores y has dado 2" in wrong(ej.ejercicio_3, ej.SHAPE[:2])
    assert "redondea hacia abajo" in wrong(ej.ejercicio_3, (7, 7, 32))
    assert "salida del primer bloque" in wrong(ej.ejercicio_3, (15, 15, 16))
    assert "filtros del último bloque, 32" in wrong(ej.ejercicio_3, (6, 6, 16))


# ---------------------------------------------------------------- 4 · parameters of the whole network

def test_ejercicio_4_expected_matches_keras(keras):
    layers = keras.layers
    model = keras.Sequential([keras.Input(shape=ej.CIFAR_SHAPE),
                              layers.Conv2D(16, 3), layers.MaxPooling2D(2),
                              layers.Conv2D(32, 3), layers.MaxPooling2D(2),
                              layers.Flatten(), layers.Dense(10)])
    assert model.count_params() == ej.PARAMS


def test_ejercicio_4_right_and_wrong():
    right(ej.ejercicio_4, ej.PARAMS)
    no_bias = ej.PARAMS - (16 + 32 + 10)
    assert "olvidado de los sesgos" in wrong(ej.ejercicio_4, no_bias)
    convs_only = (3 * 3 * 3 + 1) * 16 + (3 * 3 * 16 + 1) * 32
    assert "falta la capa Dense" in wrong(ej.ejercicio_4, convs_only)
    assert "se pasa en 1000" in wrong(ej.ejercicio_4, ej.PARAMS + 1000)
    assert "se pasa en 10:" in wrong(ej.ejercicio_4, ej.PARAMS + 10)  # an integer count, not "¿redondeo?"
    assert "le faltan 100:" in wrong(ej.ejercicio_4, ej.PARAMS - 100)
    assert "se esperaba un número" in wrong(ej.ejercicio_4, [ej.PARAMS])


def test_ejercicio_4_typical_miscounts():
    conv1, conv2, dense = (3 * 3 * 3 + 1) * 16, (3 * 3 * 16 + 1) * 32, (6 * 6 * 32 + 1) * 10
    assert conv1 + conv2 + dense == ej.PARAMS == 16_618
    assert "el sesgo de la Dense" in wrong(ej.ejercicio_4, conv1 + conv2 + dense - 10)
    assert "los sesgos de las convoluciones" in wrong(ej.ejercicio_4, conv1 + conv2 + dense - 16 - 32)
    assert "3 canales (RGB), no 1" in wrong(ej.ejercicio_4, (3 * 3 * 1 + 1) * 16 + conv2 + dense)
    assert "no en 8 (eso sería con padding SAME)" in wrong(ej.ejercicio_4, conv1 + conv2 + (8 * 8 * 32 + 1) * 10)
    assert "no los 13·13·32 de antes del pooling" in wrong(ej.ejercicio_4, conv1 + conv2 + (13 * 13 * 32 + 1) * 10)


# ---------------------------------------------------------------- 5 · thought exercise

def test_ejercicio_5_shows_model_answer_and_echoes_text():
    assert ej.ejercicio_5.evaluate().status == "respuesta modelo"
    assert "pesos compartidos" in ej.ejercicio_5.evaluate().message
    echoed = ej.ejercicio_5.evaluate("porque comparte pesos")
    assert "porque comparte pesos" in echoed.message

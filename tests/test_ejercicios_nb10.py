"""Exercises of notebook 10: typical wrong answers get their diagnosis (what all exercises owe: test_ejercicios.py)."""
from utils import models
from utils.ejercicios import nb10
from exercise_checks import right, wrong


def test_1_vgg_block_is_block2_of_vgg16(keras, run_solution):
    layers = keras.layers
    block = run_solution(nb10.ejercicio_1)["respuesta"]
    right(nb10.ejercicio_1, block)
    vgg = models.vgg16(input_shape=(32, 32, 3))  # the same convolutions as at 224×224, a small fc1
    in_vgg = sum(vgg.get_layer(f"block2_conv{i}").count_params() for i in (1, 2))
    assert keras.Sequential([keras.Input(nb10.VGG_IN), *block]).count_params() == in_vgg == nb10.ejercicio_1.params
    valid = [layers.Conv2D(128, 3, activation="relu"), layers.Conv2D(128, 3, activation="relu"), layers.MaxPooling2D(2)]
    assert "se esperaba padding='same' y tiene padding='valid'" in wrong(nb10.ejercicio_1, valid)
    no_pool = [layers.Conv2D(128, 3, padding="same", activation="relu")] * 2
    assert "faltan capas a partir de la 3, que debería ser MaxPooling2D" in wrong(nb10.ejercicio_1, no_pool)
    narrow = [layers.Conv2D(64, 3, padding="same", activation="relu"), layers.Conv2D(64, 3, padding="same",
                                                                                    activation="relu"),
              layers.MaxPooling2D(2)]
    assert "se esperaba filters=128 y tiene filters=64" in wrong(nb10.ejercicio_1, narrow)


def test_2_lenet_for_28x28_keeps_the_400_values(keras, run_solution):
    layers = keras.layers
    convs = run_solution(nb10.ejercicio_2)["respuesta"]
    right(nb10.ejercicio_2, convs)
    lenet = keras.Sequential([keras.Input(nb10.MNIST_IN), *convs, *models.lenet5().layers[4:]])
    assert lenet.output_shape == (None, 10) and lenet.count_params() == models.lenet5().count_params()
    as_in_the_paper = [layers.Conv2D(6, 5, activation="tanh"), layers.AveragePooling2D(2),
                       layers.Conv2D(16, 5, activation="tanh"), layers.AveragePooling2D(2)]
    assert "capa 1 (Conv2D): se esperaba padding='same' y tiene padding='valid'" in wrong(nb10.ejercicio_2,
                                                                                         as_in_the_paper)
    padded_images = [layers.ZeroPadding2D(2), *as_in_the_paper]
    assert "la capa 1 debería ser Conv2D y es ZeroPadding2D" in wrong(nb10.ejercicio_2, padded_images)
    max_pool = [layers.Conv2D(6, 5, padding="same", activation="tanh"), layers.MaxPooling2D(2),
                layers.Conv2D(16, 5, activation="tanh"), layers.MaxPooling2D(2)]
    assert "la capa 2 debería ser AveragePooling2D y es MaxPooling2D" in wrong(nb10.ejercicio_2, max_pool)


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


def test_4_receptive_field_agrees_with_the_networks(keras, run_solution):
    campo_receptivo = run_solution(nb10.ejercicio_4)["campo_receptivo"]
    assert [campo_receptivo([(3, 1)] * n) for n in (1, 2, 3)] == [3, 5, 7]  # VGG: three 3×3 see 7×7
    lenet, vgg = models.lenet5(), models.vgg16(input_shape=(32, 32, 3))
    assert campo_receptivo([(5, 1), (2, 2), (5, 1), (2, 2)]) == models.receptive_field(lenet, "s4").size == 16
    vgg_layers = [(3, 1), (3, 1), (2, 2)] * 2 + [(3, 1), (3, 1), (3, 1), (2, 2)] * 3
    assert campo_receptivo(vgg_layers) == models.receptive_field(vgg, "block5_pool").size == 212


def test_4_slips():
    def sin_salto(capas):
        return 1 + sum(k - 1 for k, s in capas)

    def salto_antes(capas):
        lado, salto = 1, 1
        for k, s in capas:
            salto *= s
            lado += (k - 1) * salto
        return lado

    assert "como si todos los strides fueran 1" in wrong(nb10.ejercicio_4, sin_salto)
    assert "actualizas el salto antes" in wrong(nb10.ejercicio_4, salto_antes)
    only_3x3 = wrong(nb10.ejercicio_4, lambda capas: 2 * len(capas) + 1)  # the rule of stacked 3×3, stride 1
    assert "devolvió 9 y se esperaba 16" in only_3x3
    assert "se esperaba una función" in wrong(nb10.ejercicio_4, 7)


def test_5_global_average_pooling_head(keras, run_solution):
    layers = keras.layers
    right(nb10.ejercicio_5, run_solution(nb10.ejercicio_5)["respuesta"])
    resnet_head = models.layer_table(models.small_resnet())[-2:]
    assert [row["kind"] for row in resnet_head] == ["GlobalAveragePooling2D", "Dense"]  # what the hint points to
    flatten = [layers.Flatten(), layers.Dense(1000, activation="softmax")]
    assert "la capa 1 debería ser GlobalAveragePooling2D y es Flatten" in wrong(nb10.ejercicio_5, flatten)
    no_softmax = [layers.GlobalAveragePooling2D(), layers.Dense(1000)]
    assert "se esperaba activation='softmax' y tiene activation='linear'" in wrong(nb10.ejercicio_5, no_softmax)

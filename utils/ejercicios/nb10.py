"""Exercises of notebook 10 · Arquitecturas.

Every expected answer is computed here from the layer formulas and `utils.conv`, never typed in.
"""
from utils.conv import output_size
from utils.exercises import FunctionExercise, ModelExercise, ValueExercise, layer


def conv_params(kernel, channels_in, filters, bias=True):
    """Parameters of a Conv2D layer: kernel·kernel·channels_in weights per filter, plus its bias."""
    return (kernel * kernel * channels_in + (1 if bias else 0)) * filters


def dense_params(n_in, n_out):
    """Parameters of a Dense layer: a weight per input and output, plus a bias per output."""
    return (n_in + 1) * n_out


# ------------------------------------------------------------------ 1 · parameters of a convolution

# VGG-16, block3_conv1: 3×3 filters, 128 input channels (block 2's output), 256 filters.
K, C_IN, FILTERS = 3, 128, 256
ejercicio_1 = ValueExercise(
    conv_params(K, C_IN, FILTERS),
    slips=[
        (conv_params(K, C_IN, FILTERS, bias=False),
         "te faltan los sesgos: cada filtro suma uno, así que son 256 parámetros más"),
        (conv_params(K, 1, FILTERS),
         "cada filtro cubre los 128 canales de entrada: tiene 3·3·128 pesos, no 3·3"),
        (conv_params(K, C_IN, 1),
         "eso es un solo filtro: la capa tiene 256"),
    ],
    title="Ejercicio 1 · Los parámetros de una convolución de VGG-16",
    hint=["Un filtro de 3×3 sobre 128 canales tiene 3·3·128 pesos y un sesgo.",
          "Multiplica lo que tiene un filtro por los 256 filtros de la capa."],
    solution="""
        respuesta = (3 * 3 * 128 + 1) * 256
        # Compruébalo: models.layer_table(models.vgg16()) da 295 168 en block3_conv1
    """,
)

# ------------------------------------------------------------------ 2 · LeNet's shapes

_side = output_size(output_size(output_size(output_size(32, 5), 2, stride=2), 5), 2, stride=2)
_same_side = output_size(output_size(32, 2, stride=2), 2, stride=2)  # SAME convs keep 32, pools halve it
ejercicio_2 = ValueExercise(
    (_side, _side, 16),
    slips=[
        ((_same_side, _same_side, 16),
         "ese sería el tamaño con padding SAME; LeNet-5 no rellena (VALID): cada convolución 5×5 quita 4 píxeles"),
        ((_side, _side, 6),
         "el alto y el ancho están bien, pero tras C3 hay 16 mapas, no 6"),
        ((2 * _side, 2 * _side, 16),
         "ese es el tamaño tras C3; falta el último pooling S4, que lo divide entre dos"),
    ],
    title="Ejercicio 2 · La forma de la salida de LeNet-5",
    hint=["Una convolución 5×5 sin padding quita 4 píxeles por eje: $O = W - K + 1$. Un pooling 2×2 con "
          "stride 2 lo divide entre dos.",
          "32 → C1 → S2 → C3 → S4. Los canales son los filtros de la última convolución."],
    solution="""
        lado = output_size(output_size(output_size(output_size(32, 5), 2, stride=2), 5), 2, stride=2)
        respuesta = (lado, lado, 16)   # 32 → 28 → 14 → 10 → 5
    """,
)

# ------------------------------------------------------------------ 3 · a 1×1 reduction, Inception style

REDUCE, BRANCH = 96, 128  # the 3×3 branch of GoogLeNet's module 3a
INPUT_3A = (28, 28, 192)
ejercicio_3 = ModelExercise(
    [layer("Conv2D", filters=REDUCE, kernel_size=1, activation="relu"),
     layer("Conv2D", filters=BRANCH, kernel_size=3, padding="same", activation="relu")],
    input_shape=INPUT_3A,
    output_shape=(*INPUT_3A[:2], BRANCH),
    params=conv_params(1, INPUT_3A[2], REDUCE) + conv_params(3, REDUCE, BRANCH),
    title="Ejercicio 3 · La rama 3×3 de un módulo Inception",
    hint=["Son dos capas `layers.Conv2D`: primero 96 filtros 1×1, después 128 filtros 3×3, ambas con "
          "`activation=\"relu\"`.",
          "La rama debe conservar el 28×28 para poder concatenarse con las demás: la 3×3 lleva "
          "`padding=\"same\"`."],
    solution="""
        respuesta = [
            layers.Conv2D(96, 1, activation="relu"),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
        ]
    """,
)

# ------------------------------------------------------------------ 4 · receptive field of stacked 3×3


def _receptive_field(layers_3x3):
    """Side of the input window that one output pixel sees through n stacked 3×3 stride-1 convs."""
    side = 1
    for _ in range(layers_3x3):
        side += 3 - 1
    return side


ejercicio_4 = FunctionExercise(
    _receptive_field,
    [1, 2, 3, 5, 13],
    title="Ejercicio 4 · Lo que ve una pila de convoluciones 3×3",
    hint=["Una convolución 3×3 ve una ventana de 3×3. Cada 3×3 que apilas encima amplía la ventana "
          "un píxel por cada lado.",
          "Con 1 capa, 3; con 2, 5; con 3, 7. Generaliza para n capas."],
    solution="""
        def campo_receptivo(n):
            return 2 * n + 1
    """,
)

# ------------------------------------------------------------------ 5 · where AlexNet's parameters are

_ALEXNET_CONVS = [(11, 3, 96), (5, 96, 256), (3, 256, 384), (3, 384, 384), (3, 384, 256)]
_ALEXNET_DENSE = [(6 * 6 * 256, 4096), (4096, 4096), (4096, 1000)]
_conv_total = sum(conv_params(*c) for c in _ALEXNET_CONVS)
_dense_total = sum(dense_params(*d) for d in _ALEXNET_DENSE)
ejercicio_5 = ValueExercise(
    _dense_total / (_conv_total + _dense_total),
    rtol=5e-3,
    slips=[
        (_conv_total / (_conv_total + _dense_total),
         "esa es la fracción de las capas convolucionales; se pide la de las densas"),
        (_dense_total / _conv_total,
         "has dividido entre los parámetros de las convoluciones; divide entre el total de la red"),
    ],
    title="Ejercicio 5 · ¿Dónde están los parámetros de AlexNet?",
    hint=["`models.layer_table(models.alexnet())` da una fila por capa con su tipo (`kind`) y sus "
          "parámetros (`params`).",
          "Suma los `params` de las filas con `kind == \"Dense\"` y divide entre `count_params()`."],
    solution="""
        red = models.alexnet()
        densas = sum(f["params"] for f in models.layer_table(red) if f["kind"] == "Dense")
        respuesta = densas / red.count_params()
    """,
)

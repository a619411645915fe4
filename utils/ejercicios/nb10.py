"""Exercises of notebook 10 · Arquitecturas.

Every expected answer is computed here from the layer formulas, never typed in. The student builds
pieces of the networks of the notebook (a VGG block, LeNet-5 for 28×28 images, an Inception branch,
a head without dense layers) and writes the receptive-field count.
"""
from utils.exercises import FunctionExercise, ModelExercise, layer


def conv_params(kernel, channels_in, filters, bias=True):
    """Parameters of a Conv2D layer: kernel·kernel·channels_in weights per filter, plus its bias."""
    return (kernel * kernel * channels_in + (1 if bias else 0)) * filters


def dense_params(n_in, n_out):
    """Parameters of a Dense layer: a weight per input and output, plus a bias per output."""
    return (n_in + 1) * n_out


# ------------------------------------------------------------------ 1 · a VGG block

# VGG-16's block 2: the 112×112×64 output of block 1 → two 3×3 SAME convolutions of 128 → 2×2 max pooling.
VGG_IN, VGG_FILTERS = (112, 112, 64), 128
ejercicio_1 = ModelExercise(
    [layer("Conv2D", filters=VGG_FILTERS, kernel_size=3, padding="same", activation="relu"),
     layer("Conv2D", filters=VGG_FILTERS, kernel_size=3, padding="same", activation="relu"),
     layer("MaxPooling2D", pool_size=2, strides=2)],
    input_shape=VGG_IN,
    output_shape=(VGG_IN[0] // 2, VGG_IN[1] // 2, VGG_FILTERS),
    params=conv_params(3, VGG_IN[2], VGG_FILTERS) + conv_params(3, VGG_FILTERS, VGG_FILTERS),
    title="Ejercicio 1 · Un bloque de VGG-16",
    hint=["Las reglas de VGG: convoluciones 3×3 con *stride* 1, `padding=\"same\"` y ReLU; solo el *max pooling* "
          "2×2 reduce el tamaño.",
          "El bloque 2 tiene dos `layers.Conv2D(128, 3, ...)` y un `layers.MaxPooling2D(2)`."],
    solution="""
        respuesta = [
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
        ]
    """,
)

# ------------------------------------------------------------------ 2 · LeNet-5 for 28×28 digits

# With SAME in C1, 28 → 28 → 14 → 10 → 5: S4 is again 5×5×16, the 400 values C5 expects.
MNIST_IN = (28, 28, 1)
ejercicio_2 = ModelExercise(
    [layer("Conv2D", filters=6, kernel_size=5, padding="same", activation="tanh"),
     layer("AveragePooling2D", pool_size=2),
     layer("Conv2D", filters=16, kernel_size=5, padding="valid", activation="tanh"),
     layer("AveragePooling2D", pool_size=2)],
    input_shape=MNIST_IN,
    output_shape=(5, 5, 16),
    params=conv_params(5, 1, 6) + conv_params(5, 6, 16),
    title="Ejercicio 2 · LeNet-5 para imágenes de 28×28",
    hint=["Sigue el tamaño capa a capa: una convolución 5×5 VALID quita 4 píxeles por eje y una SAME no quita "
          "ninguno; cada *pooling* 2×2 divide entre dos. Con 32 la cadena era 32 → 28 → 14 → 10 → 5.",
          "Con 28 faltan 4 píxeles al principio: que C1 no los quite (`padding=\"same\"`) y el resto igual."],
    solution="""
        respuesta = [
            layers.Conv2D(6, 5, padding="same", activation="tanh"),   # C1: 28 → 28
            layers.AveragePooling2D(2),                               # S2: 28 → 14
            layers.Conv2D(16, 5, activation="tanh"),                  # C3: 14 → 10
            layers.AveragePooling2D(2),                               # S4: 10 → 5
        ]
        # LeCun hizo lo otro: centrar cada dígito de 28×28 en una imagen de 32×32 (layers.ZeroPadding2D(2) delante).
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

# ------------------------------------------------------------------ 4 · receptive field of a stack of layers


def _receptive_field(capas):
    """Side of the input window one output pixel sees through the stacked (kernel, stride) layers."""
    side, jump = 1, 1
    for kernel, stride in capas:
        side += (kernel - 1) * jump
        jump *= stride
    return side


def _without_jump(capas):  # slip: every layer adds k − 1, as if all strides were 1
    return 1 + sum(kernel - 1 for kernel, _ in capas)


def _jump_too_early(capas):  # slip: the layer's own stride already widens its window
    side, jump = 1, 1
    for kernel, stride in capas:
        jump *= stride
        side += (kernel - 1) * jump
    return side


ejercicio_4 = FunctionExercise(
    _receptive_field,
    [[(3, 1)], [(3, 1), (3, 1)], [(3, 1)] * 3,
     [(5, 1), (2, 2), (5, 1), (2, 2)],                       # LeNet-5 hasta S4
     [(11, 4), (3, 2)],                                      # AlexNet: conv1 y pool1
     [(3, 1), (3, 1), (2, 2), (3, 1), (3, 1), (2, 2)],       # los dos primeros bloques de VGG-16
     [(3, 1), (2, 2), (3, 1), (2, 2), (3, 1)]],              # la CNN del cuaderno 06 hasta el bloque 3
    slips=[
        (_without_jump, "sumas k − 1 por capa como si todos los strides fueran 1; tras un stride 2, un paso de la "
                        "capa siguiente avanza 2 píxeles de la entrada: multiplica k − 1 por el salto acumulado"),
        (_jump_too_early, "actualizas el salto antes de ensanchar la ventana: el stride de una capa solo separa "
                          "las posiciones de las capas que vienen después"),
    ],
    title="Ejercicio 4 · El campo receptivo de una pila de capas",
    hint=["Lleva dos números: el lado de la ventana (empieza en 1) y el salto, la distancia en la entrada entre "
          "dos posiciones vecinas de la capa (empieza en 1).",
          "Para cada capa `(k, s)`: primero `lado += (k - 1) * salto`; después `salto *= s`."],
    solution="""
        def campo_receptivo(capas):
            lado, salto = 1, 1
            for k, s in capas:
                lado += (k - 1) * salto
                salto *= s
            return lado
    """,
)

# ------------------------------------------------------------------ 5 · a head without dense layers

POOL5 = (6, 6, 256)  # AlexNet's last feature map
CLASSES = 1000
ejercicio_5 = ModelExercise(
    [layer("GlobalAveragePooling2D"), layer("Dense", units=CLASSES, activation="softmax")],
    input_shape=POOL5,
    output_shape=(CLASSES,),
    params=dense_params(POOL5[2], CLASSES),
    title="Ejercicio 5 · Una cabeza sin capas densas gigantes",
    hint=["El ResNet pequeño termina así: mira las dos últimas filas de `models.summary(resnet)`.",
          "`layers.GlobalAveragePooling2D()` deja un número por canal (256) y una `layers.Dense(1000, "
          "activation=\"softmax\")` los lleva a las clases."],
    solution="""
        respuesta = [
            layers.GlobalAveragePooling2D(),
            layers.Dense(1000, activation="softmax"),
        ]
    """,
)

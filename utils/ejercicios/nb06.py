"""Exercises of notebook 06 · Redes convolucionales."""
from utils.conv import output_size
from utils.exercises import FunctionExercise, ModelExercise, ThoughtExercise, ValueExercise, layer


def conv_params(kernel_size, in_channels, filters):
    """Parameters of a Conv2D layer with square kernels and bias: (k·k·C_in + 1)·filters."""
    return (kernel_size * kernel_size * in_channels + 1) * filters


# Exercise 3 and 4: the small CIFAR-10 network Input 32×32×3 → [Conv2D 3×3 VALID → MaxPool 2×2] with 16
# and then 32 filters → Flatten → Dense(10).
CIFAR_SHAPE, BLOCK_FILTERS, CLASSES = (32, 32, 3), (16, 32), 10


def _after_blocks(padding):
    side = CIFAR_SHAPE[0]
    for _ in BLOCK_FILTERS:
        side = output_size(output_size(side, 3, padding=padding), 2, stride=2)
    return (side, side, BLOCK_FILTERS[-1])


def _total_params(bias=True, dense_bias=None, in_channels=CIFAR_SHAPE[2], flat=None):
    """The network's parameters; the arguments make the typical miscounts (no biases, a grey input, the
    Dense fed by another shape)."""
    dense_bias = bias if dense_bias is None else dense_bias
    channels = [in_channels, *BLOCK_FILTERS]
    convs = sum(conv_params(3, c_in, f) - (0 if bias else f) for c_in, f in zip(channels, BLOCK_FILTERS))
    h, w, c = _after_blocks("valid") if flat is None else flat
    return convs + (h * w * c + dense_bias) * CLASSES


SHAPE = _after_blocks("valid")
SHAPE_SAME = _after_blocks("same")
PARAMS = _total_params()
_BEFORE_LAST_POOL = (output_size(output_size(output_size(CIFAR_SHAPE[0], 3), 2, stride=2), 3), ) * 2 + (BLOCK_FILTERS[-1],)
_FIRST_BLOCK = (output_size(output_size(CIFAR_SHAPE[0], 3), 2, stride=2),) * 2 + (BLOCK_FILTERS[0],)

ejercicio_1 = FunctionExercise(
    conv_params,
    [(3, 1, 32), (3, 32, 64), (5, 3, 16), (1, 192, 16), (7, 64, 1)],
    slips=[(lambda k, c, f: k * k * c * f, "te has olvidado del sesgo: cada filtro suma uno, además de sus pesos"),
           (lambda k, c, f: (k * k + 1) * f, "falta multiplicar por los canales de entrada: un filtro tiene un "
                                             "kernel k×k por cada canal")],
    title="Ejercicio 1 · Parámetros de una capa Conv2D",
    hint=["Cada filtro tiene un peso por píxel de la ventana y por canal de entrada: $k \\cdot k \\cdot C_{in}$.",
          "A cada filtro se le suma además un sesgo (*bias*)."],
    solution="""
        def parametros_conv(k, canales_entrada, filtros):
            return (k * k * canales_entrada + 1) * filtros
    """,
)

ejercicio_2 = ModelExercise(
    [layer("Conv2D", filters=32, kernel_size=3, padding="same", activation="relu"),
     layer("MaxPooling2D", pool_size=2, strides=2)],
    input_shape=(28, 28, 1),
    output_shape=(14, 14, 32),
    params=conv_params(3, 1, 32),
    title="Ejercicio 2 · Un bloque convolucional",
    hint=["Son dos capas en una lista: `layers.Conv2D(...)` y `layers.MaxPooling2D(...)`.",
          "El *padding* SAME se pide con `padding=\"same\"`; la ReLU, con `activation=\"relu\"`."],
    solution="""
        bloque = [
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
        ]
    """,
)

ejercicio_3 = ValueExercise(
    SHAPE,
    slips=[
        (SHAPE_SAME, "esa sería la forma con padding SAME; aquí las convoluciones son VALID y cada una "
                     "recorta 2 píxeles de lado antes del pooling"),
        ((BLOCK_FILTERS[-1], *SHAPE[:2]), "pones los canales delante; Keras los pone al final: (alto, ancho, canales)"),
        ((SHAPE[0] + 1, SHAPE[1] + 1, SHAPE[2]), "el pooling 2×2 redondea hacia abajo: 13 → 6 (la última fila y la "
                                                 "última columna, sin pareja, se descartan), no 7"),
        (_FIRST_BLOCK, "esa es la salida del primer bloque; falta aplicar el segundo (convolución 3×3 de 32 "
                       "filtros y pooling)"),
        ((*SHAPE[:2], BLOCK_FILTERS[0]), "el alto y el ancho están bien, pero los canales de salida son los "
                                         "filtros del último bloque, 32"),
    ],
    title="Ejercicio 3 · Forma de salida tras dos bloques",
    hint=["Aplica $O = (W - K + 2P)/S + 1$ capa a capa: convolución 3×3 VALID ($P=0$, $S=1$) y luego pooling 2×2 ($S=2$).",
          "El pooling descarta la fila y la columna sobrantes cuando el tamaño es impar (redondea hacia abajo)."],
    solution="""
        # 32 → conv 3×3 VALID → 30 → pool → 15 → conv → 13 → pool → 6; canales: los 32 filtros del último bloque
        forma = (6, 6, 32)
    """,
)

ejercicio_4 = ValueExercise(
    PARAMS,
    slips=[
        (_total_params(bias=False), "te has olvidado de los sesgos: uno por filtro en cada Conv2D y uno por neurona en la Dense"),
        (PARAMS - (SHAPE[0] * SHAPE[1] * SHAPE[2] + 1) * CLASSES, "falta la capa Dense, que es la que más parámetros tiene"),
        (_total_params(dense_bias=False), "te falta el sesgo de la Dense: uno por neurona, 10"),
        (_total_params(bias=False, dense_bias=True), "te faltan los sesgos de las convoluciones: uno por filtro, "
                                                     "16 + 32"),
        (_total_params(in_channels=1), "la primera Conv2D ve 3 canales (RGB), no 1 como en MNIST: cada filtro "
                                       "tiene 3·3·3 pesos"),
        (_total_params(flat=SHAPE_SAME), "la Dense recibe 6·6·32 valores: con convoluciones VALID el lado queda "
                                         "en 6, no en 8 (eso sería con padding SAME)"),
        (_total_params(flat=_BEFORE_LAST_POOL), "la Dense va después del segundo pooling: recibe 6·6·32 valores, "
                                                "no los 13·13·32 de antes del pooling"),
    ],
    title="Ejercicio 4 · Parámetros de la red completa",
    hint=["Suma las tres capas con parámetros: las dos Conv2D y la Dense. Pooling y Flatten no tienen.",
          "La primera Conv2D ve 3 canales (RGB); la Dense recibe el Flatten de la forma del ejercicio 3."],
    solution="""
        conv1 = (3 * 3 * 3 + 1) * 16
        conv2 = (3 * 3 * 16 + 1) * 32
        densa = (6 * 6 * 32 + 1) * 10
        total = conv1 + conv2 + densa
    """,
)

ejercicio_5 = ThoughtExercise(
    "Una capa densa sobre los 784 píxeles y una convolución ven el mismo dígito desplazado 3 píxeles. "
    "¿Por qué la convolución lo lleva mucho mejor?",
    """
    La convolución aplica el mismo filtro en todas las posiciones (pesos compartidos): si el trazo se mueve,
    su respuesta se mueve con él, igual pero en otro sitio (equivarianza). El pooling y la cabeza final resumen
    esos mapas y hacen que la decisión dependa poco de dónde esté el trazo. Una capa densa tiene un peso distinto
    para cada píxel: el dígito desplazado activa pesos que nunca vio en esa posición, y para ella es otra imagen.
    La invariancia de una CNN es solo aproximada: con desplazamientos grandes también falla.
    """,
    title="Ejercicio 5 · Pesos compartidos y desplazamientos",
    hint="Piensa en qué pesos multiplica un píxel concreto en cada tipo de capa, y qué pasa con ellos si el trazo se mueve.",
)

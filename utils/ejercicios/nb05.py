"""Exercises of notebook 05 · Convolución.

Every expected answer is computed here from the seeds' data with `utils.conv`, never typed in.
"""
import numpy as np

from utils.conv import conv2d, mult_count, output_size, pool2d
from utils.exercises import (ArrayExercise, FunctionExercise, ModelExercise, ThoughtExercise,
                             ValueExercise, layer)

# Seed 001: the 5×5 worked example, the 6×6 exercise, the vertical-edge kernel and the "letter".
IMAGE_5 = np.array([[7, 2, 3, 3, 8], [4, 5, 3, 8, 4], [3, 3, 2, 8, 4], [2, 8, 7, 2, 7], [5, 4, 4, 5, 4]])
IMAGE_6 = np.array([[3, 1, 1, 2, 8, 4], [1, 0, 7, 3, 2, 6], [2, 3, 5, 1, 1, 3],
                    [1, 4, 1, 2, 6, 5], [3, 2, 1, 3, 7, 2], [9, 2, 6, 2, 5, 1]])
VERTICAL_KERNEL = np.array([[1, 0, -1]] * 3)
SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
LETTER = 0.6 * np.array([[0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0], [0, 1, 0, 0, 1, 0],
                         [0, 1, 1, 1, 1, 0], [0, 1, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0]])

MAP_6 = conv2d(IMAGE_6, VERTICAL_KERNEL)


# ------------------------------------------------------------------ 1 · a feature map by hand

ejercicio_1 = ArrayExercise(
    MAP_6,
    slips=[
        (conv2d(IMAGE_6, VERTICAL_KERNEL[::-1, ::-1]),
         "tienes todos los signos cambiados: has girado el kernel. En una red el kernel se aplica tal cual: "
         "la columna izquierda de la ventana por 1 y la derecha por −1"),
        (conv2d(IMAGE_6, VERTICAL_KERNEL, padding="same"),
         "ese es el mapa con padding SAME (6×6); aquí no hay padding: el kernel solo se coloca donde cabe "
         "entero, 6 − 3 + 1 = 4 posiciones por eje"),
    ],
    title="Ejercicio 1 · Un feature map a mano",
    hint=["Cada valor es la suma de la columna izquierda de la ventana 3×3 menos la suma de su columna "
          "derecha; el primero es (3 + 1 + 2) − (1 + 7 + 5) = −7.",
          "Con código: `conv2d(imagen_6, kernel_vertical)`, o tu función del ejercicio 2. Compara su primera fila "
          "con la tuya, hecha a mano."],
    solution="""
        respuesta = conv2d(imagen_6, kernel_vertical)
        # Primera fila a mano: (3+1+2)-(1+7+5) = -7, (1+0+3)-(2+3+1) = -2,
        #                      (1+7+5)-(8+2+1) = 2,  (2+3+1)-(4+6+3) = -7
    """,
)

# ------------------------------------------------------------------ 2 · write the convolution


def _valid_conv(image, kernel):
    return conv2d(image, kernel)


ejercicio_2 = FunctionExercise(
    _valid_conv,
    [(IMAGE_5, VERTICAL_KERNEL), (IMAGE_6, VERTICAL_KERNEL), (LETTER, SOBEL),
     (np.arange(28).reshape(4, 7), np.array([[1, 2, 3], [0, -1, 4]]))],  # non-square image and kernel
    title="Ejercicio 2 · Tu propia convolución",
    hint=["El mapa tiene (alto − kh + 1) filas y (ancho − kw + 1) columnas; créalo con `np.zeros`.",
          "Dentro de dos bucles `for i ...: for j ...:`, la ventana es `imagen[i:i + kh, j:j + kw]`: "
          "`salida[i, j] = np.sum(ventana * kernel)`."],
    solution="""
        def convolucion(imagen, kernel):
            imagen, kernel = np.asarray(imagen, dtype=float), np.asarray(kernel, dtype=float)
            kh, kw = kernel.shape
            salida = np.zeros((imagen.shape[0] - kh + 1, imagen.shape[1] - kw + 1))
            for i in range(salida.shape[0]):
                for j in range(salida.shape[1]):
                    salida[i, j] = np.sum(imagen[i:i + kh, j:j + kw] * kernel)
            return salida
    """,
)

# ------------------------------------------------------------------ 3 · output sizes

SIZE_CASES = [(28, 5, 1, 0), (32, 3, 2, 1), (227, 11, 4, 0)]  # (W, K, S, P)
ejercicio_3 = ValueExercise(
    tuple(output_size(w, k, stride=s, padding=p) for w, k, s, p in SIZE_CASES),
    slips=[
        (tuple(output_size(w, k, stride=s, padding=p) - 1 for w, k, s, p in SIZE_CASES),
         "a todos les falta el +1 final: (W − K + 2P)/S cuenta los desplazamientos del kernel, "
         "y las posiciones son una más"),
        (tuple((w - k + 2 * p) / s + 1 for w, k, s, p in SIZE_CASES),
         "cuando la división no es exacta se redondea hacia abajo: la última ventana, que no cabe "
         "entera, no se calcula"),
    ],
    title="Ejercicio 3 · Tamaños de salida",
    hint=["Aplica $O = \\lfloor (W - K + 2P)/S \\rfloor + 1$ a cada caso.",
          "En el segundo caso, (32 − 3 + 2)/2 = 15,5: el suelo es 15."],
    solution="""
        respuesta = (output_size(28, 5),
                     output_size(32, 3, stride=2, padding=1),
                     output_size(227, 11, stride=4))
        # (28 - 5)/1 + 1 = 24;  floor((32 - 3 + 2)/2) + 1 = 16;  (227 - 11)/4 + 1 = 55
    """,
)

# ------------------------------------------------------------------ 4 · padding that keeps the size

W4, K4, S4 = 32, 5, 2
P4 = (K4 - 1) // 2
ejercicio_4 = ValueExercise(
    (P4, output_size(W4, K4, stride=S4, padding=P4)),
    slips=[
        ((K4 - 1, output_size(W4, K4, stride=S4, padding=K4 - 1)),
         "P = K − 1 es el padding FULL: agranda la salida. Para conservar el tamaño basta la mitad"),
        ((P4, (W4 - K4 + 2 * P4) / S4 + 1),
         "el padding es correcto; en el tamaño, redondea la división hacia abajo"),
    ],
    title="Ejercicio 4 · El padding que conserva el tamaño",
    hint=["Con stride 1, la salida mide W − K + 2P + 1: iguálalo a W y despeja P.",
          "Con P = 2 y stride 2: ⌊(32 − 5 + 4)/2⌋ + 1."],
    solution="""
        P = (5 - 1) // 2                          # (K - 1)/2 = 2
        respuesta = (P, output_size(32, 5, stride=2, padding=P))   # floor(31/2) + 1 = 16
    """,
)

# ------------------------------------------------------------------ 5 · ReLU and pooling

ejercicio_5 = ArrayExercise(
    pool2d(np.maximum(MAP_6, 0), 2),
    slips=[
        (pool2d(MAP_6, 2), "ese es el pooling sin ReLU: primero anula los negativos con `np.maximum(mapa, 0)`"),
        (pool2d(np.maximum(MAP_6, 0), 2, mode="avg"),
         "has promediado (average pooling); el max pooling se queda con el máximo de cada ventana"),
        (pool2d(np.maximum(MAP_6, 0), 2, stride=1),
         "con stride 1 las ventanas se solapan; con stride 2 cada ventana empieza donde acaba la anterior "
         "y la salida es 2×2"),
    ],
    title="Ejercicio 5 · ReLU y max pooling",
    hint=["El mapa 4×4 se divide en cuatro bloques 2×2 que no se solapan; de cada uno te quedas con el máximo.",
          "`pool2d(np.maximum(mapa, 0), 2)` hace las dos cosas."],
    solution="""
        mapa = conv2d(imagen_6, kernel_vertical)
        respuesta = pool2d(np.maximum(mapa, 0), 2)
        # Con max pooling da igual el orden: max(ReLU(x)) = ReLU(max(x)).
    """,
)

# ------------------------------------------------------------------ 6 · how many filters fit in a bottleneck

# GoogLeNet's inception block 4a, 5×5 branch: 14×14×480 input, a 1×1 bottleneck, then 48 5×5 filters.
INCEPTION_INPUT, FILTERS, GOOGLENET_REDUCE, BUDGET = (14, 14, 480), 48, 16, 10  # branch ≤ direct / BUDGET
DIRECT = mult_count(INCEPTION_INPUT, 5, FILTERS, padding="same")


def branch_cost(reduce, *, with_1x1=True):
    """Multiplications of the 5×5 branch behind `reduce` 1×1 filters (the 1×1 layer included or not)."""
    after = mult_count((*INCEPTION_INPUT[:2], reduce), 5, FILTERS, padding="same")
    return after + (mult_count(INCEPTION_INPUT, 1, reduce) if with_1x1 else 0)


def _most_filters(**options):
    return max(n for n in range(1, INCEPTION_INPUT[2] + 1) if branch_cost(n, **options) <= DIRECT / BUDGET)


MOST_FILTERS = _most_filters()


def _thousands(n):
    return f"{n:,}".replace(",", " ")


ejercicio_6 = ValueExercise(
    MOST_FILTERS,
    slips=[
        (_most_filters(with_1x1=False),
         f"{_most_filters(with_1x1=False)} filtros cumplen el límite si solo cuentas la 5×5; la convolución 1×1 "
         "también multiplica y su coste entra en la rama"),
        (MOST_FILTERS + 1,
         f"con {MOST_FILTERS + 1} filtros la rama hace {_thousands(branch_cost(MOST_FILTERS + 1))} multiplicaciones, "
         f"más que la décima parte de la 5×5 directa ({_thousands(DIRECT // BUDGET)}): te pasas en uno"),
        (GOOGLENET_REDUCE,
         f"{GOOGLENET_REDUCE} es lo que usa GoogLeNet, y cumple el límite, pero caben más: se pide el mayor número "
         "que lo cumple"),
    ],
    title="Ejercicio 6 · ¿Cuántos filtros caben en el cuello de botella?",
    hint=["Escribe el coste de la rama en función del número n de filtros 1×1: "
          "`mult_count((14, 14, 480), 1, n) + mult_count((14, 14, n), 5, 48)`; la 5×5 directa es "
          "`mult_count((14, 14, 480), 5, 48)`.",
          "Prueba n = 1, 2, 3... y quédate con el mayor que no pase de la décima parte: "
          "`max(n for n in range(1, 481) if rama(n) <= directa / 10)`."],
    solution="""
        directa = mult_count((14, 14, 480), 5, 48)                   # 14·14·48·5·5·480


        def rama(n):                                                 # 1×1 con n filtros + 5×5 sobre n canales
            return mult_count((14, 14, 480), 1, n) + mult_count((14, 14, n), 5, 48)


        respuesta = max(n for n in range(1, 481) if rama(n) <= directa / 10)
        # Cada filtro 1×1 cuesta 14·14·(480 + 48·25) = 329 280 multiplicaciones: caben 34, el doble de los 16 de GoogLeNet.
    """,
)

# ------------------------------------------------------------------ 7 · a convolutional block in Keras

ejercicio_7 = ModelExercise(
    [layer("Conv2D", filters=8, kernel_size=3, padding="same", activation="relu"),
     layer("MaxPooling2D", pool_size=2)],
    input_shape=(28, 28, 1),
    output_shape=(14, 14, 8),
    params=8 * (3 * 3 * 1 + 1),  # a 3×3×1 kernel and one bias per filter
    title="Ejercicio 7 · Un bloque convolucional en Keras",
    hint=["`layers.Conv2D(filtros, tamaño, padding=..., activation=...)` y `layers.MaxPooling2D(tamaño)`.",
          "Empieza el `keras.Sequential` con `keras.Input(shape=(28, 28, 1))`: SAME conserva 28×28 "
          "y el pooling 2×2 lo deja en 14×14."],
    solution="""
        respuesta = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(8, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
        ])
    """,
)

# ------------------------------------------------------------------ 8 · thinking about ReLU and filters

ejercicio_8 = ThoughtExercise(
    "Tras el Sobel vertical y la ReLU, ¿qué bordes de la letra sobreviven y cuáles desaparecen? "
    "¿Cómo puede una capa convolucional detectar los dos tipos de borde?",
    """
    El kernel resta la columna derecha de la izquierda, así que da valores positivos donde la intensidad
    baja de izquierda a derecha (el lado derecho de cada trazo) y negativos donde sube (el lado izquierdo).
    La ReLU anula los negativos: solo sobreviven los bordes de bajada. Una capa tiene muchos filtros;
    si aprende también el kernel opuesto (el Sobel con el signo cambiado), su feature map recoge los
    bordes de subida. Por eso las capas de una CNN tienen decenas de filtros: cada uno detecta una cosa.
    """,
    title="Ejercicio 8 · ¿Qué bordes deja pasar la ReLU?",
    hint="Fíjate en el signo de la tabla «Convolución» de la sección 3: ¿en qué columnas es negativo?",
)

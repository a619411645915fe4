"""Exercises of notebook 02 · Neuronas y activaciones.

Every expected answer is computed here from the formulas, never typed in.
"""
import numpy as np

from utils.exercises import ArrayExercise, FunctionExercise, ModelExercise, ValueExercise, layer


INPUTS = [np.linspace(-6, 6, 13), np.array([0.0]), np.array([-10.0, -0.5, 0.5, 10.0])]


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ------------------------------------------------------------------ 1 · leaky ReLU

LEAKY_SLOPE = 0.2  # keras.activations.leaky_relu's default negative_slope


def _leaky_relu(x):
    return np.where(x > 0, x, LEAKY_SLOPE * x)


ejercicio_1 = FunctionExercise(
    _leaky_relu, INPUTS,
    slips=[(lambda x: np.maximum(0, x), "esa es la ReLU de siempre: para x < 0 debe devolver 0.2·x, no 0"),
           (lambda x: np.where(x > 0, x, LEAKY_SLOPE), "para x < 0 debe devolver 0.2·x (una recta), no la constante 0.2"),
           (lambda x: np.where(x > 0, LEAKY_SLOPE * x, x), "has cambiado los tramos: x tal cual si x > 0 y 0.2·x si no"),
           (lambda x: np.where(x > 0, x, 0.01 * x), "0.01 es la pendiente clásica de otras bibliotecas; aquí se pide 0.2, "
                                                     "la de Keras por defecto")],
    title="Ejercicio 1 · Leaky ReLU",
    hint=["`np.where(condición, valor_si_cierto, valor_si_falso)` elige elemento a elemento.",
          "`np.where(x > 0, x, 0.2 * x)`. También vale `np.maximum(x, 0.2 * x)`: ¿por qué?"],
    solution="""
        def leaky_relu(x):
            return np.where(x > 0, x, 0.2 * x)
    """,
)

# ------------------------------------------------------------------ 2 · derivative of softplus

ejercicio_2 = FunctionExercise(
    _sigmoid, INPUTS,
    slips=[(lambda x: _sigmoid(-x), "tienes el signo del exponente cambiado: es e^x / (1 + e^x) = 1 / (1 + e^(−x))"),
           (lambda x: np.log1p(np.exp(x)), "esa es la propia softplus; se pide su derivada"),
           (lambda x: np.where(x > 0, 1.0, 0.0), "esa es la derivada de ReLU; la de softplus es suave, sin salto en 0")],
    title="Ejercicio 2 · La derivada de softplus",
    hint=["Con u = 1 + e^x, la derivada de ln(u) es u'/u = e^x / (1 + e^x).",
          "Divide arriba y abajo entre e^x: e^x / (1 + e^x) = 1 / (1 + e^(−x)). ¿Te suena de algo?"],
    solution="""
        def derivada_softplus(x):
            return 1 / (1 + np.exp(-x))  # ¡es la sigmoide!
    """,
)

# ------------------------------------------------------------------ 3 · two linear layers are one

_rng = np.random.default_rng(2)
W1, b1 = _rng.integers(-2, 3, size=(3, 4)).astype(float), _rng.integers(-2, 3, size=4).astype(float)
W2, b2 = _rng.integers(-2, 3, size=(4, 2)).astype(float), _rng.integers(-2, 3, size=2).astype(float)

ejercicio_3 = ValueExercise(
    (W1 @ W2, b1 @ W2 + b2),
    slips=[((W1 @ W2, b2), "W es correcta, pero b no: el sesgo b1 de la primera capa también pasa por W2, "
                           "así que b = b1·W2 + b2"),
           ((W1 @ W2, b1 @ W2), "W es correcta, pero a b le falta sumar el sesgo b2 de la segunda capa")],
    title="Ejercicio 3 · Dos capas lineales son una",
    hint=["Sustituye la primera capa en la segunda: (x·W1 + b1)·W2 + b2 = x·(W1·W2) + (b1·W2 + b2).",
          "Con NumPy, `W1 @ W2` y `b1 @ W2 + b2`; responde con la tupla `(W, b)`."],
    solution="""
        W = ej.W1 @ ej.W2
        b = ej.b1 @ ej.W2 + ej.b2
        respuesta = (W, b)
    """,
)

# ------------------------------------------------------------------ 4 · multi-label probabilities

LOGITS = np.array([2.0, 1.0, -0.5])
_exp = np.exp(LOGITS)

ejercicio_4 = ArrayExercise(
    _sigmoid(LOGITS),
    slips=[(_exp / _exp.sum(), "eso es softmax: reparte una probabilidad total de 1 entre clases excluyentes; "
                               "en multietiqueta cada clase lleva su propia sigmoide"),
           (_sigmoid(-LOGITS), "tienes el signo cambiado: σ(z) = 1 / (1 + e^(−z))")],
    title="Ejercicio 4 · Probabilidades multietiqueta",
    hint=["En multietiqueta cada clase es una pregunta de sí o no independiente de las demás.",
          "Aplica la sigmoide a cada logit: `1 / (1 + np.exp(-ej.LOGITS))`. Las probabilidades no tienen por qué sumar 1."],
    solution="""
        respuesta = 1 / (1 + np.exp(-ej.LOGITS))
    """,
)

# ------------------------------------------------------------------ 5 · a network with a hidden layer

INPUT_SIZE, HIDDEN = 64, 16

ejercicio_5 = ModelExercise(
    [layer("Dense", units=HIDDEN, activation="relu"), layer("Dense", units=1, activation="linear")],
    input_shape=(INPUT_SIZE,), output_shape=(None, 1),
    params=(INPUT_SIZE * HIDDEN + HIDDEN) + (HIDDEN * 1 + 1),
    title="Ejercicio 5 · Una capa oculta",
    hint=["`keras.Sequential([keras.Input(shape=(64,)), layers.Dense(...), layers.Dense(...)])`.",
          "La capa oculta lleva `activation=\"relu\"`; la de salida, una sola unidad lineal (sin activación), "
          "como en una regresión."],
    solution="""
        respuesta = keras.Sequential([
            keras.Input(shape=(64,)),
            layers.Dense(16, activation="relu"),
            layers.Dense(1),
        ])
    """,
)

# ------------------------------------------------------------------ 6 · parameters of the seed's network

SEED_NET = [15, 15, 15, 1]  # inputs, then the units of each Dense layer
WEIGHTS = sum(n_in * n_out for n_in, n_out in zip(SEED_NET, SEED_NET[1:]))
BIASES = sum(SEED_NET[1:])

ejercicio_6 = ValueExercise(
    WEIGHTS + BIASES,
    slips=[(WEIGHTS, "has contado solo los pesos: cada neurona tiene además su sesgo"),
           (WEIGHTS + BIASES - 1, "te falta el sesgo de la neurona de salida")],
    title="Ejercicio 6 · Parámetros de una red densa",
    hint=["Una capa Dense con n entradas y m unidades tiene n·m pesos y m sesgos.",
          "Suma las tres capas: 15·15 + 15, 15·15 + 15 y 15·1 + 1."],
    solution="""
        respuesta = (15 * 15 + 15) + (15 * 15 + 15) + (15 * 1 + 1)
    """,
)

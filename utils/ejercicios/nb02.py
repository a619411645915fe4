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
    slips=[(lambda x: np.maximum(0, x), "esa es la ReLU de siempre: para x < 0 debe devolver 0,2·x, no 0"),
           (lambda x: np.where(x > 0, x, LEAKY_SLOPE), "para x < 0 debe devolver 0,2·x (una recta), no la constante 0,2"),
           (lambda x: np.where(x > 0, LEAKY_SLOPE * x, x), "has cambiado los tramos: x tal cual si x > 0 y 0,2·x si no"),
           (lambda x: np.where(x > 0, x, 0.01 * x), "0,01 es la pendiente clásica de otras bibliotecas; aquí se pide 0,2, "
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

# ------------------------------------------------------------------ 6 · a network on a parameter budget

SEED_INPUTS, BUDGET = 15, 1000  # the seed's network: 15 inputs → Dense(n) → Dense(n) → Dense(1)


def dense_params(n, *, biases=True, hidden_layers=2):
    """Parameters of 15 inputs → `hidden_layers` Dense(n) → Dense(1), with or without the biases."""
    sizes = [SEED_INPUTS] + [n] * hidden_layers + [1]
    return sum(n_in * n_out + (n_out if biases else 0) for n_in, n_out in zip(sizes, sizes[1:]))


def _widest(**options):
    return max(n for n in range(1, BUDGET) if dense_params(n, **options) <= BUDGET)


WIDEST = _widest()

ejercicio_6 = ValueExercise(
    WIDEST,
    slips=[(WIDEST + 1, f"con {WIDEST + 1} neuronas por capa la red tiene {dense_params(WIDEST + 1)} parámetros y se "
                        f"pasa de {BUDGET} (¿has contado solo los pesos, sin un sesgo por neurona?)"),
           (_widest(hidden_layers=1), "ese ancho cabe con una sola capa oculta; la red tiene dos, y la segunda "
                                      "cuesta n·n pesos más sus n sesgos"),
           (15, f"15 es el ancho de la red de la diapositiva ({dense_params(15)} parámetros): cabe, pero se pide el "
                "mayor ancho que no pase del límite")],
    title="Ejercicio 6 · Una red con presupuesto",
    hint=["Una capa Dense con n_in entradas y n unidades tiene n_in·n pesos y n sesgos. Escribe el total de la red "
          "como una función de n y pruébala con n = 15 (la diapositiva: 496 parámetros).",
          "Total = (15·n + n) + (n·n + n) + (n·1 + 1). Quédate con el mayor n cuyo total no pase de 1000: "
          "`max(n for n in range(1, 100) if parametros(n) <= 1000)`."],
    solution="""
        def parametros(n):
            return (15 * n + n) + (n * n + n) + (n * 1 + 1)  # dos capas ocultas de n y la salida


        respuesta = max(n for n in range(1, 100) if parametros(n) <= 1000)
        # parametros(23) = 944 y parametros(24) = 1009: caben 23 neuronas por capa oculta.
    """,
)

# ------------------------------------------------------------------ 7 · a bump built from three ReLU units

BUMP_POINTS = np.linspace(-3, 3, 61)  # includes the kinks -1, 0 and 1


def _bump(x):
    return np.maximum(0, 1 - np.abs(x))


def _relu_net(w, b, v, c=0.0):
    """The network of notebook 02, section 7: y = Σ v_i·relu(w_i·x + b_i) + c."""
    return lambda x: np.maximum(0, np.outer(x, w) + b) @ np.asarray(v, dtype=float) + c


ejercicio_7 = FunctionExercise(
    _bump, [BUMP_POINTS],
    slips=[(_relu_net([1, 1, 1], [1, 0, -1], [1, -1, 1]),
            "la salida sube hasta x = 0 pero después no baja: para que la pendiente pase de +1 a −1 en x = 0, la "
            "unidad central tiene que restar el doble (v = −2)"),
           (_relu_net([1, 1, 1], [1, 0, -1], [1, -2, 0]),
            "el pico está bien, pero a partir de x = 1 la salida sigue bajando sin parar: la tercera unidad debe "
            "devolver la pendiente a 0 justo en x = 1"),
           (_relu_net([1, 1, 1], [1, 0, -1], [-1, 2, -1]),
            "tu bulto está boca abajo: cambia el signo de los tres pesos de salida"),
           (_relu_net([1, 1, 1], [1, 0, -1], [1, -2, 1], 1.0),
            "la forma es la del bulto pero está una unidad más arriba: el sesgo de salida c debe ser 0")],
    title="Ejercicio 7 · Un bulto con tres ReLU",
    hint=["relu(w·x + b) con w = 1 es una rampa que arranca en x = −b. El bulto cambia de pendiente en tres "
          "puntos: x = −1 (de 0 a +1), x = 0 (de +1 a −1) y x = 1 (de −1 a 0). Una unidad por codo.",
          "Cada peso de salida v es el cambio de pendiente en su codo: +1 en x = −1, −2 en x = 0 y +1 en x = 1. "
          "Pruébalo en el explorador de la sección 7 con el objetivo «bulto»."],
    solution="""
        w = (1, 1, 1)     # tres rampas de pendiente 1...
        b = (1, 0, -1)    # ...que arrancan en x = −1, 0 y 1
        v = (1, -2, 1)    # cambio de pendiente en cada codo: +1, −2, +1
        c = 0


        def bulto(x):
            return capa_oculta(x, w, b, v, "relu").sum(axis=1) + c
    """,
)

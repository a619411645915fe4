"""Exercises of notebook 03 · Pérdidas y optimización."""
import math

import numpy as np

from utils.exercises import FunctionExercise, ValueExercise
from utils.optim import START, bowl_gradient

# Seed 002's table: kind of problem -> (final activation, loss), with Keras names.
HEADS = {
    "regresión": ("linear", "mse"),
    "clasificación binaria": ("sigmoid", "binary_crossentropy"),
    "multiclase, una etiqueta": ("softmax", "categorical_crossentropy"),
    "multietiqueta": ("sigmoid", "binary_crossentropy"),
}
STEP_LR = 0.1  # learning rate of exercise 3


def _mae(y, y_pred):
    return float(np.mean(np.abs(np.asarray(y, float) - np.asarray(y_pred, float))))


def _cross_entropy(label, probabilities):
    return float(-np.sum(np.asarray(label, float) * np.log(np.asarray(probabilities, float))))


def _updates(n_samples, batch_size, epochs):
    return math.ceil(n_samples / batch_size) * epochs


_rng = np.random.default_rng(3)
_targets = [np.array([151.0, 75.0, 141.0, 206.0]), _rng.uniform(25, 350, 7).round(1)]
_MAE_CASES = [(_targets[0], np.array([140.0, 90.0, 150.0, 180.0])),  # errors with both signs
              (_targets[1], _targets[1] + _rng.normal(0, 30, 7).round(1)),
              (np.array([2.0, -1.0]), np.array([2.0, -1.0]))]  # perfect prediction: 0
_CE_CASES = [(np.array([1.0, 0.0, 0.0]), np.array([0.95, 0.03, 0.02])),  # seed 001: −log 0.95
             (np.array([1.0, 0.0, 0.0]), np.array([0.05, 0.80, 0.15])),  # seed 001: −log 0.05
             (np.array([0.0, 0.0, 1.0, 0.0]), np.array([0.1, 0.2, 0.3, 0.4]))]

ejercicio_1 = FunctionExercise(
    _mae, _MAE_CASES,
    slips=[(lambda y, y_pred: np.mean(y - y_pred),
            "falta el valor absoluto: sin él, los errores por arriba y por abajo se anulan"),
           (lambda y, y_pred: np.mean((y - y_pred) ** 2),
            "eso es el MSE (errores al cuadrado); el MAE usa el valor absoluto")],
    title="Ejercicio 1 · El error absoluto medio",
    hint=["MAE $= \\frac{1}{N}\\sum_i |y_i - \\hat y_i|$: resta, valor absoluto y media.",
          "`np.abs(...)` da el valor absoluto elemento a elemento y `np.mean(...)` la media."],
    solution="""
    def mae(y, y_pred):
        return np.mean(np.abs(y - y_pred))
    """,
)

ejercicio_2 = FunctionExercise(
    _cross_entropy, _CE_CASES,
    slips=[(lambda label, probs: -np.sum(label * np.log10(probs)),
            "has usado el logaritmo en base 10; la entropía cruzada usa el natural, `np.log`")],
    title="Ejercicio 2 · Entropía cruzada de una predicción",
    hint=["La fórmula es $-\\sum_i L_i \\log(S_i)$: no olvides el signo menos.",
          "Es el logaritmo natural, `np.log`, no `np.log10`."],
    solution="""
    def entropia_cruzada(etiqueta, probabilidades):
        return -np.sum(etiqueta * np.log(probabilidades))
    """,
)

ejercicio_3 = ValueExercise(
    tuple(float(v) for v in np.asarray(START) - STEP_LR * bowl_gradient(*START)),
    slips=[(tuple(float(v) for v in np.asarray(START) + STEP_LR * bowl_gradient(*START)),
            "has subido por el gradiente: el paso va en contra, resta η · ∇f"),
           (tuple(float(v) for v in np.asarray(START) - bowl_gradient(*START)),
            "te falta multiplicar el gradiente por la tasa de aprendizaje η = 0,1")],
    title="Ejercicio 3 · Un paso de descenso del gradiente a mano",
    hint=["El gradiente de $f(x, y) = 0{,}1x^2 + 2y^2$ es $(0{,}2x,\\ 4y)$.",
          "El paso va en contra del gradiente: $(x, y) - \\eta \\cdot \\nabla f(x, y)$."],
    solution="""
    x, y = -4.0, 2.0
    gradiente = (0.2 * x, 4 * y)
    respuesta = (x - 0.1 * gradiente[0], y - 0.1 * gradiente[1])
    """,
)

ejercicio_4 = ValueExercise(
    float(1 / bowl_gradient(0.0, 1.0)[1]),
    slips=[(float(2 / bowl_gradient(0.0, 1.0)[1]),
            "0,5 es el límite a partir del cual SGD diverge (factor −1); buscas la tasa que deja el factor 1 − 4η en 0")],
    title="Ejercicio 4 · La tasa que llega al fondo en un paso",
    hint=["En la dirección $y$, un paso de SGD hace $y \\leftarrow y - \\eta \\cdot 4y = (1 - 4\\eta)\\,y$.",
          "Busca la $\\eta$ que hace $1 - 4\\eta = 0$."],
    solution="""
    respuesta = 1 / 4  # (1 - 4η)·y = 0  ⇒  η = 0,25
    """,
)

ejercicio_5 = FunctionExercise(
    _updates, [(1438, 64, 10), (1438, 8, 1), (1000, 100, 3), (1438, 1438, 10), (50, 64, 2)],
    slips=[(lambda n, b, e: n // b * e,
            "el último lote, aunque quede incompleto, también actualiza los pesos: redondea hacia arriba"),
           (lambda n, b, e: n / b * e, "el número de lotes es un entero: redondea hacia arriba con `math.ceil`")],
    title="Ejercicio 5 · ¿Cuántas veces se actualizan los pesos?",
    hint=["Cada lote produce una actualización; una época recorre todos los lotes.",
          "El último lote puede quedar incompleto, pero también cuenta: redondea hacia arriba con `math.ceil`."],
    solution="""
    import math

    def actualizaciones(n_muestras, tam_lote, epocas):
        return math.ceil(n_muestras / tam_lote) * epocas
    """,
)

ejercicio_6 = ValueExercise(
    HEADS["multietiqueta"],
    slips=[(HEADS["multiclase, una etiqueta"],
            "softmax reparte una probabilidad que suma 1 entre las clases: no dejaría decir «persona» y «bici» a la vez")],
    title="Ejercicio 6 · La cabeza de un detector de objetos multietiqueta",
    hint=["Una foto puede contener a la vez una persona, una bici y un árbol: las etiquetas no se excluyen.",
          "Cada salida es un «sí/no» independiente: una probabilidad entre 0 y 1 por etiqueta."],
    solution="""
    respuesta = ("sigmoid", "binary_crossentropy")
    """,
)

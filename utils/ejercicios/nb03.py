"""Exercises of notebook 03 · Pérdidas y optimización."""
import math

import numpy as np

from utils.exercises import FunctionExercise, ValueExercise
from utils.optim import bowl_gradient

# Seed 002's table: kind of problem -> (final activation, loss), with Keras names.
HEADS = {
    "regresión": ("linear", "mse"),
    "clasificación binaria": ("sigmoid", "binary_crossentropy"),
    "multiclase, una etiqueta": ("softmax", "categorical_crossentropy"),
    "multietiqueta": ("sigmoid", "binary_crossentropy"),
}

# ------------------------------------------------------------------ 1. RMSE


def _rmse(y, y_pred):
    return float(np.sqrt(np.mean((np.asarray(y, float) - np.asarray(y_pred, float)) ** 2)))


_rng = np.random.default_rng(3)
_targets = [np.array([151.0, 75.0, 141.0, 206.0]), _rng.uniform(25, 350, 7).round(1)]
_RMSE_CASES = [(_targets[0], np.array([140.0, 90.0, 150.0, 180.0])),  # errors with both signs
               (_targets[1], _targets[1] + _rng.normal(0, 30, 7).round(1)),
               (np.array([2.0, -1.0]), np.array([2.0, -1.0]))]  # perfect prediction: 0

ejercicio_1 = FunctionExercise(
    _rmse, _RMSE_CASES,
    slips=[(lambda y, y_pred: np.mean((y - y_pred) ** 2),
            "eso es el MSE: falta la raíz cuadrada que lo devuelve a las unidades de y"),
           (lambda y, y_pred: np.mean(np.abs(y - y_pred)),
            "eso es el MAE, la media de los valores absolutos (o la raíz de cada error al cuadrado, que es lo "
            "mismo): el RMSE hace primero la media de los cuadrados y después la raíz"),
           (lambda y, y_pred: np.sqrt(np.sum((y - y_pred) ** 2)),
            "falta dividir entre el número de ejemplos: usa la media (`np.mean`), no la suma")],
    title="Ejercicio 1 · La raíz del error cuadrático medio",
    hint=["RMSE $= \\sqrt{\\frac{1}{N}\\sum_i (y_i - \\hat y_i)^2}$: el MSE de la sección 1 y, al final, su raíz.",
          "`np.sqrt(...)` da la raíz cuadrada; aplícala al resultado de `np.mean(...)`."],
    solution="""
    def rmse(y, y_pred):
        return np.sqrt(np.mean((y - y_pred) ** 2))
    """,
)

# ------------------------------------------------------------------ 2. cross-entropy of a batch


def _batch_cross_entropy(labels, probabilities):
    """Mean over the batch of each example's −Σ L log S, as Keras's categorical cross-entropy reports it."""
    labels, probabilities = np.asarray(labels, float), np.asarray(probabilities, float)
    return float(-np.mean(np.sum(labels * np.log(probabilities), axis=1)))


_CE_CASES = [(np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]),  # seed 001: −log 0.95 and −log 0.05
              np.array([[0.95, 0.03, 0.02], [0.05, 0.80, 0.15]])),
             (np.array([[0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]),
              np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.5, 0.15, 0.1], [0.05, 0.05, 0.1, 0.8]])),
             (np.array([[0.0, 1.0]]), np.array([[0.3, 0.7]]))]  # a batch of one example

ejercicio_2 = FunctionExercise(
    _batch_cross_entropy, _CE_CASES,
    slips=[(lambda labels, probs: -np.sum(labels * np.log(probs)),
            "has sumado las pérdidas de todo el lote: la de un lote es la media de la de cada ejemplo"),
           (lambda labels, probs: -np.mean(labels * np.log(probs)),
            "`np.mean` sobre toda la matriz divide también entre el número de clases: suma primero por "
            "clases (`axis=1`) y haz después la media de los ejemplos"),
           (lambda labels, probs: -np.mean(np.sum(labels * np.log10(probs), axis=1)),
            "has usado el logaritmo en base 10; la entropía cruzada usa el natural, `np.log`")],
    title="Ejercicio 2 · Entropía cruzada de un lote",
    hint=["Cada fila es un ejemplo: su pérdida es $-\\sum_i L_i \\log(S_i)$, una suma por columnas (`axis=1`).",
          "La pérdida del lote es la media de las de sus ejemplos, y no olvides el signo menos."],
    solution="""
    def entropia_cruzada_lote(etiquetas, probabilidades):
        return -np.mean(np.sum(etiquetas * np.log(probabilidades), axis=1))
    """,
)

# ------------------------------------------------------------------ 3. one Dense layer's backward pass


def dense_tanh_backward(X, W, Z, dA):
    """Backward pass of A = tanh(Z), Z = X @ W + b: (dW, db, dX) from dA = ∂L/∂A."""
    dZ = dA * (1 - np.tanh(Z) ** 2)
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def _layer_case(rng, n_examples, units):
    """(X, W, Z, dA) of a layer with as many inputs as units (so that W and W.T have the same shape)."""
    X = rng.normal(0.0, 1.0, (n_examples, units)).round(2)
    W = rng.normal(0.0, 0.8, (units, units)).round(2)
    b = rng.normal(0.0, 0.3, units).round(2)
    dA = rng.normal(0.0, 0.5, (n_examples, units)).round(2) / n_examples  # a mean loss brings its 1/N
    return X, W, X @ W + b, dA


_rng_layer = np.random.default_rng(303)
# N ≠ units in every case: X.T @ dZ and X @ dZ cannot both have the right shape. The first case has N > 1
# (a mean over one example is the sum), and every W is square so that `dZ @ W` runs and is diagnosed.
_LAYER_CASES = [_layer_case(_rng_layer, 4, 3), _layer_case(_rng_layer, 1, 2), _layer_case(_rng_layer, 6, 4)]


def _backward_with(dZ_of, *, dW=lambda X, dZ: X.T @ dZ, db=lambda dZ: dZ.sum(axis=0), dX=lambda dZ, W: dZ @ W.T):
    """A layer backward pass with one of its steps done wrong (a typical mistake)."""
    def backward(X, W, Z, dA):
        dZ = dZ_of(Z, dA)
        return dW(X, dZ), db(dZ), dX(dZ, W)
    return backward


def _right_dZ(Z, dA):
    return dA * (1 - np.tanh(Z) ** 2)


ejercicio_3 = FunctionExercise(
    dense_tanh_backward, _LAYER_CASES,
    slips=[(_backward_with(lambda Z, dA: dA),
            "te falta la derivada de la activación: primero dZ = dA * f'(Z), con tanh'(Z) = 1 − tanh(Z)²"),
           (_backward_with(lambda Z, dA: dA * (1 - Z ** 2)),
            "1 − Z² es la fórmula aplicada a la preactivación Z; la derivada es 1 − tanh(Z)², "
            "es decir, 1 − A² con A = tanh(Z)"),
           (_backward_with(lambda Z, dA: dA * np.tanh(Z)),
            "has multiplicado por la activación tanh(Z), no por su derivada 1 − tanh(Z)²"),
           (_backward_with(_right_dZ, dX=lambda dZ, W: dZ @ W),
            "dX va hacia atrás por los mismos pesos, traspuestos: dX = dZ @ W.T, no dZ @ W"),
           (_backward_with(_right_dZ, dW=lambda X, dZ: dZ.T @ X),
            "dW tiene la forma de W, (entradas, neuronas): es X.T @ dZ, no dZ.T @ X (que da su traspuesta)"),
           (_backward_with(_right_dZ, db=lambda dZ: dZ.sum(axis=1)),
            "db suma dZ sobre los ejemplos, el eje 0 (`dZ.sum(axis=0)`): un valor por neurona, como b"),
           (_backward_with(_right_dZ, db=lambda dZ: np.sum(dZ)),
            "db suma dZ solo sobre los ejemplos, el eje 0 (`dZ.sum(axis=0)`), y da un valor por neurona, "
            "como b; `np.sum(dZ)` lo suma todo en un solo número"),
           (_backward_with(_right_dZ, dW=lambda X, dZ: X.T @ dZ / len(X), db=lambda dZ: dZ.mean(axis=0)),
            "el 1/N de la pérdida media ya viene dentro de dA: en la capa se suma sobre los ejemplos, "
            "no se vuelve a promediar")],
    title="Ejercicio 3 · La retropropagación de una capa Dense",
    hint=["Primero pasa el gradiente a través de la activación: `dZ = dA * (1 - np.tanh(Z) ** 2)`.",
          "Después, las tres fórmulas de la sección 6: `dW = X.T @ dZ`, `db = dZ.sum(axis=0)`, `dX = dZ @ W.T`. "
          "Comprueba las formas: dW como W, db como b, dX como X."],
    solution="""
    def retro_densa(X, W, Z, dA):
        dZ = dA * (1 - np.tanh(Z) ** 2)
        dW = X.T @ dZ
        db = dZ.sum(axis=0)
        dX = dZ @ W.T
        return dW, db, dX
    """,
)

# ------------------------------------------------------------------ 4. two steps of gradient descent

STEP_START, STEP_LR, STEP_COUNT = (3.0, -1.0), 0.2, 2


def _descend(start, lr, steps, sign=-1.0):
    point = np.asarray(start, dtype=float)
    for _ in range(steps):
        point = point + sign * lr * bowl_gradient(*point)
    return tuple(float(v) for v in point)


ejercicio_4 = ValueExercise(
    _descend(STEP_START, STEP_LR, STEP_COUNT),
    slips=[(_descend(STEP_START, STEP_LR, STEP_COUNT, sign=1.0),
            "has subido por el gradiente: cada paso va en contra, resta η · ∇f"),
           (_descend(STEP_START, 1.0, STEP_COUNT),
            "te falta multiplicar el gradiente por la tasa de aprendizaje η = 0,2"),
           (_descend(STEP_START, STEP_LR, 1),
            "ese es el punto tras un solo paso: calcula el gradiente en él y da el segundo"),
           (tuple(float(v) for v in np.subtract(_descend(STEP_START, STEP_LR, 1),
                                                STEP_LR * bowl_gradient(*STEP_START))),
            "en el segundo paso hay que calcular el gradiente en el punto nuevo, no reutilizar el del primero")],
    title="Ejercicio 4 · Dos pasos de descenso del gradiente",
    hint=["El gradiente de $f(x, y) = 0{,}1x^2 + 2y^2$ es $(0{,}2x,\\ 4y)$.",
          "Cada paso: $(x, y) \\leftarrow (x, y) - \\eta \\cdot \\nabla f(x, y)$, con el gradiente calculado en el "
          "punto donde estás. Repítelo dos veces (un bucle `for` vale)."],
    solution="""
    x, y = 3.0, -1.0
    for paso in range(2):
        gx, gy = 0.2 * x, 4 * y
        x, y = x - 0.2 * gx, y - 0.2 * gy
    respuesta = (x, y)
    """,
)

# ------------------------------------------------------------------ 5. the rate that reaches the bottom in one step

ejercicio_5 = ValueExercise(
    float(1 / bowl_gradient(0.0, 1.0)[1]),
    slips=[(float(2 / bowl_gradient(0.0, 1.0)[1]),
            "0,5 es el límite a partir del cual SGD diverge (factor −1); buscas la tasa que deja el factor 1 − 4η en 0")],
    title="Ejercicio 5 · La tasa que llega al fondo en un paso",
    hint=["En la dirección $y$, un paso de SGD hace $y \\leftarrow y - \\eta \\cdot 4y = (1 - 4\\eta)\\,y$.",
          "Busca la $\\eta$ que hace $1 - 4\\eta = 0$."],
    solution="""
    respuesta = 1 / 4  # (1 - 4η)·y = 0  ⇒  η = 0,25
    """,
)

# ------------------------------------------------------------------ 6. weight updates


def _updates(n_samples, batch_size, epochs):
    return math.ceil(n_samples / batch_size) * epochs


ejercicio_6 = FunctionExercise(
    _updates, [(1438, 64, 10), (1438, 8, 1), (1000, 100, 3), (1438, 1438, 10), (50, 64, 2)],
    slips=[(lambda n, b, e: n // b * e,
            "el último lote, aunque quede incompleto, también actualiza los pesos: redondea hacia arriba"),
           (lambda n, b, e: n / b * e, "el número de lotes es un entero: redondea hacia arriba con `math.ceil`")],
    title="Ejercicio 6 · ¿Cuántas veces se actualizan los pesos?",
    hint=["Cada lote produce una actualización; una época recorre todos los lotes.",
          "El último lote puede quedar incompleto, pero también cuenta: redondea hacia arriba con `math.ceil`."],
    solution="""
    import math

    def actualizaciones(n_muestras, tam_lote, epocas):
        return math.ceil(n_muestras / tam_lote) * epocas
    """,
)

# ------------------------------------------------------------------ 7. the loss of a multi-label classifier


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, float)))


def multilabel_loss(labels, z):
    """Binary cross-entropy of one multi-hot label vector and the last layer's K outputs before the
    activation, averaged over the K labels (what Keras's `binary_crossentropy` gives for one example)."""
    labels, p = np.asarray(labels, float), _sigmoid(z)
    return float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))


def _softmax(z):
    e = np.exp(np.asarray(z, float) - np.max(z))
    return e / e.sum()


# persona, bici, árbol, coche, barco, casa
_MULTILABEL_CASES = [(np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0]), np.array([2.1, 0.4, -1.3, -0.2, -2.5, 0.8])),
                     (np.array([0.0, 0.0, 1.0, 0.0, 0.0, 1.0]), np.array([-1.0, -2.2, 1.7, 0.3, -0.6, 2.4])),
                     (np.array([1.0, 1.0, 1.0]), np.array([0.5, 1.5, -0.5])),
                     (np.array([0.0, 1.0, 0.0, 1.0]), np.array([-3.0, 0.0, 1.2, 2.0]))]
_SOFTMAX = ("softmax reparte una probabilidad que suma 1 entre todas las etiquetas, así que no deja decir «sí» a "
            "varias a la vez: usa una sigmoide por etiqueta y la entropía cruzada binaria")

ejercicio_7 = FunctionExercise(
    multilabel_loss, _MULTILABEL_CASES,
    slips=[(lambda y, z: -np.sum(y * np.log(_softmax(z))), _SOFTMAX),
           (lambda y, z: -np.mean(y * np.log(_softmax(z)) + (1 - y) * np.log(1 - _softmax(z))), _SOFTMAX),
           (lambda y, z: -np.mean(y * np.log(_sigmoid(z))),
            "falta el término $(1 - y)\\log(1 - p)$ de las etiquetas ausentes: sin él, decir «sí» a un objeto "
            "que no está en la foto no cuesta nada"),
           (lambda y, z: -np.sum(y * np.log(_sigmoid(z)) + (1 - y) * np.log(1 - _sigmoid(z))),
            "has sumado las pérdidas de las K etiquetas; la entropía cruzada binaria de Keras hace su media")],
    title="Ejercicio 7 · La pérdida de un clasificador multietiqueta",
    hint=["Las etiquetas no se excluyen: cada salida es un «sí/no» independiente, con su propia sigmoide "
          "`p = sigmoide(z)` (la de la sección 4).",
          "Después, la entropía cruzada binaria de la sección 3 con esas K probabilidades: "
          "$-\\frac{1}{K}\\sum_k \\big[y_k \\log p_k + (1 - y_k)\\log(1 - p_k)\\big]$."],
    solution="""
    def perdida_multietiqueta(etiquetas, z):
        p = sigmoide(z)
        return -np.mean(etiquetas * np.log(p) + (1 - etiquetas) * np.log(1 - p))
    """,
)

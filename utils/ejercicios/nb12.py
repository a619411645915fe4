"""Exercises of notebook 12 · Proyecto: clasificación de escenas."""
import numpy as np

from utils.exercises import FunctionExercise, ModelExercise, ThoughtExercise, layer


def _majority_accuracy(y):
    y = np.asarray(y).ravel()
    return float(np.bincount(y).max() / len(y))


def _per_class(matrix):
    matrix = np.asarray(matrix, dtype=np.float64)
    return matrix.diagonal() / matrix.sum(axis=1)


def _worst_mistakes(probabilities, y_true, k):
    probabilities, y_true = np.asarray(probabilities), np.asarray(y_true)
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")][:k]


_rng = np.random.default_rng(12)


def _probabilities(n, classes):
    logits = _rng.normal(0, 2, (n, classes))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_P1, _Y1 = _probabilities(40, 4), _rng.integers(0, 4, 40)
_P2 = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7], [0.45, 0.55]])
_Y2 = np.array([1, 1, 1, 0, 0])

def _least_sure_first(probabilities, y_true, k):
    probabilities, y_true = np.asarray(probabilities), np.asarray(y_true)
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    return wrong[np.argsort(probabilities[wrong, predicted[wrong]], kind="stable")][:k]


ejercicio_1 = FunctionExercise(
    _majority_accuracy,
    slips=[(lambda y: int(np.bincount(np.asarray(y)).max()),
            "eso es cuántas veces aparece la clase más frecuente; divídelo entre el total para tener una fracción")],
    cases=[np.array([0, 1, 1, 2, 1, 0]), _rng.integers(0, 4, 50), np.array([3, 3, 3, 3])],
    title="Ejercicio 1 · La exactitud que hay que batir",
    hint=["`np.bincount(y)` cuenta cuántas veces aparece cada clase.",
          "La clase más frecuente acierta `np.bincount(y).max()` veces de `len(y)`."],
    solution="""
        def exactitud_mayoritaria(y):
            return np.bincount(y).max() / len(y)
    """,
)

ejercicio_2 = FunctionExercise(
    _per_class,
    slips=[(lambda m: np.asarray(m).diagonal() / np.asarray(m).sum(axis=0),
            "has dividido por la suma de cada columna (lo que predijo el modelo); divide por la de cada fila, "
            "que es el total de cada clase real")],
    cases=[np.array([[8, 2], [1, 9]]), np.array([[50, 3, 2, 0], [4, 40, 1, 5], [0, 0, 30, 20], [1, 2, 15, 32]])],
    title="Ejercicio 2 · Aciertos por clase",
    hint=["Los aciertos de cada clase están en la diagonal: `matriz.diagonal()`.",
          "Divide por el total de cada clase real, que es la suma de su fila: `matriz.sum(axis=1)`."],
    solution="""
        def aciertos_por_clase(matriz):
            return matriz.diagonal() / matriz.sum(axis=1)
    """,
)

ejercicio_3 = FunctionExercise(
    _worst_mistakes,
    slips=[(_least_sure_first, "los has ordenado de menos a más seguro: ordena por la probabilidad con el signo cambiado")],
    cases=[(_P2, _Y2, 2), (_P1, _Y1, 5), (_P2, _Y2, 10)],
    title="Ejercicio 3 · Los peores errores",
    hint=["La predicción es `probabilidades.argmax(axis=1)`; los errores, `np.flatnonzero(prediccion != y_real)`.",
          "La seguridad de cada error es la probabilidad de su clase predicha, `probabilidades.max(axis=1)`; "
          "ordénalos de mayor a menor con `np.argsort(-seguridad)` y quédate con los `k` primeros."],
    solution="""
        def peores_errores(probabilidades, y_real, k):
            prediccion = probabilidades.argmax(axis=1)
            errores = np.flatnonzero(prediccion != y_real)
            seguridad = probabilidades.max(axis=1)[errores]
            return errores[np.argsort(-seguridad, kind="stable")][:k]
    """,
)

_FILTERS, _KERNEL, _SIZE, _CHANNELS = 32, 3, 64, 3
ejercicio_4 = ModelExercise(
    [layer("Conv2D", filters=_FILTERS, kernel_size=_KERNEL, padding="same", activation="relu"),
     layer("MaxPooling2D", pool_size=2)],
    input_shape=(_SIZE, _SIZE, _CHANNELS),
    output_shape=(None, _SIZE // 2, _SIZE // 2, _FILTERS),
    params=(_KERNEL * _KERNEL * _CHANNELS + 1) * _FILTERS,
    title="Ejercicio 4 · Un bloque convolucional",
    hint=["`layers.Conv2D(filtros, tamaño, padding=..., activation=...)` y después `layers.MaxPooling2D(...)`.",
          "Con `padding=\"same\"` la convolución conserva 64×64; el pooling 2×2 lo reduce a 32×32."],
    solution="""
        respuesta = [
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
        ]
    """,
)

ejercicio_5 = ThoughtExercise(
    "¿Qué transformaciones usarías para aumentar fotos de escenas: volteo horizontal, volteo vertical, "
    "giro de 90°, pequeño zoom, cambio de brillo?",
    """
    Sí: volteo horizontal (un paisaje o una calle reflejados siguen siendo plausibles), pequeño zoom
    (la misma escena desde algo más cerca) y cambio de brillo (otra hora del día u otra exposición).
    No: volteo vertical ni giro de 90°, porque ponen el cielo abajo o de lado, algo que nunca verás
    en una foto de prueba; la red aprendería a reconocer escenas imposibles. Es el «cuidado con los
    abusos» de la aumentación: una transformación solo vale si la imagen resultante sigue siendo una
    foto creíble de la misma clase.
    """,
    title="Ejercicio 5 · Aumentaciones que mienten",
    hint="Pregúntate si la foto transformada podría aparecer tal cual en el conjunto de prueba.",
)

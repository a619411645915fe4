"""Exercises of notebook 04 · Redes densas."""
import numpy as np

from utils.exercises import FunctionExercise, ModelExercise, ValueExercise, layer


def dense_params(inputs: int, units: int) -> int:
    """Weights plus biases of a Dense layer: inputs·units + units."""
    return inputs * units + units


def _predicted_classes(probabilities):
    return np.argmax(probabilities, axis=1)


def _accuracy(matrix):
    matrix = np.asarray(matrix)
    return float(np.trace(matrix) / matrix.sum())


_rng = np.random.default_rng(4)


def _softmax_rows(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).round(3)


_PROBABILITY_CASES = [_softmax_rows(_rng.normal(0, 2, (6, 10))), _softmax_rows(_rng.normal(0, 2, (3, 4)))]
_CONFUSION_CASES = [np.array([[50, 2, 3], [4, 40, 6], [1, 2, 42]]), np.diag([5, 5]),
                    _rng.integers(0, 20, (10, 10)) + np.diag(_rng.integers(50, 100, 10))]

_SEED_NETWORK = [layer("Dense", units=15, activation="relu"), layer("Dense", units=15, activation="relu")]
_SEED_PARAMS = dense_params(15, 15) + dense_params(15, 15) + dense_params(15, 1)

ejercicio_1 = ModelExercise(
    [*_SEED_NETWORK, layer("Dense", units=1, activation="sigmoid")],
    input_shape=(15,), output_shape=(None, 1), params=_SEED_PARAMS,
    title="Ejercicio 1 · La red de la teoría",
    hint=["Empieza con `keras.Input(shape=(15,))` y sigue con tres capas `layers.Dense`.",
          "Las dos ocultas: 15 neuronas y `activation=\"relu\"`; la de salida: 1 neurona y `activation=\"sigmoid\"`."],
    solution="""
    respuesta = keras.Sequential([
        keras.Input(shape=(15,)),
        layers.Dense(15, activation="relu"),
        layers.Dense(15, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    """,
)

ejercicio_2 = ValueExercise(
    dense_params(28 * 28, 128) + dense_params(128, 10),
    slips=[(28 * 28 * 128 + 128 * 10, "te faltan los sesgos: cada neurona tiene uno, además de un peso por entrada"),
           (dense_params(28 * 28, 128), "solo has contado la capa oculta: falta la de salida (128 → 10)"),
           (dense_params(28, 128) + dense_params(128, 10), "la entrada no son 28 valores: la imagen aplanada tiene 28 × 28")],
    title="Ejercicio 2 · Los parámetros del MLP de MNIST",
    hint=["Una capa `Dense` con $n$ entradas y $m$ neuronas tiene $n \\cdot m$ pesos y $m$ sesgos.",
          "`Flatten` no tiene parámetros: convierte la imagen de 28×28 en 784 entradas."],
    solution="""
    respuesta = (784 * 128 + 128) + (128 * 10 + 10)
    """,
)

ejercicio_3 = FunctionExercise(
    _predicted_classes, _PROBABILITY_CASES,
    slips=[(lambda p: np.argmax(p, axis=0),
            "has buscado el máximo de cada columna (axis=0); cada fila es una imagen: usa axis=1"),
           (lambda p: np.max(p, axis=1), "devuelves la probabilidad más alta, no su posición: usa `np.argmax`")],
    title="Ejercicio 3 · De probabilidades a clases",
    hint=["Cada fila son las probabilidades de una imagen; la clase predicha es la posición de la mayor.",
          "`np.argmax(..., axis=1)` busca el máximo en cada fila."],
    solution="""
    def clases_predichas(probabilidades):
        return np.argmax(probabilidades, axis=1)
    """,
)

ejercicio_4 = FunctionExercise(
    _accuracy, _CONFUSION_CASES,
    slips=[(lambda m: np.trace(m) / len(m),
            "divides entre el número de clases; divide entre el total de ejemplos, la suma de toda la matriz"),
           (lambda m: np.trace(m),
            "eso es el número de aciertos; la exactitud es la fracción: divide entre el total de ejemplos")],
    title="Ejercicio 4 · La exactitud a partir de la matriz de confusión",
    hint=["Los aciertos están en la diagonal: `np.trace(matriz)` los suma.",
          "Divide entre el número total de ejemplos, que es la suma de todas las casillas."],
    solution="""
    def exactitud(matriz):
        return np.trace(matriz) / np.sum(matriz)
    """,
)

ejercicio_5 = ModelExercise(
    [*_SEED_NETWORK, layer("Dense", units=1, activation="linear")],
    input_shape=(15,), output_shape=(None, 1), params=_SEED_PARAMS,
    title="Ejercicio 5 · De «¿te gustará?» a «¿cuántas veces la verás?»",
    hint=["Las capas ocultas no cambian: solo cambia la cabeza.",
          "Para predecir un número sin límites, la última capa no lleva activación (lineal)."],
    solution="""
    respuesta = keras.Sequential([
        keras.Input(shape=(15,)),
        layers.Dense(15, activation="relu"),
        layers.Dense(15, activation="relu"),
        layers.Dense(1),
    ])
    """,
)

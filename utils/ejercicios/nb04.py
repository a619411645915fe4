"""Exercises of notebook 04 · Redes densas."""
import contextlib
import functools
import io

import numpy as np

from utils.exercises import Exercise, FunctionExercise, ModelExercise, layer


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

# ------------------------------------------------------------------ 2 · an MLP on a parameter budget

MAX_PARAMS, MIN_ACCURACY = 20_000, 0.88
MNIST_SHAPES = {(28, 28), (28 * 28,)}


@functools.cache
def mnist_test():
    """MNIST's test images (pixels in [0, 1]) and labels, from the notebook's own source, loaded once."""
    from utils.data import load

    with contextlib.redirect_stdout(io.StringIO()):  # the notebook already said where MNIST comes from
        mnist = load("mnist")
    return mnist.x_test.astype("float32") / 255, mnist.y_test


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


class _BudgetMLPExercise(Exercise):
    """A trained Keras MLP for MNIST: at most `max_params` parameters, a hidden layer, and at least
    `min_accuracy` on images it never saw (`data()` returns them; by default MNIST's test set)."""

    def __init__(self, *, max_params, min_accuracy, data=mnist_test, **kwargs):
        super().__init__(**kwargs)
        self.max_params, self.min_accuracy, self.data = max_params, min_accuracy, data
        self._measured = None

    def _diagnose(self, model):
        import keras

        if not isinstance(model, keras.Model):
            return (f"se esperaba un modelo de Keras (`keras.Sequential([...])`) y has dado un objeto de tipo "
                    f"{type(model).__name__}")
        try:
            shape = tuple(model.input_shape)[1:]
        except (AttributeError, ValueError, TypeError):
            return "tu red no está construida: empieza con `keras.Input(shape=(28, 28))`"
        if shape not in MNIST_SHAPES:
            return (f"tu red recibe entradas de forma {shape} y las imágenes de MNIST miden (28, 28): empieza con "
                    "`keras.Input(shape=(28, 28))` y `layers.Flatten()`")
        if tuple(model.output_shape)[1:] != (10,):
            return (f"la salida tiene forma {tuple(model.output_shape)} y debe dar 10 valores, uno por dígito: "
                    "termina con `layers.Dense(10, activation=\"softmax\")`")
        if sum(isinstance(lay, keras.layers.Dense) for lay in model.layers) < 2:
            return ("tu red no tiene capa oculta: Flatten → Dense(10) es un modelo lineal, no un MLP; añade una "
                    "capa Dense con ReLU entre las dos")
        params = model.count_params()
        if params > self.max_params:
            return (f"tu red tiene {_thousands(params)} parámetros y el límite es {_thousands(self.max_params)}: casi "
                    "todos están en la primera capa Dense, que con m neuronas tiene 784·m + m; ¿cuántas caben?")
        x, y = self.data()
        predictions = np.asarray(model.predict(x.reshape(len(x), *shape), verbose=0))
        accuracy = float(np.mean(predictions.argmax(axis=-1) == y))
        self._measured = (params, accuracy, len(x))
        if accuracy < 0.2:
            return (f"tu red acierta {accuracy:.3f} de las imágenes de prueba, lo mismo que al azar (0.1 con 10 "
                    "clases): ¿la has entrenado con `fit`, y con los píxeles divididos entre 255 (`x_fit`)?")
        if accuracy < self.min_accuracy:
            return (f"tu red acierta {accuracy:.3f} de las imágenes de prueba y se pide al menos {self.min_accuracy}: "
                    "entrénala más épocas o prueba otro número de neuronas dentro del límite, y decide mirando "
                    "`val_accuracy`, la exactitud de validación")
        return None

    def _praise(self, model):
        params, accuracy, n = self._measured
        return (f"tu red, con {_thousands(params)} parámetros, acierta {accuracy:.3f} de las {_thousands(n)} "
                f"imágenes de prueba (se pedía {self.min_accuracy}).")


ejercicio_2 = _BudgetMLPExercise(
    max_params=MAX_PARAMS, min_accuracy=MIN_ACCURACY,
    title="Ejercicio 2 · Un MLP con 20 000 parámetros como mucho",
    hint=["Cuenta antes de construir: con m neuronas ocultas, la red tiene (784·m + m) + (10·m + 10) parámetros. "
          "¿Cuál es la m más grande que cabe en 20 000?",
          "Con 25 neuronas ocultas tienes 19 885 parámetros. Compila como el MLP de la sección 3 y entrena con "
          "`fit(x_fit, y_fit, epochs=EPOCHS, validation_data=(x_val, y_val))`; mira `val_accuracy` antes de comprobar."],
    solution="""
    mlp_pequeno = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(25, activation="relu"),  # (784·25 + 25) + (25·10 + 10) = 19 885 parámetros
        layers.Dense(10, activation="softmax"),
    ])
    mlp_pequeno.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    mlp_pequeno.fit(x_fit, y_fit, epochs=EPOCHS, batch_size=BATCH_SIZE, validation_data=(x_val, y_val), verbose=0)
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

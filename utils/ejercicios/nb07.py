"""Exercises of notebook 07 · Regularización."""
import math

import numpy as np

from utils.exercises import FunctionExercise, ModelExercise, ValueExercise, layer

# ------------------------------------------------------------------ 1. a model with dropout

DROPOUT_UNITS, DROPOUT_RATE, IMAGE_SIDE, CLASSES = 128, 0.3, 28, 10

ejercicio_1 = ModelExercise(
    [layer("Flatten"), layer("Dense", units=DROPOUT_UNITS, activation="relu"), layer("Dropout", rate=DROPOUT_RATE),
     layer("Dense", units=CLASSES, activation="softmax")],
    input_shape=(IMAGE_SIDE, IMAGE_SIDE),
    output_shape=(CLASSES,),
    params=(IMAGE_SIDE * IMAGE_SIDE + 1) * DROPOUT_UNITS + (DROPOUT_UNITS + 1) * CLASSES,
    title="Ejercicio 1 · Una red con dropout",
    hint=["El dropout va después de la capa oculta cuya salida quieres «apagar», no antes de la entrada.",
          "`layers.Dropout(0.3)` apaga, en cada paso de entrenamiento, un 30 % de las salidas al azar."],
    solution="""
    modelo = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ])
    ej.ejercicio_1.check(modelo)
    """,
)

# ------------------------------------------------------------------ 2. inverted dropout


def surviving_value(value: float, rate: float) -> tuple[float, float]:
    """What a unit that survives dropout outputs (training, inference): Keras scales by 1/(1 - rate)."""
    return value / (1 - rate), value


SCALING_VALUE, SCALING_RATE = 3.0, 0.25

_TRAINING, _KEEP = surviving_value(SCALING_VALUE, SCALING_RATE)[0], 1 - SCALING_RATE

ejercicio_2 = ValueExercise(
    surviving_value(SCALING_VALUE, SCALING_RATE),
    slips=[((SCALING_VALUE, SCALING_VALUE),
            "en entrenamiento falta la escala: Keras usa *inverted dropout* y divide lo que sobrevive entre la "
            "probabilidad de sobrevivir, 1 − rate, para que la salida media sea la misma que en inferencia, donde "
            "la capa no hace nada"),
           ((SCALING_VALUE / SCALING_RATE, SCALING_VALUE),
            "has dividido entre rate, la probabilidad de apagarse; se divide entre la de sobrevivir, 1 − rate"),
           ((SCALING_VALUE * (1 - SCALING_RATE), SCALING_VALUE),
            "has multiplicado por la probabilidad de sobrevivir; Keras divide entre ella, para que la salida "
            "media sea la misma en entrenamiento y en inferencia"),
           ((SCALING_VALUE, SCALING_VALUE * _KEEP),
            "eso es el dropout del artículo original: sin escala al entrenar y multiplicando por 1 − rate en "
            "inferencia. Keras hace lo contrario (*inverted dropout*): escala al entrenar y en inferencia deja "
            "pasar el valor tal cual"),
           ((0.0, SCALING_VALUE),
            "0 es lo que sale cuando la neurona se apaga; el enunciado pregunta por una neurona que sobrevive"),
           ((_TRAINING, _TRAINING),
            "en inferencia el dropout no hace nada: la neurona sale con su valor, sin escalar")],
    title="Ejercicio 2 · La escala del dropout",
    hint=["Keras usa *inverted dropout*: en entrenamiento divide lo que sobrevive entre la probabilidad de sobrevivir.",
          "La probabilidad de sobrevivir es `1 - rate`; en inferencia la capa no hace nada."],
    solution="""
    entrenamiento = 3.0 / (1 - 0.25)
    inferencia = 3.0
    ej.ejercicio_2.check((entrenamiento, inferencia))
    """,
)

# ------------------------------------------------------------------ 3. L1 + L2 penalty


def penalty(w, l1, l2) -> float:
    """What `keras.regularizers.L1L2(l1, l2)` adds to the loss for the weights `w`."""
    w = np.asarray(w, dtype=np.float64)
    return float(l1 * np.sum(np.abs(w)) + l2 * np.sum(w ** 2))


_rng = np.random.default_rng(7)
_W = _rng.normal(0.0, 0.5, size=(4, 3))
ejercicio_3 = FunctionExercise(
    penalty,
    [(_W, 0.0, 0.01), (_W, 0.001, 0.0), (_W, 0.01, 0.01), (np.array([[2.0, -1.0]]), 0.5, 0.25),
     (_rng.normal(size=(3, 5)), 0.001, 0.002)],
    slips=[(lambda w, l1, l2: l1 * np.sum(w) + l2 * np.sum(np.square(w)),
            "la parte L1 suma valores absolutos: te falta `np.abs`, y con pesos negativos se nota"),
           (lambda w, l1, l2: l1 * np.sum(np.abs(w)) + l2 / 2 * np.sum(np.square(w)),
            "Keras no divide entre 2 la parte L2: es `l2 * np.sum(w ** 2)`")],
    title="Ejercicio 3 · La penalización L1 + L2",
    hint=["L1 suma los valores absolutos de los pesos; L2, sus cuadrados. Cada suma va multiplicada por su factor.",
          "Con NumPy: `np.sum(np.abs(w))` y `np.sum(w ** 2)`."],
    solution="""
    def penalizacion(w, l1, l2):
        return l1 * np.sum(np.abs(w)) + l2 * np.sum(w ** 2)

    ej.ejercicio_3.check(penalizacion)
    """,
)

# ------------------------------------------------------------------ 4. early stopping


def stopping_epochs(val_losses, patience: int) -> tuple[int, int]:
    """(epoch training stops, best epoch), both counted from 1, as keras.callbacks.EarlyStopping does."""
    best, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(val_losses, 1):
        wait += 1
        if loss < best:
            best, best_epoch, wait = loss, epoch, 0
        elif wait >= patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch


ejercicio_4 = FunctionExercise(
    stopping_epochs,
    [([0.9, 0.7, 0.6, 0.65, 0.62, 0.7, 0.8], 3), ([0.9, 0.7, 0.6, 0.65, 0.62, 0.7, 0.8], 2),
     ([1.0, 0.8, 0.81, 0.79, 0.78, 0.9, 0.95, 0.99], 2), ([0.5, 0.4, 0.3, 0.2], 2),
     ([0.5, 0.6, 0.7, 0.8, 0.9], 1)],
    slips=[(lambda losses, patience: tuple(e - 1 for e in stopping_epochs(losses, patience)),
            "tus épocas empiezan en 0: cuéntalas desde 1, como las muestra Keras al entrenar")],
    title="Ejercicio 4 · ¿Cuándo para EarlyStopping?",
    hint=["Recorre las épocas contando cuántas llevas sin mejorar la mejor pérdida vista; cuando esa cuenta llega a "
          "`patience`, el entrenamiento para en esa época.",
          "Cuenta las épocas desde 1 (`enumerate(val_losses, 1)`). Si nunca se agota la paciencia, se entrenan "
          "todas: la época de parada es la última."],
    solution="""
    def parada(val_losses, patience):
        mejor, mejor_epoca, espera = float("inf"), 0, 0
        for epoca, perdida in enumerate(val_losses, 1):
            espera += 1
            if perdida < mejor:
                mejor, mejor_epoca, espera = perdida, epoca, 0
            elif espera >= patience:
                return epoca, mejor_epoca
        return len(val_losses), mejor_epoca

    ej.ejercicio_4.check(parada)
    """,
)

# ------------------------------------------------------------------ 5. an initial scale that keeps the gradient

GAIN_UNITS, GAIN_DEPTH, GAIN_INPUTS = 64, 10, 784
GAIN_WINDOW = (0.1, 10.0)  # first-layer gradient / last-layer gradient that counts as neither vanished nor exploded


def gradient_ratio(sigma: float, units: int = GAIN_UNITS, depth: int = GAIN_DEPTH, batch: int = 256,
                   seed: int = 0) -> float:
    """Gradient reaching the first hidden layer over the one reaching the last, in a tanh MLP with N(0, sigma²) weights.

    NumPy only: `depth` tanh layers of `units` neurons, zero biases, inputs with standard deviation 1, and a
    random gradient arriving from the loss; the gradients are those with respect to each layer's pre-activation.
    """
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(batch, units))
    kernels, slopes = [], []
    for _ in range(depth):
        kernels.append(rng.normal(0.0, sigma, size=(units, units)))
        h = np.tanh(h @ kernels[-1])
        slopes.append(1 - h ** 2)
    delta, norms = rng.normal(size=(batch, units)), []
    for kernel, slope in zip(reversed(kernels), reversed(slopes)):
        delta = delta * slope  # through the activation: times f'(z)
        norms.append(np.linalg.norm(delta))
        delta = delta @ kernel.T  # through the weights: times W^T
    return float(norms[-1] / norms[0])


def _es(value: float, spec: str) -> str:
    """A number formatted with `spec` and a decimal comma, as the course's Spanish text writes it."""
    return format(value, spec).replace(".", ",")


def _times(ratio: float) -> str:
    """How many times: '0,31', '50', '1e+03' (powers of ten once the number is large or tiny)."""
    return _es(ratio, ".2g") if 0.01 <= ratio < 100 else _es(ratio, ".0e")


class ScaleExercise(ValueExercise):
    """A standard deviation for the initial weights, judged by the gradient it lets through (`gradient_ratio`)."""

    def _measure(self, sigma):
        ratio = gradient_ratio(float(sigma))
        return ratio, ratio ** (1 / (GAIN_DEPTH - 1))

    def _diagnose(self, answer):
        why = super()._diagnose(answer)
        if why is None or isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.number)):
            return why
        if not math.isfinite(answer) or answer <= 0:
            return f"σ es una desviación típica: debe ser un número positivo y has dado {_es(answer, 'g')}"
        ratio, gain = self._measure(answer)
        low, high = GAIN_WINDOW
        if low <= ratio <= high:
            return None
        fate = "se desvanece" if ratio < low else "explota"
        return (f"con σ = {_es(answer, '.3g')}, cada capa multiplica el gradiente por unos {_es(gain, '.2f')} "
                f"(σ·√64 = {_es(answer * math.sqrt(GAIN_UNITS), '.2f')}): el de la primera capa es "
                f"{_times(ratio)} veces el de la última, {fate}")

    def _praise(self, answer):
        ratio, gain = self._measure(answer)
        return (f"con σ = {_es(answer, '.3g')}, σ·√64 = {_es(answer * math.sqrt(GAIN_UNITS), '.2f')} y cada capa "
                f"multiplica el gradiente por unos {_es(gain, '.2f')}: el de la primera capa es {_times(ratio)} "
                f"veces el de la última.")


ejercicio_5 = ScaleExercise(
    1 / math.sqrt(GAIN_UNITS),
    rtol=0.02,
    slips=[(1 / GAIN_UNITS, "has dividido entre n: la ganancia de una capa es σ·√n, así que σ·√64 = 1 pide "
                            "dividir entre √64, no entre 64; con tu σ el gradiente se desvanece"),
           (1 / math.sqrt(GAIN_INPUTS), "n es el número de entradas de cada capa oculta, 64, no los 784 píxeles "
                                        "de la primera: con tu σ el gradiente se desvanece"),
           (1.0, "es la N(0, 1) de la red `tanh` que has visto explotar: σ·√64 = 8, las tanh se saturan y el "
                 "gradiente explota"),
           (math.sqrt(GAIN_UNITS), "has multiplicado por √64 en vez de dividir: σ·√64 = 64 y el gradiente explota")],
    title="Ejercicio 5 · Una escala que conserve el gradiente",
    hint=["Hacia atrás, cada capa multiplica el gradiente por unos σ·√n·(tamaño típico de f'): con σ·√n ≈ 1 ni "
          "crece ni se apaga.",
          "Cada capa oculta recibe n = 64 entradas: despeja σ de σ·√64 = 1."],
    solution="""
    sigma = 1 / np.sqrt(64)
    ej.ejercicio_5.check(sigma)
    """,
)

# ------------------------------------------------------------------ 6. batch normalization before the activation

BN_UNITS = 64

ejercicio_6 = ModelExercise(
    [layer("Dense", units=BN_UNITS, use_bias=False, activation=None), layer("BatchNormalization"),
     layer("Activation", activation="relu")],
    input_shape=(32,),
    params=32 * BN_UNITS + 4 * BN_UNITS,
    title="Ejercicio 6 · Batch normalization antes de la activación",
    hint=["Tres capas: la `Dense` sin activación, la normalización y la activación por separado "
          "(`layers.Activation(\"relu\")` o `layers.ReLU()`, las dos valen).",
          "Con batch normalization el sesgo de la `Dense` sobra (la normalización le resta la media y tiene su "
          "propio desplazamiento $\\beta$): `use_bias=False`."],
    solution="""
    bloque = [
        layers.Dense(64, use_bias=False),
        layers.BatchNormalization(),
        layers.Activation("relu"),
    ]
    ej.ejercicio_6.check(bloque)
    """,
)

"""Exercises of notebook 07 · Regularización."""
import itertools
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

ejercicio_2 = ValueExercise(
    surviving_value(SCALING_VALUE, SCALING_RATE),
    slips=[((SCALING_VALUE * (1 - SCALING_RATE), SCALING_VALUE),
            "has multiplicado por la probabilidad de sobrevivir; Keras divide entre ella, para que la salida "
            "media sea la misma en entrenamiento y en inferencia"),
           ((surviving_value(SCALING_VALUE, SCALING_RATE)[0],) * 2,
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

# ------------------------------------------------------------------ 5. how deep before the gradient vanishes

SIGMOID_MAX_SLOPE, VANISHED = 0.25, 1e-6

_LAYERS = next(n for n in itertools.count(1) if SIGMOID_MAX_SLOPE ** n < VANISHED)
ejercicio_5 = ValueExercise(
    _LAYERS,
    slips=[(_LAYERS - 1, f"con {_LAYERS - 1} capas, 0,25 elevado a {_LAYERS - 1} vale "
                         f"{SIGMOID_MAX_SLOPE ** (_LAYERS - 1):.1e}: todavía no es menor que 1e-06")],
    title="Ejercicio 5 · ¿Cuántas capas sigmoides?",
    hint=["La derivada de la sigmoide vale como mucho 1/4 (en $z = 0$). En el mejor caso, cada capa multiplica el "
          "gradiente por 0,25.",
          "Busca el menor entero $n$ con $0{,}25^n < 10^{-6}$: prueba $n = 9$ y $n = 10$, o despeja con logaritmos."],
    solution="""
    n = 1
    while 0.25 ** n >= 1e-6:
        n += 1
    ej.ejercicio_5.check(n)
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
    hint=["Tres capas: la `Dense` sin activación, la normalización y la activación por separado.",
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

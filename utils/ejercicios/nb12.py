"""Exercises of notebook 12 · Proyecto: clasificación de escenas.

Exercise 5 is the project's real task: the student designs and trains a small CNN of their own; the
checker measures it on the validation set (the target) and, once, on the test set the student never
used, and names what went wrong (not trained, wrong input or output size, too big, the test set used
to validate or to train, short of the target and by how much). Keras is imported inside the checker.
"""
import math

import numpy as np

from utils.exercises import PENDIENTE, Exercise, FunctionExercise


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

# ------------------------------------------------------------------ 4 · which augmentations keep the label

# transformation → (keeps a photo of a scene believable and of the same class?, why)
AUGMENTATIONS = {
    "volteo horizontal": (True, "un paisaje o una calle reflejados siguen siendo una foto creíble de la misma clase"),
    "volteo vertical": (False, "pone el cielo abajo: ninguna foto de prueba será así"),
    "giro de 90°": (False, "deja el horizonte en vertical: ninguna foto de prueba está de lado"),
    "pequeño zoom": (True, "es la misma escena vista algo más de cerca"),
    "cambio de brillo": (True, "es la misma escena a otra hora del día o con otra exposición"),
}


def _key(name) -> str:
    return str(name).strip().casefold().replace("º", "°")


class _AugmentationExercise(Exercise):
    """A dict {transformation: True/False}; a wrong decision is named and questioned, not answered."""

    def _diagnose(self, answer):
        if not isinstance(answer, dict):
            return ("se esperaba un diccionario {transformación: True o False}, como el de la celda, "
                    f"y has dado un objeto de tipo {type(answer).__name__}")
        given = {_key(k): v for k, v in answer.items()}
        missing = [name for name in AUGMENTATIONS if _key(name) not in given]
        if missing:
            return f"falta decidir: {', '.join(f'«{m}»' for m in missing)}"
        extra = [k for k in answer if _key(k) not in {_key(n) for n in AUGMENTATIONS}]
        if extra:
            return f"sobran claves que no son de la lista: {', '.join(f'«{e}»' for e in extra)}"
        for name in AUGMENTATIONS:
            if not isinstance(given[_key(name)], (bool, np.bool_)):
                return f"la decisión de «{name}» debe ser True (la usarías) o False (no la usarías)"
        wrong = [name for name, (keep, _) in AUGMENTATIONS.items() if bool(given[_key(name)]) != keep]
        if wrong:
            return (f"{len(wrong)} de {len(AUGMENTATIONS)} decisiones no son correctas; revisa «{wrong[0]}»: "
                    "¿podría aparecer tal cual, con su misma clase, una foto así en el conjunto de prueba?")
        return None

    def _praise(self, answer):
        reasons = "; ".join(f"{name}, {'sí' if keep else 'no'}: {why}" for name, (keep, why) in AUGMENTATIONS.items())
        return f"todas tus decisiones son correctas. {reasons[0].upper()}{reasons[1:]}."


ejercicio_4 = _AugmentationExercise(
    title="Ejercicio 4 · Aumentaciones que mienten",
    hint=["Una transformación solo vale si la foto resultante podría aparecer tal cual en el conjunto de prueba.",
          "Piensa dónde queda el cielo y el horizonte después de cada transformación."],
    solution="""
        respuesta = {"volteo horizontal": True, "volteo vertical": False, "giro de 90°": False,
                     "pequeño zoom": True, "cambio de brillo": True}
    """,
)

# ------------------------------------------------------------------ 5 · the project: your own CNN

# Validation accuracy to reach with each data set of the notebook: the scenes (online) or the animal
# silhouettes (offline). A small CNN from scratch reaches about 0.94 on the silhouettes (the written
# solution); the scenes figure is an estimate for a CNN of this size.
TARGETS = {"animals": 0.90, "scenes": 0.75}
MAX_PARAMS = 30_000
_SAME = {"rel_tol": 1e-3, "abs_tol": 1e-4}  # a loss Keras logged and the same loss measured again


def _split(what: str, pair, example: str):
    """(x, y) as arrays and None, or None and a Spanish reason why `pair` is not one."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        return None, f"{what} debe ser una tupla (x, y), p. ej. `{what}={example}`"
    x, y = np.asarray(pair[0]), np.asarray(pair[1]).ravel()
    if x.ndim != 4 or len(x) != len(y) or not len(y) or y.dtype.kind not in "iu":
        return None, f"{what}: se esperaban imágenes (n, alto, ancho, canales) y n etiquetas enteras, como {example}"
    return (x, y), None


class _ProjectExercise(Exercise):
    """A trained Keras model, measured on the validation set (the target) and once on the test set.

    `check(model, conjunto=..., validacion=(x, y), prueba=(x, y))` stores the data for this and later
    checks; `evaluate(model)` uses what was stored.
    """

    def __init__(self, *, targets, max_params, title, hint, solution):
        super().__init__(title=title, hint=hint, solution=solution)
        self.targets, self.max_params = dict(targets), max_params
        self.data, self._measured = None, None

    def use_data(self, conjunto, validacion, prueba) -> None:
        """Remember the data set's name and the validation and test sets the checks measure with."""
        self.data = (conjunto, validacion, prueba)

    def check(self, answer=PENDIENTE, *, conjunto=None, validacion=None, prueba=None) -> None:
        """Display the verdict on a trained model; the keywords give the data to measure it with."""
        if conjunto is not None or validacion is not None or prueba is not None:
            self.use_data(conjunto, validacion, prueba)
        super().check(answer)

    @staticmethod
    def margin(target: float, n: int) -> float:
        """Two standard errors of an accuracy `target` measured on `n` images."""
        return 2 * math.sqrt(target * (1 - target) / n)

    def _diagnose(self, model):
        import keras

        if not isinstance(model, keras.Model):
            return (f"se esperaba tu modelo de Keras ya entrenado y has dado un objeto de tipo {type(model).__name__}: "
                    "construye un `keras.Sequential([...])`, compílalo, entrénalo con `fit` y pásalo a `check`")
        if self.data is None:
            return ("el comprobador necesita los datos con los que medir tu modelo: "
                    "`check(mi_modelo, conjunto=datos.name, validacion=(x_val, y_val), prueba=(x_test, y_test))`")
        name, validation, test = self.data
        if name not in self.targets:
            return f"conjunto debe ser {' o '.join(repr(k) for k in self.targets)} (`datos.name`); se recibió {name!r}"
        (val, why), (tst, why_test) = _split("validacion", validation, "(x_val, y_val)"), \
            _split("prueba", test, "(x_test, y_test)")
        if why or why_test:
            return why or why_test
        (x_val, y_val), (x_test, y_test) = val, tst
        n_classes = int(max(y_val.max(), y_test.max())) + 1

        try:
            input_shape, output_shape = tuple(model.input_shape), tuple(model.output_shape)
        except (AttributeError, ValueError):
            return "tu modelo no está construido: empieza con `keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 3))` y entrénalo"
        if len(input_shape) != 4 or any(want is not None and want != have
                                        for want, have in zip(input_shape[1:], x_val.shape[1:])):
            return (f"tu modelo espera entradas de forma {input_shape} y las fotos son {(None, *x_val.shape[1:])}: "
                    "empieza con `keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 3))` (y reduce dentro si quieres, "
                    "con `layers.Resizing`)")
        if output_shape[1:] != (n_classes,):
            return (f"la salida de tu modelo tiene forma {output_shape} y hay {n_classes} clases: "
                    f"termina en `layers.Dense({n_classes}, activation=\"softmax\")`")
        params = model.count_params()
        if params > self.max_params:
            return (f"tu modelo tiene {params} parámetros y el máximo es {self.max_params}: diseña una CNN propia y "
                    "pequeña (sin la base preentrenada); casi todos suelen estar en la capa densa que sigue a "
                    "`Flatten`: `GlobalMaxPooling2D` o `GlobalAveragePooling2D` dejan un número por filtro")
        if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
            return "tu modelo no está compilado ni entrenado: llama a `compile(...)` y después a `fit(...)`"
        if int(np.asarray(model.optimizer.iterations)) == 0:
            return "tu modelo está compilado pero sin entrenar: entrénalo con `fit(x_train, y_train, ...)`"

        target = self.targets[name]
        acc_val, acc_test = (float(np.mean(np.argmax(model.predict(x, verbose=0), axis=1) == y))
                             for x, y in ((x_val, y_val), (x_test, y_test)))
        loss_val, loss_test = (float(model.evaluate(x, y, verbose=0, return_dict=True)["loss"])
                               for x, y in ((x_val, y_val), (x_test, y_test)))
        logged = [float(v) for v in getattr(getattr(model, "history", None), "history", {}).get("val_loss", [])]
        if (any(math.isclose(v, loss_test, **_SAME) for v in logged)
                and not any(math.isclose(v, loss_val, **_SAME) for v in logged)):
            return ("has validado con el conjunto de prueba (`validation_data=(x_test, y_test)`): la prueba no "
                    "decide nada, solo mide al final; valida con `(x_val, y_val)` y vuelve a entrenar")
        if acc_test > acc_val + 0.03 and loss_test < loss_val / 3:
            return (f"tu modelo acierta {acc_test:.3f} en la prueba y solo {acc_val:.3f} en validación, con una "
                    "pérdida mucho menor en la prueba: ¿lo has entrenado con `x_test`? Entrénalo solo con "
                    "`x_train` y vuelve a medir")
        if acc_val < target:
            return (f"en validación aciertas {acc_val:.3f}: te faltan {100 * (target - acc_val):.1f} puntos para "
                    f"el objetivo, {target:.2f}. Mira sus curvas: si la validación aún mejoraba, entrena más épocas; "
                    "si se separa del entrenamiento, regulariza (aumentación, dropout, early stopping)")
        floor = target - self.margin(target, len(y_test))
        if acc_test < floor:
            return (f"en validación llegas ({acc_val:.3f}), pero en la prueba aciertas {acc_test:.3f}, menos que "
                    f"{floor:.3f} (el objetivo menos dos errores típicos de medir con {len(y_test)} imágenes): "
                    "has ajustado tu diseño a la validación más de la cuenta; prueba uno más sencillo o más regularizado")
        self._measured = (params, acc_val, acc_test, target)
        return None

    def _praise(self, model):
        params, acc_val, acc_test, target = self._measured
        return (f"tu CNN de {params} parámetros acierta {acc_val:.3f} en validación (objetivo: {target:.2f}) y "
                f"{acc_test:.3f} en la prueba, que no habías usado: esa es la cifra que publicarías.")


ejercicio_5 = _ProjectExercise(
    targets=TARGETS,
    max_params=MAX_PARAMS,
    title="Ejercicio 5 · Tu propia CNN",
    hint=["Parte de la CNN de la sección 4: ya acierta mucho, pero tiene demasiados parámetros, y casi todos "
          "están en la capa densa que sigue a `Flatten` (`model.summary()` te lo enseña).",
          "Cambia `Flatten` por `GlobalMaxPooling2D()`, que deja un número por filtro: con 16, 32 y 64 filtros y "
          "una densa de 32 unidades quedan unos 26 000 parámetros. Entrena hasta 30 épocas con early stopping "
          "que vigile `(x_val, y_val)`."],
    solution="""
        keras.utils.set_random_seed(SEED)
        mi_modelo = keras.Sequential([
            keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 3)),
            layers.Resizing(CNN_SIZE, CNN_SIZE),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.GlobalMaxPooling2D(),
            layers.Dense(32, activation="relu"),
            layers.Dense(n_clases, activation="softmax"),
        ])
        mi_modelo.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
        parar = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
        mi_modelo.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=30, batch_size=32,
                      callbacks=[parar], verbose=0)
        ej.ejercicio_5.check(mi_modelo, conjunto=datos.name, validacion=(x_val, y_val), prueba=(x_test, y_test))
    """,
)

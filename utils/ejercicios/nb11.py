"""Exercises of notebook 11 · Hiperparámetros.

Every expected answer is computed here (formulas, the reference functions), never typed in. SciPy and
scikit-learn are only used inside the checkers.
"""
import itertools
import math

import numpy as np

from utils.exercises import Exercise, FunctionExercise, ValueExercise


# ------------------------------------------------------------------ 1 · a search space of your own

# The second, narrower random search: what ParameterSampler needs for `ensayo(**config)`.
RATE_RANGE, DROPOUT_RANGE = (1e-3, 3e-2), (0.1, 0.4)
CHOICES = {"batch_size": (32, 64), "filters": (16, 32)}
SPACE_KEYS = ("learning_rate", "batch_size", "dropout", "filters")


def _support(dist):
    """(kind, low, high) of a frozen SciPy distribution, or None if `dist` is not one."""
    if not (hasattr(dist, "rvs") and hasattr(dist, "support") and hasattr(dist, "dist")):
        return None
    low, high = dist.support()
    return getattr(dist.dist, "name", ""), float(low), float(high)


def _same(a, b) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def _loc_scale(low, high, want) -> str:
    """The SciPy uniform(loc, scale) slip, named when the student wrote uniform(low_wanted, high_wanted)."""
    if _same(low, want[0]) and _same(high, want[0] + want[1]):
        return (f"; en SciPy, `uniform(loc, scale)` va de `loc` a `loc + scale`: para {want[0]:g}–{want[1]:g} "
                f"es `uniform({want[0]:g}, {want[1] - want[0]:g})`")
    return ""


class _SpaceExercise(Exercise):
    """A dict for ParameterSampler: distributions where the exercise asks for them, lists elsewhere."""

    def _diagnose(self, space):
        if not isinstance(space, dict):
            return (f"se esperaba un diccionario {{hiperparámetro: distribución o lista}} y has dado un objeto de "
                    f"tipo {type(space).__name__}")
        missing = [k for k in SPACE_KEYS if k not in space]
        extra = [k for k in space if k not in SPACE_KEYS]
        if missing or extra:
            what = "; ".join(filter(None, [missing and f"faltan {', '.join(missing)}",
                                           extra and f"sobran {', '.join(map(str, extra))}"]))
            return f"{what}: `ensayo(**config)` recibe exactamente {', '.join(SPACE_KEYS)}"
        for key, want in CHOICES.items():
            values = space[key]
            if not isinstance(values, (list, tuple)):
                return (f"{key} se elige de una lista de valores, `{list(want)}`; has dado un objeto de tipo "
                        f"{type(values).__name__}")
            if sorted(values) != sorted(want) or len(set(values)) != len(values):
                return f"{key} debe sortearse entre {' y '.join(map(str, want))}; tu lista es {list(values)}"
        rate = _support(space["learning_rate"])
        if rate is None:
            return ("learning_rate debe ser una distribución continua de SciPy (`loguniform(a, b)`): una lista "
                    "solo probaría los valores que ya has escrito")
        kind, low, high = rate
        if kind not in ("loguniform", "reciprocal"):
            above = (RATE_RANGE[1] - 3e-3) / (RATE_RANGE[1] - RATE_RANGE[0])
            return (f"la tasa de aprendizaje va en escala logarítmica: con `{kind}` entre {RATE_RANGE[0]:g} y "
                    f"{RATE_RANGE[1]:g}, el {above:.0%} de los valores caería por encima de 0.003 y casi no "
                    f"probarías la primera parte del rango; usa `loguniform`{_loc_scale(low, high, RATE_RANGE)}")
        if not (_same(low, RATE_RANGE[0]) and _same(high, RATE_RANGE[1])):
            return f"tu loguniform va de {low:g} a {high:g}; la zona buena es de {RATE_RANGE[0]:g} a {RATE_RANGE[1]:g}"
        dropout = _support(space["dropout"])
        if dropout is None:
            return "dropout debe ser una distribución continua de SciPy (`uniform(...)`), no una lista de valores"
        kind, low, high = dropout
        if kind != "uniform":
            return (f"el dropout es una fracción y sus valores importan por igual en todo el rango: sortéalo con "
                    f"`uniform`, no con `{kind}`")
        if not (_same(low, DROPOUT_RANGE[0]) and _same(high, DROPOUT_RANGE[1])):
            return (f"tu uniform del dropout va de {low:g} a {high:g} y se pedía de {DROPOUT_RANGE[0]:g} a "
                    f"{DROPOUT_RANGE[1]:g}{_loc_scale(low, high, DROPOUT_RANGE)}")
        return None

    def _praise(self, space):
        from sklearn.model_selection import ParameterSampler

        first = next(iter(ParameterSampler(space, n_iter=1, random_state=0)))
        shown = ", ".join(f"{k}={first[k]:.3g}" if isinstance(first[k], float) else f"{k}={first[k]}"
                          for k in SPACE_KEYS)
        return (f"tu espacio es válido para `ParameterSampler`; su primer sorteo (random_state=0) es: {shown}.")


ejercicio_1 = _SpaceExercise(
    title="Ejercicio 1 · Tu espacio de búsqueda",
    hint=["Las tasas de aprendizaje se sortean con `loguniform(a, b)`, de `a` a `b`; las listas de valores se "
          "escriben tal cual, `[32, 64]`.",
          "Para el dropout, `uniform(loc, scale)` de SciPy va de `loc` a `loc + scale`: de 0,1 a 0,4 es "
          "`uniform(0.1, 0.3)`."],
    solution="""
        mi_espacio = {
            "learning_rate": loguniform(1e-3, 3e-2),
            "batch_size": [32, 64],
            "dropout": uniform(0.1, 0.3),
            "filters": [16, 32],
        }
    """,
)

# ------------------------------------------------------------------ 2 · a log-uniform learning rate

LOW, HIGH = 1e-4, 1e-1


def _log_uniform(u):
    """Map u in [0, 1] to [LOW, HIGH] so that equal steps of u multiply the rate by the same factor."""
    return LOW * (HIGH / LOW) ** u


ejercicio_2 = FunctionExercise(
    _log_uniform,
    [0.0, 0.25, 0.5, 0.75, 1.0],
    title="Ejercicio 2 · Una tasa de aprendizaje en escala logarítmica",
    hint=["En escala logarítmica lo que se reparte uniformemente es el exponente: de −4 (1e-4) a −1 (1e-1).",
          "El exponente es −4 + 3·u; la tasa de aprendizaje, 10 elevado a ese exponente."],
    solution="""
        def tasa_log(u):
            return 10 ** (-4 + 3 * u)
    """,
)

# ------------------------------------------------------------------ 3 · pick the winner by validation

_CASES = [
    [{"trial": 1, "val_acc": 0.91, "test_acc": 0.93}, {"trial": 2, "val_acc": 0.62, "test_acc": 0.60},
     {"trial": 3, "val_acc": 0.95, "test_acc": 0.92}],
    [{"trial": 7, "val_acc": 0.80, "test_acc": 0.85}, {"trial": 4, "val_acc": 0.88, "test_acc": 0.83},
     {"trial": 9, "val_acc": 0.84, "test_acc": 0.81}],
]


def _pick(rows):
    """Trial number of the row with the best validation accuracy."""
    return max(rows, key=lambda r: r["val_acc"])["trial"]


class _PickExercise(FunctionExercise):
    """Names the two typical mistakes, when made in every case: choosing by test accuracy, returning
    the winner's position in the list instead of its trial number."""

    def _diagnose(self, fn):
        if callable(fn):
            try:
                got = [fn([dict(r) for r in rows]) for (rows,) in self.cases]
            except Exception:  # noqa: BLE001 - the generic diagnosis reports it
                got = None
            by_test = [max(rows, key=lambda r: r["test_acc"])["trial"] for (rows,) in self.cases]
            by_position = [max(range(len(rows)), key=lambda i: rows[i]["val_acc"]) for (rows,) in self.cases]
            if got == by_test:
                return ("tu función elige el ensayo de mejor `test_acc`: el conjunto de prueba no puede elegir, "
                        "solo medir al final; elige por `val_acc`")
            if got == by_position:
                return ("tu función devuelve la posición del ganador en la lista; devuelve su número de "
                        "ensayo, `r[\"trial\"]`")
        return super()._diagnose(fn)


ejercicio_3 = _PickExercise(
    _pick,
    [(rows,) for rows in _CASES],
    title="Ejercicio 3 · Elegir con validación",
    hint=["`max(resultados, key=...)` devuelve el elemento con la mayor clave.",
          "La clave es `lambda r: r[\"val_acc\"]`; del ganador, devuelve `[\"trial\"]`."],
    solution="""
        def elegir(resultados):
            return max(resultados, key=lambda r: r["val_acc"])["trial"]
    """,
)

# ------------------------------------------------------------------ 4 · how precise is a validation score

ACC, N_VAL, PAIR = 0.9, 500, (0.92, 0.93)
STANDARD_ERROR = math.sqrt(ACC * (1 - ACC) / N_VAL)
DISTINGUISHABLE = PAIR[1] - PAIR[0] > STANDARD_ERROR  # a difference smaller than one standard error is noise


class _PrecisionExercise(Exercise):
    """Two answers, both checked: the standard error (a number) and whether 0.92 and 0.93 can be told apart."""

    _error = ValueExercise(
        STANDARD_ERROR, rtol=1e-2,
        slips=[(ACC * (1 - ACC) / N_VAL, "esa es la varianza: ¿falta la raíz cuadrada?"),
               (math.sqrt(ACC * (1 - ACC)), "falta dividir entre el número de imágenes, n = 500, dentro de la raíz"),
               (100 * STANDARD_ERROR, "da el error típico como fracción, como la exactitud (0.9), no en porcentaje")])

    def _diagnose(self, answer):
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return ("responde a las dos preguntas con una tupla `(error_tipico, se_distinguen)`: un número y "
                    "True o False")
        error, verdict = answer
        why = self._error.evaluate(error)
        if why.status != "correcto":
            return f"el error típico no es correcto: {why.message.rstrip('.')}"
        if not isinstance(verdict, (bool, np.bool_)):
            return "la segunda respuesta, si distinguirías los dos ensayos, debe ser True o False"
        if bool(verdict) != DISTINGUISHABLE:
            gap = PAIR[1] - PAIR[0]
            return (f"el error típico es correcto, pero la diferencia entre {PAIR[0]} y {PAIR[1]}, {gap:.2f}, es "
                    f"menor que un error típico ({STANDARD_ERROR:.3f}): cabe en el ruido de medir con {N_VAL} "
                    "imágenes, así que no los distinguirías")
        return None

    def _praise(self, answer):
        return (f"el error típico es {STANDARD_ERROR:.3f} (±{100 * STANDARD_ERROR:.1f} puntos) y una diferencia de "
                f"{PAIR[1] - PAIR[0]:.2f} cabe en ese ruido: la validación no distingue esos dos ensayos.")


ejercicio_4 = _PrecisionExercise(
    title="Ejercicio 4 · ¿Cuánto se fía uno de una exactitud de validación?",
    hint=["Cada imagen se acierta o no: el número de aciertos es binomial y la exactitud medida tiene "
          "error típico $\\sqrt{p(1-p)/n}$.",
          "Con $p = 0{,}9$ y $n = 500$: `np.sqrt(0.9 * 0.1 / 500)`. Compara después 0,93 − 0,92 con esa cifra."],
    solution="""
        error_tipico = np.sqrt(0.9 * (1 - 0.9) / 500)   # ≈ 0.013: ±1,3 puntos de exactitud
        se_distinguen = 0.93 - 0.92 > error_tipico       # False: la diferencia cabe en el ruido
        respuesta = (error_tipico, se_distinguen)
    """,
)

# ------------------------------------------------------------------ 5 · distinct values: grid vs random

BUDGET, GRID_SIDE = 9, 3
_grid_rates = [lr for lr, _ in itertools.product(np.logspace(-4, -2, GRID_SIDE), [32, 64, 128])]
_random_rates = 10 ** np.random.default_rng(0).uniform(-4, -2, size=BUDGET)
ejercicio_5 = ValueExercise(
    (len(set(_grid_rates)), len(set(_random_rates))),
    slips=[((BUDGET, BUDGET), "en la rejilla 3×3 cada tasa de aprendizaje se repite con los 3 tamaños de lote: "
                              "solo hay 3 distintas"),
           ((GRID_SIDE, GRID_SIDE), "en la búsqueda aleatoria cada ensayo sortea su propia tasa de aprendizaje: "
                                    "con una distribución continua, las 9 son distintas")],
    title="Ejercicio 5 · Rejilla o azar con el mismo presupuesto",
    hint=["Una rejilla 3×3 de (tasa de aprendizaje, tamaño de lote) tiene 9 ensayos, pero ¿cuántas tasas distintas?",
          "En la búsqueda aleatoria cada ensayo sortea todos sus hiperparámetros de nuevo."],
    solution="""
        respuesta = (3, 9)   # la rejilla repite cada tasa 3 veces; el azar prueba 9 distintas
    """,
)

"""Hyperparameter search plumbing: run one trial per configuration, timed, and print the results.

The configurations come from anywhere (scikit-learn's `ParameterGrid` and `ParameterSampler`,
a list of dicts); the objective trains and scores one of them. Only the standard library at import
time: Keras is imported by `Dropout` and `Networks` when they are used.

Why `Networks`: the first `fit` of every new Keras model traces its training step into a TensorFlow
graph, and on a CPU that costs more than a short trial's whole training. A search that builds a new
model per trial pays it every time. `Networks` keeps one compiled model per architecture and puts it
back where a newly built one would start (its initial weights, an optimizer without history, the same
random streams), so the graph is traced once per architecture. What a trial changes between runs must
then live in variables, not in the graph: the optimizer's learning rate already does; `Dropout`'s rate
does here (Keras's `Dropout` writes its rate into the graph as a constant).
"""
from __future__ import annotations

import numbers
import time
from functools import lru_cache

HEADERS = {"trial": "ensayo", "search": "búsqueda", "seconds": "segundos"}
FORMATS = {"learning_rate": "{:.1e}", "dropout": "{:.2f}", "seconds": "{:.1f}"}


def run_trials(configs, objective, *, first=1, search=None) -> list[dict]:
    """Call `objective(**config)` for every config; return one row per trial.

    A row is {"trial": n, "search": search, **config, **results, "seconds": s}, where `results`
    is the dict the objective returns (numbers, or anything else worth keeping, e.g. the model).
    Trials are numbered from `first`; `search` names the kind of search (omitted when None).
    """
    if not callable(objective):
        raise ValueError(f"objective debe ser una función que entrene y puntúe una configuración; "
                         f"se recibió {type(objective).__name__}")
    if not (isinstance(first, numbers.Integral) and not isinstance(first, bool) and first >= 0):
        raise ValueError(f"first debe ser un entero no negativo; se recibió {first!r}")
    rows = []
    for n, config in enumerate(configs, first):
        if not isinstance(config, dict):
            raise ValueError(f"cada configuración debe ser un diccionario {{hiperparámetro: valor}}; "
                             f"la del ensayo {n} es {type(config).__name__}")
        start = time.perf_counter()
        results = objective(**config)
        seconds = time.perf_counter() - start
        if not isinstance(results, dict):
            raise ValueError(f"objective debe devolver un diccionario de resultados, p. ej. "
                             f"{{'val_acc': 0.9}}; en el ensayo {n} devolvió {type(results).__name__}")
        head = {"trial": n} if search is None else {"trial": n, "search": search}
        rows.append({**head, **config, **results, "seconds": seconds})
    return rows


def _cell(key, value) -> str:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return FORMATS.get(key, "{:.4f}").format(float(value))


def results_table(rows, columns, *, sort_by=None, descending=True) -> str:
    """A text table of `rows` (dicts) with the given `columns`, sorted by `sort_by` if given.

    Headers come from HEADERS (else the key itself); numbers are formatted by FORMATS (else
    4 decimals for floats).
    """
    rows, columns = list(rows), list(columns)
    if not columns:
        raise ValueError("columns debe nombrar al menos una columna")
    for key in columns + ([sort_by] if sort_by is not None else []):
        missing = [r.get("trial", i + 1) for i, r in enumerate(rows) if key not in r]
        if missing:
            raise ValueError(f"la columna {key!r} no está en los ensayos {missing}")
    if sort_by is not None:
        rows = sorted(rows, key=lambda r: r[sort_by], reverse=descending)
    header = [HEADERS.get(c, c) for c in columns]
    body = [[_cell(c, r[c]) for c in columns] for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in body)) if body else len(h) for i, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(line, widths)) for line in body]
    return "\n".join(lines)


# ------------------------------------------------------------------ reusing one compiled model per architecture

class _Holder:
    """A plain box: Keras tracks the variables a layer stores as attributes, not the ones inside this."""

    def __init__(self, value):
        self.value = value


@lru_cache(maxsize=None)
def _dropout_class():
    import keras

    class Dropout(keras.layers.Layer):
        """Dropout whose rate is a variable (`layer.rate.assign(0.3)`): changing it keeps the traced graph."""

        def __init__(self, rate=0.0, seed=None, **kwargs):
            super().__init__(**kwargs)
            self.seed = seed
            self.seed_generator = keras.random.SeedGenerator(seed)
            # Outside Keras's tracking: a hyperparameter, not a weight (count_params and get_weights skip it).
            self._rate = _Holder(keras.Variable(float(rate), trainable=False, dtype="float32", name="rate"))

        @property
        def rate(self):
            return self._rate.value

        def call(self, inputs, training=False):
            if not training:
                return inputs
            ops = keras.ops
            keep = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator) >= self.rate
            return ops.where(keep, inputs / (1 - self.rate), ops.zeros_like(inputs))

        def compute_output_shape(self, input_shape):
            return input_shape

        def get_config(self):
            return {**super().get_config(), "rate": float(keras.ops.convert_to_numpy(self.rate)), "seed": self.seed}

    return Dropout


def _check_rate(rate):
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
        raise ValueError(f"la probabilidad de dropout debe ser un número en [0, 1); se recibió {rate!r}")
    return float(rate)


def Dropout(rate=0.0, *, seed=None, name=None):  # noqa: N802 - used like the Keras layer it replaces
    """A Keras dropout layer whose rate is a variable: `layer.rate.assign(0.3)` changes it between two
    `fit` calls without tracing the training step again. Same computation as `keras.layers.Dropout`
    (zero each input with probability `rate`, scale the rest by 1/(1 − rate); identity at inference)."""
    return _dropout_class()(_check_rate(rate), seed=seed, name=name)


def _dropouts(model):
    """This module's Dropout layers inside `model`, nested models included."""
    for layer in getattr(model, "layers", []):
        if isinstance(getattr(layer, "_rate", None), _Holder):
            yield layer
        yield from _dropouts(layer)


class Networks:
    """One compiled Keras model per architecture, handed out as if newly built for every trial.

    `build(**architecture)` must return a compiled model (a float learning rate in its optimizer, so a
    trial can set `model.optimizer.learning_rate`). The first `fresh(**architecture)` seeds Keras with
    `seed`, builds the model and records its starting state: every weight and random stream
    (`model.variables`), the optimizer's variables and the rates of its `Dropout` layers. Every `fresh`
    returns that model with that state restored, so training it is training a newly built one, and its
    graph is traced only once. A trial's dropout rate goes in a `Dropout` layer of this module
    (`model.get_layer(...).rate.assign(...)`).
    """

    def __init__(self, build, *, seed: int = 42):
        if not callable(build):
            raise ValueError(f"build debe ser una función que construya y compile el modelo; "
                             f"se recibió {type(build).__name__}")
        if not (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
            raise ValueError(f"seed debe ser un entero; se recibió {seed!r}")
        self._build, self._seed, self._models, self._twins = build, int(seed), {}, {}

    def __len__(self) -> int:
        """How many distinct architectures were built (and their training steps traced)."""
        return len(self._models)

    def fresh(self, **architecture):
        """The compiled model for `architecture`, in the state a newly built one would start from."""
        import keras

        key = tuple(sorted(architecture.items()))
        if key not in self._models:
            keras.utils.set_random_seed(self._seed)
            model = self._build(**architecture)
            if getattr(model, "optimizer", None) is None:
                raise ValueError("build debe devolver el modelo compilado (model.compile(optimizer=..., loss=...))")
            # Adam's moments exist from now on: otherwise the first fit traces twice (once creating them).
            model.optimizer.build(model.trainable_variables)
            variables = [*model.variables, *model.optimizer.variables, *(layer.rate for layer in _dropouts(model))]
            self._models[key] = model, variables, [v.numpy() for v in variables]
        model, variables, start = self._models[key]
        for variable, value in zip(variables, start):
            variable.assign(value)
        return model

    def snapshot(self, model):
        """The weights `model` has now, callable like the model: `snapshot(x)` predicts with them.

        A trial's model is trained again by the next trial; its snapshot keeps what it learned. Calling a
        snapshot loads its weights into an inference copy of the model, made once per model (a copy per
        trial would cost a model build each).
        """
        import keras

        if id(model) not in self._twins:
            self._twins[id(model)] = keras.models.clone_model(model)
        return Snapshot(self._twins[id(model)], model.get_weights())


class Snapshot:
    """Weights to predict with: `snapshot(x)` loads them into `model` (an inference copy) and calls it."""

    def __init__(self, model, weights):
        self.model, self.weights = model, weights

    def __call__(self, x, training=False):
        self.model.set_weights(self.weights)
        return self.model(x, training=training)

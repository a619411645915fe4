"""Grader side of a record: plain JSON back into values the instructor's checkers can judge.

Nothing here runs student code: numbers, texts, containers and arrays are rebuilt from data; a Keras
model from its config with `safe_mode=True`; a function becomes a `Replay` that answers the checker's
calls with the outputs recorded in the kernel; any other object becomes an empty stand-in of that
type's name, so the checker still says what it got.
"""
from __future__ import annotations

import copy
import math
import re

import numpy as np

from tools.grading.recorder import _Encoder

# SciPy distributions a record may name (nb11's search space); anything else stays an opaque object.
DISTRIBUTIONS = {"loguniform", "reciprocal", "uniform", "norm", "lognorm", "expon", "randint", "truncnorm"}


class RecordError(ValueError):
    """A record that is not what the recorder writes (malformed, or forged by hand)."""


def encode_cases(cases) -> list:
    """The checker's cases as the data the kernel rebuilds (tuples, dicts and arrays tagged)."""
    encoder = _Encoder(budget=200_000_000, weights=False)
    return [encoder(tuple(case)) for case in cases]


def _name(text) -> str:
    name = re.sub(r"\W", "_", str(text))[:60] or "objeto"
    return name if not name[0].isdigit() else f"_{name}"


def _stand_in(type_name: str):
    """An empty object whose type is called `type_name` (what the student's value was)."""
    return type(_name(type_name), (), {"__repr__": lambda self: f"<{type(self).__name__}>"})()


def _exception(outcome: dict) -> BaseException:
    from utils.exercises import PlaceholderError

    message = str(outcome.get("message", ""))[:300]
    kind = str(outcome.get("raised", "Exception"))
    if outcome.get("exit"):
        return SystemExit(message)
    if kind in ("PlaceholderError", "PlaceholderAttributeError"):
        return PlaceholderError(message)
    if kind == "TimeoutError":
        return TimeoutError(message)
    return type(_name(kind), (Exception,), {})(message)


def same(a, b) -> bool:
    """Deep equality of call arguments (arrays by dtype, shape and values)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b)
                and all(same(a[k], b[k]) for k in a))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return False


class Replay:
    """The student's function as recorded: the same outputs (or errors) on the checker's own cases."""

    def __init__(self, name: str, cases: list, calls: list):
        if len(calls) != len(cases):
            raise RecordError("el registro de la función no tiene una salida por caso")
        self.__name__ = self.__qualname__ = _name(name)
        self.cases, self.calls = cases, calls

    def __call__(self, *args):
        for case, outcome in zip(self.cases, self.calls):
            if same(tuple(args), tuple(case)):
                if "ok" in outcome:
                    return decode(outcome["ok"])  # a fresh copy per call
                raise _exception(outcome)
        raise RuntimeError("el calificador no registró la salida de tu función para esta entrada")

    def __repr__(self):
        return f"<función {self.__name__}>"


def _float(text: str) -> float:
    value = float(text)
    if math.isfinite(value):
        raise RecordError("número no especial escrito como texto")
    return value


def _array(data: dict) -> np.ndarray:
    shape = [int(n) for n in data["shape"]]
    if data["dtype"] == "object":
        flat = np.empty(len(data["items"]), dtype=object)
        flat[:] = [decode(v) for v in data["items"]] if data["items"] else []
        return flat.reshape(shape)
    dtype = np.dtype(data["dtype"])
    if dtype.kind not in "biuf":
        raise RecordError(f"tipo de array no admitido: {dtype}")
    values = [_float(v) if isinstance(v, str) else v for v in data["data"]]
    return np.array(values, dtype=dtype).reshape(shape)


def _distribution(data: dict):
    name = str(data["name"])
    args, kwds = decode(data["args"]), decode(data["kwds"])
    numbers_only = all(isinstance(v, (int, float)) for v in [*args, *kwds.values()])
    if name not in DISTRIBUTIONS or not numbers_only or not all(isinstance(k, str) for k in kwds):
        return _stand_in(f"rv_frozen_{name}")
    import scipy.stats

    return getattr(scipy.stats, name)(*args, **kwds)


def _keras(data: dict):
    import keras

    obj = keras.saving.deserialize_keras_object(copy.deepcopy(data["config"]), safe_mode=True)
    weights = data.get("weights")
    if weights is not None:
        if not getattr(obj, "built", False) and data.get("built"):
            raise RecordError("el modelo registrado no se pudo reconstruir construido")
        obj.set_weights([_array(w) for w in weights])
    if "compile" in data and isinstance(obj, keras.Model):
        obj.compile_from_config(data["compile"])
        obj.optimizer.build(obj.trainable_variables)
        obj.optimizer.iterations.assign(int(data.get("iterations", 0)))
    if isinstance(data.get("history"), dict):
        holder = keras.callbacks.History()
        holder.history = {str(k): [float(v) for v in vals] for k, vals in data["history"].items()}
        obj.history = holder
    return obj


def decode(data, cases=None):
    """A value from its record; `cases` (the checker's, for a function record) builds a Replay."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict) or "__t" not in data:
        raise RecordError("valor sin etiqueta")
    tag = data["__t"]
    if tag == "pending":
        from utils.exercises import PENDIENTE

        return PENDIENTE
    if tag == "tuple":
        return tuple(decode(v) for v in data["items"])
    if tag == "set":
        return {decode(v) for v in data["items"]}
    if tag == "dict":
        return {decode(k): decode(v) for k, v in data["items"]}
    if tag == "bigint":
        return int(str(data["text"])[:5000])
    if tag == "float":
        return _float(data["text"])
    if tag == "array":
        return _array(data)
    if tag == "scalar":
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in "biufc":
            raise RecordError(f"escalar no admitido: {dtype}")
        return dtype.type(decode(data["value"]))
    if tag == "object":
        return _stand_in(data.get("type", "object"))
    if tag == "error":
        return _stand_in("error")
    if tag == "distribution":
        return _distribution(data)
    if tag == "keras":
        return _keras(data)
    if tag == "function":
        if cases is None:
            return _stand_in("function")
        return Replay(data.get("name", "f"), cases, list(data["calls"]))
    raise RecordError(f"etiqueta desconocida: {tag!r}")

"""Kernel side of the grader: the value of an answer written out as plain JSON (its source is injected).

This file is never imported inside the student's kernel: `tools.grading.answers` injects its text into
the recording cell, so it uses only the standard library and finds NumPy and Keras in `sys.modules`
(already imported by the notebook). It never calls the checkers: the grader judges the data it writes.
"""
import json
import math
import os
import signal
import sys

MAX_DEPTH = 12


class _TooBig(Exception):
    pass


class _CallTimeout(BaseException):
    pass


class _Encoder:
    """Plain data for a value: JSON types, tagged dicts ({"__t": ...}) for the rest; a byte budget."""

    def __init__(self, budget, weights):
        self.budget, self.weights, self.stack = budget, weights, set()

    def spend(self, n):
        self.budget -= n
        if self.budget < 0:
            raise _TooBig

    def __call__(self, value, depth=0):
        self.spend(16)
        kind = type(value)
        module = getattr(kind, "__module__", "") or ""
        np = sys.modules.get("numpy")
        if np is not None and isinstance(value, np.generic) and not isinstance(value, np.ndarray):
            return {"__t": "scalar", "dtype": str(value.dtype), "value": self(value.item(), depth + 1)}
        if value is None or isinstance(value, bool):
            return None if value is None else bool(value)
        if isinstance(value, int):
            value = int(value)
            return value if abs(value) < 2 ** 63 else {"__t": "bigint", "text": str(value)}
        if isinstance(value, float):
            value = float(value)
            return value if math.isfinite(value) else {"__t": "float", "text": repr(value)}
        if isinstance(value, str):
            value = str(value)
            self.spend(len(value))
            return value
        if kind.__name__ == "_Pending" and module.endswith("exercises"):
            return {"__t": "pending"}
        if depth > MAX_DEPTH or id(value) in self.stack:
            return {"__t": "object", "type": kind.__name__, "note": "anidado"}
        self.stack.add(id(value))
        try:
            return self._container(value, kind, module, depth)
        finally:
            self.stack.discard(id(value))

    def _container(self, value, kind, module, depth):
        np = sys.modules.get("numpy")
        if isinstance(value, (list, tuple, set, frozenset)):
            items = [self(v, depth + 1) for v in value]
            if isinstance(value, list):
                return items
            return {"__t": "tuple" if isinstance(value, tuple) else "set", "items": items}
        if isinstance(value, dict):
            return {"__t": "dict", "items": [[self(k, depth + 1), self(v, depth + 1)] for k, v in value.items()]}
        if np is not None and isinstance(value, np.ndarray):
            return self.array(value, np, depth)
        if module.startswith("keras") and hasattr(value, "get_config"):
            return self.keras(value)
        if module.startswith(("tensorflow", "jax", "torch")) and callable(getattr(value, "numpy", None)):
            return self(value.numpy(), depth + 1)
        if module.startswith("scipy.stats") and hasattr(value, "dist") and hasattr(value, "args"):
            name = getattr(value.dist, "name", "")
            return {"__t": "distribution", "name": str(name), "args": self(tuple(value.args), depth + 1),
                    "kwds": self(dict(value.kwds), depth + 1)}
        return {"__t": "object", "type": kind.__name__, "callable": callable(value)}

    def array(self, value, np, depth):
        if value.dtype.kind in "biuf":
            self.spend(24 * value.size)  # about what each number takes as JSON text
            data = value.ravel().tolist()
            if value.dtype.kind == "f" and not all(math.isfinite(v) for v in data):
                data = [v if math.isfinite(v) else repr(v) for v in data]
            return {"__t": "array", "dtype": str(value.dtype), "shape": list(value.shape), "data": data}
        if value.dtype == object:
            return {"__t": "array", "dtype": "object", "shape": list(value.shape),
                    "items": [self(v, depth + 1) for v in value.ravel().tolist()]}
        return {"__t": "object", "type": f"ndarray[{value.dtype}]", "callable": False}

    def keras(self, value):
        keras = sys.modules["keras"]
        config = json.loads(json.dumps(keras.saving.serialize_keras_object(value), default=str))
        self.spend(len(json.dumps(config)))
        out = {"__t": "keras", "config": config, "built": bool(getattr(value, "built", False))}
        if self.weights:
            np = sys.modules["numpy"]
            out["weights"] = [self.array(np.asarray(w), np, 0) for w in value.get_weights()]
            optimizer = getattr(value, "optimizer", None)
            if getattr(value, "compiled", False) and optimizer is not None:
                out["compile"] = json.loads(json.dumps(value.get_compile_config(), default=str))
                out["iterations"] = int(np.asarray(optimizer.iterations))
            history = getattr(getattr(value, "history", None), "history", None)
            if isinstance(history, dict):
                out["history"] = {str(k): [float(v) for v in vals] for k, vals in history.items()}
        return out


def _first_line(error):
    try:
        lines = str(error).strip().splitlines()
    except Exception:  # noqa: BLE001 - an exception whose __str__ raises
        lines = []
    return lines[0][:300] if lines else ""


def _raised(error):
    return {"raised": type(error).__name__, "message": _first_line(error), "exit": isinstance(error, SystemExit)}


def _decode_case(data):
    """The arguments the grader wrote (JSON with tagged tuples, dicts and arrays) as Python values."""
    if isinstance(data, list):
        return [_decode_case(v) for v in data]
    if not isinstance(data, dict):
        return data
    tag = data.get("__t")
    if tag == "tuple":
        return tuple(_decode_case(v) for v in data["items"])
    if tag == "dict":
        return {_decode_case(k): _decode_case(v) for k, v in data["items"]}
    if tag == "array":
        import numpy

        return numpy.array(data["data"], dtype=data["dtype"]).reshape(data["shape"])
    if tag == "scalar":
        import numpy

        return numpy.dtype(data["dtype"]).type(data["value"])
    raise ValueError(f"caso desconocido: {tag}")


def _call(fn, args, seconds, encode):
    def alarm(signum, frame):
        raise _CallTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        result = fn(*args)
        signal.setitimer(signal.ITIMER_REAL, 0)
        return {"ok": encode(result)}
    except _CallTimeout:
        return {"raised": "TimeoutError", "message": f"tardó más de {seconds:g} s", "exit": False}
    except _TooBig:
        raise
    except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt: the student's function
        signal.setitimer(signal.ITIMER_REAL, 0)
        return _raised(error)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def record(answer, keywords, spec_path, out_path):
    """Write `{"status": ..., "value": ...}` for `answer()` (a lambda around the answer expression)."""
    with open(spec_path, encoding="utf-8") as fh:
        spec = json.load(fh)
    encode = _Encoder(spec["max_bytes"], spec.get("weights", False))
    try:
        try:
            value = answer()
        except NameError as error:
            result = {"status": "missing", "error": _first_line(error)}
        except BaseException as error:  # noqa: BLE001 - the expression itself fails
            result = {"status": "error", "error": f"{type(error).__name__}: {_first_line(error)}"}
        else:
            result = {"status": "ok"}
            if spec["kind"] == "function" and callable(value) and not isinstance(value, type):
                calls = [_call(value, _decode_case(args), spec["call_seconds"], encode) for args in spec["cases"]]
                result["value"] = {"__t": "function", "name": str(getattr(value, "__name__", "f"))[:80],
                                   "calls": calls}
            elif spec["kind"] == "text":
                text = value if isinstance(value, str) else None
                result["value"] = encode(text[: spec["max_text"]]) if text is not None else encode(value)
            else:
                result["value"] = encode(value)
            result["keywords"] = {}
            for name, get in keywords.items():
                try:
                    result["keywords"][name] = encode(get())
                except _TooBig:
                    raise
                except BaseException as error:  # noqa: BLE001
                    result["keywords"][name] = {"__t": "error", "error": type(error).__name__}
    except _TooBig:
        result = {"status": "too_big"}
    except BaseException as error:  # noqa: BLE001 - the value could not be written as data
        result = {"status": "error", "error": f"{type(error).__name__}: {_first_line(error)}"}
    result["nonce"] = spec["nonce"]
    temp = out_path + ".tmp"
    with open(temp, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    os.replace(temp, out_path)

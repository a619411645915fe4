"""Exercises that check themselves: `check(answer)`, `hint()`, `solution()`.

A notebook cell starts as `respuesta = ____`; the student replaces the placeholder and runs
`ejercicio_1.check(respuesta)`. Arithmetic and NumPy on the placeholder give the placeholder back
(`np.mean(np.abs(y - ____))` is `____`); what needs a real value (`float`, `if`, `len`, indexing,
a Keras layer size) raises a Spanish `PlaceholderError`. Checking it reports "sin responder" instead
of raising, so notebooks run top to bottom with unattempted exercises.

`evaluate` never raises because of the answer: odd answers (an endless iterator, a list that
contains itself, an object whose `repr`, `==` or `bool` raises, a function that calls `sys.exit`)
get a Spanish diagnosis; only KeyboardInterrupt stops a check. Verdicts are deterministic (no ids,
times or memory addresses) because nbval compares them.

In the student edition (`python -m tools.edition`) a solution, a model answer or the hints are the
marker `WITHHELD`: they then show that they will be published after the deadline; checks are unchanged.
"""
from __future__ import annotations

import copy
import html
import itertools
import math
import numbers
import re
import textwrap

import numpy as np

__all__ = ["____", "PENDIENTE", "WITHHELD", "Verdict", "Exercise", "ValueExercise", "ArrayExercise",
           "FunctionExercise", "ModelExercise", "ThoughtExercise", "layer"]

STATUSES = {  # status -> (label, colour)
    "correcto": ("Correcto", "#1a7f37"),
    "incorrecto": ("Incorrecto", "#cf222e"),
    "sin responder": ("Sin responder", "#6e7781"),
    "respuesta modelo": ("Autoevaluación", "#0969da"),
}
HINT_COLOR, SOLUTION_COLOR = "#8250df", "#0969da"
_PENDING_MESSAGE = "sustituye `____` por tu respuesta y pásala a `check(...)`."
WITHHELD_SOLUTION = "La solución se publicará después de la fecha de entrega."
WITHHELD_HINTS = "Las pistas de este ejercicio se publicarán después de la fecha de entrega."


class _Withheld:
    """The marker the student edition writes in place of a solution, a model answer or the hints."""

    def __repr__(self):
        return "WITHHELD"


WITHHELD = _Withheld()


class PlaceholderError(TypeError):
    """Starter code used `____` where only a real value will do (a number, a condition, an index...)."""


class PlaceholderAttributeError(PlaceholderError, AttributeError):
    """Starter code read an attribute of `____` (`____.shape`)."""


def _refuse(action):
    def refuse(self, *args, **kwargs):
        raise PlaceholderError(f"`____` sigue en tu código y no se puede {action}: "
                            "sustituye `____` por tu respuesta.")
    return refuse


class _Pending:
    """The placeholder `____`: absorbs arithmetic, comparisons, calls and NumPy functions, so starter
    code still runs; what cannot give back a placeholder (`float(____)`, `if ____:`, `len`, indexing,
    attributes) raises a Spanish TypeError that says to replace it."""

    def _absorb(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __matmul__ = __rmatmul__ = _absorb
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = _absorb
    __mod__ = __rmod__ = __neg__ = __pos__ = __abs__ = __call__ = __copy__ = __deepcopy__ = _absorb
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = __invert__ = _absorb
    __lshift__ = __rlshift__ = __rshift__ = __rrshift__ = __divmod__ = __rdivmod__ = _absorb
    __lt__ = __le__ = __gt__ = __ge__ = __round__ = __floor__ = __ceil__ = __trunc__ = _absorb

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return self  # `np.abs(y - ____)` is `____`

    def __array_function__(self, func, types, args, kwargs):
        return self  # `np.mean(____)`, `np.concatenate([x, ____])` are `____`

    __bool__ = _refuse("usar como condición (`if`, `and`, `or`, `max`...)")
    __float__ = __complex__ = _refuse("convertir en número")
    __int__ = __index__ = _refuse("usar como entero (tamaños, índices, `range`)")
    __len__ = _refuse("medir con `len`")
    __iter__ = _refuse("recorrer ni desempaquetar")
    __getitem__ = _refuse("indexar (`____[...]`)")
    __setitem__ = __delitem__ = _refuse("modificar")

    def __array__(self, dtype=None, copy=None):
        """`np.array([x, ____], dtype=object)` holds the placeholder; `np.float64(____)`, `y[____]` refuse."""
        if dtype is not None and np.dtype(dtype) == object:
            holder = np.empty((), dtype=object)
            holder[()] = self
            return holder
        raise PlaceholderError("`____` sigue en tu código y no se puede convertir en array de NumPy (ni usar "
                               "como índice de un array): sustituye `____` por tu respuesta.")

    def __getattr__(self, name):
        if name.startswith("_"):  # protocols (NumPy, IPython, pickle) probe these: plain "not found"
            raise AttributeError(name)
        raise PlaceholderAttributeError(f"`____` sigue en tu código y no tiene el atributo `.{name}`: "
                                     "sustituye `____` por tu respuesta.")

    def __repr__(self, *format_spec):
        return "____"

    __format__ = __repr__  # f"{____:.2f}" works too

    def __reduce__(self):
        return "PENDIENTE"  # unpickles as this module's singleton


____ = PENDIENTE = _Pending()


class _NotAttempted(Exception):
    """Raised while checking when the answer still holds the placeholder."""


def _is_pending(value, _seen=None) -> bool:
    """True if `value` is the placeholder or a list/tuple/dict/object array containing it.

    Containers that contain themselves (`a = []; a.append(a)`) are visited once.
    """
    if value is PENDIENTE:
        return True
    if isinstance(value, (dict, list, tuple, set, frozenset)) or (
            isinstance(value, np.ndarray) and value.dtype == object):
        seen = set() if _seen is None else _seen
        if id(value) in seen:
            return False
        seen.add(id(value))
        if isinstance(value, dict):
            items = [*value.keys(), *value.values()]
        else:
            items = value.flat if isinstance(value, np.ndarray) else value
        return any(_is_pending(v, seen) for v in items)
    return False


def _show(obj) -> None:
    """Rich display inside IPython (HTML or Markdown plus text/plain), plain print elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(obj)
    else:
        print(obj)


class Verdict:
    """Outcome of checking an answer: `status`, Spanish `message`, `title`; truthy iff correct."""

    def __init__(self, status: str, message: str, title: str | None = None):
        if status not in STATUSES:
            raise ValueError(f"status debe ser uno de {sorted(STATUSES)}; se recibió {status!r}")
        # Memory addresses (`<object at 0x7f...>`) would make outputs differ from run to run.
        message = re.sub(r"0x[0-9a-fA-F]+", "0x…", re.sub(r" at 0x[0-9a-fA-F]+", "", message))
        self.status, self.message, self.title = status, message, title

    def __bool__(self):
        return self.status == "correcto"

    def __repr__(self):
        head = f"{self.title} — " if self.title else ""
        return f"{head}{STATUSES[self.status][0]}: {self.message}"

    def _repr_html_(self):
        label, color = STATUSES[self.status]
        title = f"<strong>{html.escape(self.title)}</strong> — " if self.title else ""
        message = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(self.message)).replace("\n", "<br>")
        return (f'<div style="border-left:4px solid {color};padding:4px 10px;margin:4px 0">'
                f'{title}<strong style="color:{color}">{label}</strong>: {message}</div>')


class _Note:
    """A labelled hint, solution or model answer, shown as Markdown (text/plain fallback)."""

    def __init__(self, label: str, body: str, color: str, code: bool = False):
        self.label, self.body, self.color, self.code = label, body, color, code

    def _repr_markdown_(self):
        body = f"\n\n```python\n{self.body}\n```" if self.code else f" {self.body}"
        return f'<strong style="color:{self.color}">{self.label}:</strong>{body}'

    def __repr__(self):
        return f"{self.label}:{chr(10) if self.code else ' '}{self.body}"


# ------------------------------------------------------------------ describing values

def _fmt(value, _depth=0) -> str:
    """Short, deterministic rendering of a value inside a message (never calls the value's `repr`)."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return str(value if value is None else bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.6g}"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, np.ndarray):
        if value.size <= 12 and value.dtype != object:
            return np.array2string(value, separator=", ", precision=4).replace("\n", "")
        return f"array de forma {value.shape}"
    if isinstance(value, (list, tuple)):
        if len(value) > 8 or _depth >= 3:  # deep nesting: also a list that contains itself
            return f"{type(value).__name__} de {len(value)} elementos"
        inner = ", ".join(_fmt(v, _depth + 1) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if callable(value) and hasattr(value, "__name__"):
        return f"la función {value.__name__}"
    return f"un objeto {type(value).__name__}"


def _kind(value) -> str:
    """Spanish name of a value's type, with its article: 'un entero', 'una lista'..."""
    if isinstance(value, np.ndarray):
        return f"un array de NumPy de forma {value.shape}"
    for types, name in [((bool, np.bool_), "un booleano"), (numbers.Integral, "un entero"),
                        (numbers.Real, "un número decimal"), (str, "un texto (str)"), (list, "una lista"),
                        (tuple, "una tupla"), (dict, "un diccionario"), (type(None), "None")]:
        if isinstance(value, types):
            return name
    return f"un objeto de tipo {type(value).__name__}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _error(error: BaseException) -> str:
    """`Type: first line of the message`; just the type if the message itself cannot be read."""
    try:
        lines = str(error).strip().splitlines()
    except Exception:  # noqa: BLE001 - an exception whose __str__ raises
        lines = []
    return f"{type(error).__name__}: {lines[0][:200]}" if lines else type(error).__name__


_EXIT_MESSAGE = ("llamó a `sys.exit` (o `exit()`/`quit()`), que termina el programa entero: "
                 "en una función del ejercicio devuelve el resultado con `return`")


def _unchecked(error: BaseException) -> str:
    """Why an answer could not be checked, in Spanish, for an error the checker did not foresee."""
    text = _error(error)
    if isinstance(error, SystemExit):
        return f"no pude comprobar tu respuesta: tu código {_EXIT_MESSAGE}"
    if isinstance(error, RecursionError):
        why = "tu respuesta se contiene a sí misma o está anidada sin fin"
    elif isinstance(error, MemoryError):
        why = "tu respuesta es demasiado grande o no termina nunca"
    elif isinstance(error, ValueError) and "truth value" in text:
        why = ("un array de NumPy no es verdadero ni falso: ¿das un array (o una lista de arrays) "
               "donde se esperaba un solo número?")
    else:
        why = None
    detail = f"{why} ({type(error).__name__})" if why else f"al examinarla saltó {text}"
    return f"no pude comprobar tu respuesta: {detail}; revisa que sea del tipo que pide el enunciado"


def _describe_ratio(ratio: float) -> str | None:
    """Name a ratio answer/expected that looks like a typical slip (×10, half, /255), or None."""
    slips = [(2, "exactamente el doble del esperado"), (0.5, "exactamente la mitad del esperado"),
             (255, "255× el esperado (¿falta dividir entre 255?)"),
             (1 / 255, "255 veces menor que el esperado (¿has dividido entre 255 dos veces?)")]
    for k in range(1, 7):
        note = " (¿porcentaje en lugar de fracción?)" if k == 2 else ""
        slips += [(10**k, f"{10**k}× el esperado{note}"), (10**-k, f"{10**k} veces menor que el esperado{note}")]
    return next((f"tu valor es {text}" for factor, text in slips if math.isclose(ratio, factor, rel_tol=1e-6)), None)


# ------------------------------------------------------------------ diagnoses: None means correct

def _diagnose_value(got, expected, rtol, atol) -> str | None:
    """Compare any answer with the expected value; say what is wrong."""
    if _is_pending(got):
        raise _NotAttempted
    if isinstance(expected, np.ndarray):
        return _diagnose_array(got, expected, rtol, atol)
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"se esperaba True o False y has dado {_kind(got)}"
        return None if bool(got) == bool(expected) else f"{bool(got)} no es la respuesta correcta"
    if isinstance(expected, str):
        if not isinstance(got, str):
            return f"se esperaba un texto (str) y has dado {_kind(got)}"
        if got == expected:
            return None
        if got.strip().casefold() == expected.strip().casefold():
            return "casi: revisa mayúsculas, minúsculas y espacios"
        return f"el texto {_fmt(got)} no es el esperado"
    if isinstance(expected, numbers.Real):
        return _diagnose_number(got, expected, rtol, atol)
    if isinstance(expected, (tuple, list)):
        n = len(expected)
        if (isinstance(got, (str, bytes, dict)) or not hasattr(got, "__iter__")
                or (isinstance(got, np.ndarray) and got.ndim == 0)):
            return f"se esperaba una tupla de {n} valores y has dado {_kind(got)}"
        if hasattr(got, "__len__") and len(got) != n:
            return f"se esperaban {n} valores y has dado {len(got)}"
        got = tuple(itertools.islice(got, n + 1))  # an iterator may never end: take one more at most
        if len(got) > n:
            return (f"se esperaban {n} valores y tu respuesta da más de {n} (un iterador o generador puede "
                    f"no terminar nunca): pasa una tupla, p. ej. `{_example_tuple(n)}`")
        if len(got) != n:
            return f"se esperaban {n} valores y has dado {len(got)}"
        whys = [_diagnose_value(g, e, rtol, atol) for g, e in zip(got, expected)]
        if any(whys) and _same_values_reordered(got, expected, rtol, atol):
            return ("tienes los valores correctos pero en otro orden: ¿has intercambiado dos de ellos "
                    "(x e y, fila y columna, ancho y alto)?")
        return next((f"el elemento {i} no es correcto: {why}" for i, why in enumerate(whys) if why), None)
    try:
        same = bool(got == expected)
    except Exception as error:  # noqa: BLE001 - an array (ambiguous truth) or an object whose == or bool raises
        if isinstance(got, np.ndarray):
            return f"se esperaba {_kind(expected)} y has dado {_kind(got)}"
        return (f"tu respuesta ({_fmt(got)}) no se puede comparar con la esperada: al compararlas saltó "
                f"{type(error).__name__}; se esperaba {_kind(expected)}")
    return None if same else f"tu respuesta {_fmt(got)} no es la esperada"


def _same_values_reordered(got, expected, rtol, atol) -> bool:
    """The answer holds exactly the expected values, in another order (a swap of x and y...)."""
    if len(got) < 2 or not all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))
                                for v in (*got, *expected)):
        return False
    return all(math.isclose(g, e, rel_tol=rtol, abs_tol=atol)
               for g, e in zip(sorted(map(float, got)), sorted(map(float, expected))))


def _example_tuple(n: int) -> str:
    names = "abcdefgh"
    return f"({', '.join(names[:n])})" if n <= len(names) else "(a, b, ...)"


def _diagnose_number(got, expected, rtol, atol) -> str | None:
    if callable(getattr(got, "numpy", None)):  # a TensorFlow/Keras scalar tensor
        got = got.numpy()
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, str) and re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", got):
        return f"has dado el texto {_fmt(got)}: quita las comillas para que sea un número"
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, numbers.Real):
        extra = " (usa `.item()` para sacar el número)" if isinstance(got, np.ndarray) and got.size == 1 else ""
        return f"se esperaba un número y has dado {_kind(got)}{extra}"
    got, exp = float(got), float(expected)
    if math.isclose(got, exp, rel_tol=rtol, abs_tol=atol) or (math.isnan(got) and math.isnan(exp)):
        return None
    if not math.isfinite(got):
        return f"tu valor es {got} (revisa divisiones entre 0 o logaritmos de 0)"
    counting = isinstance(expected, numbers.Integral) and got.is_integer()
    if counting and abs(got - exp) == 1:
        return "te has pasado en 1: ¿has contado uno de más?" if got > exp else "te falta 1: ¿has contado uno de menos?"
    if exp != 0:
        if math.isclose(got, -exp, rel_tol=rtol, abs_tol=atol):
            return "el valor absoluto es correcto pero el signo no"
        slip = _describe_ratio(got / exp)
        if slip:
            return slip
        if counting and abs(got - exp) <= 0.1 * abs(exp):
            off = int(abs(got - exp))
            return (f"tu cuenta se pasa en {off}: ¿has contado algo de más?" if got > exp
                    else f"a tu cuenta le faltan {off}: ¿te has dejado algo sin contar?")
        if abs(got - exp) <= 0.01 * abs(exp):
            return f"tu valor {_fmt(got)} está muy cerca, pero fuera de la tolerancia (¿redondeo?)"
    return f"tu valor {_fmt(got)} es {'mayor' if got > exp else 'menor'} que el esperado"


def _diagnose_array(got, expected, rtol, atol, check_dtype=False) -> str | None:
    if callable(getattr(got, "numpy", None)):  # TensorFlow/Keras tensors
        got = got.numpy()
    if not isinstance(got, (np.ndarray, list, tuple, numbers.Number, np.generic)):
        return f"se esperaba un array de NumPy (o una lista convertible en uno) y has dado {_kind(got)}"
    try:
        arr = np.asarray(got)
    except ValueError:
        return "tu lista no forma un array: sus filas tienen longitudes distintas"
    if arr.dtype.kind not in "biuf":
        return f"el array debe ser numérico y es de tipo {arr.dtype}"
    if arr.shape != expected.shape:
        return _shape_message(arr, expected, rtol, atol)
    family = {"b": "booleanos", "i": "enteros", "u": "enteros", "f": "decimales"}
    if check_dtype and family[arr.dtype.kind] != family[expected.dtype.kind]:
        return (f"se esperaba un array de {family[expected.dtype.kind]} ({expected.dtype}) "
                f"y el tuyo es de {family[arr.dtype.kind]} ({arr.dtype})")
    a, e = arr.astype(np.float64), expected.astype(np.float64)
    close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if np.isnan(a[~close]).any():
        return "tu array contiene NaN (¿una división entre 0?)"
    if np.any(e):
        if np.allclose(-a, e, rtol=rtol, atol=atol):
            return "todos los valores tienen el signo cambiado"
        factor = float(np.sum(a * e) / np.sum(e * e))  # least-squares fit a ≈ factor · e
        if np.allclose(a, factor * e, rtol=rtol, atol=atol):
            return _describe_ratio(factor) or f"tus valores son proporcionales a los esperados ({_fmt(factor)}× cada uno)"
    if a.ndim == 2 and a.shape == a.T.shape and np.allclose(a.T, e, rtol=rtol, atol=atol):
        return "tu array es la traspuesta del esperado"
    offset = float(np.mean(a - e))
    if np.allclose(a - offset, e, rtol=rtol, atol=atol):
        return f"todos los valores están desplazados en {offset:+.6g} (¿sobra o falta una suma?)"
    wrong = np.argwhere(~close)
    pos = tuple(int(i) for i in wrong[0])
    verb = "no coincide" if len(wrong) == 1 else "no coinciden"
    return (f"{len(wrong)} de {a.size} valores {verb}; el primero, en la posición [{', '.join(map(str, pos))}]: "
            f"tienes {_fmt(arr[pos])} y se esperaba {_fmt(expected[pos])}")


def _shape_message(arr, expected, rtol, atol) -> str:
    base = f"se esperaba forma {expected.shape} y tiene {arr.shape}"
    if arr.ndim >= 2 and arr.shape == expected.shape[::-1] and np.allclose(arr.T, expected, rtol=rtol, atol=atol):
        return base + ": es la traspuesta de lo esperado"
    if arr.ndim == expected.ndim and sorted(arr.shape) == sorted(expected.shape):
        return base + ": los mismos ejes en otro orden (¿ejes intercambiados?)"
    if np.squeeze(arr).shape == np.squeeze(expected).shape:
        return base + (": sobra un eje de tamaño 1 (¿falta `np.squeeze`?)" if arr.ndim > expected.ndim
                       else ": falta un eje de tamaño 1 (¿falta `np.expand_dims`?)")
    if arr.size == expected.size:
        return base + ": tiene el mismo número de elementos (¿falta un `reshape`?)"
    return base


# ------------------------------------------------------------------ exercises

class Exercise:
    """Base class with `check`, `evaluate`, `hint` and `solution`; subclasses define `_diagnose`."""

    def __init__(self, *, title=None, hint=None, solution=None, rtol=1e-6, atol=0.0):
        if not (rtol >= 0 and atol >= 0):
            raise ValueError(f"rtol y atol deben ser >= 0; se recibió rtol={rtol}, atol={atol}")
        self.title, self.rtol, self.atol = title, rtol, atol
        self.withheld = {name for name, value in (("hint", hint), ("solution", solution)) if value is WITHHELD}
        hint, solution = (None if value is WITHHELD else value for value in (hint, solution))
        self.hints = [hint] if isinstance(hint, str) else list(hint or [])
        self._solution = textwrap.dedent(solution).strip() if solution else None

    def _diagnose(self, answer) -> str | None:
        """None if `answer` is right, else a Spanish phrase saying what is wrong."""
        raise NotImplementedError

    def _praise(self, answer) -> str:
        return "tu respuesta es correcta."

    def evaluate(self, answer) -> Verdict:
        """Check `answer` and return its Verdict; never raises because of the answer."""
        try:
            if _is_pending(answer):
                raise _NotAttempted
            why = self._diagnose(answer)
            if why is not None:  # a typical mistake the author named says more than the generic diagnosis
                why = next((message for twin, message in getattr(self, "slips", ()) if _matches(twin, answer)), why)
        except (_NotAttempted, PlaceholderError):
            return Verdict("sin responder", _PENDING_MESSAGE, self.title)
        except (Exception, SystemExit) as error:  # noqa: BLE001 - an odd answer must not stop the notebook
            why = _unchecked(error)  # KeyboardInterrupt still stops the cell
        if why is None:
            return Verdict("correcto", self._praise(answer), self.title)
        return Verdict("incorrecto", why if why.endswith((".", "?", "!")) else why + ".", self.title)

    def check(self, answer=PENDIENTE) -> None:
        """Display the verdict on `answer`."""
        _show(self.evaluate(answer))

    def hint(self, n: int = 1) -> None:
        """Display hint number `n` (1, 2, ...)."""
        total = len(self.hints)
        if "hint" in self.withheld:
            text, label = WITHHELD_HINTS, "Pista"
        elif not total:
            text, label = "este ejercicio no tiene pistas; si te atascas, mira `solution()`.", "Pista"
        elif not isinstance(n, int) or not 1 <= n <= total:
            text, label = f"hay {_plural(total, 'pista')}: pide una de 1 a {total}, p. ej. `hint(1)`.", "Pista"
        else:
            text = self.hints[n - 1] + (f"\n\n(Otra pista: `hint({n + 1})`)" if n < total else "")
            label = "Pista" if total == 1 else f"Pista {n} de {total}"
        _show(_Note(label, text, HINT_COLOR))

    def solution(self) -> None:
        """Display the model solution as a Python code block."""
        if "solution" in self.withheld:
            return _show(_Note("Solución", WITHHELD_SOLUTION, SOLUTION_COLOR))
        text = self._solution or "este ejercicio no tiene solución escrita."
        _show(_Note("Solución", text, SOLUTION_COLOR, code=self._solution is not None))

    def __repr__(self):
        name = f" «{self.title}»" if self.title else ""
        return f"{type(self).__name__}{name}: usa .check(respuesta), .hint() y .solution()"


def _matches(twin, answer) -> bool:
    """The answer is the author's wrong one; a wrong reference that itself raises on a case matches nothing."""
    try:
        return twin._diagnose(answer) is None
    except Exception:  # noqa: BLE001 - e.g. a slip `dZ @ W` whose shapes do not fit every case
        return False


class _Slips:
    """`slips=[(wrong answer, message), ...]`: typical mistakes named by the author.

    An answer that matches a wrong one (with the exercise's own tolerance) gets that message
    instead of the generic diagnosis.
    """

    def _set_slips(self, slips):
        self.slips = [(self._twin(wrong), message) for wrong, message in slips]


class ValueExercise(_Slips, Exercise):
    """A number or tuple of numbers (with tolerance); strings and bools compared exactly."""

    def __init__(self, expected, *, rtol=1e-6, atol=0.0, slips=(), title=None, hint=None, solution=None):
        super().__init__(title=title, hint=hint, solution=solution, rtol=rtol, atol=atol)
        self.expected = expected
        self._set_slips(slips)

    def _twin(self, wrong):
        return ValueExercise(wrong, rtol=self.rtol, atol=self.atol)

    def _diagnose(self, answer):
        return _diagnose_value(answer, self.expected, self.rtol, self.atol)


class ArrayExercise(_Slips, Exercise):
    """A NumPy array: shape first, then values with tolerance; dtype family only if `check_dtype`."""

    def __init__(self, expected, *, rtol=1e-6, atol=1e-8, check_dtype=False, slips=(), title=None, hint=None,
                 solution=None):
        super().__init__(title=title, hint=hint, solution=solution, rtol=rtol, atol=atol)
        self.expected, self.check_dtype = np.asarray(expected), check_dtype
        if self.expected.dtype.kind not in "biuf":
            raise ValueError(f"expected debe ser un array numérico; se recibió dtype {self.expected.dtype}")
        self._set_slips(slips)

    def _twin(self, wrong):
        return ArrayExercise(wrong, rtol=self.rtol, atol=self.atol, check_dtype=self.check_dtype)

    def _diagnose(self, answer):
        return _diagnose_array(answer, self.expected, self.rtol, self.atol, self.check_dtype)


class FunctionExercise(_Slips, Exercise):
    """A function, called on every case and compared with `reference`.

    A case is a tuple of positional arguments; anything else is a single argument (so a tuple
    argument is written `((1, 2),)`). Arguments are deep-copied for every call.
    """

    def __init__(self, reference, cases, *, rtol=1e-6, atol=1e-8, slips=(), title=None, hint=None, solution=None):
        super().__init__(title=title, hint=hint, solution=solution, rtol=rtol, atol=atol)
        if not callable(reference):
            raise TypeError(f"reference debe ser una función; se recibió {type(reference).__name__}")
        self.reference = reference
        self.cases = [case if isinstance(case, tuple) else (case,) for case in cases]
        if not self.cases:
            raise ValueError("cases debe contener al menos un caso de prueba; se recibió una lista vacía")
        self._set_slips(slips)

    def _twin(self, wrong):
        return FunctionExercise(wrong, self.cases, rtol=self.rtol, atol=self.atol)

    def _diagnose(self, fn):
        if not callable(fn):
            return f"se esperaba una función y has dado {_kind(fn)}: pásala sin paréntesis, p. ej. `check(mi_funcion)`"
        for args in self.cases:
            call = f"{getattr(fn, '__name__', 'f')}({', '.join(_fmt(a) for a in args)})"
            expected = self.reference(*copy.deepcopy(args))
            try:
                got = fn(*copy.deepcopy(args))
            except PlaceholderError:
                raise _NotAttempted from None  # the function still uses `____`
            except SystemExit:
                return f"con la entrada `{call}` tu función {_EXIT_MESSAGE}"
            except Exception as error:  # noqa: BLE001 - reported to the student
                return f"con la entrada `{call}` tu función lanzó una excepción: {_error(error)}"
            if got is None and expected is not None:
                return f"con la entrada `{call}` tu función devolvió None: ¿falta un `return`?"
            why = _diagnose_value(got, expected, self.rtol, self.atol)
            if why and isinstance(expected, np.ndarray):
                return f"con la entrada `{call}`: {why}"
            if why:
                return f"con la entrada `{call}` tu función devolvió {_fmt(got)} y se esperaba {_fmt(expected)} ({why})"
        return None

    def _praise(self, fn):
        return f"tu función da el resultado esperado en {_plural(len(self.cases), 'caso')} de prueba."


class LayerSpec:
    """An expected layer: Keras class name (aliases such as MaxPool2D allowed) and attributes."""

    def __init__(self, kind, **attrs):
        self.kind = kind if isinstance(kind, str) else getattr(kind, "__name__", "")
        if not self.kind:
            raise TypeError(f"kind debe ser el nombre de una capa, p. ej. 'Conv2D'; se recibió {type(kind).__name__}")
        self.attrs = attrs


def layer(kind, **attrs) -> LayerSpec:
    """Describe an expected layer: `layer("Conv2D", filters=32, kernel_size=3, activation="relu")`."""
    return LayerSpec(kind, **attrs)


def _activation_name(value) -> str:
    """'relu' for "relu", keras.activations.relu or keras.layers.ReLU(); 'linear' for None."""
    value = "linear" if value is None else value
    return value if isinstance(value, str) else getattr(value, "__name__", type(value).__name__)


def _attribute_problem(lay, name, want) -> str | None:
    """Compare one layer attribute; ints match tuples (3 == (3, 3)), activations match by name."""
    config = lay.get_config()
    if name == "activation" and hasattr(lay, "activation"):
        have, want = _activation_name(lay.activation), _activation_name(want)
        ok = have.replace("_", "").lower() == want.replace("_", "").lower()
    elif name in config or hasattr(lay, name):
        have = config[name] if name in config else getattr(lay, name)
        have, want = (tuple(v) if isinstance(v, list) else v for v in (have, want))
        if isinstance(have, tuple) and isinstance(want, int) and not isinstance(want, bool):
            want = (want,) * len(have)
        if isinstance(want, str) and isinstance(have, str):
            ok = want.lower() == have.lower()
        elif isinstance(want, float) and isinstance(have, numbers.Real):
            ok = math.isclose(have, want, rel_tol=1e-6)
        else:
            ok = want == have
    else:
        return f"no tiene el atributo {name}"
    return None if ok else f"se esperaba {name}={_fmt(want)} y tiene {name}={_fmt(have)}"


# Keras layers that are an activation and nothing else: `layers.ReLU()` is `layers.Activation("relu")`.
_ACTIVATION_LAYERS = {"ReLU": "relu", "Softmax": "softmax", "ELU": "elu"}


def _same_kind(name, lay, want, spec) -> str:
    """The layer's class name, or the expected one when the layer is an equivalent activation layer."""
    if want is None or name == want:
        return name
    mine = _ACTIVATION_LAYERS.get(name) or (_activation_name(getattr(lay, "activation", None))
                                            if name == "Activation" else None)
    if name == "ReLU":
        config = lay.get_config()
        if config.get("max_value") is not None or config.get("negative_slope") or config.get("threshold"):
            return name  # ReLU6, leaky or shifted: not plain relu
    if mine is None:
        return name
    if want == "Activation":
        wanted = spec.attrs.get("activation")
        return want if wanted is None or _activation_name(wanted).lower() == mine.lower() else name
    return want if _ACTIVATION_LAYERS.get(want) == mine.lower() else name


class ModelExercise(Exercise):
    """A Keras model, layer or list of layers compared with a list of `layer(...)` specs.

    `input_shape` (without the batch) builds an unbuilt model; `output_shape` (with or without
    the batch `None`) and `params` (total parameter count) are checked when given.
    """

    def __init__(self, spec, *, input_shape=None, output_shape=None, params=None, title=None, hint=None, solution=None):
        super().__init__(title=title, hint=hint, solution=solution)
        self.spec = [s if isinstance(s, LayerSpec) else LayerSpec(s) for s in spec]
        self.input_shape = None if input_shape is None else tuple(input_shape)
        shape = None if output_shape is None else tuple(output_shape)
        self.output_shape = shape[1:] if shape and shape[0] is None else shape
        self.params = params

    def _diagnose(self, answer):
        import keras

        model, layers = None, answer if isinstance(answer, (list, tuple)) else [answer]
        if isinstance(answer, keras.Model):
            model, layers = answer, [lay for lay in answer.layers if type(lay).__name__ != "InputLayer"]
        elif not isinstance(answer, (list, tuple, keras.layers.Layer)):
            return f"se esperaba un modelo de Keras, una capa o una lista de capas y has dado {_kind(answer)}"
        for i, item in enumerate(layers, 1):
            if not isinstance(item, keras.layers.Layer):
                return f"el elemento {i} de la lista no es una capa de Keras: es {_kind(item)}"
        why = self._diagnose_layers(keras, layers)
        if why or (self.output_shape is None and self.params is None):
            return why
        if model is None or not model.built:
            if self.input_shape is None:
                return "tu modelo no está construido: empieza con `keras.Input(shape=...)`"
            try:
                if model is None:
                    model = keras.Sequential([keras.Input(shape=self.input_shape), *layers])
                else:
                    model.build((None, *self.input_shape))
            except Exception as error:  # noqa: BLE001 - reported to the student
                return f"no se pudo construir el modelo con entrada {self.input_shape}: {_error(error)}"
        shape = tuple(model.output_shape)[1:]
        if self.output_shape is not None and shape != self.output_shape:
            return f"la salida tiene forma {(None, *shape)} y se esperaba {(None, *self.output_shape)}"
        if self.params is not None and model.count_params() != self.params:
            return f"tu modelo tiene {model.count_params()} parámetros y se esperaban {self.params}"
        return None

    def _diagnose_layers(self, keras, layers):
        want = [getattr(getattr(keras.layers, s.kind, None), "__name__", s.kind) for s in self.spec]
        got = [_same_kind(type(lay).__name__, lay, w, s)
               for lay, w, s in zip(layers, want + [None] * len(layers), self.spec + [None] * len(layers))]
        if got != want:
            n = min(len(got), len(want))
            i = next((i for i in range(n) if got[i] != want[i]), n)
            yours = f"; tus capas: {' → '.join(got) or 'ninguna'}"
            count = f"se esperaban {len(want)} capas y tu modelo tiene {len(got)}: " if len(got) != len(want) else ""
            if i < n:
                return f"{count}la capa {i + 1} debería ser {want[i]} y es {got[i]}{yours}"
            if len(got) < len(want):
                return f"{count}faltan capas a partir de la {i + 1}, que debería ser {want[i]}{yours}"
            return f"{count}sobran capas a partir de la {i + 1} ({got[i]}){yours}"
        for i, (lay, spec) in enumerate(zip(layers, self.spec)):
            for name, value in spec.attrs.items():
                if name == "activation" and type(lay).__name__ in _ACTIVATION_LAYERS:
                    continue  # already matched by _same_kind
                why = _attribute_problem(lay, name, value)
                if why:
                    return f"capa {i + 1} ({got[i]}): {why}"
        return None

    def _praise(self, answer):
        params = f", {self.params} parámetros" if self.params is not None else ""
        return f"la arquitectura coincide ({_plural(len(self.spec), 'capa')}{params})."


_NO_TEXT = object()  # `check()` called without the student's text
_MAX_ECHO = 2000  # characters of the student's text shown back


class ThoughtExercise(Exercise):
    """A question to think about: `check()` shows the model answer for self-assessment."""

    def __init__(self, question, model_answer, *, title=None, hint=None):
        super().__init__(title=title, hint=hint)
        if model_answer is WITHHELD:
            self.withheld.add("solution")
        self.question = question
        self.model_answer = None if model_answer is WITHHELD else textwrap.dedent(model_answer).strip()

    def evaluate(self, answer=_NO_TEXT) -> Verdict:
        """Model answer, below the student's text if given; "sin responder" for `____` or ""."""
        model = (f"Respuesta modelo: {self.model_answer}\n\nCompárala con la tuya." if self.model_answer is not None
                 else WITHHELD_SOLUTION)
        if answer is _NO_TEXT:
            return Verdict("respuesta modelo", model.removeprefix("Respuesta modelo: "), self.title)
        try:
            text = "" if _is_pending(answer) else str(answer).strip()
        except Exception as error:  # noqa: BLE001 - an answer that cannot be turned into text
            return Verdict("sin responder", f"no pude leer tu respuesta como texto (al convertirla saltó "
                           f"{type(error).__name__}): escríbela entre comillas, p. ej. `check(\"porque...\")`.",
                           self.title)
        if not text:
            return Verdict("sin responder", "escribe tu respuesta como texto y pásala a `check(...)`; "
                           "la respuesta modelo está en `solution()`.", self.title)
        if len(text) > _MAX_ECHO:
            text = text[:_MAX_ECHO] + " […]"
        return Verdict("respuesta modelo", f"Pregunta: {self.question}\n\nTu respuesta: {text}\n\n{model}", self.title)

    def check(self, answer=_NO_TEXT) -> None:
        """Display the model answer, echoing the student's text when given."""
        _show(self.evaluate(answer))

    def solution(self) -> None:
        """Display the model answer."""
        _show(_Note("Respuesta modelo", self.model_answer or WITHHELD_SOLUTION, STATUSES["respuesta modelo"][1]))

"""Hyperparameter search plumbing: run one trial per configuration, timed, and print the results.

The configurations come from anywhere (scikit-learn's `ParameterGrid` and `ParameterSampler`,
a list of dicts); the objective trains and scores one of them. Only the standard library here.
"""
from __future__ import annotations

import numbers
import time

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

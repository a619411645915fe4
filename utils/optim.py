"""Optimizers on a 2-D surface: the elongated bowl, real Keras optimizers stepping on it, the figure.

`trajectory(keras.optimizers.Adam(0.1))` runs a real Keras optimizer on a `tf.Variable` holding
a point (x, y), with gradients from `tf.GradientTape`, and returns every point it visited.
TensorFlow and matplotlib are imported inside the functions that need them.
"""
from __future__ import annotations

import numbers

import numpy as np

START = (-4.0, 2.0)  # where every race starts
LIMITS = ((-5.0, 5.0), (-3.0, 3.0))  # (x range, y range) drawn by `plot_paths`


def bowl(x, y):
    """Elongated bowl f(x, y) = 0.1·x² + 2·y²: minimum 0 at (0, 0), 20× steeper along y.

    Works on NumPy arrays and TensorFlow tensors alike.
    """
    return 0.1 * x**2 + 2.0 * y**2


def bowl_gradient(x, y) -> np.ndarray:
    """Gradient of `bowl`: (0.2·x, 4·y)."""
    return np.array([0.2 * x, 4.0 * y], dtype=float)


def trajectory(optimizer, *, start=START, steps: int = 50, function=bowl) -> np.ndarray:
    """Minimize `function(x, y)` with a Keras optimizer from `start`; return the (steps + 1, 2) path.

    Each step computes the gradient with `tf.GradientTape` and calls `optimizer.apply_gradients`.
    A diverging run keeps going: its last points may be huge, inf or nan.
    """
    import tensorflow as tf

    if not hasattr(optimizer, "apply_gradients"):
        raise TypeError(f"optimizer debe ser un optimizador de Keras, p. ej. keras.optimizers.SGD(0.1); "
                        f"se recibió {type(optimizer).__name__}")
    if not isinstance(steps, numbers.Integral) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"steps debe ser un entero positivo; se recibió {steps!r}")
    start = np.asarray(start, dtype=np.float32)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start debe ser un punto (x, y) de dos números finitos; se recibió {start.tolist()}")
    point = tf.Variable(start)
    path = [start.copy()]
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = function(point[0], point[1])
        optimizer.apply_gradients([(tape.gradient(loss, point), point)])
        path.append(point.numpy().copy())
    return np.array(path, dtype=np.float64)


def distance_to_minimum(path) -> float:
    """Euclidean distance from the last point of `path` to the minimum (0, 0)."""
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
        raise ValueError(f"path debe ser un array (pasos, 2) de puntos (x, y); se recibió forma {path.shape}")
    return float(np.hypot(*path[-1]))


def _until_outside(path):
    """`path` up to and including its first point outside LIMITS (or not finite)."""
    (x0, x1), (y0, y1) = LIMITS
    with np.errstate(invalid="ignore"):
        inside = (path[:, 0] >= x0) & (path[:, 0] <= x1) & (path[:, 1] >= y0) & (path[:, 1] <= y1)
    outside = np.flatnonzero(~inside)
    return path if len(outside) == 0 else path[: outside[0] + 1]


def plot_paths(paths: dict, *, title=None, ax=None, function=bowl):
    """Draw `function`'s contour lines and each named path (dict name -> (n, 2) array); return the axes.

    A path that leaves the drawn area (a diverging one) is drawn up to its first point outside.
    """
    import matplotlib.pyplot as plt

    from utils.plots import STYLE

    if not isinstance(paths, dict) or not paths:
        raise ValueError("paths debe ser un diccionario no vacío {nombre: trayectoria (pasos, 2)}")
    plt.rcParams.update(STYLE)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0))
    (x0, x1), (y0, y1) = LIMITS
    gx, gy = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 121))
    ax.contour(gx, gy, function(gx, gy), levels=np.geomspace(0.01, 20, 12), colors="0.75", linewidths=0.8)
    for name, path in paths.items():
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2:
            raise ValueError(f"la trayectoria {name!r} debe tener forma (pasos, 2); se recibió {path.shape}")
        ax.plot(*_until_outside(path).T, "o-", ms=2.5, lw=1.2, label=name)
    ax.plot(0, 0, "k*", ms=10)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x$", ylabel="$y$", title=title)
    ax.legend(fontsize=8, loc="upper right")
    return ax

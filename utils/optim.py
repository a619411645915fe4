"""Optimizers on a 2-D surface: the elongated bowl, real Keras optimizers stepping on it, the figure;
and the drawing of a computational graph with its forward values and backward gradients.

`trajectory(keras.optimizers.Adam(0.1))` runs a real Keras optimizer on a `tf.Variable` holding
a point (x, y), with gradients from `tf.GradientTape`, and returns every point it visited.
`plot_graph(nodes, edges)` draws the graph of a small computation (plumbing only: the notebook
computes the numbers written on it). TensorFlow and matplotlib are imported inside the functions
that need them.
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

    Each step computes the gradient with `tf.GradientTape` and calls `optimizer.apply_gradients`,
    inside one `tf.function` loop. A diverging run keeps going: its last points may be huge, inf or nan.
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
    if not optimizer.built:
        optimizer.build([point])  # its slots (momentum, squares…) exist before the loop is compiled

    # The same steps as a Python loop, compiled once into a graph loop: the same numbers, without
    # paying Python's and eager TensorFlow's overhead on every step (3–15× faster).
    @tf.function(autograph=False)
    def descend():
        def step(i, path):
            with tf.GradientTape() as tape:
                loss = function(point[0], point[1])
            optimizer.apply_gradients([(tape.gradient(loss, point), point)])
            return i + 1, path.write(i + 1, point.read_value())

        path = tf.TensorArray(tf.float32, size=steps + 1).write(0, point.read_value())
        _, path = tf.while_loop(lambda i, _: i < steps, step, [tf.constant(0), path])
        return path.stack()

    return descend().numpy().astype(np.float64)


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


FORWARD_COLOR, BACKWARD_COLOR = "#2e7d32", "#c62828"  # values going forward, gradients coming back


def plot_graph(nodes: dict, edges, *, ax=None, title=None):
    """Draw a computational graph; return the axes.

    nodes: {name: (x, y, label)}; a node whose label is None is a loose end (nothing drawn), e.g.
    where the final value leaves the graph. edges: [(source, target, forward, backward)], an arrow
    from source to target with the forward value written above it (green) and the gradient of the
    loss with respect to that value below it (red). The texts are strings, written as given.
    """
    import matplotlib.pyplot as plt

    from utils.plots import STYLE

    if not isinstance(nodes, dict) or not nodes:
        raise ValueError("nodes debe ser un diccionario no vacío {nombre: (x, y, etiqueta)}")
    for name, node in nodes.items():
        if not (isinstance(node, (tuple, list)) and len(node) == 3
                and all(isinstance(v, numbers.Real) for v in node[:2])):
            raise ValueError(f"el nodo {name!r} debe ser (x, y, etiqueta); se recibió {node!r}")
    edges = list(edges)
    for edge in edges:
        if not (isinstance(edge, (tuple, list)) and len(edge) == 4):
            raise ValueError(f"cada arista es (origen, destino, valor, gradiente); se recibió {edge!r}")
        missing = [end for end in edge[:2] if end not in nodes]
        if missing:
            raise ValueError(f"la arista {edge[0]!r} → {edge[1]!r} nombra un nodo que no existe: {missing[0]!r}")
    plt.rcParams.update(STYLE)
    if ax is None:
        xs = [node[0] for node in nodes.values()]
        ys = [node[1] for node in nodes.values()]
        _, ax = plt.subplots(figsize=(1.5 * (max(xs) - min(xs)) + 1.5, 1.5 * (max(ys) - min(ys)) + 1.2))
    for source, target, forward, backward in edges:
        (x0, y0, label0), (x1, y1, label1) = nodes[source][:3], nodes[target][:3]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.2,
                                    shrinkA=0 if label0 is None else 15, shrinkB=0 if label1 is None else 15))
        # the texts run along the arrow, one on each side of it
        length = max(np.hypot(x1 - x0, y1 - y0), 1e-9)
        nx, ny = -(y1 - y0) / length * 0.06, (x1 - x0) / length * 0.06
        angle = np.degrees(np.arctan2(y1 - y0, x1 - x0))
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        for text, sign, va, color in [(forward, 1, "bottom", FORWARD_COLOR), (backward, -1, "top", BACKWARD_COLOR)]:
            ax.text(mx + sign * nx, my + sign * ny, text, color=color, ha="center", va=va, fontsize=9,
                    rotation=angle, rotation_mode="anchor")
    for x, y, label in nodes.values():
        if label is not None:
            ax.text(x, y, label, ha="center", va="center", fontsize=11,
                    bbox=dict(boxstyle="circle,pad=0.35", facecolor="#eef3fb", edgecolor="0.35"))
    xs = [node[0] for node in nodes.values()]
    ys = [node[1] for node in nodes.values()]
    ax.set(xlim=(min(xs) - 0.5, max(xs) + 0.5), ylim=(min(ys) - 0.5, max(ys) + 0.5), title=title)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax

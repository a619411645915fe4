"""The course's figures: image grids, training curves, confusion matrices — one style throughout."""
from __future__ import annotations

import itertools

import numpy as np

from ._checks import _is_int, _received

STYLE = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "font.size": 10,
}
COLORS = {"train": "#1f77b4", "val": "#d62728", "ok": "#2e7d32", "bad": "#c62828"}


def use_style():
    """Apply the course's matplotlib style to every figure (called by `utils.setup`)."""
    import matplotlib

    matplotlib.rcParams.update(STYLE)


def _plt():
    import matplotlib.pyplot as plt

    use_style()
    return plt


def image_grid(images, labels=None, *, predictions=None, class_names=None, ncols=8, size=1.4, cmap="gray", title=None):
    """Show images in a grid with their labels; with `predictions`, wrong ones in red.

    `images`: (N, H, W) or (N, H, W, C) array or list of arrays (C = 1, 3 or 4), any numeric range.
    Integer labels are indices into `class_names` when given.
    """
    images = _image_list(images)
    labels = _per_image(labels, "labels", len(images))
    predictions = _per_image(predictions, "predictions", len(images))
    class_names = _class_names(class_names)
    if not (_is_int(ncols) and ncols > 0):
        raise ValueError(f"ncols debe ser un entero positivo (columnas de la rejilla); se recibió {ncols!r}")
    if not (isinstance(size, (int, float, np.integer, np.floating)) and not isinstance(size, bool) and 0 < size <= 20):
        raise ValueError(f"size debe ser un número entre 0 y 20 (pulgadas por imagen); se recibió {size!r}")

    def name(v, seq_name):
        if isinstance(v, (str, np.str_)):
            return str(v)
        if np.ndim(v) == 0 and _is_number(v) and float(v).is_integer():
            v = int(v)
            if class_names is None:
                return str(v)
            _check_index(v, len(class_names), seq_name)
            return class_names[v]
        return str(v)

    shown = [(name(labels[i], "labels") if labels is not None else None,
              name(predictions[i], "predictions") if predictions is not None else None) for i in range(len(images))]
    plt = _plt()
    ncols = min(int(ncols), len(images))
    nrows = -(-len(images) // ncols)
    row_height = size + (0.35 if labels is not None else 0) + (0.2 if predictions is not None else 0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, row_height * nrows + (0.4 if title else 0)), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, img, (label, prediction) in zip(axes.flat, images, shown):
        if img.ndim == 3 and img.shape[-1] == 1:
            img = img[..., 0]
        ax.imshow(img, cmap=cmap if img.ndim == 2 else None)
        if label is not None and prediction is not None:
            ok = label == prediction
            ax.set_title(prediction + ("" if ok else f"\n(real: {label})"), color=COLORS["ok" if ok else "bad"], fontsize=8)
        elif label is not None:
            ax.set_title(label, fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def training_curves(history, metrics=None, *, title=None):
    """Plot loss and metrics per epoch, training vs validation, from a Keras `History` (or its dict)."""
    hist = getattr(history, "history", history)
    if not isinstance(hist, dict) or not hist:
        raise ValueError("training_curves espera el History que devuelve model.fit (o su diccionario .history)")
    if isinstance(metrics, str):
        metrics = [metrics]
    metrics = list(metrics) if metrics is not None else \
        [k for k in hist if not str(k).startswith("val_") and k not in ("learning_rate", "lr")]
    if not metrics:
        raise ValueError(f"training_curves necesita al menos una métrica de entrenamiento; el historial tiene: "
                         f"{sorted(map(str, hist))}")
    series = {}
    for metric in metrics:
        if metric not in hist:
            raise ValueError(f"la métrica {metric!r} no está en el historial; hay: {sorted(map(str, hist))}")
        series[metric] = _epochs(hist[metric], metric)
        if f"val_{metric}" in hist:
            val = _epochs(hist[f"val_{metric}"], f"val_{metric}")
            if len(val) != len(series[metric]):
                raise ValueError(f"val_{metric} debe tener un valor por época, como {metric}: {len(series[metric])} "
                                 f"épocas de entrenamiento y {len(val)} de validación")
            series[f"val_{metric}"] = val
    plt = _plt()
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.2), squeeze=False)
    names = {"loss": "pérdida", "accuracy": "exactitud", "mae": "MAE", "mse": "MSE"}
    for ax, metric in zip(axes.flat, metrics):
        epochs = np.arange(1, len(series[metric]) + 1)
        ax.plot(epochs, series[metric], "o-", color=COLORS["train"], label="entrenamiento", ms=3)
        if f"val_{metric}" in series:
            ax.plot(epochs, series[f"val_{metric}"], "o-", color=COLORS["val"], label="validación", ms=3)
        ax.set_xlabel("época")
        ax.set_ylabel(names.get(metric, metric))
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, class_names=None, *, normalize=False, title="Matriz de confusión"):
    """Draw the confusion matrix (rows: true class, columns: predicted); returns (figure, counts).

    Labels are class indices 0 … n - 1 (n = len(class_names), or the largest label + 1).
    """
    y_true, y_pred = _class_indices(y_true, "y_true"), _class_indices(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true e y_pred deben tener la misma longitud: {y_true.size} y {y_pred.size}")
    if not y_true.size:
        raise ValueError("y_true e y_pred deben tener al menos una etiqueta; se recibieron secuencias vacías")
    class_names = _class_names(class_names)
    if class_names is not None:
        n = len(class_names)
        for y, name in ((y_true, "y_true"), (y_pred, "y_pred")):
            _check_index(int(y.max()), n, name)
    else:
        n = int(max(y_true.max(), y_pred.max())) + 1
        if n > MAX_CLASSES:
            raise ValueError(f"confusion_matrix dibuja como mucho {MAX_CLASSES} clases; la etiqueta más alta es "
                             f"{n - 1}, que pediría una matriz {n}×{n}: ¿son índices de clase 0 … n - 1?")
    counts = np.zeros((n, n), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    shown = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalize else counts
    plt = _plt()
    fig, ax = plt.subplots(figsize=(0.55 * n + 2.5, 0.55 * n + 2))
    ax.imshow(shown, cmap="Blues")
    ax.grid(False)
    labels = class_names if class_names is not None else [str(i) for i in range(n)]
    ax.set_xticks(range(n), labels, rotation=45, ha="right")
    ax.set_yticks(range(n), labels)
    ax.set_xlabel("predicción")
    ax.set_ylabel("clase real")
    ax.set_title(title)
    limit = shown.max() / 2 if shown.size else 0
    for (i, j), v in np.ndenumerate(shown):
        ax.text(j, i, f"{v:.2f}" if normalize else str(v), ha="center", va="center",
                color="white" if v > limit else "black", fontsize=8)
    fig.tight_layout()
    return fig, counts


# ------------------------------------------------------------------ validation (Spanish messages)

MAX_IMAGES = 400  # a 20×20 grid; more takes minutes to draw and shows nothing
MAX_CLASSES = 100


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating, np.bool_)) and not isinstance(value, bool)


def _image_list(images):
    """The images as a list of numeric 2-D or 3-D arrays (1, 3 or 4 channels), at most MAX_IMAGES."""
    expected = "images debe ser un array (N, alto, ancho) o (N, alto, ancho, canales), o una lista de imágenes"
    if images is None or isinstance(images, (str, bytes, dict)) or not (
            hasattr(images, "__iter__") or hasattr(images, "__array__")):
        raise TypeError(f"{expected}; se recibió {_received(images)}")
    if hasattr(images, "__array__") or isinstance(images, np.ndarray):
        array = np.asarray(images)
        if array.ndim not in (3, 4):
            hints = {1: " (¿son etiquetas?)", 2: " (¿una sola imagen? pásala dentro de una lista: [imagen])"}
            hint = hints.get(array.ndim, "")
            raise ValueError(f"{expected}; se recibió un array de forma {array.shape}{hint}")
        items = list(array[:MAX_IMAGES + 1])
    else:
        items = list(itertools.islice(images, MAX_IMAGES + 1))  # an endless iterator stops here
    if not items:
        raise ValueError("image_grid necesita al menos una imagen; se recibió una lista vacía")
    if len(items) > MAX_IMAGES:
        raise ValueError(f"image_grid dibuja como mucho {MAX_IMAGES} imágenes; se recibieron más: elige unas "
                         f"pocas, p. ej. images[:32]")
    result = []
    for i, item in enumerate(items):
        try:
            img = np.asarray(item)
        except (ValueError, TypeError):
            raise ValueError(f"la imagen {i} debe ser un array rectangular; se recibió una lista con filas de "
                             f"longitudes distintas") from None
        if img.dtype.kind not in "biuf":
            got = _received(item) if img.ndim == 0 else f"un array de tipo {img.dtype}"
            raise TypeError(f"la imagen {i} debe contener números; se recibió {got}")
        if not (img.ndim == 2 or (img.ndim == 3 and img.shape[-1] in (1, 3, 4))) or 0 in img.shape:
            raise ValueError(f"la imagen {i} debe tener forma (alto, ancho) o (alto, ancho, canales) con 1, 3 o 4 "
                             f"canales; se recibió forma {img.shape}")
        result.append(img)
    return result


def _per_image(seq, name, n):
    """`labels` or `predictions` as a list with one entry per image (None stays None)."""
    if seq is None:
        return None
    if isinstance(seq, (str, bytes)) or not hasattr(seq, "__len__"):
        raise TypeError(f"{name} debe ser una lista o array con una etiqueta por imagen; se recibió {_received(seq)}")
    shape = np.shape(seq) if not isinstance(seq, (list, tuple)) or all(np.ndim(v) == 0 for v in seq) else None
    if shape is not None and len(shape) == 2 and shape[1] > 1:
        raise ValueError(f"{name} debe tener una etiqueta por imagen, forma ({n},); se recibió forma {shape}: "
                         f"si son probabilidades o one-hot, usa np.argmax({name}, axis=1)")
    if len(seq) != n:
        raise ValueError(f"{name} debe tener una etiqueta por imagen: {n} imágenes y {len(seq)} etiquetas")
    return list(seq)


def _epochs(values, metric):
    """One number per epoch, as a 1-D float array."""
    try:
        array = np.asarray(values, dtype=float)
    except (ValueError, TypeError):
        array = None
    if array is None or array.ndim != 1 or not array.size:
        got = ("valores que no son números" if array is None and hasattr(values, "__iter__") else
               _received(values) if array is None or array.ndim == 0 else f"forma {array.shape}")
        raise ValueError(f"la métrica {metric!r} del historial debe ser una lista con un número por época; "
                         f"se recibió {got}")
    return array


def _class_names(class_names):
    if class_names is None:
        return None
    if isinstance(class_names, (str, bytes)) or not hasattr(class_names, "__len__"):
        raise TypeError(f"class_names debe ser una lista de nombres, uno por clase; "
                        f"se recibió {_received(class_names)}")
    names = [str(c) for c in class_names]
    if not names or len(names) > MAX_CLASSES:
        raise ValueError(f"class_names debe tener de 1 a {MAX_CLASSES} nombres; se recibieron {len(names)}")
    return names


def _check_index(label, n, name):
    if not 0 <= label < n:
        raise ValueError(f"{name} debe contener índices de clase de 0 a {n - 1} (hay {n} nombres de clase); "
                         f"se recibió la etiqueta {label}")


def _class_indices(y, name):
    """Labels as a 1-D int array of class indices >= 0, or a Spanish error."""
    if y is None or isinstance(y, (str, bytes, dict)):
        raise TypeError(f"{name} debe ser una lista o array de índices de clase (enteros); se recibió {_received(y)}")
    try:
        array = np.asarray(y)
    except (ValueError, TypeError):
        raise ValueError(f"{name} debe ser una lista plana de índices de clase; se recibió una lista con "
                         f"filas de longitudes distintas") from None
    if array.ndim == 2 and array.shape[1] > 1:
        raise ValueError(f"{name} debe tener un índice de clase por ejemplo; se recibió forma {array.shape}: "
                         f"si son probabilidades o one-hot, usa np.argmax({name}, axis=1)")
    array = array.ravel()
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} debe contener índices de clase (enteros 0, 1, 2…); se recibió un array de tipo "
                        f"{array.dtype}")
    if array.dtype.kind == "f":
        odd = array[~(np.isfinite(array) & (array == np.round(array)))]
        if odd.size:
            raise ValueError(f"{name} debe contener índices de clase enteros; se recibió {odd[0]:g} "
                             f"(¿probabilidades? usa np.argmax(..., axis=1))")
    array = array.astype(np.int64)
    if array.size and array.min() < 0:
        raise ValueError(f"{name} debe contener índices de clase de 0 en adelante; se recibió la etiqueta "
                         f"{int(array.min())}")
    return array

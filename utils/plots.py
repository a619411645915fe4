"""The course's figures: image grids, training curves, confusion matrices — one style throughout."""
from __future__ import annotations

import numpy as np

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

    `images`: (N, H, W) or (N, H, W, C) array or list of arrays, any numeric range.
    """
    plt = _plt()
    images = list(images)
    if not images:
        raise ValueError("image_grid necesita al menos una imagen")
    for name, seq in (("labels", labels), ("predictions", predictions)):
        if seq is not None and len(seq) != len(images):
            raise ValueError(f"{name} debe tener una etiqueta por imagen: {len(images)} imágenes y {len(seq)} etiquetas")
    ncols = max(1, min(ncols, len(images)))
    nrows = -(-len(images) // ncols)
    row_height = size + (0.35 if labels is not None else 0) + (0.2 if predictions is not None else 0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, row_height * nrows + (0.4 if title else 0)), squeeze=False)

    def name(v):
        if isinstance(v, (str, np.str_)):
            return str(v)
        if np.ndim(v) == 0 and float(v).is_integer():
            v = int(v)
            return class_names[v] if class_names is not None else str(v)
        return str(v)

    for ax in axes.flat:
        ax.axis("off")
    for i, (ax, img) in enumerate(zip(axes.flat, images)):
        img = np.asarray(img)
        if img.ndim == 3 and img.shape[-1] == 1:
            img = img[..., 0]
        ax.imshow(img, cmap=cmap if img.ndim == 2 else None)
        if labels is not None and predictions is not None:
            ok = name(labels[i]) == name(predictions[i])
            ax.set_title(f"{name(predictions[i])}" + ("" if ok else f"\n(real: {name(labels[i])})"),
                         color=COLORS["ok" if ok else "bad"], fontsize=8)
        elif labels is not None:
            ax.set_title(name(labels[i]), fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def training_curves(history, metrics=None, *, title=None):
    """Plot loss and metrics per epoch, training vs validation, from a Keras `History` (or its dict)."""
    plt = _plt()
    hist = getattr(history, "history", history)
    if not isinstance(hist, dict) or not hist:
        raise ValueError("training_curves espera el History que devuelve model.fit (o su diccionario .history)")
    metrics = metrics or [k for k in hist if not k.startswith("val_") and k not in ("learning_rate", "lr")]
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.2), squeeze=False)
    names = {"loss": "pérdida", "accuracy": "exactitud", "mae": "MAE", "mse": "MSE"}
    for ax, metric in zip(axes.flat, metrics):
        if metric not in hist:
            raise ValueError(f"la métrica {metric!r} no está en el historial; hay: {sorted(hist)}")
        epochs = np.arange(1, len(hist[metric]) + 1)
        ax.plot(epochs, hist[metric], "o-", color=COLORS["train"], label="entrenamiento", ms=3)
        if f"val_{metric}" in hist:
            ax.plot(epochs, hist[f"val_{metric}"], "o-", color=COLORS["val"], label="validación", ms=3)
        ax.set_xlabel("época")
        ax.set_ylabel(names.get(metric, metric))
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, class_names=None, *, normalize=False, title="Matriz de confusión"):
    """Draw the confusion matrix (rows: true class, columns: predicted); returns (figure, counts)."""
    plt = _plt()
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true e y_pred deben tener la misma longitud: {y_true.size} y {y_pred.size}")
    n = len(class_names) if class_names is not None else int(max(y_true.max(), y_pred.max())) + 1
    counts = np.zeros((n, n), dtype=int)
    np.add.at(counts, (y_true.astype(int), y_pred.astype(int)), 1)
    shown = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalize else counts
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

"""Comparable training runs: the same split, the same seed, one row per model.

`fit_and_measure` seeds Keras, builds a compiled classifier, trains it on a fixed training
set while validating on a fixed validation set, and measures the final weights on each set
in inference mode (no dropout, no augmentation): accuracy and cross-entropy, the latter
without any regularization penalty. `comparison_table` lines the runs up. Arrays go through `tf.data` so the training order is seeded too.
TensorFlow and Keras are imported inside the functions: `import utils` stays light.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Run", "as_dataset", "fit_and_measure", "comparison_table"]


@dataclass(eq=False)
class Run:
    """One trained model: accuracies (fractions 0–1) and cross-entropies on each data set."""

    name: str
    train_acc: float
    val_acc: float
    train_loss: float
    val_loss: float
    epochs: int
    seconds: float
    history: dict = field(repr=False)
    model: object = field(repr=False)
    test_acc: float | None = None

    @property
    def gap(self) -> float:
        """Train minus validation accuracy: how much the model memorised."""
        return self.train_acc - self.val_acc

    @property
    def loss_gap(self) -> float:
        """Validation minus train cross-entropy."""
        return self.val_loss - self.train_loss

    def row(self) -> dict:
        """The run as a dict of its name, epochs, measures, gaps and seconds."""
        return {"name": self.name, "epochs": self.epochs, "train_acc": self.train_acc, "val_acc": self.val_acc,
                "gap": self.gap, "train_loss": self.train_loss, "val_loss": self.val_loss,
                "loss_gap": self.loss_gap, "test_acc": self.test_acc, "seconds": self.seconds}


def _check_split(what: str, split) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(split, (tuple, list)) or len(split) != 2:
        raise ValueError(f"{what} debe ser una tupla (x, y); se recibió {type(split).__name__}")
    x, y = np.asarray(split[0]), np.asarray(split[1])
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(f"{what}: x e y deben tener el mismo número de ejemplos (y al menos uno); "
                         f"se recibieron {len(x)} y {len(y)}")
    return x, y


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} debe ser un entero positivo; se recibió {value!r}")
    return int(value)


def as_dataset(x, y=None, *, batch_size: int = 64, shuffle_seed: int | None = None):
    """A batched `tf.data.Dataset` of `(x, y)` (or of `x` alone); reshuffled every epoch if `shuffle_seed`."""
    import tensorflow as tf

    batch_size = _positive_int("batch_size", batch_size)
    data = tf.data.Dataset.from_tensor_slices(np.asarray(x) if y is None else (np.asarray(x), np.asarray(y)))
    if shuffle_seed is not None:
        data = data.shuffle(len(x), seed=shuffle_seed, reshuffle_each_iteration=True)
    return data.batch(batch_size)


def _measure(model, x, y, batch_size: int) -> tuple[float, float]:
    """Accuracy and mean cross-entropy of a softmax classifier on (x, y), in inference mode."""
    p = np.asarray(model.predict(as_dataset(x, batch_size=batch_size), verbose=0), dtype=np.float64)
    if p.ndim != 2 or np.any(p < -1e-6) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError("el modelo debe terminar en softmax: una probabilidad por clase que sume 1; "
                         f"su salida tiene forma {p.shape}")
    y = np.asarray(y).ravel().astype(int)
    loss = -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1.0)))
    return float(np.mean(np.argmax(p, axis=1) == y)), float(loss)


def fit_and_measure(name: str, build, train, val, *, epochs: int, batch_size: int = 64, seed: int = 42,
                    callbacks=(), test=None) -> Run:
    """Seed Keras with `seed`, call `build()` (a compiled classifier), fit it and measure it.

    `train`, `val` and `test` are `(x, y)` tuples with integer labels; the model must end in a
    softmax. The measures are those of the weights the model ends with (after
    `EarlyStopping(restore_best_weights=True)`, the restored ones), computed in inference mode.
    """
    import keras

    x_train, y_train = _check_split("train", train)
    x_val, y_val = _check_split("val", val)
    epochs, batch_size = _positive_int("epochs", epochs), _positive_int("batch_size", batch_size)
    if not callable(build):
        raise ValueError(f"build debe ser una función sin argumentos que devuelva un modelo; "
                         f"se recibió {type(build).__name__}")
    keras.utils.set_random_seed(seed)
    model = build()
    if not isinstance(model, keras.Model) or not model.compiled:
        raise ValueError("build() debe devolver un modelo de Keras ya compilado (llama a model.compile dentro)")
    start = time.perf_counter()
    history = model.fit(as_dataset(x_train, y_train, batch_size=batch_size, shuffle_seed=seed),
                        validation_data=as_dataset(x_val, y_val, batch_size=batch_size),
                        epochs=epochs, callbacks=list(callbacks), shuffle=False, verbose=0)
    seconds = time.perf_counter() - start
    train_acc, train_loss = _measure(model, x_train, y_train, batch_size)
    val_acc, val_loss = _measure(model, x_val, y_val, batch_size)
    test_acc = None if test is None else _measure(model, *_check_split("test", test), batch_size)[0]
    return Run(name=name, train_acc=train_acc, val_acc=val_acc, train_loss=train_loss, val_loss=val_loss,
               epochs=len(history.history["loss"]), seconds=seconds, history=dict(history.history),
               model=model, test_acc=test_acc)


def comparison_table(runs) -> str:
    """Runs side by side as a fixed-width text table: accuracies, their gap, losses, seconds."""
    runs = list(runs)
    if not runs or not all(isinstance(r, Run) for r in runs):
        raise ValueError("comparison_table espera una lista no vacía de resultados de fit_and_measure")
    with_test = any(r.test_acc is not None for r in runs)
    width = max(len("modelo"), *(len(r.name) for r in runs))
    header = (f"{'modelo':<{width}}  épocas  exactitud: entren.  valid.  brecha" + ("  prueba" if with_test else "")
              + "  pérdida: entren.  valid.  segundos")
    lines = [header, "-" * len(header)]
    for r in runs:
        test = "" if not with_test else "  " + (f"{r.test_acc:6.3f}" if r.test_acc is not None else "     —")
        lines.append(f"{r.name:<{width}}  {r.epochs:6d}  {r.train_acc:18.3f}  {r.val_acc:6.3f}  {r.gap:+6.3f}{test}"
                     f"  {r.train_loss:16.3f}  {r.val_loss:6.3f}  {r.seconds:8.1f}")
    return "\n".join(lines)

"""Comparable training runs: the same split, the same seed, one row per model.

`fit_and_measure` seeds Keras, builds a compiled classifier, trains it on a fixed training
set while validating on a fixed validation set, and measures the final weights on each set
in inference mode (no dropout, no augmentation): accuracy and cross-entropy, the latter
without any regularization penalty. `comparison_table` lines the runs up. Arrays go through `tf.data` so the training order is seeded too.
`train_grid` trains a grid of small regularized networks (dropout rate × L2 strength) in a single
`fit` and records, epoch by epoch, the same inference-mode measures for each: what an explorer looks
up instead of retraining.
TensorFlow and Keras are imported inside the functions: `import utils` stays light.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Run", "Curves", "as_dataset", "build_for_fit", "fit_and_measure", "comparison_table", "train_grid"]


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


# The smallest normal float32: it only keeps log(0) finite. Keras computes the cross-entropy of a
# softmax from its logits, with no 1e-7 clip of the probability, so a confident mistake (p = 3e-10)
# counts in full here too and `Run.val_loss` agrees with the `val_loss` of `fit`'s history.
_FLOOR = float(np.finfo(np.float32).tiny)


def _scores(p, y) -> tuple[float, float]:
    """Accuracy and mean cross-entropy of the class probabilities `p` (one row per example) for labels `y`."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 2 or np.any(p < -1e-6) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError("el modelo debe terminar en softmax: una probabilidad por clase que sume 1; "
                         f"su salida tiene forma {p.shape}")
    y = np.asarray(y).ravel().astype(int)
    loss = -np.mean(np.log(np.clip(p[np.arange(len(y)), y], _FLOOR, 1.0)))
    return float(np.mean(np.argmax(p, axis=1) == y)), float(loss)


# Examples per call of `_outputs`: about a million input values (1 337 MNIST images, 36 of 96×96×3), and
# never fewer than the batch size. Each eager call of a Keras model costs milliseconds of Python, so
# few large calls are cheap; the cap keeps a convolutional network's activations within memory.
_CALL_VALUES = 2 ** 20


def _outputs(model, x, batch_size: int) -> np.ndarray:
    """`model(x, training=False)` in a few large calls, as one array: what `predict` returns, without the
    graph that `predict` traces first (seconds for a model that is then called a few times)."""
    x = np.asarray(x)
    step = max(batch_size, _CALL_VALUES // max(1, int(np.prod(x.shape[1:]))))
    return np.concatenate([np.asarray(model(x[start:start + step], training=False))
                           for start in range(0, len(x), step)])


def _measure(model, x, y, batch_size: int) -> tuple[float, float]:
    """Accuracy and mean cross-entropy of a softmax classifier on (x, y), in inference mode."""
    return _scores(_outputs(model, x, batch_size), y)


def build_for_fit(model, x, y):
    """Create the optimizer's and the metrics' variables of a compiled `model` now, from the first
    examples of (`x`, `y`), so that its first `fit` traces the training step once instead of twice.

    Keras creates those variables inside the first trace of the training step, and tf.function traces a
    function again when its first trace created variables: for MobileNetV2 that second trace costs
    seconds. The calls change no weight and draw no random number, so training is the same. Returns
    `model`; the metrics are reset, so `fit` starts from zero as always.
    """
    if getattr(model, "optimizer", None) is None:
        raise ValueError("compila el modelo (model.compile(...)) antes de llamar a build_for_fit")
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(f"x e y deben tener los mismos ejemplos, al menos uno; se recibió {len(x)} y {len(y)}")
    first_x, first_y = np.asarray(x[:2]), np.asarray(y[:2])
    y_pred = model(first_x, training=False)
    model.compute_loss(x=first_x, y=first_y, y_pred=y_pred)
    model.compute_metrics(first_x, first_y, y_pred, sample_weight=None)
    model.reset_metrics()
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return model


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
    build_for_fit(model, x_train, y_train)
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




@dataclass(eq=False)
class Curves:
    """One network of `train_grid`: accuracy (0–1) and cross-entropy after each epoch, in inference mode."""

    train_acc: list
    val_acc: list
    train_loss: list
    val_loss: list

    @property
    def epochs(self) -> int:
        return len(self.val_loss)

    @property
    def gap(self) -> float:
        """Train minus validation accuracy after the last epoch."""
        return self.train_acc[-1] - self.val_acc[-1]

    @property
    def loss_gap(self) -> float:
        """Validation minus train cross-entropy after the last epoch."""
        return self.val_loss[-1] - self.train_loss[-1]


def _grid_model(input_shape, rates, l2s, hidden, classes):
    """Logits (batch, networks, classes) of len(rates) MLPs side by side, network k with dropout rates[k]
    after each hidden layer and an L2 penalty l2s[k] on its hidden kernels. Each layer holds the weights
    of every network in one tensor with a leading network axis, so the training step has a handful of
    variables instead of dozens: building it (TensorFlow's tracing) costs what one network's does."""
    import keras
    from keras import layers, ops

    count = len(rates)
    keep = np.reshape(1.0 - np.asarray(rates, dtype="float32"), (1, count, 1))
    strengths = np.asarray(l2s, dtype="float32")

    class PerNetworkL2(keras.regularizers.Regularizer):
        """Network k's `regularizers.L2(l2s[k])` of its slice of a (networks, in, out) kernel, summed."""

        def __call__(self, kernel):
            return ops.sum(strengths * ops.sum(ops.square(kernel), axis=(1, 2)))

        def get_config(self):
            return {"l2s": [float(v) for v in strengths]}

    class SideBySideDense(layers.Layer):
        """`count` Dense layers, Glorot-uniform kernels (count, in, out), zero biases (count, out)."""

        def __init__(self, units, activation=None, penalty=None, **kwargs):
            super().__init__(**kwargs)
            self.units, self.activation, self.penalty = units, keras.activations.get(activation), penalty

        def build(self, input_shape):
            fan_in = input_shape[-1]
            limit = float(np.sqrt(6.0 / (fan_in + self.units)))
            self.kernel = self.add_weight(shape=(count, fan_in, self.units), regularizer=self.penalty,
                                          initializer=keras.initializers.RandomUniform(-limit, limit), name="kernel")
            self.bias = self.add_weight(shape=(count, self.units), initializer="zeros", name="bias")

        def call(self, x):
            equation = "bi,kio->bko" if len(x.shape) == 2 else "bki,kio->bko"  # the shared input, then per network
            return self.activation(ops.einsum(equation, x, self.kernel) + self.bias)

    class SideBySideDropout(layers.Layer):
        """Inverted dropout with network k's own rate; nothing in inference."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = keras.random.SeedGenerator()

        def call(self, x, training=False):
            if not training:
                return x
            kept = keras.random.uniform(ops.shape(x), seed=self.seed_generator) < keep
            return ops.where(kept, x / keep, ops.zeros_like(x))

    inputs = keras.Input(shape=input_shape)
    h = layers.Flatten()(inputs)
    for units in hidden:
        h = SideBySideDense(units, activation="relu", penalty=PerNetworkL2())(h)
        h = SideBySideDropout()(h)
    return keras.Model(inputs, SideBySideDense(classes)(h))


def train_grid(train, val, *, rates, l2s, hidden=(64, 64), epochs: int, batch_size: int = 64,
               seed: int = 42, optimizer="adam") -> dict:
    """Train one MLP per (dropout rate, L2 strength) of the grid `rates` × `l2s`, all in one `fit`.

    Every network has the hidden ReLU layers `hidden`, a softmax output, dropout with its rate after
    each hidden layer and `regularizers.L2(l2)` on its hidden kernels, trained with `optimizer` (Adam
    with its default learning rate). The networks share only the input and each has its own loss, so each learns as if trained
    alone. Returns `{(rate, l2): Curves}`: after every epoch, accuracy and cross-entropy (without the
    penalty) on `train` and `val`, measured in inference mode (no dropout).
    """
    import keras
    import tensorflow as tf
    from keras import ops

    x_train, y_train = _check_split("train", train)
    x_val, y_val = _check_split("val", val)
    epochs, batch_size = _positive_int("epochs", epochs), _positive_int("batch_size", batch_size)
    rates, l2s = list(rates), list(l2s)
    if not rates or not all(isinstance(r, (int, float)) and 0 <= r < 1 for r in rates):
        raise ValueError(f"rates debe ser una lista de tasas de dropout en [0, 1); se recibió {rates!r}")
    if not l2s or not all(isinstance(v, (int, float)) and v >= 0 for v in l2s):
        raise ValueError(f"l2s debe ser una lista de factores L2 mayores o iguales que 0; se recibió {l2s!r}")
    settings = [(float(r), float(v)) for r in rates for v in l2s]
    if len(set(settings)) != len(settings):
        raise ValueError("rates y l2s no deben repetir valores")
    hidden = tuple(_positive_int("hidden", h) for h in hidden)
    classes = int(max(y_train.max(), y_val.max())) + 1
    count = len(settings)

    keras.utils.set_random_seed(seed)
    model = _grid_model(x_train.shape[1:], [r for r, _ in settings], [v for _, v in settings], hidden, classes)

    def summed_cross_entropy(y, logits):  # (batch, networks): its mean times `count` sums the networks' losses
        return count * keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)

    model.compile(optimizer=optimizer, loss=summed_cross_entropy)
    both = np.concatenate([x_train, x_val])
    curves = {setting: Curves([], [], [], []) for setting in settings}

    def measure(epoch, logs=None):
        logits = np.asarray(model.predict(as_dataset(both, batch_size=512), verbose=0), dtype=np.float64)
        p = np.exp(logits - logits.max(axis=-1, keepdims=True))
        p /= p.sum(axis=-1, keepdims=True)
        for k, setting in enumerate(settings):
            (train_acc, train_loss), (val_acc, val_loss) = (_scores(p[:len(x_train), k], y_train),
                                                            _scores(p[len(x_train):, k], y_val))
            c = curves[setting]
            c.train_acc.append(train_acc)
            c.val_acc.append(val_acc)
            c.train_loss.append(train_loss)
            c.val_loss.append(val_loss)

    labels = np.repeat(y_train.astype("int32").reshape(-1, 1), count, axis=1)
    model.fit(as_dataset(x_train, labels, batch_size=batch_size, shuffle_seed=seed), epochs=epochs, shuffle=False,
              verbose=0, callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=measure)])
    return curves

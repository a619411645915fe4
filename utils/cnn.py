"""Convolutional networks for MNIST: the course's fast CNN and the keras-io recipe it is measured against.

`mnist_cnn()` + `fit_fast()` is the course's network: three conv → max-pool → batch norm → ReLU
blocks and a softmax, trained with Adam under a one-cycle learning-rate schedule (`one_cycle`) on
batches of 256 (notebook 06 adds label smoothing). Pooling before the normalization and the activation
leaves batch norm and ReLU 4× fewer values to process; since the max commutes with any increasing
function, at prediction time the block computes what conv → batch norm → ReLU → max-pool computes
whenever batch norm's scale γ is positive. `training_speed()` times a few batches of training of such
variants, taking turns.
`keras_io_convnet()` + `fit_keras_io()` reproduce keras-io's "Simple MNIST convnet"
(examples/vision/mnist_convnet.py) exactly: same layers (34,826 parameters), Adam, batch 128,
`validation_split=0.1`, 15 epochs.

Training and prediction go through `batches()` (a `tf.data` pipeline) rather than NumPy arrays:
with TensorFlow's op determinism on (`utils.setup`), `fit`/`predict` on arrays whose length is not a
multiple of the batch size make TensorFlow log a harmless error line to stderr (unless
TF_CPP_MIN_LOG_LEVEL=3 was set before TensorFlow was imported); the pipeline never triggers it.
TensorFlow and Keras are imported inside the functions.
"""
from __future__ import annotations

import math
import numbers
import time

import numpy as np

# The keras-io recipe's training settings (examples/vision/mnist_convnet.py).
KERAS_IO = {"batch_size": 128, "epochs": 15, "validation_split": 0.1}
BN_MOMENTUM = 0.9  # Keras's default 0.99 lags behind a short, high-learning-rate run


def _positive_int(value, name) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} debe ser un entero positivo; se recibió {value!r}")
    return int(value)


def _image_shape(input_shape) -> tuple[int, int, int]:
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else ()
    if len(shape) != 3 or not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and d > 0 for d in shape):
        raise ValueError(f"input_shape debe ser (alto, ancho, canales) con enteros positivos; se recibió {input_shape!r}")
    return tuple(int(d) for d in shape)


def prepare(images) -> np.ndarray:
    """uint8 images (N, H, W) or (N, H, W, C) with values 0–255 → float32 (N, H, W, C) in [0, 1]."""
    images = np.asarray(images)
    if images.ndim not in (3, 4) or images.dtype.kind not in "ui":
        raise ValueError(f"se esperaban imágenes enteras 0–255 de forma (N, alto, ancho) o (N, alto, ancho, canales); "
                         f"se recibió {images.dtype} {images.shape}")
    if images.ndim == 3:
        images = images[..., np.newaxis]
    return images.astype("float32") / 255


def mnist_cnn(input_shape=(28, 28, 1), num_classes: int = 10, filters=(16, 32, 64), *, pool_first: bool = True):
    """The course's fast CNN: per entry of `filters`, a block Conv2D 3×3 SAME (no bias) → MaxPool 2×2 →
    BatchNorm → ReLU (with `pool_first=False`, the classic order Conv2D → BatchNorm → ReLU → MaxPool);
    then Flatten → Dense softmax. Layers are named `block<i>_conv|pool|bn|relu` in either order."""
    import keras
    from keras import layers

    height, width, _ = shape = _image_shape(input_shape)
    num_classes = _positive_int(num_classes, "num_classes")
    filters = tuple(filters)
    for f in filters:
        _positive_int(f, "cada valor de filters")
    if not filters or min(height, width) < 2 ** len(filters):
        raise ValueError(f"con {len(filters)} bloques de pooling 2×2 la imagen debe medir al menos "
                         f"{2 ** len(filters)} píxeles de lado; se recibió input_shape={shape}")
    if not isinstance(pool_first, bool):
        raise ValueError(f"pool_first debe ser True o False; se recibió {pool_first!r}")
    stack = [keras.Input(shape=shape)]
    for i, f in enumerate(filters, 1):
        conv = layers.Conv2D(f, 3, padding="same", use_bias=False, name=f"block{i}_conv")  # BN's beta is the bias
        pool = layers.MaxPooling2D(2, name=f"block{i}_pool")
        norm = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"block{i}_bn")
        relu = layers.ReLU(name=f"block{i}_relu")
        stack += [conv, pool, norm, relu] if pool_first else [conv, norm, relu, pool]
    stack += [layers.Flatten(name="flatten"), layers.Dense(num_classes, activation="softmax", name="softmax")]
    return keras.Sequential(stack, name="cnn_curso")


def one_cycle(total_steps: int, max_lr: float, *, warmup: float = 0.25):
    """Learning rate that climbs linearly from max_lr/10 to `max_lr` during the first `warmup`
    fraction of `total_steps`, then follows a cosine down to 0 (Keras `CosineDecay` with warmup)."""
    import keras

    total_steps = _positive_int(total_steps, "total_steps")
    if not (isinstance(max_lr, numbers.Real) and max_lr > 0):
        raise ValueError(f"max_lr debe ser un número positivo; se recibió {max_lr!r}")
    if not (isinstance(warmup, numbers.Real) and 0 <= warmup < 1):
        raise ValueError(f"warmup debe ser una fracción entre 0 y 1 (sin incluir el 1); se recibió {warmup!r}")
    warmup_steps = int(warmup * total_steps)
    return keras.optimizers.schedules.CosineDecay(
        max_lr / 10, decay_steps=total_steps - warmup_steps, warmup_target=max_lr, warmup_steps=warmup_steps)


def batches(x, y=None, *, batch_size: int = 500, shuffle: bool = False, seed: int = 42):
    """A `tf.data.Dataset` of batches of `x` (and `y`); with `shuffle`, reshuffled every epoch from `seed`."""
    import tensorflow as tf

    batch_size = _positive_int(batch_size, "batch_size")
    if y is not None and len(x) != len(y):
        raise ValueError(f"x e y deben tener el mismo número de ejemplos; se recibió {len(x)} y {len(y)}")
    data = tf.data.Dataset.from_tensor_slices(x if y is None else (x, y))
    if shuffle:
        data = data.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def predict(model, x, *, batch_size: int = 500) -> np.ndarray:
    """`model.predict` over `batches(x)`: the outputs (e.g. class probabilities) as a NumPy array."""
    return model.predict(batches(x, batch_size=batch_size), verbose=0)


def _compile(model, total_steps, max_lr, *, label_smoothing=0.0, jit_compile=False, steps_per_execution=1):
    import keras

    if not (isinstance(label_smoothing, numbers.Real) and 0 <= label_smoothing < 1):
        raise ValueError(f"label_smoothing debe ser una fracción entre 0 y 1 (sin incluir el 1); "
                         f"se recibió {label_smoothing!r}")
    loss = (keras.losses.CategoricalCrossentropy(label_smoothing=float(label_smoothing)) if label_smoothing
            else "sparse_categorical_crossentropy")
    model.compile(optimizer=keras.optimizers.Adam(one_cycle(total_steps, max_lr)), loss=loss, metrics=["accuracy"],
                  jit_compile=bool(jit_compile),
                  steps_per_execution=_positive_int(steps_per_execution, "steps_per_execution"))


def _one_hot(data, classes):
    """Batches of (x, integer labels) → (x, one-hot labels), as a smoothed cross-entropy needs."""
    import tensorflow as tf

    return data.map(lambda x, y: (x, tf.one_hot(y, classes)), num_parallel_calls=tf.data.AUTOTUNE)


def fit_fast(model, x, y, *, epochs: int = 6, batch_size: int = 256, max_lr: float = 0.02, seed: int = 42,
             validation_data=None, callbacks=None, verbose=0, label_smoothing: float = 0.0,
             jit_compile: bool = False, steps_per_execution: int = 1):
    """Compile `model` (Adam under `one_cycle`, cross-entropy, accuracy) and train it for `epochs` on
    shuffled batches of (`x`, integer labels `y`); return the Keras History. With `label_smoothing` ε > 0
    the target of each image is 1 − ε for its class plus ε spread over all classes (Keras's
    `CategoricalCrossentropy(label_smoothing=ε)`): the network stops pushing its probabilities to
    exactly 0 and 1. `jit_compile` (XLA) and `steps_per_execution` are passed to Keras's `compile`; on a
    CPU they do not make this network faster (tools/bench_cnn.py measures them)."""
    epochs = _positive_int(epochs, "epochs")
    batch_size = _positive_int(batch_size, "batch_size")
    _compile(model, epochs * math.ceil(len(x) / batch_size), max_lr, label_smoothing=label_smoothing,
             jit_compile=jit_compile, steps_per_execution=steps_per_execution)
    train = batches(x, y, batch_size=batch_size, shuffle=True, seed=seed)
    val = None if validation_data is None else batches(*validation_data)
    if label_smoothing:
        classes = model.output_shape[-1]
        train, val = _one_hot(train, classes), None if val is None else _one_hot(val, classes)
    return model.fit(train, epochs=epochs, validation_data=val, callbacks=callbacks, verbose=verbose, shuffle=False)


def training_speed(variants: dict, x, y, *, images: int = 2048, rounds: int = 3, max_lr: float = 0.02) -> dict:
    """Milliseconds per training image of each model in `variants`, trained as `fit_fast` trains.

    `variants` maps a name to (model, batch_size) or (model, batch_size, options), the options being
    `compile` settings such as {"jit_compile": True} or {"steps_per_execution": 16}. Each model is
    compiled and trained for a couple of batches first (building its graph takes seconds and is not
    timed); then the models take turns, `rounds` times, each training on about `images` images in full
    batches of (`x`, `y`) (cycling through `x`). A model's figure is the median of its rounds: taking
    turns spreads whatever else the machine is doing over all the variants. Trains the models: use
    fresh ones."""
    import statistics

    import keras
    import tensorflow as tf

    if not isinstance(variants, dict) or not variants:
        raise ValueError("variants debe ser un diccionario no vacío nombre → (modelo, tamaño del lote[, opciones])")
    if len(x) != len(y):
        raise ValueError(f"x e y deben tener el mismo número de ejemplos; se recibió {len(x)} y {len(y)}")
    images, rounds = _positive_int(images, "images"), _positive_int(rounds, "rounds")

    class Clock(keras.callbacks.Callback):  # the epoch's steps only, not fit's setup
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds = time.perf_counter() - self.start

    plans = {}
    for name, spec in variants.items():
        if not isinstance(spec, (tuple, list)) or len(spec) not in (2, 3):
            raise ValueError(f"{name!r}: se esperaba (modelo, tamaño del lote) o (modelo, tamaño del lote, opciones); "
                             f"se recibió {spec!r}")
        model, batch_size, options = (*spec, {}) if len(spec) == 2 else spec
        batch_size = _positive_int(batch_size, f"el tamaño del lote de {name!r}")
        unknown = set(options) - {"jit_compile", "steps_per_execution"}
        if unknown:
            raise ValueError(f"{name!r}: opciones desconocidas {sorted(unknown)}; "
                             "se admiten jit_compile y steps_per_execution")
        per_call = _positive_int(options.get("steps_per_execution", 1), "steps_per_execution")
        steps = per_call * max(1, round(images / batch_size / per_call))  # whole executions only
        warmup = per_call * math.ceil(2 / per_call)  # tracing, then a step with the graph built
        _compile(model, warmup + rounds * steps, max_lr, **options)
        data = (tf.data.Dataset.from_tensor_slices((x, y)).repeat().batch(batch_size, drop_remainder=True)
                .prefetch(tf.data.AUTOTUNE))
        model.fit(data, epochs=1, steps_per_epoch=warmup, verbose=0, shuffle=False)
        plans[name] = (model, data, steps, steps * batch_size)
    seconds = {name: [] for name in plans}
    for _ in range(rounds):
        for name, (model, data, steps, n) in plans.items():
            clock = Clock()
            model.fit(data, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False, callbacks=[clock])
            seconds[name].append(clock.seconds / n)
    return {name: 1000 * statistics.median(values) for name, values in seconds.items()}


def keras_io_convnet(input_shape=(28, 28, 1), num_classes: int = 10):
    """keras-io's "Simple MNIST convnet", compiled as there: Conv2D(32, 3, relu) → MaxPool 2 → Conv2D(64, 3, relu)
    → MaxPool 2 → Flatten → Dropout(0.5) → Dense softmax; Adam, categorical cross-entropy, accuracy."""
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input(shape=_image_shape(input_shape)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(_positive_int(num_classes, "num_classes"), activation="softmax"),
    ], name="keras_io_convnet")
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def fit_keras_io(model, x, y, *, epochs: int = KERAS_IO["epochs"], callbacks=None, verbose=0):
    """Train as keras-io does: one-hot labels, batch 128, the last 10 % of `x` held out for validation."""
    import keras

    if len(x) != len(y):
        raise ValueError(f"x e y deben tener el mismo número de ejemplos; se recibió {len(x)} y {len(y)}")
    one_hot = keras.utils.to_categorical(y, model.output_shape[-1])
    return model.fit(x, one_hot, batch_size=KERAS_IO["batch_size"], epochs=_positive_int(epochs, "epochs"),
                     validation_split=KERAS_IO["validation_split"], callbacks=callbacks, verbose=verbose)

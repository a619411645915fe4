"""Convolutional networks for MNIST: the course's fast CNN and the keras-io recipe it is measured against.

`mnist_cnn()` + `fit_fast()` is the course's network: three conv → batch norm → ReLU → max-pool
blocks and a softmax, trained with Adam under a one-cycle learning-rate schedule (`one_cycle`).
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


def mnist_cnn(input_shape=(28, 28, 1), num_classes: int = 10, filters=(16, 32, 64)):
    """The course's fast CNN: per entry of `filters`, a block Conv2D 3×3 SAME (no bias) → BatchNorm → ReLU
    → MaxPool 2×2; then Flatten → Dense softmax. Layers are named `block<i>_conv|bn|relu|pool`."""
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
    stack = [keras.Input(shape=shape)]
    for i, f in enumerate(filters, 1):
        stack += [
            layers.Conv2D(f, 3, padding="same", use_bias=False, name=f"block{i}_conv"),  # BN's beta is the bias
            layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"block{i}_bn"),
            layers.ReLU(name=f"block{i}_relu"),
            layers.MaxPooling2D(2, name=f"block{i}_pool"),
        ]
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


def fit_fast(model, x, y, *, epochs: int = 6, batch_size: int = 128, max_lr: float = 0.02, seed: int = 42,
             validation_data=None, callbacks=None, verbose=0):
    """Compile `model` (Adam under `one_cycle`, sparse categorical cross-entropy, accuracy) and train it
    for `epochs` on shuffled batches of (`x`, integer labels `y`); return the Keras History."""
    import keras

    epochs = _positive_int(epochs, "epochs")
    batch_size = _positive_int(batch_size, "batch_size")
    steps = epochs * math.ceil(len(x) / batch_size)
    model.compile(optimizer=keras.optimizers.Adam(one_cycle(steps, max_lr)),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    train = batches(x, y, batch_size=batch_size, shuffle=True, seed=seed)
    val = None if validation_data is None else batches(*validation_data)
    return model.fit(train, epochs=epochs, validation_data=val, callbacks=callbacks, verbose=verbose, shuffle=False)


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

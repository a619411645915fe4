"""Benchmark of notebook 09's experiment: transfer learning vs training from scratch.

`run()` uses the notebook's settings (100 animal silhouettes at 64×64, 200 for testing) and measures
the feature extraction of the cheap variant the first time (computed, saved) and the second time
(read from the file), then the accuracy and seconds of (a) saved features + shallow network,
(b) frozen base + new head, (c) fine-tuning of the last blocks, (d) the same network from scratch
and (e) the course's small CNN (`utils.cnn.mnist_cnn`) from scratch.
Timings are facts about this machine, not test assertions.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

SEED = 42
TRAIN_PER_CLASS, TEST_PER_CLASS, IMAGE_SIZE, BATCH_SIZE = 10, 20, 64, 16
EPOCHS = {"a": 60, "b": 6, "c": 3, "d": 3, "e": 20}
LR_HEAD, LR_FINE, LR_SMALL, FINE_TUNE_FROM = 3e-3, 1e-4, 3e-3, "block_15_expand"
NAMES = {"a": "(a) saved features + shallow network", "b": "(b) frozen base + new head",
         "c": "(c) fine-tuning from block_15 (after b)", "d": "(d) same network from scratch",
         "e": "(e) small CNN from scratch (native 28×28)"}


def _small_set():
    """The notebook's small set: per-class seeded picks of animal silhouettes, upscaled to RGB,
    and the same picks at their native 28×28 (for the small CNN)."""
    import tensorflow as tf

    from utils import data

    animals = data.load("animals")
    rng = np.random.default_rng(SEED)

    def pick(labels, per_class):
        chosen = [rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in range(len(animals.class_names))]
        return rng.permutation(np.concatenate(chosen))

    def rgb(images):
        big = tf.image.resize(images[..., None].astype("float32"), (IMAGE_SIZE, IMAGE_SIZE))
        return np.repeat(big.numpy(), 3, axis=-1)

    train, test = pick(animals.y_train, TRAIN_PER_CLASS), pick(animals.y_test, TEST_PER_CLASS)
    return (rgb(animals.x_train[train]), animals.y_train[train], rgb(animals.x_test[test]), animals.y_test[test],
            len(animals.class_names), animals.x_train[train], animals.x_test[test])


def _cached_features(base, preprocess, images, file: Path):
    """(features, seconds, reused): computed and saved the first time, read from `file` afterwards."""
    start = time.perf_counter()
    if file.exists():
        with np.load(file) as saved:
            features, reused = saved["features"], True
    else:
        features, reused = base.predict(preprocess(images.copy()), batch_size=50, verbose=0), False
        np.savez(file, features=features)
    return features, time.perf_counter() - start, reused


def _with_head(keras, base, n_classes, pretrained=True):
    layers = keras.layers
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
    x = layers.RandomFlip("horizontal")(inputs)
    x = layers.Rescaling(1 / 127.5, offset=-1)(x)
    x = base(x, training=False) if pretrained else base(x)
    x = layers.Dropout(0.3)(layers.GlobalAveragePooling2D()(x))
    return keras.Model(inputs, layers.Dense(n_classes, activation="softmax")(x))


def _fit(keras, model, x, y, lr, epochs, x_test, y_test) -> tuple[float, float]:
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    return float(accuracy), time.perf_counter() - start


def run() -> dict:
    """Measure the five approaches once; return the numbers and a markdown table (`markdown`)."""
    import keras

    from utils import cnn
    from utils.pretrained import pretrained_backbone

    keras.utils.set_random_seed(SEED)
    x_train, y_train, x_test, y_test, n_classes, native_train, native_test = _small_set()
    base, info = pretrained_backbone(input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp) / f"{split}.npz" for split in ("train", "test")]
        first = [_cached_features(base, info.preprocess, x, f) for x, f in zip((x_train, x_test), files)]
        cached = [_cached_features(base, info.preprocess, x, f) for x, f in zip((x_train, x_test), files)]
    f_train, f_test = first[0][0], first[1][0]
    extraction_s = sum(seconds for _, seconds, _ in first)

    results = {}
    shallow = keras.Sequential([keras.Input(shape=f_train.shape[1:]), keras.layers.Flatten(),
                                keras.layers.Dropout(0.5), keras.layers.Dense(n_classes, activation="softmax")])
    accuracy, seconds = _fit(keras, shallow, f_train, y_train, LR_HEAD, EPOCHS["a"], f_test, y_test)
    results["a"] = (accuracy, seconds + extraction_s)
    base.trainable = False
    model = _with_head(keras, base, n_classes)
    results["b"] = _fit(keras, model, x_train, y_train, LR_HEAD, EPOCHS["b"], x_test, y_test)
    base.trainable = True
    first_trained = [layer.name for layer in base.layers].index(FINE_TUNE_FROM)
    for layer in base.layers[:first_trained]:
        layer.trainable = False
    results["c"] = _fit(keras, model, x_train, y_train, LR_FINE, EPOCHS["c"], x_test, y_test)
    scratch = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
    results["d"] = _fit(keras, _with_head(keras, scratch, n_classes, pretrained=False),
                        x_train, y_train, LR_HEAD, EPOCHS["d"], x_test, y_test)
    native_train, native_test = cnn.prepare(native_train), cnn.prepare(native_test)
    small = cnn.mnist_cnn(input_shape=native_train.shape[1:], num_classes=n_classes)
    start = time.perf_counter()
    cnn.fit_fast(small, native_train, y_train, epochs=EPOCHS["e"], batch_size=BATCH_SIZE, max_lr=LR_SMALL, seed=SEED)
    results["e"] = (float((cnn.predict(small, native_test).argmax(axis=1) == y_test).mean()), time.perf_counter() - start)

    report = {
        "weights": info.source,
        "train_images": len(x_train), "test_images": len(x_test), "image_size": IMAGE_SIZE,
        "features_first_s": round(extraction_s, 3),
        "features_cached_s": round(sum(seconds for _, seconds, _ in cached), 4),
        "cache_reused": [reused for *_, reused in first] == [False, False] and all(r for *_, r in cached),
        "approaches": {key: {"name": NAMES[key], "accuracy": round(acc, 3), "seconds": round(sec, 2)}
                       for key, (acc, sec) in results.items()},
    }
    lines = [f"Transfer learning, {len(x_train)} training / {len(x_test)} test silhouettes at {IMAGE_SIZE}×{IMAGE_SIZE}, "
             f"weights: {info.source}", "",
             "| measure | test accuracy | seconds |", "|---|---:|---:|",
             f"| feature extraction, first run (computed and saved) | | {report['features_first_s']} |",
             f"| feature extraction, second run (read from the file) | | {report['features_cached_s']} |"]
    lines += [f"| {r['name']} | {r['accuracy']} | {r['seconds']} |" for r in report["approaches"].values()]
    report["markdown"] = "\n".join(lines)
    return report

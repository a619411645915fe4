"""Benchmark: the course's fast CNN against keras-io's "Simple MNIST convnet", and what makes it fast.

`run()` trains both networks on the same MNIST — the full data set (60 000 / 10 000) when the data
cache holds it, otherwise whatever `utils.data.load` gives (offline: the 4 000 / 1 000 subset) — and
measures test accuracy after every epoch (evaluation is not timed). Target: 99.2 % on full MNIST,
97.5 % on the subset. The course CNN trains with notebook 06's recipe (`RECIPE`); keras-io's recipe
(34,826 parameters, Adam, batch 128, validation_split 0.1) runs all its 15 epochs. The ratio is the
course CNN's training seconds to the target over keras-io's seconds for its 15 epochs; the report also
says whether and when keras-io reached the target, and its best accuracy.

Then, what made the course CNN fast, each measured here: the milliseconds per training image of
variants of the network and its training (`utils.cnn.training_speed`: the order of pooling and batch
norm, the batch size, XLA's `jit_compile`, `steps_per_execution`; oneDNN off and op determinism on in a
child process, since TensorFlow reads them once); the same epochs with Adam's constant default
learning rate instead of the one-cycle schedule; the course CNN with other seeds, and without label
smoothing. This machine's arithmetic limit for an epoch (FLOPs over the measured matmul throughput)
is in `tools.bench_cost`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from utils import cnn

ROOT = Path(__file__).resolve().parents[1]
FULL_TRAIN_SIZE = 60_000
TARGETS = {True: 0.992, False: 0.975}  # full MNIST?: target test accuracy
# full MNIST?: the course CNN's recipe, as notebook 06 trains it (EPOCHS_FULL, BATCH_FULL, MAX_LR, LABEL_SMOOTHING;
# EPOCHS_SMALL, BATCH_SMALL)
RECIPE = {True: {"epochs": 2, "batch_size": 256, "max_lr": 0.02, "label_smoothing": 0.1},
          False: {"epochs": 3, "batch_size": 64, "max_lr": 0.02, "label_smoothing": 0.1}}
OTHER_SEEDS = (1, 2)  # the course CNN trained again with these: does the target hold beyond one seed?
# (all three seeds are also trained without label smoothing, to show what it adds)
SPEED_IMAGES = 7680  # training images timed per variant and round (after the batches that build the graph)
SPEED_ROUNDS = 3  # rounds of turns; a variant's figure is the median of its rounds
# name -> (mnist_cnn keyword arguments, training_speed keyword arguments, environment of a child process or None)
VARIANTS = {
    "conv → BN → ReLU → pool, batch 128 (before issue 14)": ({"pool_first": False}, {"batch_size": 128}, None),
    "conv → BN → ReLU → pool, batch 256": ({"pool_first": False}, {"batch_size": 256}, None),
    "conv → pool → BN → ReLU, batch 128": ({}, {"batch_size": 128}, None),
    "conv → pool → BN → ReLU, batch 256 (the course CNN)": ({}, {"batch_size": 256}, None),
    "conv → pool → BN → ReLU, batch 512": ({}, {"batch_size": 512}, None),
    "… with jit_compile=True (XLA)": ({}, {"batch_size": 256, "jit_compile": True}, None),
    "… with steps_per_execution=16": ({}, {"batch_size": 256, "steps_per_execution": 16}, None),
    "… with op determinism on (as utils.setup)": ({}, {"batch_size": 256}, {"COURSE_BENCH_DETERMINISM": "1"}),
    "… with oneDNN off (TF_ENABLE_ONEDNN_OPTS=0)": ({}, {"batch_size": 256}, {"TF_ENABLE_ONEDNN_OPTS": "0"}),
}
COURSE_VARIANT = "conv → pool → BN → ReLU, batch 256 (the course CNN)"


def time_to_target(seconds_per_epoch, accuracies, target):
    """(first epoch, counted from 1, whose accuracy reaches `target`, training seconds up to it),
    or (None, seconds of all epochs) when no epoch reaches it."""
    if len(seconds_per_epoch) != len(accuracies):
        raise ValueError(f"hace falta un tiempo por época y una exactitud por época; se recibió "
                         f"{len(seconds_per_epoch)} y {len(accuracies)}")
    elapsed = 0.0
    for epoch, (seconds, accuracy) in enumerate(zip(seconds_per_epoch, accuracies), 1):
        elapsed += seconds
        if accuracy >= target:
            return epoch, elapsed
    return None, elapsed


def _epoch_clock(x_test=None, y_test=None, target=None, stop_at_target=False):
    """A Keras callback recording training seconds per epoch and, given test data, untimed test accuracy
    after each."""
    import keras

    class EpochClock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds, self.accuracies = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)
            if x_test is None:
                return
            probabilities = cnn.predict(self.model, x_test)
            self.accuracies.append(float((probabilities.argmax(axis=1) == y_test).mean()))
            if stop_at_target and self.accuracies[-1] >= target:
                self.model.stop_training = True

    return EpochClock()


def _summary(name, model, clock, target):
    epoch, seconds = time_to_target(clock.seconds, clock.accuracies, target)
    return {"model": name, "params": model.count_params(), "epochs_run": len(clock.seconds),
            "accuracy_per_epoch": [round(a, 4) for a in clock.accuracies],
            "seconds_per_epoch": [round(s, 2) for s in clock.seconds],
            "final_accuracy": round(clock.accuracies[-1], 4), "best_accuracy": round(max(clock.accuracies), 4),
            "total_seconds": round(sum(clock.seconds), 2),
            "reached_at_epoch": epoch, "seconds_to_target": round(seconds, 2)}


def _percent(value) -> str:
    return f"{100 * value:.2f} %"


def markdown(result: dict) -> str:
    """The result of `run()` as Markdown: both models, the ratio, and (when measured) what made it fast."""
    target = f"{100 * result['target_accuracy']:.1f} %"
    lines = [f"Data: {result['data']}. Target test accuracy: {target}.", "",
             f"| model | params | epochs run | test accuracy per epoch | best | reached {target} at | "
             f"training seconds to {target} | training seconds, all epochs |",
             "|---|---:|---:|---|---:|---|---:|---:|"]
    for row in (result["course_cnn"], result["keras_io"]):
        reached = f"epoch {row['reached_at_epoch']}" if row["reached_at_epoch"] else "never"
        to_target = f"{row['seconds_to_target']:.1f}" if row["reached_at_epoch"] else "–"
        accuracies = " ".join(f"{a:.4f}" for a in row["accuracy_per_epoch"])
        lines.append(f"| {row['model']} | {row['params']:,} | {row['epochs_run']} | {accuracies} | "
                     f"{row['best_accuracy']:.4f} | {reached} | {to_target} | {row.get('total_seconds', 0):.1f} |")
    epochs = result["keras_io"]["epochs_run"]
    ratio = ("n/a (the course CNN missed the target)" if result["ratio"] is None else
             f"**{result['ratio']:.3f}** (speed-up {result['speedup']:.1f}×)")
    lines += ["", f"Ratio, course CNN's seconds to {target} / keras-io's seconds for its {epochs} epochs: {ratio}."]
    seeds, plain = result.get("other_seeds"), result.get("without_smoothing")
    if seeds:
        rows = [f"seed {s['seed']}: {' '.join(f'{a:.4f}' for a in s['accuracy_per_epoch'])} "
                f"({s['seconds']:.1f} s)" for s in seeds]
        lines.append(f"The course CNN with other seeds, test accuracy per epoch: {'; '.join(rows)}.")
    if plain:
        rows = [f"seed {s['seed']}: {' '.join(f'{a:.4f}' for a in s['accuracy_per_epoch'])}" for s in plain]
        lines.append(f"The same recipe without label smoothing, test accuracy per epoch: {'; '.join(rows)}.")
    schedule = result.get("constant_lr")
    if schedule:
        lines.append(f"The course CNN, same epochs, batch and label smoothing, Adam at its constant default learning rate "
                     f"({schedule['learning_rate']:g}) instead of the one-cycle schedule: test accuracy per epoch "
                     f"{' '.join(f'{a:.4f}' for a in schedule['accuracy_per_epoch'])}.")
    variants = result.get("variants")
    if variants:
        lines += ["", f"What made it fast: milliseconds per training image (`utils.cnn.training_speed`: "
                  f"{SPEED_IMAGES:,} images per round after the graph is built, median of {SPEED_ROUNDS} rounds, the "
                  "variants of one process taking turns), and the seconds an epoch of 60 000 images would take.",
                  "", "| variant | ms per image | s per epoch of 60 000 |", "|---|---:|---:|"]
        lines += [f"| {v['name']} | {v['ms_per_image']:.3f} | {v['seconds_per_epoch']:.1f} |" for v in variants]
    return "\n".join(lines)


def _speed(names) -> dict:
    """`training_speed` of the VARIANTS named `names`, taking turns, on the first MNIST training images."""
    from utils import data

    mnist = data.load("mnist")
    x, y = cnn.prepare(mnist.x_train[:SPEED_IMAGES]), mnist.y_train[:SPEED_IMAGES]
    plans = {}
    for name in names:
        model_kwargs, speed_kwargs, _ = VARIANTS[name]
        options = {k: v for k, v in speed_kwargs.items() if k != "batch_size"}
        plans[name] = (cnn.mnist_cnn(**model_kwargs), speed_kwargs["batch_size"], options)
    return cnn.training_speed(plans, x, y, images=SPEED_IMAGES, rounds=SPEED_ROUNDS)


def _speed_in_child(name, environ) -> float:
    """`_speed([name])` in a fresh Python with `environ` added (settings TensorFlow reads once)."""
    code = (
        "import json, os, sys\n"
        "import tensorflow as tf\n"
        "if os.environ.get('COURSE_BENCH_DETERMINISM'): tf.config.experimental.enable_op_determinism()\n"
        "from tools.bench_cnn import _speed\n"
        "print(json.dumps(_speed([sys.argv[1]])))\n")
    out = subprocess.run([sys.executable, "-c", code, name], cwd=ROOT, env={**os.environ, **environ},
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])[name]


def variants(verbose: bool = True) -> list[dict]:
    """Milliseconds per training image of each entry of VARIANTS: those of this process taking turns,
    then each of those that need another environment in a child process."""
    here = [name for name, (_, _, environ) in VARIANTS.items() if environ is None]
    if verbose:
        print(f"  {len(here)} variants taking turns ...", flush=True)
    ms = _speed(here)
    for name, (_, _, environ) in VARIANTS.items():
        if environ is not None:
            if verbose:
                print(f"  {name} ...", flush=True)
            ms[name] = _speed_in_child(name, environ)
    return [{"name": name, "ms_per_image": round(ms[name], 4),
             "seconds_per_epoch": round(ms[name] * FULL_TRAIN_SIZE / 1000, 2)} for name in VARIANTS]


def _train_course(x_train, y_train, x_test, y_test, target, recipe, seed, **fit_kwargs):
    import keras

    keras.utils.set_random_seed(seed)
    model = cnn.mnist_cnn()
    clock = _epoch_clock(x_test, y_test, target)
    cnn.fit_fast(model, x_train, y_train, seed=seed, callbacks=[clock], **recipe, **fit_kwargs)
    return model, clock


def run(*, seed: int = 42, verbose: bool = True, extras: bool = True) -> dict:
    """Train the course CNN and the keras-io convnet on the same MNIST; with `extras`, also the variants,
    other seeds and the constant learning rate. Return numbers and Markdown."""
    import keras

    from utils import data

    mnist = data.load("mnist")
    full = len(mnist.x_train) >= FULL_TRAIN_SIZE
    target, recipe = TARGETS[full], RECIPE[full]
    x_train, x_test = cnn.prepare(mnist.x_train), cnn.prepare(mnist.x_test)
    y_train, y_test = mnist.y_train, mnist.y_test
    label = "full MNIST" if full else f"MNIST subset ({mnist.source})"

    if verbose:
        print(f"course CNN on {label}, {recipe['epochs']} epochs of batch {recipe['batch_size']} ...", flush=True)
    course, course_clock = _train_course(x_train, y_train, x_test, y_test, target, recipe, seed)

    keras.utils.set_random_seed(seed)
    reference = cnn.keras_io_convnet()
    reference_clock = _epoch_clock(x_test, y_test, target)
    if verbose:
        print(f"keras-io convnet on {label}, {cnn.KERAS_IO['epochs']} epochs ...", flush=True)
    cnn.fit_keras_io(reference, x_train, y_train, callbacks=[reference_clock])

    result = {"data": f"{label}, {len(x_train)} train / {len(x_test)} test images", "full_mnist": full,
              "n_train": len(x_train), "n_test": len(x_test), "target_accuracy": target, "seed": seed,
              "recipe": recipe,
              "course_cnn": _summary(f"course CNN (utils.cnn.mnist_cnn + fit_fast, {recipe['epochs']} epochs, "
                                     f"batch {recipe['batch_size']}, label smoothing {recipe['label_smoothing']})",
                                     course, course_clock, target),
              "keras_io": _summary("keras-io Simple MNIST convnet", reference, reference_clock, target)}
    ours, theirs = result["course_cnn"], result["keras_io"]
    result["ratio"] = (round(ours["seconds_to_target"] / theirs["total_seconds"], 4)
                       if ours["reached_at_epoch"] else None)
    result["speedup"] = None if result["ratio"] is None else round(1 / result["ratio"], 2)

    if extras:
        result["other_seeds"], result["without_smoothing"] = [], []
        plain = {**recipe, "label_smoothing": 0.0}
        for other in (seed, *OTHER_SEEDS):
            for key, kwargs in (("other_seeds", recipe), ("without_smoothing", plain)):
                if key == "other_seeds" and other == seed:
                    continue  # the run timed above
                if verbose:
                    print(f"course CNN, seed {other}{'' if key == 'other_seeds' else ', no label smoothing'} ...",
                          flush=True)
                _, clock = _train_course(x_train, y_train, x_test, y_test, target, kwargs, other)
                result[key].append({"seed": other, "accuracy_per_epoch": [round(a, 4) for a in clock.accuracies],
                                    "seconds": round(sum(clock.seconds), 2)})
        if verbose:
            print("course CNN, constant learning rate ...", flush=True)
        keras.utils.set_random_seed(seed)
        constant = cnn.mnist_cnn()
        constant.compile(optimizer=keras.optimizers.Adam(),
                         loss=keras.losses.CategoricalCrossentropy(label_smoothing=recipe["label_smoothing"]))
        clock = _epoch_clock(x_test, y_test, target)
        train = cnn.batches(x_train, y_train, batch_size=recipe["batch_size"], shuffle=True, seed=seed)
        constant.fit(cnn._one_hot(train, 10), epochs=recipe["epochs"], callbacks=[clock], verbose=0, shuffle=False)
        result["constant_lr"] = {"learning_rate": float(keras.optimizers.Adam().learning_rate),
                                 "accuracy_per_epoch": [round(a, 4) for a in clock.accuracies]}
        if verbose:
            print("what made it fast ...", flush=True)
        result["variants"] = variants(verbose)
    result["markdown"] = markdown(result)
    if verbose:
        print(result["markdown"])
    return result


if __name__ == "__main__":
    run()

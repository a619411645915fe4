"""Benchmark: the course's fast CNN against keras-io's "Simple MNIST convnet", time to the same test accuracy.

`run()` trains both networks on the same MNIST — the full data set (60 000 / 10 000) when the data
cache holds it, otherwise whatever `utils.data.load` gives (offline: the 4 000 / 1 000 subset) — and
measures test accuracy after every epoch (evaluation is not timed). Target: 99.2 % on full MNIST,
97.5 % on the subset. The keras-io recipe (34,826 parameters, Adam, batch 128, validation_split 0.1)
runs up to its 15 epochs and stops as soon as it reaches the target; the speed-up is keras-io's time
to target over the course CNN's, or a lower bound from keras-io's 15-epoch time if it never gets there.
"""
from __future__ import annotations

import time

from utils import cnn

FULL_TRAIN_SIZE = 60_000
TARGETS = {True: 0.992, False: 0.975}  # full MNIST?: target test accuracy
COURSE_EPOCHS = {True: 4, False: 6}  # full MNIST?: epochs of the course CNN's one-cycle schedule


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
            "final_accuracy": round(clock.accuracies[-1], 4),
            "reached_at_epoch": epoch, "seconds_to_target": round(seconds, 2)}


def markdown(result: dict) -> str:
    """The result of `run()` as a short Markdown table plus one line with the speed-up."""
    target = f"{result['target_accuracy']:.1%}"
    lines = [f"Data: {result['data']}. Target test accuracy: {target}.", "",
             f"| model | params | epochs run | test accuracy per epoch | reached {target} at | training seconds to target |",
             "|---|---:|---:|---|---|---:|"]
    for row in (result["course_cnn"], result["keras_io"]):
        reached = f"epoch {row['reached_at_epoch']}" if row["reached_at_epoch"] else "never"
        seconds = f"{row['seconds_to_target']:.1f}" + ("" if row["reached_at_epoch"] else " (all epochs)")
        accuracies = " ".join(f"{a:.4f}" for a in row["accuracy_per_epoch"])
        lines.append(f"| {row['model']} | {row['params']:,} | {row['epochs_run']} | {accuracies} | {reached} | {seconds} |")
    bound = "at least " if result["speedup_is_lower_bound"] else ""
    speedup = "n/a (the course CNN missed the target)" if result["speedup"] is None else f"{bound}{result['speedup']:.1f}×"
    lines += ["", f"Speed-up of the course CNN (keras-io seconds / course seconds to target): {speedup}"]
    return "\n".join(lines)


def run(*, seed: int = 42, verbose: bool = True) -> dict:
    """Train the course CNN and the keras-io convnet on the same MNIST; return numbers and a Markdown table."""
    import keras

    from utils import data

    mnist = data.load("mnist")
    full = len(mnist.x_train) >= FULL_TRAIN_SIZE
    target = TARGETS[full]
    x_train, x_test = cnn.prepare(mnist.x_train), cnn.prepare(mnist.x_test)
    y_train, y_test = mnist.y_train, mnist.y_test
    label = "full MNIST" if full else f"MNIST subset ({mnist.source})"

    keras.utils.set_random_seed(seed)
    course = cnn.mnist_cnn()
    course_clock = _epoch_clock(x_test, y_test, target, stop_at_target=False)
    if verbose:
        print(f"course CNN on {label}, {COURSE_EPOCHS[full]} epochs ...", flush=True)
    cnn.fit_fast(course, x_train, y_train, epochs=COURSE_EPOCHS[full], seed=seed, callbacks=[course_clock])

    keras.utils.set_random_seed(seed)
    reference = cnn.keras_io_convnet()
    reference_clock = _epoch_clock(x_test, y_test, target, stop_at_target=True)
    if verbose:
        print(f"keras-io convnet on {label}, up to {cnn.KERAS_IO['epochs']} epochs ...", flush=True)
    cnn.fit_keras_io(reference, x_train, y_train, callbacks=[reference_clock])

    result = {"data": f"{label}, {len(x_train)} train / {len(x_test)} test images", "full_mnist": full,
              "n_train": len(x_train), "n_test": len(x_test), "target_accuracy": target, "seed": seed,
              "course_cnn": _summary("course CNN (utils.cnn.mnist_cnn + fit_fast)", course, course_clock, target),
              "keras_io": _summary("keras-io Simple MNIST convnet", reference, reference_clock, target)}
    ours, theirs = result["course_cnn"], result["keras_io"]
    result["speedup"] = (round(theirs["seconds_to_target"] / ours["seconds_to_target"], 2)
                         if ours["reached_at_epoch"] else None)
    result["speedup_is_lower_bound"] = theirs["reached_at_epoch"] is None
    result["markdown"] = markdown(result)
    if verbose:
        print(result["markdown"])
    return result


if __name__ == "__main__":
    run()

"""Benchmark: what the course CNN costs — FLOPs, this machine's arithmetic limit, and seconds per epoch by size.

`run()` counts the training FLOPs of one image through `utils.cnn.mnist_cnn` (convolutions and dense
layers: the forward product and the two products of the backward pass), measures the machine's matrix
multiplication throughput the way notebook 00 does, and from both states the fastest an epoch of full
MNIST could possibly be. Then it times one epoch of the course's training (`utils.cnn.fit_fast`) at
1 000, 4 000, 16 000 and 60 000 training images and says whether the cost grows linearly with the
size. When the data at hand is smaller than a size, its images are repeated: the cost of an epoch does
not depend on what the pixels show.
"""
from __future__ import annotations

import math
import statistics
import time

import numpy as np

SIZES = (1_000, 4_000, 16_000, 60_000)
FULL_MNIST = 60_000
LINEAR_TOLERANCE = 0.25  # per-image cost at the largest size within ±25 % of the mid-size one: linear


def training_flops_per_image(model) -> int:
    """FLOPs to train on one image: 3 × the forward multiply-adds (×2) of Conv2D and Dense layers."""
    forward = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Conv2D":
            kh, kw = layer.kernel_size
            c_in = layer.input.shape[-1]
            _, h, w, c_out = layer.output.shape
            forward += 2 * h * w * c_out * kh * kw * c_in
        elif kind == "Dense":
            forward += 2 * layer.input.shape[-1] * layer.units
    return 3 * int(forward)


def matmul_gflops(n: int = 1024, repeats: int = 5) -> float:
    """GFLOP/s of a float32 n×n matrix product in TensorFlow (median of `repeats`), as notebook 00 measures."""
    import tensorflow as tf

    a = tf.random.uniform((n, n), seed=1)
    b = tf.random.uniform((n, n), seed=2)
    tf.linalg.matmul(a, b).numpy()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        tf.linalg.matmul(a, b).numpy()
        times.append(time.perf_counter() - start)
    return 2 * n**3 / statistics.median(times) / 1e9


def growth(sizes, seconds) -> dict:
    """Seconds per epoch against training-set size: per-image cost at each size and a linearity verdict."""
    if len(sizes) != len(seconds) or len(sizes) < 2:
        raise ValueError(f"hacen falta al menos dos tamaños con un tiempo cada uno; se recibió "
                         f"{len(sizes)} tamaños y {len(seconds)} tiempos")
    per_image_ms = [1000 * s / n for n, s in zip(sizes, seconds)]
    reference = per_image_ms[-2]  # the fixed costs of an epoch weigh little from the second-largest size on
    deviation = per_image_ms[-1] / reference - 1
    return {"sizes": list(sizes), "seconds_per_epoch": [round(s, 2) for s in seconds],
            "ms_per_image": [round(m, 3) for m in per_image_ms], "deviation_largest": round(deviation, 3),
            "linear": abs(deviation) <= LINEAR_TOLERANCE}


def _training_images(x, y, n):
    """`n` images: the first `n`, or the data repeated until there are `n`."""
    repeats = math.ceil(n / len(x))
    return np.concatenate([x] * repeats)[:n], np.concatenate([y] * repeats)[:n]


def epoch_seconds(x, y, n: int, *, seed: int = 42) -> float:
    """Seconds of the second epoch (the first one also traces the graph) of `fit_fast` on `n` images."""
    import keras

    from tools.bench_cnn import _epoch_clock
    from utils import cnn

    xs, ys = _training_images(x, y, n)
    keras.utils.set_random_seed(seed)
    clock = _epoch_clock()
    cnn.fit_fast(cnn.mnist_cnn(), xs, ys, epochs=2, seed=seed, callbacks=[clock])
    return clock.seconds[-1]


def markdown(result: dict) -> str:
    g = result["growth"]
    measured = ("" if result["fraction_of_limit"] is None else
                f" (measured at {FULL_MNIST:,}: {dict(zip(g['sizes'], g['seconds_per_epoch']))[FULL_MNIST]:.1f} s; the limit is "
                f"{result['fraction_of_limit']:.0%} of it)")
    lines = [f"Training one image through the course CNN: {result['flops_per_image'] / 1e6:.1f} MFLOP "
             f"({result['flops_per_epoch'] / 1e12:.2f} TFLOP per epoch of full MNIST). Matrix product here: "
             f"{result['matmul_gflops']:.0f} GFLOP/s, so an epoch of full MNIST cannot take less than "
             f"{result['limit_seconds_per_epoch']:.1f} s{measured}.", "",
             "| training images | seconds per epoch | ms per image |", "|---:|---:|---:|"]
    lines += [f"| {n:,} | {s:.2f} | {m:.3f} |" for n, s, m in zip(g["sizes"], g["seconds_per_epoch"], g["ms_per_image"])]
    verdict = "grows linearly" if g["linear"] else "does not grow linearly"
    lines += ["", f"The cost {verdict} with the training-set size: the per-image cost at {g['sizes'][-1]:,} is "
              f"{g['deviation_largest']:+.0%} off that at {g['sizes'][-2]:,} (linear within ±{LINEAR_TOLERANCE:.0%})."]
    if result["repeated"]:
        lines.append(f"(The data at hand has {result['n_available']:,} training images; larger sizes repeat them.)")
    return "\n".join(lines)


def run(*, sizes=SIZES, seed: int = 42, verbose: bool = True) -> dict:
    """FLOPs, machine limit and seconds per epoch by size for the course CNN; numbers and a Markdown table."""
    from utils import cnn, data

    mnist = data.load("mnist")
    x, y = cnn.prepare(mnist.x_train), mnist.y_train
    flops = training_flops_per_image(cnn.mnist_cnn())
    gflops = matmul_gflops()
    seconds = []
    for n in sizes:
        if verbose:
            print(f"  one epoch on {n:,} images ...", flush=True)
        seconds.append(epoch_seconds(x, y, n, seed=seed))
    limit = flops * FULL_MNIST / (gflops * 1e9)
    result = {"flops_per_image": flops, "flops_per_epoch": flops * FULL_MNIST, "matmul_gflops": round(gflops, 1),
              "limit_seconds_per_epoch": round(limit, 2), "growth": growth(list(sizes), seconds),
              "n_available": len(x), "repeated": max(sizes) > len(x)}
    full = dict(zip(sizes, seconds)).get(FULL_MNIST)
    result["fraction_of_limit"] = round(limit / full, 3) if full else None
    result["markdown"] = markdown(result)
    if verbose:
        print(result["markdown"])
    return result

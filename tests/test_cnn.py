"""utils.cnn (structure, parameter counts, schedule, data pipeline) and the pure parts of tools.bench_cnn."""
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tools import bench_cnn, bench_cost
from utils import cnn

ROOT = Path(__file__).resolve().parents[1]


def conv_params(k, c_in, filters, bias=True):
    return (k * k * c_in + bias) * filters


def test_import_does_not_load_tensorflow(fresh_import):
    assert not fresh_import("utils.cnn", "tools.bench_cnn") & {"keras", "tensorflow", "matplotlib"}


# ---------------------------------------------------------------- keras-io recipe

def test_keras_io_convnet_is_the_keras_io_recipe(keras):
    model = cnn.keras_io_convnet()
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense"]
    conv1, _, conv2, _, _, dropout, dense = model.layers
    assert (conv1.filters, conv2.filters) == (32, 64)
    assert conv1.kernel_size == conv2.kernel_size == (3, 3) and conv1.padding == "valid"
    assert conv1.activation.__name__ == conv2.activation.__name__ == "relu"
    assert dropout.rate == 0.5 and dense.activation.__name__ == "softmax"
    # 28 → 26 → 13 → 11 → 5: the Dense layer sees 5·5·64 values.
    expected = conv_params(3, 1, 32) + conv_params(3, 32, 64) + (5 * 5 * 64 + 1) * 10
    assert model.count_params() == expected == 34_826  # the count keras-io's summary shows
    assert type(model.optimizer).__name__ == "Adam"
    assert model.loss == "categorical_crossentropy"
    assert cnn.KERAS_IO == {"batch_size": 128, "epochs": 15, "validation_split": 0.1}


@pytest.mark.slow
def test_fit_keras_io_uses_one_hot_labels_and_a_validation_split(keras):
    keras.utils.set_random_seed(0)
    model = cnn.keras_io_convnet()
    x = np.random.default_rng(0).random((40, 28, 28, 1), dtype=np.float32)
    y = np.arange(40) % 10
    history = cnn.fit_keras_io(model, x, y, epochs=1)
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.params["epochs"] == 1
    with pytest.raises(ValueError, match="mismo número de ejemplos"):
        cnn.fit_keras_io(model, x, y[:-1], epochs=1)


# ---------------------------------------------------------------- the course CNN

def test_mnist_cnn_structure_and_parameter_count(keras):
    model = cnn.mnist_cnn()
    blocks = [[f"block{i}_{part}" for part in ("conv", "pool", "bn", "relu")] for i in (1, 2, 3)]
    assert [layer.name for layer in model.layers] == [*sum(blocks, []), "flatten", "softmax"]
    channels = [1, 16, 32, 64]
    convs = sum(conv_params(3, c_in, f, bias=False) for c_in, f in zip(channels, channels[1:]))
    norms = sum(4 * f for f in channels[1:])
    head = (3 * 3 * 64 + 1) * 10  # SAME padding: 28 → 14 → 7 → 3 after the three poolings
    assert model.count_params() == convs + norms + head
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert trainable == model.count_params() - 2 * sum(channels[1:])
    assert tuple(model.output_shape) == (None, 10)
    for i, side in zip((1, 2, 3), (28, 14, 7)):
        assert model.get_layer(f"block{i}_conv").use_bias is False
        assert model.get_layer(f"block{i}_conv").padding == "same"
        assert model.get_layer(f"block{i}_conv").output.shape[1] == side
        assert model.get_layer(f"block{i}_bn").output.shape[1] == side // 2  # pooled before normalizing
        assert model.get_layer(f"block{i}_bn").momentum == cnn.BN_MOMENTUM


def test_mnist_cnn_classic_order_has_the_same_weights(keras):
    classic = cnn.mnist_cnn(pool_first=False)
    blocks = [[f"block{i}_{part}" for part in ("conv", "bn", "relu", "pool")] for i in (1, 2, 3)]
    assert [layer.name for layer in classic.layers] == [*sum(blocks, []), "flatten", "softmax"]
    assert classic.count_params() == cnn.mnist_cnn().count_params()
    assert classic.get_layer("block1_bn").output.shape[1] == 28
    with pytest.raises(ValueError, match="pool_first"):
        cnn.mnist_cnn(pool_first="yes")


def test_pool_first_computes_the_classic_block_when_batch_norm_scales_up(keras):
    # The max commutes with an increasing function: with every gamma > 0, at prediction time,
    # conv → pool → BN → ReLU gives what conv → BN → ReLU → pool gives, with the same weights.
    fast, classic = cnn.mnist_cnn(), cnn.mnist_cnn(pool_first=False)
    rng = np.random.default_rng(0)
    for layer in fast.layers:
        weights = [rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()]
        if type(layer).__name__ == "BatchNormalization":  # gamma > 0, variance > 0
            weights[0], weights[3] = np.abs(weights[0]) + 0.1, np.abs(weights[3]) + 0.5
        layer.set_weights(weights)
        classic.get_layer(layer.name).set_weights(weights)
    x = rng.random((4, 28, 28, 1), dtype=np.float32)
    assert np.allclose(fast(x, training=False), classic(x, training=False), atol=1e-5)


def test_mnist_cnn_for_colour_images_and_other_widths(keras):
    model = cnn.mnist_cnn(input_shape=(32, 32, 3), num_classes=5, filters=(8, 16))
    assert model.get_layer("block1_conv").count_params() == 3 * 3 * 3 * 8
    assert model.get_layer("softmax").count_params() == (8 * 8 * 16 + 1) * 5
    probabilities = model(np.zeros((2, 32, 32, 3), dtype="float32"), training=False).numpy()
    assert probabilities.shape == (2, 5) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


@pytest.mark.parametrize("kwargs, message", [
    ({"input_shape": (28, 28)}, "alto, ancho, canales"),
    ({"input_shape": (4, 4, 1)}, "al menos 8 píxeles"),
    ({"filters": (16, 0)}, "entero positivo"),
    ({"num_classes": 0}, "num_classes debe ser un entero positivo"),
])
def test_mnist_cnn_rejects_bad_arguments(keras, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cnn.mnist_cnn(**kwargs)


# ---------------------------------------------------------------- schedule, data, training

def test_one_cycle_warms_up_then_decays_to_zero(keras):
    schedule = cnn.one_cycle(100, 0.02)
    rates = np.array([float(schedule(step)) for step in range(101)])
    assert rates[0] == pytest.approx(0.002)
    assert rates.argmax() == 25 and rates.max() == pytest.approx(0.02)
    assert np.all(np.diff(rates[:26]) > 0) and np.all(np.diff(rates[25:]) < 0)
    assert rates[-1] == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("args, message", [
    ((0, 0.01), "total_steps"), ((10, 0), "max_lr"), ((10, -1.0), "max_lr"),
])
def test_one_cycle_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        cnn.one_cycle(*args)


def test_prepare_scales_and_adds_the_channel_axis():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    x = cnn.prepare(images)
    assert x.shape == (1, 2, 2, 1) and x.dtype == np.float32
    assert np.allclose(x[0, :, :, 0], [[0, 1], [0.2, 0.4]])
    assert cnn.prepare(np.zeros((3, 4, 4, 3), dtype=np.uint8)).shape == (3, 4, 4, 3)
    with pytest.raises(ValueError, match="imágenes enteras"):
        cnn.prepare(np.zeros((2, 4, 4), dtype=np.float32))


def test_batches_keep_every_example_and_shuffle_reproducibly(keras):
    x, y = np.arange(10), np.arange(10) * 2
    plain = [(bx.numpy().tolist(), by.numpy().tolist()) for bx, by in cnn.batches(x, y, batch_size=4)]
    assert [len(bx) for bx, _ in plain] == [4, 4, 2] and plain[0] == ([0, 1, 2, 3], [0, 2, 4, 6])
    order = lambda seed: np.concatenate([b.numpy() for b in cnn.batches(x, batch_size=4, shuffle=True, seed=seed)])
    first, again, other = order(1).tolist(), order(1).tolist(), order(2).tolist()  # three separate pipelines
    assert sorted(first) == list(range(10)) and first != list(range(10))
    assert first == again and first != other, "la semilla, y solo ella, fija el orden"
    with pytest.raises(ValueError, match="mismo número de ejemplos"):
        cnn.batches(x, y[:5])


@pytest.mark.slow
def test_fit_fast_learns_real_digits_without_writing_to_stderr():
    # A fresh process with op determinism on, as in the notebooks (utils.setup): fitting and predicting
    # on a size that is not a multiple of the batch must not print TensorFlow errors on stderr.
    code = textwrap.dedent("""
        import keras, numpy as np, tensorflow as tf
        from utils import cnn, data
        keras.utils.set_random_seed(0)
        tf.config.experimental.enable_op_determinism()
        mnist = data.load("mnist")
        x, y = cnn.prepare(mnist.x_train[:1000]), mnist.y_train[:1000]
        model = cnn.mnist_cnn(filters=(8, 16))
        history = cnn.fit_fast(model, x, y, epochs=3, batch_size=64, max_lr=0.01)
        accuracy = (cnn.predict(model, x, batch_size=300).argmax(axis=1) == y).mean()
        print(len(history.history["loss"]), type(model.optimizer).__name__, f"{accuracy:.3f}",
              float(model.optimizer.learning_rate) < 1e-6)
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    epochs, optimizer, accuracy, lr_at_end = out.stdout.splitlines()[-1].split()
    assert (epochs, optimizer, lr_at_end) == ("3", "Adam", "True")
    assert float(accuracy) > 0.9, "tras 3 épocas la red debería acertar la mayoría de sus 1 000 dígitos"
    assert "E0000" not in out.stderr and "Warning" not in out.stderr, out.stderr


def test_fit_fast_with_label_smoothing_trains_on_one_hot_targets(keras):
    keras.utils.set_random_seed(0)
    model = cnn.mnist_cnn(filters=(4,))
    x, y = np.random.default_rng(0).random((24, 28, 28, 1), dtype=np.float32), np.arange(24) % 10
    history = cnn.fit_fast(model, x, y, epochs=2, batch_size=8, label_smoothing=0.1, validation_data=(x, y))
    assert type(model.loss).__name__ == "CategoricalCrossentropy" and model.loss.label_smoothing == 0.1
    assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    # A smoothed target keeps the loss above its floor: −(0.91 log 0.91 + 9 · 0.01 log 0.01) ≈ 0.50 nats.
    assert min(history.history["loss"]) > 0.5
    with pytest.raises(ValueError, match="label_smoothing"):
        cnn.fit_fast(model, x, y, epochs=1, label_smoothing=1.0)


def test_fit_fast_rejects_bad_arguments(keras):
    model = cnn.mnist_cnn(filters=(4,))
    x, y = np.zeros((8, 28, 28, 1), dtype="float32"), np.zeros(8, dtype=int)
    with pytest.raises(ValueError, match="epochs"):
        cnn.fit_fast(model, x, y, epochs=0)
    with pytest.raises(ValueError, match="mismo número de ejemplos"):
        cnn.fit_fast(model, x, y[:4])


# ---------------------------------------------------------------- benchmark arithmetic

def test_time_to_target_counts_training_seconds_up_to_the_first_epoch_on_target():
    assert bench_cnn.time_to_target([10, 12, 11], [0.98, 0.993, 0.995], 0.992) == (2, 22)
    assert bench_cnn.time_to_target([10, 12], [0.98, 0.99], 0.992) == (None, 22)
    with pytest.raises(ValueError, match="una exactitud por época"):
        bench_cnn.time_to_target([1, 2], [0.5], 0.9)


def test_markdown_reports_both_models_the_ratio_and_when_keras_io_reached_the_target():
    row = lambda name, accuracies, reached, to_target, total: {
        "model": name, "params": 29_402, "epochs_run": len(accuracies), "accuracy_per_epoch": accuracies,
        "best_accuracy": max(accuracies), "reached_at_epoch": reached, "seconds_to_target": to_target,
        "total_seconds": total}
    result = {"data": "full MNIST", "target_accuracy": 0.992, "ratio": 0.125, "speedup": 8.0,
              "course_cnn": row("course", [0.985, 0.993], 2, 25.0, 25.0),
              "keras_io": row("keras-io", [0.98] * 14 + [0.9921], 15, 200.0, 200.0)}
    text = bench_cnn.markdown(result)
    assert "| course | 29,402 | 2 | 0.9850 0.9930 | 0.9930 | epoch 2 | 25.0 | 25.0 |" in text
    assert "| epoch 15 | 200.0 | 200.0 |" in text and "99.2 %" in text
    assert "**0.125** (speed-up 8.0×)" in text
    missed = {**result, "keras_io": row("keras-io", [0.98] * 15, None, 200.0, 200.0)}
    assert "| 0.9800 | never | – | 200.0 |" in bench_cnn.markdown(missed)
    assert "What made it fast" not in text  # the extras appear only when measured
    extras = {**result, "other_seeds": [{"seed": 1, "accuracy_per_epoch": [0.98, 0.9931], "seconds": 26.0}],
              "constant_lr": {"learning_rate": 0.001, "accuracy_per_epoch": [0.97, 0.985]},
              "variants": [{"name": "fast", "ms_per_image": 0.2, "seconds_per_epoch": 12.0}]}
    text = bench_cnn.markdown(extras)
    assert "seed 1: 0.9800 0.9931 (26.0 s)" in text and "(0.001)" in text and "0.9700 0.9850" in text
    assert "| fast | 0.200 | 12.0 |" in text


def test_variants_compare_the_course_cnn_with_what_did_not_help():
    names = list(bench_cnn.VARIANTS)
    assert bench_cnn.COURSE_VARIANT in names
    kinds = " ".join(names)
    for word in ("jit_compile", "steps_per_execution", "oneDNN", "determinism", "batch 128", "batch 512"):
        assert word in kinds
    assert {"pool_first": False} in [model for model, _, _ in bench_cnn.VARIANTS.values()]


def test_training_speed_times_each_variant_in_turns(keras):
    x, y = np.random.default_rng(0).random((20, 28, 28, 1), dtype=np.float32), np.arange(20) % 10
    small, wide = cnn.mnist_cnn(filters=(4,)), cnn.mnist_cnn(filters=(4,))
    ms = cnn.training_speed({"small": (small, 8), "wide": (wide, 4, {"steps_per_execution": 2})}, x, y,
                            images=16, rounds=2)
    assert set(ms) == {"small", "wide"} and all(0 < v < 1000 for v in ms.values())
    assert small.optimizer.iterations.numpy() == 2 + 2 * 2  # two steps to build the graph, then 16 images a round
    assert wide.optimizer.iterations.numpy() == 2 + 2 * 4
    with pytest.raises(ValueError, match="mismo número de ejemplos"):
        cnn.training_speed({"small": (small, 8)}, x, y[:5])
    with pytest.raises(ValueError, match="opciones desconocidas"):
        cnn.training_speed({"small": (small, 8, {"run_eagerly": True})}, x, y)
    with pytest.raises(ValueError, match="tamaño del lote"):
        cnn.training_speed({"small": (small,)}, x, y)
    with pytest.raises(ValueError, match="diccionario"):
        cnn.training_speed([small], x, y)


# ---------------------------------------------------------------- cost of the course CNN (tools.bench_cost)

def test_training_flops_count_convolutions_and_dense_layers_three_times(keras):
    model = cnn.mnist_cnn(filters=(4,))
    conv = 2 * 28 * 28 * 4 * 3 * 3 * 1      # output pixels × filters × kernel × input channels, ×2 (multiply-add)
    dense = 2 * (14 * 14 * 4) * 10
    assert bench_cost.training_flops_per_image(model) == 3 * (conv + dense)
    wider = cnn.mnist_cnn(filters=(8,))
    assert bench_cost.training_flops_per_image(wider) > bench_cost.training_flops_per_image(model)


def test_growth_says_linear_only_when_the_per_image_cost_holds():
    linear = bench_cost.growth([1000, 4000, 16000, 60000], [1.0, 2.0, 6.0, 22.0])
    assert linear["linear"] and linear["ms_per_image"] == [1.0, 0.5, 0.375, 0.367]
    worse = bench_cost.growth([1000, 4000, 16000, 60000], [1.0, 2.0, 6.0, 40.0])
    assert not worse["linear"] and worse["deviation_largest"] > 0.25
    with pytest.raises(ValueError, match="dos tamaños"):
        bench_cost.growth([1000], [1.0])


def test_cost_markdown_states_the_limit_and_the_verdict():
    result = {"flops_per_image": 11_500_000, "flops_per_epoch": 690e9, "matmul_gflops": 120.0,
              "limit_seconds_per_epoch": 5.75, "fraction_of_limit": 0.5, "n_available": 4000, "repeated": True,
              "growth": bench_cost.growth([1000, 4000, 16000, 60000], [1.0, 2.0, 6.0, 22.0])}
    text = bench_cost.markdown(result)
    assert "11.5 MFLOP" in text and "120 GFLOP/s" in text and "5.8 s" in text and "22.0 s" in text
    assert "grows linearly" in text and "| 60,000 | 22.00 | 0.367 |" in text and "repeat them" in text

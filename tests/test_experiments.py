"""Tests for utils.experiments: seeded training runs measured in inference mode, and their table."""
import numpy as np
import pytest

from utils import experiments


def blobs(n, seed):
    """Three well separated 2-D clusters, labels 0, 1, 2."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    return (centres[y] + rng.normal(size=(n, 2))).astype("float32"), y


TRAIN, VAL, TEST = blobs(96, 0), blobs(48, 1), blobs(30, 2)


def builder(keras, activation="softmax", compiled=True, dropout=0.0):
    def build():
        model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dropout(dropout), keras.layers.Dense(3, activation=activation)])
        if compiled:
            model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
        return model
    return build


@pytest.fixture(scope="module")
def run(keras):
    return experiments.fit_and_measure("pequeña", builder(keras, dropout=0.5), TRAIN, VAL, epochs=3, batch_size=16,
                                       seed=0, test=TEST)


def test_measures_belong_to_the_final_weights_in_inference_mode(run):
    for (x, y), acc, loss in [(TRAIN, run.train_acc, run.train_loss), (VAL, run.val_acc, run.val_loss)]:
        p = np.asarray(run.model(x, training=False), dtype=np.float64)  # no dropout: same output every call
        assert acc == pytest.approx(np.mean(p.argmax(1) == y))
        assert loss == pytest.approx(-np.mean(np.log(p[np.arange(len(y)), y])), rel=1e-4)
    p_test = np.asarray(run.model(TEST[0], training=False))
    assert run.test_acc == pytest.approx(np.mean(p_test.argmax(1) == TEST[1]))
    assert run.gap == pytest.approx(run.train_acc - run.val_acc)
    assert run.loss_gap == pytest.approx(run.val_loss - run.train_loss)


def test_run_records_epochs_history_and_row(run):
    assert run.epochs == 3 == len(run.history["loss"]) == len(run.history["val_loss"])
    assert run.seconds > 0
    row = run.row()
    assert row["name"] == "pequeña" and row["gap"] == pytest.approx(run.gap) and row["test_acc"] == run.test_acc
    assert set(row) == {"name", "epochs", "train_acc", "val_acc", "gap", "train_loss", "val_loss", "loss_gap",
                        "test_acc", "seconds"}


@pytest.mark.slow
def test_same_seed_repeats_the_run_and_another_seed_does_not(keras, run):
    again = experiments.fit_and_measure("otra vez", builder(keras, dropout=0.5), TRAIN, VAL, epochs=3, batch_size=16,
                                        seed=0)
    assert again.history["loss"] == pytest.approx(run.history["loss"], rel=1e-5)
    other = experiments.fit_and_measure("otra semilla", builder(keras, dropout=0.5), TRAIN, VAL, epochs=3,
                                        batch_size=16, seed=1)
    assert other.history["loss"] != pytest.approx(run.history["loss"], rel=1e-5)
    assert again.test_acc is None


def test_callbacks_can_stop_training_early(keras):
    def stop_after_second(epoch, logs):
        if epoch == 1:
            callback.model.stop_training = True

    callback = keras.callbacks.LambdaCallback(on_epoch_end=stop_after_second)
    short = experiments.fit_and_measure("corta", builder(keras), TRAIN, VAL, epochs=10, batch_size=32,
                                        callbacks=[callback])
    assert short.epochs == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": 0}, "epochs debe ser un entero positivo; se recibió 0"),
    ({"epochs": 2, "batch_size": 2.5}, "batch_size debe ser un entero positivo"),
    ({"epochs": 2, "val": (VAL[0], VAL[1][:-1])}, "val: x e y deben tener el mismo número de ejemplos"),
    ({"epochs": 2, "train": TRAIN[0]}, "train debe ser una tupla (x, y)"),
])
def test_invalid_arguments_are_explained(keras, kwargs, message):
    arguments = {"train": TRAIN, "val": VAL, **kwargs}
    with pytest.raises(ValueError) as error:
        experiments.fit_and_measure("mal", builder(keras), **arguments)
    assert message in str(error.value)


def test_build_must_return_a_compiled_softmax_classifier(keras):
    with pytest.raises(ValueError, match="función sin argumentos"):
        experiments.fit_and_measure("mal", "no es una función", TRAIN, VAL, epochs=1)
    with pytest.raises(ValueError, match="ya compilado"):
        experiments.fit_and_measure("mal", builder(keras, compiled=False), TRAIN, VAL, epochs=1)
    with pytest.raises(ValueError, match="softmax"):
        experiments.fit_and_measure("mal", builder(keras, activation="linear"), TRAIN, VAL, epochs=1)


def test_as_dataset_batches_and_reshuffles_with_a_seed(keras):
    x, y = np.arange(10), np.arange(10) * 10
    data = experiments.as_dataset(x, y, batch_size=4, shuffle_seed=3)
    first = [list(xb.numpy()) for xb, _ in data]
    second = [list(xb.numpy()) for xb, _ in data]
    assert [len(b) for b in first] == [4, 4, 2]
    assert sorted(sum(first, [])) == list(range(10)) and first != second
    assert first == [list(xb.numpy()) for xb, _ in experiments.as_dataset(x, y, batch_size=4, shuffle_seed=3)]
    assert all(np.array_equal(yb.numpy(), xb.numpy() * 10) for xb, yb in data)
    assert [list(b.numpy()) for b in experiments.as_dataset(x, batch_size=5)] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_comparison_table_lines_runs_up(run):
    plain = experiments.Run("sin prueba", 1.0, 0.75, 0.01, 0.6, 4, 1.5, {}, None)
    table = experiments.comparison_table([run, plain]).splitlines()
    assert table[0].startswith("modelo") and "brecha" in table[0] and "prueba" in table[0]
    assert set(table[1]) == {"-"} and len(table) == 4
    assert table[2].startswith("pequeña") and f"{run.val_acc:.3f}" in table[2] and f"{run.gap:+.3f}" in table[2]
    assert table[3].split() == ["sin", "prueba", "4", "1.000", "0.750", "+0.250", "—", "0.010", "0.600", "1.5"]
    without_test = experiments.comparison_table([plain])
    assert "prueba" not in without_test.splitlines()[0]
    with pytest.raises(ValueError, match="lista no vacía"):
        experiments.comparison_table([])


def test_import_does_not_load_tensorflow(fresh_import):
    assert not fresh_import("utils.experiments") & {"keras", "tensorflow"}


# ------------------------------------------------------------------ the cross-entropy of confident mistakes

def test_cross_entropy_is_the_one_keras_reports_even_for_confident_mistakes(keras):
    """No 1e-7 clip: a sure and wrong prediction (p = 1e-12 for the true class) counts in full, as in fit's val_loss."""
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3, activation="softmax")])
    model.layers[0].set_weights([np.array([[30.0, 0.0, 0.0], [0.0, 0.0, 0.0]], "float32"), np.zeros(3, "float32")])
    model.compile(loss="sparse_categorical_crossentropy")
    x, y = np.array([[1.0, 0.0], [0.0, 1.0]], "float32"), np.array([1, 0])  # the first: p(true) = e^-30
    acc, loss = experiments._measure(model, x, y, batch_size=2)
    assert acc == 0.5
    assert loss == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-4)
    assert loss > 15, "con un recorte en 1e-7 saldría como mucho (16,1 + 1,1) / 2"


def test_final_measure_agrees_with_the_history_of_fit(run, keras):
    """Without dropout or penalties, the run's val_loss is the last val_loss fit recorded (one source of truth)."""
    plain = experiments.fit_and_measure("sin dropout", builder(keras), TRAIN, VAL, epochs=2, batch_size=16, seed=0)
    assert plain.val_loss == pytest.approx(plain.history["val_loss"][-1], rel=1e-4)


# ------------------------------------------------------------------ a grid of regularized networks trained at once

@pytest.fixture(scope="module")
def grid(keras):
    return experiments.train_grid(TRAIN, VAL, rates=[0.0, 0.5], l2s=[0.0, 0.01], hidden=(16,), epochs=4,
                                  batch_size=16, seed=0, optimizer=keras.optimizers.Adam(0.05))


def test_grid_records_every_setting_every_epoch(grid):
    assert list(grid) == [(0.0, 0.0), (0.0, 0.01), (0.5, 0.0), (0.5, 0.01)]
    for curves in grid.values():
        assert curves.epochs == 4
        assert all(len(v) == 4 for v in (curves.train_acc, curves.val_acc, curves.train_loss, curves.val_loss))
        assert all(0 <= a <= 1 for a in curves.train_acc + curves.val_acc)
        assert curves.gap == pytest.approx(curves.train_acc[-1] - curves.val_acc[-1])
        assert curves.loss_gap == pytest.approx(curves.val_loss[-1] - curves.train_loss[-1])
        assert curves.train_loss[-1] < curves.train_loss[0], "cada red aprende"
        assert curves.val_acc[-1] > 0.8, "tres nubes bien separadas"


@pytest.mark.slow
def test_grid_is_seeded(grid, keras):
    again = experiments.train_grid(TRAIN, VAL, rates=[0.0, 0.5], l2s=[0.0, 0.01], hidden=(16,), epochs=4,
                                   batch_size=16, seed=0, optimizer=keras.optimizers.Adam(0.05))
    assert again[(0.5, 0.01)].val_loss == pytest.approx(grid[(0.5, 0.01)].val_loss, rel=1e-5)


def test_each_network_of_the_grid_is_a_plain_keras_network(keras):
    """Inference: network k computes what a Sequential of Dense layers with its weights computes; its L2 penalty is
    regularizers.L2(l2) of its hidden kernels; in training, dropout keeps 1 - rate of the units and scales them."""
    rates, l2s = [0.0, 0.25, 0.75], [0.001, 0.01, 0.1]
    keras.utils.set_random_seed(3)
    model = experiments._grid_model((2,), rates, l2s, hidden=(8, 8), classes=3)
    kernels = [w for w in model.weights if "kernel" in w.path]
    biases = [w for w in model.weights if "bias" in w.path]
    for k, w in enumerate(kernels):
        w.assign(np.random.default_rng(k).normal(size=w.shape).astype("float32"))
    for k, b in enumerate(biases):
        b.assign(np.random.default_rng(10 + k).normal(size=b.shape).astype("float32"))
    x = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    logits = np.asarray(model(x, training=False))
    assert logits.shape == (5, 3, 3)
    for k in range(3):
        plain = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3)])
        plain.set_weights([v for kernel, bias in zip(kernels, biases) for v in (kernel.numpy()[k], bias.numpy()[k])])
        assert np.allclose(np.asarray(plain(x)), logits[:, k], atol=1e-5)
    penalty = sum(float(keras.regularizers.L2(l2)(w.numpy()[k])) for w in kernels[:2] for k, l2 in enumerate(l2s))
    assert float(sum(model.losses)) == pytest.approx(penalty, rel=1e-5)
    dropout = next(lay for lay in model.layers if "Dropout" in type(lay).__name__)
    out = np.asarray(dropout(np.ones((400, 3, 50), "float32"), training=True))
    for k, rate in enumerate(rates):
        kept = out[:, k][out[:, k] != 0]
        assert np.allclose(kept, 1 / (1 - rate)) and np.mean(out[:, k] != 0) == pytest.approx(1 - rate, abs=0.02)
    assert np.array_equal(np.asarray(dropout(np.ones((4, 3, 5), "float32"), training=False)), np.ones((4, 3, 5)))


@pytest.mark.parametrize("kwargs, message", [
    ({"rates": [0.0, 1.0]}, "tasas de dropout en [0, 1)"),
    ({"rates": []}, "tasas de dropout"),
    ({"l2s": [-0.1]}, "mayores o iguales que 0"),
    ({"rates": [0.1, 0.1]}, "no deben repetir valores"),
    ({"epochs": 0}, "epochs debe ser un entero positivo"),
    ({"hidden": (8, 0)}, "hidden debe ser un entero positivo"),
])
def test_grid_arguments_are_explained(keras, kwargs, message):
    arguments = {"rates": [0.0], "l2s": [0.0], "epochs": 1, **kwargs}
    with pytest.raises(ValueError) as error:
        experiments.train_grid(TRAIN, VAL, **arguments)
    assert message in str(error.value)





def test_outputs_in_large_calls_are_the_models_outputs(keras, monkeypatch):
    """`_outputs` splits x into calls of about _CALL_VALUES input values (never fewer than the batch) and gives
    back, in order, what one call of the model on all of x gives."""
    model = builder(keras)()
    x = TRAIN[0]
    whole = np.asarray(model(x, training=False))
    monkeypatch.setattr(experiments, "_CALL_VALUES", 2 * 10)  # 10 examples of 2 values per call
    calls = []
    original = model.__call__
    monkeypatch.setattr(type(model), "__call__", lambda self, batch, **kw: calls.append(len(batch)) or original(batch, **kw))
    np.testing.assert_allclose(experiments._outputs(model, x, batch_size=4), whole, rtol=1e-6)
    assert calls == [10] * 9 + [6]
    calls.clear()
    experiments._outputs(model, x, batch_size=32)
    assert calls == [32, 32, 32]


# ---------------------------------------------------------------- build_for_fit

def counting_classifier(keras):
    """A tiny compiled classifier that counts how many times Keras traces its training step."""
    class Counting(keras.Sequential):
        traces = 0

        def train_step(self, data):
            Counting.traces += 1
            return super().train_step(data)

    model = Counting([keras.Input((4,)), keras.layers.Dropout(0.1), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_build_for_fit_makes_the_first_fit_trace_once(keras):
    x = np.random.default_rng(0).normal(size=(20, 4)).astype("float32")
    y = np.arange(20) % 3
    plain = counting_classifier(keras)
    plain.fit(x, y, epochs=2, batch_size=8, verbose=0)
    # Keras 3.15 creates the optimizer's and the metrics' variables inside the first trace, so it traces twice.
    assert type(plain).traces >= 1
    model = counting_classifier(keras)
    assert experiments.build_for_fit(model, x, y) is model
    assert model.optimizer.built and all(float(v) == 0 for v in model.get_metrics_result().values())
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert type(model).traces == 1 <= type(plain).traces
    assert len(history.history["accuracy"]) == 2


def test_build_for_fit_needs_a_compiled_model_and_examples(keras):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="compila el modelo"):
        experiments.build_for_fit(model, np.zeros((2, 4)), np.zeros(2))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="mismos ejemplos"):
        experiments.build_for_fit(model, np.zeros((2, 4)), np.zeros(3))
    with pytest.raises(ValueError, match="mismos ejemplos"):
        experiments.build_for_fit(model, np.zeros((0, 4)), np.zeros(0))

"""utils.search: trials run in order with their configuration and results; the table sorts and formats."""
from types import SimpleNamespace

import pytest
from sklearn.model_selection import ParameterGrid

from utils import search


def objective(learning_rate, batch_size):
    return {"val_acc": 1 - abs(learning_rate - 0.01) - batch_size / 1000}


def test_run_trials_numbers_times_and_merges():
    configs = list(ParameterGrid({"learning_rate": [0.001, 0.01], "batch_size": [32, 128]}))
    rows = search.run_trials(configs, objective, first=5, search="rejilla")
    assert [r["trial"] for r in rows] == [5, 6, 7, 8]
    for row, config in zip(rows, configs):
        assert {k: row[k] for k in config} == config
        assert row["val_acc"] == objective(**config)["val_acc"]
        assert row["search"] == "rejilla" and row["seconds"] >= 0
    assert list(rows[0]) == ["trial", "search", "batch_size", "learning_rate", "val_acc", "seconds"]
    assert "search" not in search.run_trials(configs[:1], objective)[0]


def test_run_trials_times_each_call_of_the_objective(monkeypatch):
    """A fake clock: each row's seconds are the ticks read just before and just after its own call."""
    ticks, events = iter([10.0, 10.5, 20.0, 22.25]), []

    def clock():
        events.append("reloj")
        return next(ticks)

    monkeypatch.setattr(search, "time", SimpleNamespace(perf_counter=clock))
    rows = search.run_trials([{"n": 1}, {"n": 2}], lambda n: events.append(f"ensayo {n}") or {})
    assert [row["seconds"] for row in rows] == [0.5, 2.25]
    assert events == ["reloj", "ensayo 1", "reloj", "reloj", "ensayo 2", "reloj"]


def test_run_trials_keeps_non_numeric_results():
    marker = object()
    assert search.run_trials([{}], lambda: {"model": marker})[0]["model"] is marker


@pytest.mark.parametrize("configs, fn, message", [
    ([{"a": 1}], "no", "objective debe ser una función"),
    ([("a", 1)], lambda **kw: {}, "cada configuración debe ser un diccionario"),
    ([{"a": 1}], lambda a: 0.9, "objective debe devolver un diccionario"),
])
def test_run_trials_validates(configs, fn, message):
    with pytest.raises(ValueError, match=message):
        search.run_trials(configs, fn)


def test_results_table_sorts_formats_and_names_headers():
    rows = [{"trial": 1, "learning_rate": 0.001, "dropout": 0.25, "val_acc": 0.91234, "seconds": 2.345, "model": None},
            {"trial": 2, "learning_rate": 0.1, "dropout": 0.0, "val_acc": 0.5, "seconds": 1.0, "model": None}]
    lines = search.results_table(rows, ["trial", "learning_rate", "dropout", "val_acc", "seconds"],
                                 sort_by="val_acc", descending=False).splitlines()
    assert lines[0].split() == ["ensayo", "learning_rate", "dropout", "val_acc", "segundos"]
    assert lines[1].split() == ["2", "1.0e-01", "0.00", "0.5000", "1.0"]
    assert lines[2].split() == ["1", "1.0e-03", "0.25", "0.9123", "2.3"]
    assert len({len(line) for line in lines}) == 1  # aligned columns
    unsorted = search.results_table(rows, ["trial"]).splitlines()
    assert [line.strip() for line in unsorted[1:]] == ["1", "2"]


def test_results_table_validates():
    with pytest.raises(ValueError, match="la columna 'test_acc' no está en los ensayos \\[1\\]"):
        search.results_table([{"trial": 1, "val_acc": 0.9}], ["trial", "test_acc"])
    with pytest.raises(ValueError, match="columns debe nombrar al menos una columna"):
        search.results_table([{"trial": 1}], [])


def test_import_is_light(fresh_import):
    assert not fresh_import("utils.search") & {"keras", "tensorflow", "sklearn"}


# ------------------------------------------------------------------ one compiled model per architecture

def _tiny(keras, filters, dropout=0.0):
    from keras import layers

    model = keras.Sequential([keras.Input((6, 6, 1)), layers.Conv2D(filters, 3, activation="relu"), layers.Flatten(),
                              search.Dropout(dropout, name="dropout"), layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy")
    return model


def test_dropout_drops_scales_and_reads_its_rate_from_a_variable(keras):
    import numpy as np

    layer, ones = search.Dropout(0.25, seed=1), np.ones((4000, 50), "float32")
    out = np.asarray(layer(ones, training=True))
    assert abs((out == 0).mean() - 0.25) < 0.01
    assert np.allclose(out[out > 0], 1 / 0.75)  # the kept inputs are scaled, as in keras.layers.Dropout
    assert np.array_equal(np.asarray(layer(ones)), ones)  # identity at inference
    layer.rate.assign(0.5)
    assert abs((np.asarray(layer(ones, training=True)) == 0).mean() - 0.5) < 0.01
    model = _tiny(keras, 2)
    assert model.count_params() == 2 * 10 + 32 * 3 + 3 and len(model.get_weights()) == 4  # the rate is no weight
    assert keras.models.clone_model(model).get_layer("dropout").get_config()["rate"] == 0.0


@pytest.mark.slow
def test_networks_fresh_trains_like_a_newly_built_model_and_traces_once_per_architecture(keras, monkeypatch):
    import numpy as np
    from keras.src.backend.tensorflow import trainer

    from utils.cnn import batches

    traces, train_step = [], trainer.TensorFlowTrainer.train_step
    monkeypatch.setattr(trainer.TensorFlowTrainer, "train_step", lambda self, data: traces.append(1) or train_step(self, data))
    rng = np.random.default_rng(0)
    x, y = rng.random((128, 6, 6, 1)).astype("float32"), rng.integers(0, 3, 128)
    networks = search.Networks(lambda filters: _tiny(keras, filters), seed=7)

    def trial(learning_rate, batch_size, dropout, filters):
        model = networks.fresh(filters=filters)
        model.optimizer.learning_rate = learning_rate
        model.get_layer("dropout").rate.assign(dropout)
        model.fit(batches(x, y, batch_size=batch_size, shuffle=True, seed=1), epochs=2, verbose=0, shuffle=False)
        return networks.snapshot(model)

    first = trial(1e-2, 32, 0.3, 4)
    others = [trial(1e-3, 64, 0.0, 4), trial(1e-2, 16, 0.5, 2)]
    again = trial(1e-2, 32, 0.3, 4)
    assert len(traces) == len(networks) == 2  # one trace per architecture, whatever the batch size or rate
    keras.utils.set_random_seed(7)
    new = _tiny(keras, 4, 0.3)
    new.optimizer.learning_rate = 1e-2
    new.fit(batches(x, y, batch_size=32, shuffle=True, seed=1), epochs=2, verbose=0, shuffle=False)
    for weights in (again.weights, new.get_weights()):
        assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(first.weights, weights))
    assert not np.allclose(first.weights[0], others[0].weights[0])
    # each snapshot predicts with its own weights, though all of one architecture share an inference copy
    assert first.model is others[0].model is not others[1].model
    assert np.allclose(np.asarray(first(x[:5])), np.asarray(new(x[:5])), atol=1e-6)
    assert not np.allclose(np.asarray(others[0](x[:5])), np.asarray(first(x[:5])))


def test_dropout_and_networks_validate(keras):
    for rate in (1, -0.1, "0.5", True):
        with pytest.raises(ValueError, match=r"la probabilidad de dropout debe ser un número en \[0, 1\)"):
            search.Dropout(rate)
    with pytest.raises(ValueError, match="build debe ser una función"):
        search.Networks("modelo")
    with pytest.raises(ValueError, match="seed debe ser un entero"):
        search.Networks(lambda: None, seed=1.5)
    uncompiled = search.Networks(lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))
    with pytest.raises(ValueError, match="build debe devolver el modelo compilado"):
        uncompiled.fresh()

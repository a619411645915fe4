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

"""The course's figures: right panels, right numbers, clear errors."""
import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from utils import plots


def test_image_grid_layout_and_titles():
    images = np.random.default_rng(0).integers(0, 255, (10, 8, 8), dtype=np.uint8)
    fig = plots.image_grid(images, list(range(10)), class_names=[f"c{i}" for i in range(10)], ncols=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 12 and len(shown) == 10
    assert [ax.get_title() for ax in shown[:3]] == ["c0", "c1", "c2"]


def test_image_grid_marks_mistakes_in_red():
    images = np.zeros((3, 4, 4, 1))
    fig = plots.image_grid(images, [0, 1, 2], predictions=[0, 2, 2])
    titles = [(ax.get_title(), ax.title.get_color()) for ax in fig.axes if ax.images]
    assert titles[1] == ("2\n(real: 1)", plots.COLORS["bad"])
    assert titles[0] == ("0", plots.COLORS["ok"])


def test_image_grid_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="una etiqueta por imagen: 3 imágenes y 2"):
        plots.image_grid(np.zeros((3, 4, 4)), [0, 1])


def test_training_curves_from_history_dict():
    hist = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.8, 0.9], "val_accuracy": [0.4, 0.7, 0.8]}
    fig = plots.training_curves(hist)
    assert [ax.get_ylabel() for ax in fig.axes] == ["pérdida", "exactitud"]
    train, val = fig.axes[0].lines
    assert list(train.get_ydata()) == [1.0, 0.5, 0.3] and list(val.get_xdata()) == [1, 2, 3]
    with pytest.raises(ValueError, match="'mae' no está"):
        plots.training_curves(hist, ["mae"])
    with pytest.raises(ValueError, match="History"):
        plots.training_curves([1, 2])


def test_confusion_matrix_counts():
    fig, counts = plots.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], ["a", "b", "c"])
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("2") == 1 and len(texts) == 9
    _, normed = plots.confusion_matrix([0, 1], [0, 1], normalize=True)
    assert normed.tolist() == [[1, 0], [0, 1]]
    with pytest.raises(ValueError, match="misma longitud"):
        plots.confusion_matrix([0, 1], [0])


def test_image_grid_accepts_text_labels():
    fig = plots.image_grid(np.zeros((2, 4, 4)), ["gato", "perro"], predictions=np.array(["gato", "gato"]))
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["gato", "gato\n(real: perro)"]


def test_setup_style_applies_to_every_figure():
    import matplotlib

    matplotlib.rcParams["axes.grid"] = False
    plots.use_style()
    assert matplotlib.rcParams["axes.grid"] is True and matplotlib.rcParams["axes.spines.top"] is False

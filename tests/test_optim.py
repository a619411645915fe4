"""utils.optim: the bowl, real Keras optimizers stepping on it, the figure."""
import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from utils import optim


def test_bowl_has_its_minimum_at_the_origin_and_the_stated_gradient():
    grid = np.linspace(-3, 3, 61)
    gx, gy = np.meshgrid(grid, grid)
    values = optim.bowl(gx, gy)
    assert values.min() == 0 and values[30, 30] == 0
    h = 1e-6
    for x, y in [(-4.0, 2.0), (1.5, -0.3), (0.0, 0.0)]:
        numeric = [(optim.bowl(x + h, y) - optim.bowl(x - h, y)) / (2 * h),
                   (optim.bowl(x, y + h) - optim.bowl(x, y - h)) / (2 * h)]
        np.testing.assert_allclose(optim.bowl_gradient(x, y), numeric, atol=1e-6)


def test_first_sgd_step_is_the_gradient_descent_formula(keras):
    lr = 0.1
    path = optim.trajectory(keras.optimizers.SGD(learning_rate=lr), steps=3)
    assert path.shape == (4, 2)
    np.testing.assert_allclose(path[0], optim.START)
    np.testing.assert_allclose(path[1], np.array(optim.START) - lr * optim.bowl_gradient(*optim.START), rtol=1e-6)


def test_compiled_loop_takes_the_steps_of_a_plain_python_loop(keras):
    """`trajectory` runs its steps inside one tf.function; the points are those of eager step-by-step code."""
    import tensorflow as tf

    for make in (lambda: keras.optimizers.Adam(learning_rate=0.1),
                 lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)):
        point, optimizer, eager = tf.Variable(np.array(optim.START, dtype=np.float32)), make(), [optim.START]
        for _ in range(10):
            with tf.GradientTape() as tape:
                loss = optim.bowl(point[0], point[1])
            optimizer.apply_gradients([(tape.gradient(loss, point), point)])
            eager.append(point.numpy().copy())
        np.testing.assert_allclose(optim.trajectory(make(), steps=10), np.array(eager, dtype=np.float64), rtol=1e-6)


def test_small_rate_converges_and_large_rate_diverges(keras):
    good = optim.trajectory(keras.optimizers.SGD(learning_rate=0.3), steps=40)
    distances = np.hypot(good[:, 0], good[:, 1])
    assert distances[-1] < 0.3 * distances[0]
    bad = optim.trajectory(keras.optimizers.SGD(learning_rate=0.55), steps=40)
    assert optim.distance_to_minimum(bad) > 100 * np.hypot(*optim.START)


def test_runs_are_identical(keras):
    first = optim.trajectory(keras.optimizers.Adam(learning_rate=0.1), steps=30)
    second = optim.trajectory(keras.optimizers.Adam(learning_rate=0.1), steps=30)
    assert np.array_equal(first, second)


@pytest.mark.slow
def test_custom_function_is_descended_to_its_own_minimum(keras):
    shifted = optim.trajectory(keras.optimizers.Adam(learning_rate=0.1), start=(0.0, 0.0), steps=300,
                               function=lambda x, y: (x - 1) ** 2 + (y + 2) ** 2)
    np.testing.assert_allclose(shifted[-1], [1, -2], atol=0.05)


def test_momentum_beats_plain_sgd_on_the_flat_direction(keras):
    plain = optim.trajectory(keras.optimizers.SGD(learning_rate=0.1), steps=50)
    momentum = optim.trajectory(keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), steps=50)
    assert optim.distance_to_minimum(momentum) < optim.distance_to_minimum(plain)


def test_trajectory_rejects_bad_arguments(keras):
    with pytest.raises(ValueError, match="steps debe ser un entero positivo; se recibió 0"):
        optim.trajectory(keras.optimizers.SGD(), steps=0)
    with pytest.raises(ValueError, match=r"start debe ser un punto \(x, y\)"):
        optim.trajectory(keras.optimizers.SGD(), start=(1.0, 2.0, 3.0))
    with pytest.raises(TypeError, match="optimizador de Keras.*str"):
        optim.trajectory("adam")


def test_distance_to_minimum():
    assert optim.distance_to_minimum([[9.0, 9.0], [3.0, -4.0]]) == 5.0
    with pytest.raises(ValueError, match=r"array \(pasos, 2\)"):
        optim.distance_to_minimum([1.0, 2.0])


def test_plot_paths_draws_each_path_and_cuts_diverging_ones():
    inside = np.array([[-4.0, 2.0], [-2.0, 1.0], [0.0, 0.0]])
    diverging = np.array([[-4.0, 2.0], [-3.0, -4.0], [-2.0, 9.0], [-1.0, -20.0]])
    ax = optim.plot_paths({"a": inside, "b": diverging}, title="t")
    lines = {line.get_label(): line for line in ax.lines}
    assert set(lines) >= {"a", "b"} and ax.get_title() == "t"
    assert len(lines["a"].get_xdata()) == 3
    assert list(lines["b"].get_ydata()) == [2.0, -4.0], "se corta en el primer punto fuera del dibujo"
    with pytest.raises(ValueError, match="diccionario no vacío"):
        optim.plot_paths({})
    with pytest.raises(ValueError, match="'c' debe tener forma"):
        optim.plot_paths({"c": np.zeros((3, 3))})


def test_import_does_not_load_tensorflow_or_matplotlib(fresh_import):
    assert not fresh_import("utils.optim") & {"keras", "tensorflow", "matplotlib"}


def test_plot_graph_writes_each_edge_forward_value_and_gradient():
    nodes = {"x": (0, 1, "$x$"), "w": (0, 0, "$w$"), "mul": (1.5, 0.5, "×"), "end": (3, 0.5, None)}
    edges = [("x", "mul", "x = 2", "0.5"), ("w", "mul", "w = 3", "0.3"), ("mul", "end", "u = 6", "1")]
    ax = optim.plot_graph(nodes, edges, title="grafo")
    texts = {t.get_text(): t for t in ax.texts}
    assert {"$x$", "$w$", "×", "x = 2", "0.5", "u = 6", "1"} <= set(texts) and ax.get_title() == "grafo"
    assert texts["x = 2"].get_color() == optim.FORWARD_COLOR and texts["0.5"].get_color() == optim.BACKWARD_COLOR
    assert len([t for t in ax.texts if t.get_text().startswith("$") or t.get_text() == "×"]) == 3, \
        "un nodo sin etiqueta (None) no se dibuja"
    arrows = [child for child in ax.get_children() if type(child).__name__ == "Annotation" and child.arrow_patch]
    assert len(arrows) == 3
    assert texts["u = 6"].get_position()[1] > 0.5 > texts["1"].get_position()[1], "valor encima, gradiente debajo"


def test_plot_graph_rejects_bad_nodes_and_edges():
    with pytest.raises(ValueError, match="diccionario no vacío"):
        optim.plot_graph({}, [])
    with pytest.raises(ValueError, match=r"el nodo 'a' debe ser \(x, y, etiqueta\)"):
        optim.plot_graph({"a": (0, 0)}, [])
    with pytest.raises(ValueError, match="nombra un nodo que no existe: 'c'"):
        optim.plot_graph({"a": (0, 0, "a")}, [("a", "c", "1", "2")])
    with pytest.raises(ValueError, match=r"\(origen, destino, valor, gradiente\)"):
        optim.plot_graph({"a": (0, 0, "a")}, [("a", "a")])

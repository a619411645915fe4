"""utils.models against hand-computed parameter counts, output sizes and keras.applications.VGG16."""
import keras
import numpy as np
import pytest

from utils import models
from utils.conv import mult_count, output_size


def conv_params(k, c_in, filters, bias=True):
    return k * k * c_in * filters + (filters if bias else 0)


def dense_params(n_in, n_out):
    return n_in * n_out + n_out


def shapes(model):
    return {row["name"]: row["shape"] for row in models.layer_table(model)}


@pytest.fixture(scope="module")
def vgg_pair():
    from keras.src.utils import file_utils

    def no_download(*args, **kwargs):
        raise AssertionError("VGG16(weights=None) no debería descargar nada")

    with pytest.MonkeyPatch.context() as patch:  # keras.applications fetches files only through get_file
        patch.setattr(file_utils, "get_file", no_download)
        ours, theirs = models.vgg16(), keras.applications.VGG16(weights=None)
    yield ours, theirs
    del ours, theirs
    keras.backend.clear_session()


def test_lenet5_counts_and_shapes_by_hand():
    model = models.lenet5()
    per_layer = {"c1": conv_params(5, 1, 6), "c3": conv_params(5, 6, 16), "c5": dense_params(400, 120),
                 "f6": dense_params(120, 84), "output": dense_params(84, 10)}
    assert {r["name"]: r["params"] for r in models.layer_table(model) if r["params"]} == per_layer
    assert model.count_params() == sum(per_layer.values())
    side = output_size(output_size(output_size(output_size(32, 5), 2, stride=2), 5), 2, stride=2)
    assert shapes(model)["s4"] == (side, side, 16) == (5, 5, 16)
    assert shapes(model)["flatten"] == (side * side * 16,)


@pytest.mark.slow
def test_alexnet_counts_and_shapes_by_hand():
    model = models.alexnet()
    convs = [conv_params(11, 3, 96), conv_params(5, 96, 256), conv_params(3, 256, 384),
             conv_params(3, 384, 384), conv_params(3, 384, 256)]
    dense = [dense_params(6 * 6 * 256, 4096), dense_params(4096, 4096), dense_params(4096, 1000)]
    assert model.count_params() == sum(convs) + sum(dense)
    assert model.count_params() > 60_000_000
    s = shapes(model)
    side = output_size(227, 11, stride=4)
    assert s["conv1"] == (side, side, 96) == (55, 55, 96)
    assert s["pool2"] == (13, 13, 256) and s["pool5"] == (6, 6, 256) and s["flatten"] == (9216,)
    rows = {r["name"]: r for r in models.layer_table(model)}
    assert (rows["conv1"]["padding"], rows["conv1"]["strides"]) == ("valid", (4, 4))
    assert (rows["conv2"]["padding"], rows["pool5"]["strides"], rows["fc6"]["padding"]) == ("same", (2, 2), None)
    assert models.alexnet(num_classes=10).count_params() == model.count_params() - dense_params(4096, 1000) \
        + dense_params(4096, 10)


@pytest.mark.slow
def test_vgg16_matches_hand_count_and_keras_applications(vgg_pair):
    ours, theirs = vgg_pair
    widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]
    convs = sum(conv_params(3, c_in, c_out) for c_in, c_out in zip([3, *widths[:-1]], widths))
    dense = dense_params(7 * 7 * 512, 4096) + dense_params(4096, 4096) + dense_params(4096, 1000)
    assert ours.count_params() == convs + dense == theirs.count_params()
    assert shapes(ours) == shapes(theirs)
    assert {r["name"]: r["params"] for r in models.layer_table(ours)} == \
        {r["name"]: r["params"] for r in models.layer_table(theirs)}


def test_residual_block_identity_keeps_shape_without_projection():
    x = keras.Input((8, 8, 16))
    block = keras.Model(x, models.residual_block(x, 16, name="b"))
    assert tuple(block.output.shape)[1:] == (8, 8, 16)
    assert "b_projection" not in [lay.name for lay in block.layers]
    assert block.count_params() == 2 * conv_params(3, 16, 16, bias=False) + 2 * 4 * 16


@pytest.mark.parametrize("stride, filters, out_side", [(2, 32, 4), (1, 32, 8), (2, 16, 4)])
def test_residual_block_projects_when_shape_changes(stride, filters, out_side):
    x = keras.Input((8, 8, 16))
    block = keras.Model(x, models.residual_block(x, filters, stride=stride, name="b"))
    assert tuple(block.output.shape)[1:] == (out_side, out_side, filters)
    assert shapes(block)["b_projection"] == (out_side, out_side, filters)
    expected = (conv_params(3, 16, filters, bias=False) + conv_params(3, filters, filters, bias=False)
                + conv_params(1, 16, filters, bias=False) + 3 * 4 * filters)
    assert block.count_params() == expected


def test_residual_block_with_silent_branch_is_the_identity():
    x = keras.Input((6, 6, 4))
    block = keras.Model(x, models.residual_block(x, 4, name="b"))
    conv2 = block.get_layer("b_conv2")
    conv2.set_weights([np.zeros_like(w) for w in conv2.get_weights()])
    data = np.random.default_rng(0).normal(size=(2, 6, 6, 4)).astype("float32")
    out = np.asarray(block(data, training=False))
    np.testing.assert_allclose(out, np.maximum(data, 0), atol=1e-6)


def test_small_resnet_depth_shapes_and_count():
    model = models.small_resnet()
    weighted = [lay for lay in model.layers if type(lay).__name__ in ("Conv2D", "Dense")
                and not lay.name.endswith("projection")]
    assert len(weighted) == 6 * 3 + 2
    assert tuple(model.output.shape)[1:] == (10,)
    s = shapes(model)
    assert s["stage1_block3_out"] == (32, 32, 16) and s["stage2_block1_out"] == (16, 16, 32)
    assert s["stage3_block3_out"] == (8, 8, 64)
    bn = lambda f: 4 * f  # noqa: E731 - gamma, beta, moving mean and variance
    total = conv_params(3, 3, 16, bias=False) + bn(16) + dense_params(64, 10)
    c_in = 16
    for width in (16, 32, 64):
        for block in range(3):
            total += conv_params(3, c_in, width, bias=False) + conv_params(3, width, width, bias=False) + 2 * bn(width)
            if c_in != width:
                total += conv_params(1, c_in, width, bias=False) + bn(width)
            c_in = width
    assert model.count_params() == total
    assert len([lay for lay in models.small_resnet(blocks_per_stage=1).layers if type(lay).__name__ == "Add"]) == 3


@pytest.mark.parametrize("sizes", [{}, {"f1": 8, "f3_reduce": 4, "f3": 12, "f5_reduce": 2, "f5": 6, "pool_proj": 5}])
def test_inception_output_channels_are_the_sum_of_branches(sizes):
    x = keras.Input((14, 14, 40))
    module = keras.Model(x, models.inception_module(x, **sizes))
    n = {"f1": 64, "f3_reduce": 96, "f3": 128, "f5_reduce": 16, "f5": 32, "pool_proj": 32, **sizes}
    assert tuple(module.output.shape)[1:] == (14, 14, n["f1"] + n["f3"] + n["f5"] + n["pool_proj"])
    assert module.count_params() == (conv_params(1, 40, n["f1"]) + conv_params(1, 40, n["f3_reduce"])
                                     + conv_params(3, n["f3_reduce"], n["f3"]) + conv_params(1, 40, n["f5_reduce"])
                                     + conv_params(5, n["f5_reduce"], n["f5"]) + conv_params(1, 40, n["pool_proj"]))


def test_inception_3a_matches_googlenet_table():
    model = models.inception_3a()
    assert tuple(model.output.shape)[1:] == (28, 28, 256)
    mults = (mult_count((28, 28, 192), 1, 64) + mult_count((28, 28, 192), 1, 96) + mult_count((28, 28, 96), 3, 128)
             + mult_count((28, 28, 192), 1, 16) + mult_count((28, 28, 16), 5, 32) + mult_count((28, 28, 192), 1, 32))
    assert round(mults / 1e6) == 128  # "ops 128M" in Szegedy et al., table 1
    biases = 64 + 96 + 128 + 16 + 32 + 32
    assert model.count_params() - biases == mults // (28 * 28)


@pytest.mark.parametrize("name, builder, last_pool", [("lenet5", models.lenet5, "s4"),
                                                      ("alexnet", models.alexnet, "pool5"),
                                                      ("vgg16", models.vgg16, "block5_pool")])
def test_min_side_is_where_the_last_pooling_reaches_one_pixel(name, builder, last_pool):
    side = models.MIN_SIDE[name]
    assert shapes(builder(input_shape=(side, side, 3), num_classes=2))[last_pool][:2] == (1, 1)
    with pytest.raises(ValueError, match=f"al menos {side}×{side}"):
        builder(input_shape=(side - 1, side, 3))


@pytest.mark.parametrize("call, message", [
    (lambda: models.lenet5(input_shape=(32, 32)), "tupla \\(alto, ancho, canales\\)"),
    (lambda: models.lenet5(num_classes=0), "num_classes debe ser un entero positivo"),
    (lambda: models.alexnet(dropout=1.0), "dropout debe ser un número en \\[0, 1\\)"),
    (lambda: models.residual_block(np.zeros((8, 8, 3)), 4), "residual_block espera un tensor de Keras"),
    (lambda: models.residual_block(keras.Input((8, 8, 3)), 0), "filters debe ser un entero positivo"),
    (lambda: models.inception_module(keras.Input((8, 8, 3)), f5=2.5), "f5 debe ser un entero positivo"),
    (lambda: models.small_resnet(filters=()), "filters debe ser una tupla"),
    (lambda: models.layer_table("vgg"), "layer_table espera un modelo de Keras"),
])
def test_spanish_validation(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_summary_lists_selected_layers_and_total():
    model = models.lenet5()
    text = models.summary(model, kinds={"Conv2D"})
    lines = text.splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == ["c1", "c3"]
    assert lines[-1] == f"total de lenet5: {model.count_params():,} parámetros".replace(",", " ")
    assert "28×28×6" in lines[1] and lines[1].endswith(" 156")


# ------------------------------------------------------------------ receptive fields

def gradient_window(model, layer_name, row, col):
    """Rows and columns of the input that reach unit (row, col, channel 0) of `layer_name`, found by the gradient."""
    import tensorflow as tf

    probe = keras.Model(model.inputs[0], model.get_layer(layer_name).output)
    x = tf.ones((1, *model.inputs[0].shape[1:]))
    with tf.GradientTape() as tape:
        tape.watch(x)
        unit = probe(x)[0, row, col, 0]
    reached = np.argwhere(np.abs(tape.gradient(unit, x).numpy()[0].sum(axis=-1)) > 0)
    return (reached[:, 0].min(), reached[:, 0].max()), (reached[:, 1].min(), reached[:, 1].max())


def positive_chain(*layers, side=29):
    """Linear layers with positive weights: every input pixel of a unit's window reaches it (no cancellation)."""
    model = keras.Sequential([keras.Input((side, side, 2)), *layers])
    for lay in model.layers:
        lay.set_weights([np.full(w.shape, 0.1, "float32") for w in lay.get_weights()])
    return model


@pytest.mark.parametrize("layers, name", [
    (lambda L: [L.Conv2D(2, 3, padding="same", name="a"), L.AveragePooling2D(2, name="b"),
                L.Conv2D(2, 3, padding="same", name="c"), L.AveragePooling2D(2, name="d"),
                L.Conv2D(2, 3, padding="same", name="e")], "e"),
    (lambda L: [L.Conv2D(2, 5, strides=2, padding="same", name="a"), L.Conv2D(2, 3, dilation_rate=2, name="b"),
                L.AveragePooling2D(3, strides=2, padding="same", name="c"), L.Conv2D(2, 4, padding="same", name="d")],
     "d"),
    (lambda L: [L.ZeroPadding2D(2, name="a"), L.Conv2D(2, 7, strides=3, name="b"), L.Activation("relu", name="c"),
                L.Conv2D(2, 2, strides=2, padding="same", name="d")], "d"),
])
def test_receptive_field_is_where_the_gradient_reaches(layers, name):
    model = positive_chain(*layers(keras.layers))
    size, jump, start = models.receptive_field(model, name)
    side, out = model.inputs[0].shape[1], model.get_layer(name).output.shape[1]
    for row, col in [(0, 0), (1, out - 1), (out // 2, out // 2), (out - 1, 0)]:
        first = [start + row * jump, start + col * jump]
        expected = [(max(f, 0), min(f + size - 1, side - 1)) for f in first]
        assert list(gradient_window(model, name, row, col)) == expected, (row, col)


def test_receptive_fields_of_the_course_networks():
    from utils import cnn

    windows = [(3, 1, -1), (8, 2, -3), (18, 4, -7)]  # what notebook 06 quotes: 3×3, then 8×8, then 18×18
    fast = cnn.mnist_cnn()  # conv → pool → BN → ReLU: the ReLU comes after the pooling, so each conv is measured
    assert [models.receptive_field(fast, f"block{i}_conv") for i in (1, 2, 3)] == windows
    classic = cnn.mnist_cnn(pool_first=False)
    assert [models.receptive_field(classic, f"block{i}_relu") for i in (1, 2, 3)] == windows
    assert models.receptive_field(fast, "block1_relu") == (4, 2, -1)  # after the pooling: 2×2 windows of 3×3
    assert models.receptive_field(models.lenet5(), "s4") == (16, 4, 0)
    alexnet = models.alexnet(input_shape=(67, 67, 3))  # the smallest input: same windows, a small fc6
    assert models.receptive_field(alexnet, "conv1") == (11, 4, 0)
    assert models.receptive_field(alexnet, "pool5").size == 195  # the figure receptive-field tables give
    vgg = models.vgg16(input_shape=(32, 32, 3))
    assert [models.receptive_field(vgg, f"block1_conv{i}").size for i in (1, 2)] == [3, 5]  # two 3×3 see 5×5
    assert models.receptive_field(vgg, "block5_pool").size == 212


@pytest.mark.parametrize("call, message", [
    (lambda: models.receptive_field("vgg", "fc1"), "receptive_field espera un modelo de Keras"),
    (lambda: models.receptive_field(models.lenet5(), "c2"), "no tiene ninguna capa 'c2'; sus capas son c1, s2"),
    (lambda: models.receptive_field(models.lenet5(), "c5"), "'flatten' \\(Flatten\\) no conserva las posiciones"),
    (lambda: models.receptive_field(models.inception_3a(), "inception_3a_concat"), "junta varias ramas"),
    (lambda: models.receptive_field(keras.Sequential([keras.Input((9, 9, 1)), keras.layers.Conv2D(1, (3, 1),
                                                                                             name="k")]), "k"),
     "solo sabe contar ventanas cuadradas"),
    (lambda: models.receptive_field(keras.Sequential([keras.Input((9,)), keras.layers.Dense(2, name="d")]), "d"),
     "necesita un modelo de imágenes"),
])
def test_receptive_field_refuses_in_spanish(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_import_does_not_load_keras_or_tensorflow(fresh_import):
    assert not fresh_import("utils.models") & {"keras", "tensorflow"}

"""utils.conv against hand-derived seed examples and against Keras layers with set weights."""
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from utils.conv import conv1d, conv2d, mult_count, output_size, pool2d


RNG = np.random.default_rng(0)
SIZES = range(5, 13)
# Non-square inputs so that a swapped axis would show: (5, 12), (6, 11), ..., (12, 5).
IMAGE_SHAPES = [(n, 17 - n) for n in SIZES]
KERNELS = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 3), (3, 2), (2, 5), (5, 4)]
STRIDES = [1, 2, 3, (2, 1), (1, 3)]

SEED_IMAGE_5 = [[7, 2, 3, 3, 8], [4, 5, 3, 8, 4], [3, 3, 2, 8, 4], [2, 8, 7, 2, 7], [5, 4, 4, 5, 4]]
SEED_IMAGE_6 = [[3, 1, 1, 2, 8, 4], [1, 0, 7, 3, 2, 6], [2, 3, 5, 1, 1, 3],
                [1, 4, 1, 2, 6, 5], [3, 2, 1, 3, 7, 2], [9, 2, 6, 2, 5, 1]]
SEED_POOL_MAP = [[1, 6, 0, 3, 4, 4], [3, 4, 3, 2, 15, 4], [2, 3, 1, 1, 4, 4],
                 [3, 1, 1, 2, 3, 2], [4, 5, 0, 1, 1, 3], [5, 3, 2, 2, 2, 4]]
VERTICAL_EDGE = [[1, 0, -1]] * 3


def keras_conv2d(kernel, stride=1, padding="valid"):
    """A Conv2D layer (1 filter, no bias) holding `kernel` (kh, kw, C)."""
    layer = keras.layers.Conv2D(1, kernel.shape[:2], strides=stride, padding=padding, use_bias=False)
    layer.build((None, None, None, kernel.shape[2]))
    layer.set_weights([kernel[..., None]])
    return layer


def run(layer, x):
    """Apply a Keras layer to one (H, W, C) or (L, C) example; returns the numpy result without batch axis."""
    return np.asarray(layer(x[None].astype("float32")))[0]


# --- Seed worked examples, derived by hand -------------------------------------------------

def test_seed_5x5_vertical_edge_kernel():
    out = conv2d(SEED_IMAGE_5, VERTICAL_EDGE)
    # Top-left window: left column times 1, middle times 0, right column times -1.
    assert out[0, 0] == 7 * 1 + 4 * 1 + 3 * 1 + 2 * 0 + 5 * 0 + 3 * 0 + 3 * -1 + 3 * -1 + 2 * -1 == 6
    # With this kernel each output is (column sum at j) - (column sum at j + 2) over 3 rows.
    # Column sums of rows 0-2: 14 10 8 19 16 -> 14-8, 10-19, 8-16
    # Column sums of rows 1-3:  9 16 12 18 15 ->  9-12, 16-18, 12-15
    # Column sums of rows 2-4: 10 15 13 15 15 -> 10-13, 15-15, 13-15
    np.testing.assert_array_equal(out, [[6, -9, -8], [-3, -2, -3], [-3, 0, -2]])


def test_seed_6x6_exercise_matches_hand_and_keras():
    out = conv2d(SEED_IMAGE_6, VERTICAL_EDGE)
    assert out.shape == (4, 4)  # 6 - 3 + 1
    # Column sums over rows 0-2: 6 4 13 6 11 13 -> first output 6 - 13 = -7.
    # Rows 1-3: 4 7 13 6 9 14; rows 2-4: 6 9 7 6 14 10; rows 3-5: 13 8 8 7 18 8.
    expected = [[6 - 13, 4 - 6, 13 - 11, 6 - 13],
                [4 - 13, 7 - 6, 13 - 9, 6 - 14],
                [6 - 7, 9 - 6, 7 - 14, 6 - 10],
                [13 - 8, 8 - 7, 8 - 18, 7 - 8]]
    assert out[0, 0] == -7
    np.testing.assert_array_equal(out, expected)
    kernel = np.array(VERTICAL_EDGE, dtype=float)[..., None]
    keras_out = run(keras_conv2d(kernel), np.array(SEED_IMAGE_6, dtype=float)[..., None])[..., 0]
    np.testing.assert_allclose(out, keras_out, atol=1e-4)


def test_seed_letter_with_sobel_then_relu():
    # Seed 001's "letter": strokes of 0.6 on a 6x6 grid (blank first and last rows).
    letter = 0.6 * np.array([[0, 0, 0, 0, 0, 0],
                             [0, 0, 1, 1, 0, 0],
                             [0, 1, 0, 0, 1, 0],
                             [0, 1, 1, 1, 1, 0],
                             [0, 1, 0, 0, 1, 0],
                             [0, 0, 0, 0, 0, 0]])
    sobel = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]
    out = conv2d(letter, sobel)
    # Top-left window: left column (0, 0, 0) - right column (0, 0.6, 0)·(1, 2, 1) = -1.2.
    seed_map = [[-1.2, -0.6, 0.6, 1.2], [-1.2, 0.6, -0.6, 1.2], [-1.2, 1.2, -1.2, 1.2], [-0.6, 1.2, -1.2, 0.6]]
    np.testing.assert_allclose(out, seed_map, atol=1e-12)
    seed_relu = [[0, 0, 0.6, 1.2], [0, 0.6, 0, 1.2], [0, 1.2, 0, 1.2], [0, 1.2, 0, 0.6]]
    np.testing.assert_allclose(np.maximum(out, 0), seed_relu, atol=1e-12)


def test_seed_max_pooling_matches_hand_and_keras():
    out = pool2d(SEED_POOL_MAP, 2)
    # 2x2 blocks: max(1,6,3,4)=6  max(0,3,3,2)=3  max(4,4,15,4)=15
    #             max(2,3,3,1)=3  max(1,1,1,2)=2  max(4,4,3,2)=4
    #             max(4,5,5,3)=5  max(0,1,2,2)=2  max(1,3,2,4)=4
    np.testing.assert_array_equal(out, [[6, 3, 15], [3, 2, 4], [5, 2, 4]])
    keras_out = run(keras.layers.MaxPooling2D(2, strides=2), np.array(SEED_POOL_MAP, dtype=float)[..., None])
    np.testing.assert_allclose(out, keras_out[..., 0], atol=1e-6)


def test_seed_valid_same_full_sizes():
    image, kernel = np.ones((5, 5)), np.ones((3, 3))
    assert output_size(5, 3, padding="valid") == 5 - 3 + 1 == 3 == conv2d(image, kernel).shape[0]
    assert output_size(5, 3, padding="same") == 5 == conv2d(image, kernel, padding="same").shape[0]
    # SAME for a 3x3 kernel at stride 1 is one zero on each side: the centre of the 5x5 ones is 9, a corner 4.
    same = conv2d(image, kernel, padding="same")
    assert same[2, 2] == 9 and same[0, 0] == 4 and same[0, 2] == 6
    for w in SIZES:
        for k in range(1, 6):
            # FULL pads K - 1 on each side: O = W - K + 2(K - 1) + 1 = W + K - 1.
            assert output_size(w, k, padding="full") == output_size(w, k, padding=k - 1) == w + k - 1
    # Corner of the FULL convolution of ones with ones: only one pixel overlaps.
    assert conv2d(image, kernel, padding="full")[0, 0] == 1


@pytest.mark.parametrize("k", [1, 3, 5, 7])
def test_half_padding_keeps_size_at_stride_1(k):
    image = RNG.uniform(-1, 1, (9, 8))
    kernel = RNG.uniform(-1, 1, (k, k))
    p = (k - 1) // 2
    assert output_size(9, k, padding=p) == 9 and output_size(8, k, padding=p) == 8
    np.testing.assert_allclose(conv2d(image, kernel, padding=p), conv2d(image, kernel, padding="same"))


def test_seed_bottleneck_1x1():
    # SAME at stride 1 keeps 28x28; 32 filters give 32 channels.
    assert output_size(28, 5, padding="same") == 28
    layer = keras.layers.Conv2D(32, 5, padding="same", use_bias=False)
    assert layer(np.zeros((1, 28, 28, 192), "float32")).shape == (1, 28, 28, 32)
    # Each of the 28·28·32 outputs is a dot product of 5·5·192 terms.
    direct = 28 * 28 * 32 * 5 * 5 * 192
    assert direct == 120_422_400
    assert mult_count((28, 28, 192), 5, 32) == direct
    # 1x1 bottleneck: 28·28·16 outputs of 192 terms, then 28·28·32 outputs of 5·5·16 terms.
    assert 28 * 28 * 16 * 192 == 2_408_448 and 28 * 28 * 32 * 5 * 5 * 16 == 10_035_200
    bottleneck = mult_count((28, 28, 192), 1, 16) + mult_count((28, 28, 16), (5, 5), 32)
    assert bottleneck == 2_408_448 + 10_035_200 == 12_443_648


def test_mult_count_with_stride_and_valid():
    # VALID 5x5 at stride 2 on 32x32x3: floor((32 - 5) / 2) + 1 = 14 per axis.
    assert mult_count((32, 32, 3), 5, 8, stride=2, padding="valid") == 14 * 14 * 8 * 5 * 5 * 3
    # Rectangular kernel (3, 1) and stride (1, 2) with SAME: 10 x ceil(9 / 2) = 10 x 5 outputs per filter.
    assert mult_count((10, 9, 4), (3, 1), 2, stride=(1, 2)) == 10 * 5 * 2 * 3 * 1 * 4


# --- Small properties derived by hand ------------------------------------------------------

def test_rgb_is_sum_of_per_channel_convolutions():
    image = RNG.uniform(-1, 1, (7, 6, 3))
    kernel = RNG.uniform(-1, 1, (3, 2, 3))
    per_channel = sum(conv2d(image[..., c], kernel[..., c], stride=2, padding="same") for c in range(3))
    np.testing.assert_allclose(conv2d(image, kernel, stride=2, padding="same"), per_channel)


def test_same_puts_extra_zero_bottom_right():
    # Even kernel at stride 1 needs one zero in total; TensorFlow puts it after the image.
    # With a kernel that only sees the window's top-left pixel, the output is then the image itself.
    image = RNG.uniform(-1, 1, (5, 6))
    np.testing.assert_array_equal(conv2d(image, [[1, 0], [0, 0]], padding="same"), image)
    # Kernel that only sees the bottom-right pixel: the last row and column read the zero padding.
    out = conv2d(image, [[0, 0], [0, 1]], padding="same")
    np.testing.assert_array_equal(out[:-1, :-1], image[1:, 1:])
    assert not out[-1].any() and not out[:, -1].any()


def test_no_kernel_flip():
    # Cross-correlation: a kernel [1, 2] at position i gives x[i] + 2·x[i+1] (a true convolution would flip it).
    np.testing.assert_array_equal(conv1d([1, 10, 100], [1, 2]), [1 + 2 * 10, 10 + 2 * 100])


def test_pool_modes_by_hand():
    x = [[3, 4, 1, 1], [0, 0, 1, 1]]
    np.testing.assert_allclose(pool2d(x, 2, mode="max"), [[4, 1]])
    np.testing.assert_allclose(pool2d(x, 2, mode="avg"), [[7 / 4, 1]])
    np.testing.assert_allclose(pool2d(x, 2, mode="l2"), [[5, 2]])  # sqrt(9 + 16), sqrt(4 · 1)


# --- Against Keras -------------------------------------------------------------------------

@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", STRIDES, ids=str)
@pytest.mark.parametrize("kernel_shape", KERNELS, ids=str)
def test_conv2d_matches_keras(kernel_shape, stride, padding, channels):
    kernel = RNG.uniform(-1, 1, (*kernel_shape, channels))
    layer = keras_conv2d(kernel, stride, padding)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    for shape in IMAGE_SHAPES:
        image = RNG.uniform(-1, 1, (*shape, channels))
        expected = run(layer, image)[..., 0]
        # Channel-free call for single-channel inputs: (H, W) image with (kh, kw) kernel.
        out = conv2d(image[..., 0], kernel[..., 0], stride=stride, padding=padding) if channels == 1 \
            else conv2d(image, kernel, stride=stride, padding=padding)
        assert out.shape == expected.shape == (
            output_size(shape[0], kernel_shape[0], stride=sh, padding=padding),
            output_size(shape[1], kernel_shape[1], stride=sw, padding=padding))
        np.testing.assert_allclose(out, expected, atol=1e-4)


@pytest.mark.parametrize("padding", [0, 1, 2, 3, "full"])
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("kernel_shape", [(1, 1), (2, 2), (3, 3), (4, 2), (5, 5)], ids=str)
def test_int_and_full_padding_match_zero_padding_then_valid(kernel_shape, stride, padding):
    kernel = RNG.uniform(-1, 1, (*kernel_shape, 3))
    pads = [k - 1 for k in kernel_shape] if padding == "full" else [padding, padding]
    zero_pad = keras.layers.ZeroPadding2D(tuple(pads))
    layer = keras_conv2d(kernel, stride, "valid")
    for shape in IMAGE_SHAPES[::2]:
        image = RNG.uniform(-1, 1, (*shape, 3))
        expected = np.asarray(layer(zero_pad(image[None].astype("float32"))))[0, ..., 0]
        out = conv2d(image, kernel, stride=stride, padding=padding)
        assert out.shape == expected.shape == (
            output_size(shape[0], kernel_shape[0], stride=stride, padding=padding),
            output_size(shape[1], kernel_shape[1], stride=stride, padding=padding))
        np.testing.assert_allclose(out, expected, atol=1e-4)


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("stride", [None, 1, 2, (1, 2)], ids=str)
@pytest.mark.parametrize("size", [2, 3, (2, 3)], ids=str)
def test_pool2d_matches_keras(size, stride, channels):
    keras_max = keras.layers.MaxPooling2D(size, strides=stride)
    keras_avg = keras.layers.AveragePooling2D(size, strides=stride)
    area = size * size if isinstance(size, int) else size[0] * size[1]
    for shape in IMAGE_SHAPES:
        x = RNG.uniform(-1, 1, (*shape, channels))
        squeeze = (lambda a: a[..., 0]) if channels == 1 else (lambda a: a)
        xin = squeeze(x)  # (H, W) for one channel, (H, W, C) otherwise
        np.testing.assert_allclose(pool2d(xin, size, stride=stride), squeeze(run(keras_max, x)), atol=1e-5)
        np.testing.assert_allclose(pool2d(xin, size, stride=stride, mode="avg"),
                                   squeeze(run(keras_avg, x)), atol=1e-5)
        # L2 norm of a window = sqrt(area · mean of the squares).
        np.testing.assert_allclose(pool2d(xin, size, stride=stride, mode="l2"),
                                   squeeze(np.sqrt(area * run(keras_avg, x**2))), atol=1e-5)


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_conv1d_matches_keras(k, stride, padding, channels):
    kernel = RNG.uniform(-1, 1, (k, channels))
    layer = keras.layers.Conv1D(1, k, strides=stride, padding=padding, use_bias=False)
    layer.build((None, None, channels))
    layer.set_weights([kernel[..., None]])
    for n in SIZES:
        signal = RNG.uniform(-1, 1, (n, channels))
        expected = run(layer, signal)[..., 0]
        out = conv1d(signal[:, 0], kernel[:, 0], stride=stride, padding=padding) if channels == 1 \
            else conv1d(signal, kernel, stride=stride, padding=padding)
        assert out.shape == expected.shape == (output_size(n, k, stride=stride, padding=padding),)
        np.testing.assert_allclose(out, expected, atol=1e-4)


@pytest.mark.parametrize("dilation", [1, 2, 3])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_output_size_with_dilation_matches_keras(k, dilation):
    for padding in ["valid", "same", 0, 1, 2, "full"]:
        if isinstance(padding, str) and padding != "full":
            layer, pad = keras.layers.Conv1D(1, k, dilation_rate=dilation, padding=padding), 0
        else:  # int or FULL (D(K - 1) zeros each side): explicit zero padding, then a valid conv
            pad = dilation * (k - 1) if padding == "full" else padding
            layer = keras.layers.Conv1D(1, k, dilation_rate=dilation)
        for n in SIZES:
            x = keras.layers.ZeroPadding1D(pad)(np.zeros((1, n, 1), "float32"))
            if x.shape[1] < dilation * (k - 1) + 1:
                continue  # the dilated kernel does not fit; checked among the errors below
            assert output_size(n, k, dilation=dilation, padding=padding) == layer(x).shape[1]


# --- Errors: Spanish, with what was expected and what was received ----------------------

IMG5, K3 = np.ones((5, 5)), np.ones((3, 3))
ERROR_CASES = [
    (conv2d, (IMG5, K3), {"stride": 0}, ["stride debe ser un entero positivo", "se recibió 0"]),
    (conv2d, (IMG5, K3), {"stride": (1, -2)}, ["tupla de dos enteros positivos", "se recibió (1, -2)"]),
    (conv2d, (IMG5, K3), {"stride": 1.5}, ["entero positivo", "se recibió 1.5"]),
    (conv2d, (IMG5, K3), {"padding": "medio"}, ['"valid", "same", "full"', "se recibió 'medio'"]),
    (conv2d, (IMG5, K3), {"padding": -1}, ["entero no negativo", "se recibió -1"]),
    (conv2d, (IMG5, np.ones((6, 6))), {}, ["debe caber", "kernel (6, 6)", "entrada con padding (5, 5)"]),
    (conv2d, (IMG5, np.ones((8, 2))), {"padding": 1}, ["debe caber", "kernel (8, 2)", "padding (7, 7)"]),
    (conv2d, (np.ones((5, 5, 3)), np.ones((3, 3, 2))), {}, ["mismos canales", "(3)", "con 2 canales"]),
    (conv2d, (np.ones(5), np.ones(3)), {}, ["image debe ser 2-D (alto, ancho) o 3-D", "se recibió forma (5,)"]),
    (conv2d, (np.ones((5, 5, 3)), K3), {}, ["kernel debe ser 3-D", "se recibió forma (3, 3)"]),
    (conv2d, (np.ones((0, 5)), K3), {}, ["tamaño positivo", "se recibió forma (0, 5)"]),
    (conv2d, (IMG5, np.ones((3, 0))), {}, ["kernel debe tener tamaño positivo", "(3, 0)"]),
    (conv1d, (np.ones(5), np.ones(7)), {}, ["debe caber", "kernel (7,)", "padding (5,)"]),
    (conv1d, (np.ones((5, 5, 5)), np.ones(3)), {}, ["signal debe ser 1-D (longitud)", "se recibió forma (5, 5, 5)"]),
    (conv1d, (np.ones(5), np.ones(3)), {"stride": -1}, ["stride debe ser un entero positivo", "se recibió -1"]),
    (conv1d, (np.ones(5), np.ones(3)), {"padding": "causal"}, ["padding debe ser", "se recibió 'causal'"]),
    (pool2d, (IMG5,), {"size": 0}, ["size debe ser un entero positivo", "se recibió 0"]),
    (pool2d, (IMG5,), {"stride": 0}, ["stride debe ser un entero positivo", "se recibió 0"]),
    (pool2d, (IMG5,), {"mode": "min"}, ['mode debe ser "max", "avg" o "l2"', "se recibió 'min'"]),
    (pool2d, (np.ones((1, 5)),), {}, ["ventana de pooling debe caber", "ventana (2, 2)", "entrada (1, 5)"]),
    (pool2d, (np.ones(5),), {}, ["x debe ser 2-D", "se recibió forma (5,)"]),
    (output_size, (0, 3), {}, ["input_size debe ser un entero positivo", "se recibió 0"]),
    (output_size, (5, 0), {}, ["kernel_size debe ser un entero positivo", "se recibió 0"]),
    (output_size, (5, 3), {"stride": 0}, ["stride debe ser un entero positivo", "se recibió 0"]),
    (output_size, (5, 3), {"dilation": 0}, ["dilation debe ser un entero positivo", "se recibió 0"]),
    (output_size, (5, 7), {}, ["debe caber", "kernel (7,)", "(5,)"]),
    (output_size, (5, 3), {"dilation": 3}, ["debe caber", "kernel (7,)"]),  # 3·(3 - 1) + 1 = 7 > 5
    (output_size, (5, 3), {"padding": "SAMEISH"}, ["padding debe ser", "se recibió 'SAMEISH'"]),
    (mult_count, ((28, 28), 5, 32), {}, ["input_shape debe ser una tupla (alto, ancho, canales)",
                                         "se recibió (28, 28)"]),
    (mult_count, ((28, 0, 3), 5, 32), {}, ["enteros positivos", "se recibió (28, 0, 3)"]),
    (mult_count, ((28, 28, 3), 5, 0), {}, ["filters debe ser un entero positivo", "se recibió 0"]),
    (mult_count, ((28, 28, 3), (5,), 8), {}, ["kernel_size debe ser", "se recibió (5,)"]),
    (mult_count, ((4, 4, 3), 5, 8), {"padding": "valid"}, ["debe caber", "kernel (5,)", "(4,)"]),
]


@pytest.mark.parametrize("func, args, kwargs, fragments", ERROR_CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(ERROR_CASES)])
def test_invalid_input_raises_spanish_value_error(func, args, kwargs, fragments):
    with pytest.raises(ValueError) as info:
        func(*args, **kwargs)
    message = str(info.value)
    assert "debe" in message and "se recibió" in message  # what was expected / what was received
    for fragment in fragments:
        assert fragment in message


def test_even_kernels_and_uppercase_padding_are_accepted():
    image = RNG.uniform(-1, 1, (6, 6))
    assert conv2d(image, np.ones((2, 4)), padding="SAME").shape == (6, 6)
    assert output_size(6, 4, padding="VALID") == 3


# --- Practical requirements ----------------------------------------------------------------

@pytest.mark.parametrize("channels", [1, 3])
def test_photo_sized_box_blur(channels):
    # A 512×512 photo (its speed is measured by `make bench`): a box blur of a constant image keeps the
    # constant inside and loses the zero-padded share at the borders (4/9 at a corner, 6/9 on an edge).
    photo = np.full((512, 512, channels), 90.0)
    out = conv2d(photo, np.full((3, 3, channels), 1 / 9), padding="same")
    assert out.shape == (512, 512)
    assert np.allclose(out[1:-1, 1:-1], 90 * channels)
    assert np.isclose(out[0, 0], 40 * channels) and np.isclose(out[0, 100], 60 * channels)


def test_module_import_does_not_load_tensorflow():
    code = "import sys, utils.conv; sys.exit('tensorflow' in sys.modules or 'keras' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0

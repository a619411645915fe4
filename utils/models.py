"""Classic convolutional architectures in Keras: LeNet-5, AlexNet, VGG-16, ResNet blocks, Inception.

Each builder uses the input shape of its paper by default and returns a Keras model (weights
randomly initialised: nothing is downloaded). `layer_table` and `summary` describe a model in a
few lines, and `receptive_field` says which window of the input one unit of a layer sees. Keras is
imported inside the functions, so importing this module is cheap.
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

# Smallest input side each classic model accepts (its last pooling still gets a 1×1 map):
# LeNet-5: 16 → 12 → 6 → 2 → 1; AlexNet: 67 → 15 → 7 → 3 → 1 (conv1 11×11 stride 4, then three
# 3×3 stride-2 poolings); VGG-16: five 2×2 poolings need 32.
MIN_SIDE = {"lenet5": 16, "alexnet": 67, "vgg16": 32}


def _positive_int(value, name):
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > 0):
        raise ValueError(f"{name} debe ser un entero positivo; se recibió {value!r}")
    return int(value)


def _image_shape(shape, model_name=None):
    """(H, W, C) of positive ints, at least MIN_SIDE[model_name] high and wide."""
    ok = isinstance(shape, (tuple, list)) and len(shape) == 3
    ok = ok and all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n > 0 for n in shape)
    if not ok:
        raise ValueError(f"input_shape debe ser una tupla (alto, ancho, canales) de enteros positivos; "
                         f"se recibió {shape!r}")
    shape = tuple(int(n) for n in shape)
    low = MIN_SIDE.get(model_name, 1)
    if min(shape[:2]) < low:
        raise ValueError(f"{model_name} necesita imágenes de al menos {low}×{low} píxeles; "
                         f"se recibió input_shape={shape}")
    return shape


def _classes(num_classes):
    return _positive_int(num_classes, "num_classes")


def _feature_tensor(x, name):
    """Check that `x` is a Keras tensor shaped (batch, alto, ancho, canales)."""
    shape = getattr(x, "shape", None)
    if shape is None or len(shape) != 4 or shape[-1] is None:
        raise ValueError(f"{name} espera un tensor de Keras de forma (lote, alto, ancho, canales), "
                         f"p. ej. keras.Input(shape=(32, 32, 64)); se recibió {type(x).__name__} "
                         f"de forma {shape}")
    return int(shape[-1])


def lenet5(input_shape=(32, 32, 1), num_classes=10):
    """LeNet-5 (LeCun et al., 1998) with its 32×32×1 input, written with today's Keras layers.

    C1 6@5×5 tanh → S2 average pool → C3 16@5×5 tanh → S4 average pool → C5 120 → F6 84 → 10.
    Simplifications: C3 sees all six maps (the paper's connection table gave 1 516 weights, not
    2 416), pooling has no trainable scale, and the output is a softmax instead of RBF units.
    """
    import keras
    from keras import layers

    shape = _image_shape(input_shape, "lenet5")
    return keras.Sequential([
        keras.Input(shape=shape),
        layers.Conv2D(6, 5, activation="tanh", name="c1"),
        layers.AveragePooling2D(2, name="s2"),
        layers.Conv2D(16, 5, activation="tanh", name="c3"),
        layers.AveragePooling2D(2, name="s4"),
        layers.Flatten(name="flatten"),
        layers.Dense(120, activation="tanh", name="c5"),
        layers.Dense(84, activation="tanh", name="f6"),
        layers.Dense(_classes(num_classes), activation="softmax", name="output"),
    ], name="lenet5")


def alexnet(input_shape=(227, 227, 3), num_classes=1000, *, dropout=0.5):
    """AlexNet (Krizhevsky et al., 2012) on one device: 5 ReLU convolutions, 3 max poolings, 3 dense.

    The input is 227×227×3, not the 224 the paper states: conv1 (11×11, stride 4, no padding)
    turns 227 into (227 − 11)/4 + 1 = 55, the 55×55 maps the paper reports, whereas 224 would
    give 54.25. Local response normalisation (no parameters) is left out, and the two-GPU split
    of conv2, conv4 and conv5 into halves is not reproduced, so there are slightly more weights.
    """
    import keras
    from keras import layers

    shape = _image_shape(input_shape, "alexnet")
    if not (isinstance(dropout, numbers.Real) and 0 <= dropout < 1):
        raise ValueError(f"dropout debe ser un número en [0, 1); se recibió {dropout!r}")
    return keras.Sequential([
        keras.Input(shape=shape),
        layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1"),
        layers.MaxPooling2D(3, strides=2, name="pool1"),
        layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2"),
        layers.MaxPooling2D(3, strides=2, name="pool2"),
        layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3"),
        layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4"),
        layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5"),
        layers.MaxPooling2D(3, strides=2, name="pool5"),
        layers.Flatten(name="flatten"),
        layers.Dense(4096, activation="relu", name="fc6"),
        layers.Dropout(dropout, name="drop6"),
        layers.Dense(4096, activation="relu", name="fc7"),
        layers.Dropout(dropout, name="drop7"),
        layers.Dense(_classes(num_classes), activation="softmax", name="fc8"),
    ], name="alexnet")


def vgg16(input_shape=(224, 224, 3), num_classes=1000):
    """VGG-16 (Simonyan & Zisserman, 2015): 13 convolutions 3×3 SAME in 5 blocks, each closed by a
    2×2 max pooling, then 4096 → 4096 → classes. Layer names as in `keras.applications.VGG16`."""
    import keras
    from keras import layers

    shape = _image_shape(input_shape, "vgg16")
    stack = [keras.Input(shape=shape)]
    for block, (filters, convs) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], 1):
        stack += [layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"block{block}_conv{i}")
                  for i in range(1, convs + 1)]
        stack.append(layers.MaxPooling2D(2, strides=2, name=f"block{block}_pool"))
    stack += [layers.Flatten(name="flatten"),
              layers.Dense(4096, activation="relu", name="fc1"),
              layers.Dense(4096, activation="relu", name="fc2"),
              layers.Dense(_classes(num_classes), activation="softmax", name="predictions")]
    return keras.Sequential(stack, name="vgg16")


def residual_block(x, filters, *, stride=1, kernel_size=3, name=None):
    """A ResNet basic block (He et al., 2016): out = ReLU(F(x) + shortcut(x)).

    F is conv(stride) → BN → ReLU → conv → BN. The shortcut is the identity when the shape does
    not change (stride 1 and `filters` equal to the input channels); otherwise a 1×1 convolution
    with the same stride and BN projects x to the new shape. Convolutions have no bias (BN has one).
    """
    from keras import layers

    channels = _feature_tensor(x, "residual_block")
    filters = _positive_int(filters, "filters")
    stride = _positive_int(stride, "stride")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    tag = (lambda part: f"{name}_{part}") if name else (lambda part: None)

    y = layers.Conv2D(filters, kernel_size, strides=stride, padding="same", use_bias=False, name=tag("conv1"))(x)
    y = layers.BatchNormalization(name=tag("bn1"))(y)
    y = layers.Activation("relu", name=tag("relu1"))(y)
    y = layers.Conv2D(filters, kernel_size, padding="same", use_bias=False, name=tag("conv2"))(y)
    y = layers.BatchNormalization(name=tag("bn2"))(y)
    shortcut = x
    if stride != 1 or channels != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False, name=tag("projection"))(x)
        shortcut = layers.BatchNormalization(name=tag("projection_bn"))(shortcut)
    y = layers.Add(name=tag("add"))([y, shortcut])
    return layers.Activation("relu", name=tag("out"))(y)


def small_resnet(input_shape=(32, 32, 3), num_classes=10, *, filters=(16, 32, 64), blocks_per_stage=3):
    """The CIFAR-10 ResNet of He et al. (2016, §4.2); with the defaults, ResNet-20.

    A 3×3 convolution, then one stage per entry of `filters` with `blocks_per_stage` residual
    blocks (each stage after the first starts with stride 2), global average pooling and softmax:
    6n + 2 layers with weights for n blocks per stage. Where the shape changes the shortcut is a
    1×1 projection (the paper's CIFAR nets padded with zeros instead); the count stays about the
    paper's 0.27 M for n = 3.
    """
    import keras
    from keras import layers

    shape = _image_shape(input_shape)
    if not (isinstance(filters, (tuple, list)) and filters):
        raise ValueError(f"filters debe ser una tupla con los filtros de cada etapa, p. ej. (16, 32, 64); "
                         f"se recibió {filters!r}")
    filters = [_positive_int(f, "cada elemento de filters") for f in filters]
    blocks = _positive_int(blocks_per_stage, "blocks_per_stage")
    inputs = keras.Input(shape=shape)
    x = layers.Conv2D(filters[0], 3, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.Activation("relu", name="stem_relu")(x)
    for stage, width in enumerate(filters, 1):
        for block in range(1, blocks + 1):
            stride = 2 if stage > 1 and block == 1 else 1
            x = residual_block(x, width, stride=stride, name=f"stage{stage}_block{block}")
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    outputs = layers.Dense(_classes(num_classes), activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name=f"resnet{6 * blocks + 2}")


def inception_module(x, f1=64, f3_reduce=96, f3=128, f5_reduce=16, f5=32, pool_proj=32, *, name=None):
    """An Inception module (Szegedy et al., 2015): four parallel branches concatenated on channels.

    1×1 (f1) | 1×1 (f3_reduce) → 3×3 (f3) | 1×1 (f5_reduce) → 5×5 (f5) | 3×3 max pool → 1×1
    (pool_proj), all SAME with stride 1 and ReLU, so the output keeps the input's height and
    width and has f1 + f3 + f5 + pool_proj channels. Defaults: module 3a of GoogLeNet.
    """
    from keras import layers

    _feature_tensor(x, "inception_module")
    sizes = {"f1": f1, "f3_reduce": f3_reduce, "f3": f3, "f5_reduce": f5_reduce, "f5": f5, "pool_proj": pool_proj}
    n = {key: _positive_int(value, key) for key, value in sizes.items()}
    tag = (lambda part: f"{name}_{part}") if name else (lambda part: None)

    def conv(filters, size, part, tensor):
        return layers.Conv2D(filters, size, padding="same", activation="relu", name=tag(part))(tensor)

    branch1 = conv(n["f1"], 1, "1x1", x)
    branch3 = conv(n["f3"], 3, "3x3", conv(n["f3_reduce"], 1, "3x3_reduce", x))
    branch5 = conv(n["f5"], 5, "5x5", conv(n["f5_reduce"], 1, "5x5_reduce", x))
    pooled = layers.MaxPooling2D(3, strides=1, padding="same", name=tag("pool"))(x)
    branch_pool = conv(n["pool_proj"], 1, "pool_proj", pooled)
    return layers.Concatenate(axis=-1, name=tag("concat"))([branch1, branch3, branch5, branch_pool])


def inception_3a(input_shape=(28, 28, 192)):
    """GoogLeNet's module 3a on its 28×28×192 input, as a model (output 28×28×256)."""
    import keras

    inputs = keras.Input(shape=_image_shape(input_shape))
    return keras.Model(inputs, inception_module(inputs, name="inception_3a"), name="inception_3a")


def layer_table(model) -> list[dict]:
    """One row per layer (input layer excluded): name, kind, output shape without the batch, params,
    and for convolutions and poolings their padding and strides (None for other layers)."""
    if not hasattr(model, "layers"):
        raise ValueError(f"layer_table espera un modelo de Keras; se recibió {type(model).__name__}")
    rows = []
    for lay in model.layers:
        if type(lay).__name__ == "InputLayer":
            continue
        config = lay.get_config()
        strides = config.get("strides")
        rows.append({"name": lay.name, "kind": type(lay).__name__, "shape": tuple(lay.output.shape)[1:],
                     "params": lay.count_params(), "padding": config.get("padding"),
                     "strides": tuple(strides) if isinstance(strides, (list, tuple)) else strides})
    return rows


def summary(model, *, kinds=None) -> str:
    """A compact text table of `model` (only layers whose class is in `kinds`, if given) and its total."""
    rows = [r for r in layer_table(model) if kinds is None or r["kind"] in kinds]
    shown = [(r["name"], r["kind"], "×".join(str(n) for n in r["shape"]), f"{r['params']:,}".replace(",", " "))
             for r in rows]
    header = ("capa", "tipo", "salida", "parámetros")
    widths = [max([len(h), *(len(row[i]) for row in shown)]) for i, h in enumerate(header)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d:>{widths[3]}}" for a, b, c, d in [header, *shown]]
    total = f"{model.count_params():,}".replace(",", " ")
    lines.append(f"total de {model.name}: {total} parámetros")
    return "\n".join(lines)


class ReceptiveField(NamedTuple):
    """The input window of one unit: `size`×`size` pixels; neighbouring units are `jump` pixels apart;
    the window of unit (0, 0) starts at pixel `start` (negative: part of it is *padding*)."""
    size: int
    jump: int
    start: int


# Layers that keep every spatial position where it was: they do not change what a unit sees.
_POINTWISE = {"InputLayer", "BatchNormalization", "Activation", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax",
              "Dropout", "SpatialDropout2D", "GaussianNoise", "Rescaling", "Normalization", "LayerNormalization"}


def _square(value, what, layer_name):
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(set(values)) != 1:
        raise ValueError(f"receptive_field solo sabe contar ventanas cuadradas; la capa {layer_name!r} tiene "
                         f"{what}={value!r}")
    return int(values[0])


def receptive_field(model, layer_name) -> ReceptiveField:
    """Receptive field of one unit of `layer_name` in `model`, a chain of 2-D layers (a Sequential model).

    Going through the layers in order, a window k×k with stride s and dilation d adds (k − 1)·d·jump
    pixels to the size, multiplies the jump by s, and SAME *padding* moves the start back by the
    padding before the first row (as TensorFlow pads: the extra row, if any, goes after).
    """
    if not hasattr(model, "layers") or not hasattr(model, "get_layer"):
        raise ValueError(f"receptive_field espera un modelo de Keras; se recibió {type(model).__name__}")
    names = [lay.name for lay in model.layers]
    if layer_name not in names:
        raise ValueError(f"el modelo {model.name!r} no tiene ninguna capa {layer_name!r}; sus capas son "
                         f"{', '.join(names)}")
    shape = tuple(model.inputs[0].shape) if getattr(model, "inputs", None) else ()
    if len(shape) != 4:
        raise ValueError(f"receptive_field necesita un modelo de imágenes (lote, alto, ancho, canales); la entrada "
                         f"de {model.name!r} tiene forma {shape}")
    side, size, jump, start = shape[1], 1, 1, 0
    for lay in model.layers:
        kind, config = type(lay).__name__, lay.get_config()
        inputs = getattr(lay, "input", None)
        if isinstance(inputs, (list, tuple)) and len(inputs) > 1:
            raise ValueError(f"receptive_field sigue una cadena de capas, y {lay.name!r} ({kind}) junta varias "
                             f"ramas; usa un modelo Sequential")
        window = config.get("kernel_size", config.get("pool_size"))
        if window is not None and "strides" in config:
            k = _square(window, "kernel_size" if "kernel_size" in config else "pool_size", lay.name)
            s = _square(config["strides"] or window, "strides", lay.name)
            d = _square(config.get("dilation_rate", 1), "dilation_rate", lay.name)
            span = (k - 1) * d + 1
            pad = 0
            if config.get("padding") == "same":
                out = math.ceil(side / s) if side is not None else None
                total = max((out - 1) * s + span - side, 0) if side is not None else max(span - s, 0)
                pad = total // 2
            size += (span - 1) * jump
            start -= pad * jump
            jump *= s
            side = None if side is None else (math.ceil(side / s) if config.get("padding") == "same"
                                              else (side - span) // s + 1)
        elif kind == "ZeroPadding2D":
            (top, bottom), (left, right) = config["padding"]
            if (top, bottom) != (left, right):
                raise ValueError(f"receptive_field solo sabe contar ventanas cuadradas; la capa {lay.name!r} "
                                 f"rellena {config['padding']!r}")
            start -= top * jump
            side = None if side is None else side + top + bottom
        elif kind not in _POINTWISE:
            raise ValueError(f"la capa {lay.name!r} ({kind}) no conserva las posiciones de la imagen: sus unidades "
                             f"no tienen una ventana de la entrada; elige una capa anterior")
        if lay.name == layer_name:
            return ReceptiveField(size, jump, start)
    raise AssertionError("unreachable")  # layer_name is one of model.layers

"""Convolution arithmetic in plain NumPy: convolution, pooling, output sizes, cost.

Deep-learning convention: the kernel is not flipped (cross-correlation), exactly as in
`keras.layers.Conv2D`. Padding is "valid" (none), "same" (as TensorFlow/Keras), "full"
(k - 1 zeros on each side) or an int (that many zeros on each side).

Every public function checks its arguments first and answers a bad one with a Spanish error that
says what was expected (numbers in rows of equal length, finite, sizes that fit); the size of the
padded input is computed, and refused above `MAX_ELEMENTS`, before any array is built.
"""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import _is_int, _received

PADDINGS = ("valid", "same", "full")
POOL_MODES = ("max", "avg", "l2")
MAX_ELEMENTS = 10**8  # the largest array these functions build (800 MB of float64), checked before building it


def conv2d(image, kernel, *, stride=1, padding="valid"):
    """Slide `kernel` over `image`; at each stop multiply element-wise and sum.

    image (H, W) with kernel (kh, kw), or image (H, W, C) with kernel (kh, kw, C)
    (one kernel slice per channel, results summed). `stride` is an int or (sh, sw).
    Returns a 2-D float array of shape (output_size(H, kh, ...), output_size(W, kw, ...)).
    """
    image, kernel = _with_channels(image, kernel, "image", spatial_dims=2)
    sh, sw = _pair(stride, "stride")
    (h, w, _), (kh, kw, _) = image.shape, kernel.shape
    pads = [_pad_amounts(h, kh, sh, padding), _pad_amounts(w, kw, sw, padding), (0, 0)]
    padded = _pad(image, pads, (kh, kw), padding)
    # One window per output pixel, each shaped like the kernel: (H_out, W_out, kh, kw, C); each window
    # times the kernel, summed (einsum does it without building the windows·kernel product).
    windows = sliding_window_view(padded, kernel.shape)[::sh, ::sw, 0]
    return np.einsum("ijklm,klm->ij", windows, kernel)


def conv1d(signal, kernel, *, stride=1, padding="valid"):
    """1-D version of `conv2d`: signal (L,) with kernel (k,), or (L, C) with (k, C)."""
    signal, kernel = _with_channels(signal, kernel, "signal", spatial_dims=1)
    s = _positive_int(stride, "stride")
    padded = _pad(signal, [_pad_amounts(len(signal), len(kernel), s, padding), (0, 0)], kernel.shape[:1], padding)
    windows = sliding_window_view(padded, kernel.shape)[::s, 0]  # (L_out, k, C)
    return np.einsum("ikl,kl->i", windows, kernel)


def pool2d(x, size=2, *, stride=None, mode="max"):
    """Pool each channel of `x` ((H, W) or (H, W, C)) over size×size windows (valid windows only).

    mode: "max", "avg" or "l2" (square root of the sum of squares). `stride` defaults to `size`.
    """
    x = _as_numbers(x, "x")
    if x.ndim not in (2, 3):
        raise ValueError(f"x debe ser 2-D (alto, ancho) o 3-D (alto, ancho, canales); se recibió {_shape_text(x, 2)}")
    _check_not_empty(x, "x")
    _check_finite(x, "x")
    ph, pw = _pair(size, "size")
    sh, sw = _pair(size if stride is None else stride, "stride")
    if not (isinstance(mode, str) and mode in POOL_MODES):
        raise ValueError(f'mode debe ser "max", "avg" o "l2"; se recibió {mode!r}')
    if ph > x.shape[0] or pw > x.shape[1]:
        raise ValueError(f"la ventana de pooling debe caber en la entrada; se recibió una ventana {(ph, pw)} "
                         f"para una entrada {x.shape[:2]}")
    windows = sliding_window_view(x, (ph, pw), axis=(0, 1))[::sh, ::sw]  # (H_out, W_out, [C,] ph, pw)
    if mode == "max":
        return windows.max(axis=(-2, -1))
    if mode == "avg":
        return windows.mean(axis=(-2, -1))
    return np.sqrt(np.einsum("...ij,...ij->...", windows, windows))  # no windows**2 copy


def output_size(input_size, kernel_size, *, stride=1, padding=0, dilation=1):
    """Length of the output along one axis: floor((W + 2P - D(K - 1) - 1) / S) + 1.

    `padding` as in `conv2d` ("valid", "same", "full" or an int); "same" gives ceil(W / S) and
    "full" pads D(K - 1), the dilated kernel's size minus one, on each side.
    """
    w = _positive_int(input_size, "input_size")
    k = _positive_int(kernel_size, "kernel_size")
    s = _positive_int(stride, "stride")
    d = _positive_int(dilation, "dilation")
    effective_k = d * (k - 1) + 1
    before, after = _pad_amounts(w, effective_k, s, padding)
    _check_fits((w + before + after,), (effective_k,))
    return (w + before + after - effective_k) // s + 1


def mult_count(input_shape, kernel_size, filters, *, stride=1, padding="same"):
    """Multiplications of a conv layer on an (H, W, C) input (bias additions not counted).

    Each of the H_out·W_out·filters outputs is a dot product of kh·kw·C terms, so the count is
    H_out · W_out · filters · kh · kw · C.
    """
    if not (isinstance(input_shape, (tuple, list)) and len(input_shape) == 3
            and all(_is_int(n) and n > 0 for n in input_shape)):
        raise ValueError(f"input_shape debe ser una tupla (alto, ancho, canales) de enteros positivos; "
                         f"se recibió {input_shape!r}")
    h, w, c = (int(n) for n in input_shape)
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(stride, "stride")
    n_filters = _positive_int(filters, "filters")
    h_out = output_size(h, kh, stride=sh, padding=padding)
    w_out = output_size(w, kw, stride=sw, padding=padding)
    return h_out * w_out * n_filters * kh * kw * c


def _pad_amounts(n, k, s, padding):
    """Zeros (before, after) added along an axis of length n for kernel k and stride s."""
    if isinstance(padding, str) and padding.lower() in PADDINGS:
        padding = padding.lower()
        if padding == "valid":
            return 0, 0
        if padding == "full":
            return k - 1, k - 1
        total = max((math.ceil(n / s) - 1) * s + k - n, 0)  # TensorFlow's "same"
        return total // 2, total - total // 2  # the extra zero goes bottom/right
    if _is_int(padding) and padding >= 0:
        return int(padding), int(padding)
    raise ValueError(f'padding debe ser "valid", "same", "full" o un entero no negativo; se recibió {padding!r}')


def _with_channels(x, kernel, name, spatial_dims):
    """Float arrays with a trailing channel axis; checks dimensions and channels agree."""
    x, kernel = _as_numbers(x, name), _as_numbers(kernel, "kernel")
    axes = "longitud" if spatial_dims == 1 else "alto, ancho"
    if x.ndim not in (spatial_dims, spatial_dims + 1):
        raise ValueError(f"{name} debe ser {spatial_dims}-D ({axes}) o {spatial_dims + 1}-D ({axes}, canales); "
                         f"se recibió {_shape_text(x, spatial_dims)}")
    if kernel.ndim != x.ndim:
        raise ValueError(f"kernel debe ser {x.ndim}-D, como {name}; se recibió {_shape_text(kernel, x.ndim)}")
    _check_not_empty(x, name)
    _check_not_empty(kernel, "kernel")
    _check_finite(x, name)
    _check_finite(kernel, "kernel")
    if x.ndim == spatial_dims:
        return x[..., None], kernel[..., None]
    if kernel.shape[-1] != x.shape[-1]:
        raise ValueError(f"kernel debe tener los mismos canales que {name} ({x.shape[-1]}); "
                         f"se recibió un kernel con {kernel.shape[-1]} canales")
    return x, kernel


def _as_numbers(x, name):
    """`x` as a float array, or a Spanish error saying that numbers in rows of equal length were expected."""
    expected = f"{name} debe ser un array de NumPy o una lista (de listas) de números"
    if x is None or isinstance(x, (str, bytes, dict, set, frozenset)):
        raise TypeError(f"{expected}; se recibió {_received(x)}")
    try:
        array = np.asarray(x)
    except (ValueError, TypeError):  # NumPy: "inhomogeneous shape" (rows of different lengths)
        raise ValueError(f"{expected} con todas las filas de la misma longitud; se recibió una lista cuyas filas "
                         f"tienen longitudes distintas") from None
    if array.dtype.kind in "biuf":
        return array.astype(float)
    if array.dtype.kind == "O":  # e.g. a list holding None, a text or an object among the numbers
        odd = [v for v in array.flat if not _is_number(v)][:1]
        if not odd:
            return array.astype(float)
        raise TypeError(f"{expected}; se recibió un array que contiene {_received(odd[0])}")
    kinds = {"U": "textos", "S": "textos (bytes)", "c": "números complejos"}
    what = kinds.get(array.dtype.kind, f"valores {array.dtype}")
    raise TypeError(f"{expected}; se recibió un array de {what} (dtype {array.dtype})")


def _is_number(value):
    if value is None or isinstance(value, (str, bytes)):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _shape_text(array, spatial_dims):
    if array.ndim == 0:
        return "un solo número (forma ())"
    batch = " (¿un lote? pasa un solo ejemplo, p. ej. x[0])" if array.ndim == spatial_dims + 2 else ""
    return f"forma {array.shape}{batch}"


def _check_finite(x, name):
    bad = ~np.isfinite(x)
    if bad.any():
        where = ", ".join(str(int(i)) for i in np.argwhere(bad)[0])
        count = int(bad.sum())
        values = ("se recibió 1 valor NaN o infinito" if count == 1
                  else f"se recibieron {count} valores NaN o infinitos")
        raise ValueError(f"{name} debe contener solo números finitos; {values}, el primero en la posición [{where}]")


def _pad(x, pads, kernel_shape, padding):
    """`np.pad` with zeros, after checking that the kernel fits and the result is not too large."""
    padded_shape = tuple(n + before + after for n, (before, after) in zip(x.shape, pads))
    _check_fits(padded_shape[:len(kernel_shape)], kernel_shape)
    n = math.prod(padded_shape)
    if n > MAX_ELEMENTS:
        raise ValueError(f"la entrada con padding debe tener como mucho {_thousands(MAX_ELEMENTS)} valores; con "
                         f"padding={padding!r} tendría forma {padded_shape}: {_thousands(n)} valores, "
                         f"{n * 8 / 2**30:.1f} GiB de memoria; se recibió una entrada de forma {x.shape}")
    return np.pad(x, pads)


def _thousands(n):
    return f"{n:,}".replace(",", " ")


def _check_not_empty(x, name):
    if 0 in x.shape:
        raise ValueError(f"{name} debe tener tamaño positivo en cada dimensión; se recibió forma {x.shape}")


def _check_fits(padded_shape, kernel_shape):
    if any(k > n for n, k in zip(padded_shape, kernel_shape)):
        raise ValueError(f"el kernel debe caber en la entrada con padding; se recibió un kernel {tuple(kernel_shape)} "
                         f"para una entrada con padding {tuple(padded_shape)}")


def _positive_int(value, name):
    if not (_is_int(value) and value > 0):
        raise ValueError(f"{name} debe ser un entero positivo; se recibió {value!r}")
    return int(value)


def _pair(value, name):
    """(a, b) from an int or a 2-tuple of positive ints."""
    pair = (value, value) if _is_int(value) else value
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(_is_int(v) and v > 0 for v in pair)):
        raise ValueError(f"{name} debe ser un entero positivo o una tupla de dos enteros positivos; "
                         f"se recibió {value!r}")
    return int(pair[0]), int(pair[1])

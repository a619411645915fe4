"""Kaggle credentials are found, saved with mode 600, and never shown."""
import json
import os
import stat
import sys
import types

import pytest

from utils import credentials as K

SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def home(tmp_path, monkeypatch):
    for var in ("KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_API_TOKEN", "KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_CONFIG_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    return tmp_path


def test_nothing_found_says_how_to_give_them(home):
    status = K.kaggle_status()
    assert not status.found
    assert "no encontradas" in str(status) and "600" in str(status) and "secretos" in str(status)


def test_save_is_private_atomic_and_silent(home, capsys):
    status = K.save_kaggle_json("ana", SECRET)
    path = home / ".kaggle" / "kaggle.json"
    assert json.loads(path.read_text()) == {"username": "ana", "key": SECRET}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["kaggle.json"], "sin temporales"
    assert status.source == "~/.kaggle/kaggle.json"
    found = K.kaggle_status()
    assert found.found and found.warnings == [] and SECRET not in str(found)
    assert capsys.readouterr().out == ""


def test_world_readable_file_is_flagged(home):
    K.save_kaggle_json("ana", SECRET)
    path = home / ".kaggle" / "kaggle.json"
    os.chmod(path, 0o644)
    status = K.kaggle_status()
    assert status.found and "chmod 600 ~/.kaggle/kaggle.json" in str(status)
    assert str(home) not in str(status), "nunca la ruta absoluta de la máquina"


def test_malformed_file_is_flagged(home):
    (home / ".kaggle").mkdir()
    (home / ".kaggle" / "kaggle.json").write_text("no es json")
    os.chmod(home / ".kaggle" / "kaggle.json", 0o600)
    assert "formato esperado" in str(K.kaggle_status())


def test_environment_sources(home, monkeypatch):
    monkeypatch.setenv("KAGGLE_USERNAME", "ana")
    monkeypatch.setenv("KAGGLE_KEY", SECRET)
    status = K.kaggle_status()
    assert status.found and "KAGGLE_USERNAME" in status.source and SECRET not in str(status)
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
    assert "Kaggle" in K.kaggle_status().source


@pytest.mark.parametrize("user, key, message", [("", SECRET, "usuario"), ("ana", "corta", "entera"), ("ana", None, "clave")])
def test_bad_input_is_explained(home, user, key, message):
    with pytest.raises(ValueError, match=message):
        K.save_kaggle_json(user, key)
    assert not (home / ".kaggle" / "kaggle.json").exists()


def test_colab_secrets_go_to_the_environment_only(home, monkeypatch, capsys):
    colab = types.ModuleType("google.colab")
    colab.userdata = types.SimpleNamespace(get={"KAGGLE_USERNAME": "ana", "KAGGLE_KEY": SECRET}.__getitem__)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    status = K.use_colab_secrets()
    assert os.environ["KAGGLE_KEY"] == SECRET and status.source == "secretos de Colab"
    assert SECRET not in capsys.readouterr().out + str(status)


def test_missing_colab_secret_names_it_without_values(home, monkeypatch):
    def get(name):
        raise KeyError(name)

    colab = types.ModuleType("google.colab")
    colab.userdata = types.SimpleNamespace(get=get)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    with pytest.raises(RuntimeError, match="'KAGGLE_USERNAME'.*panel de secretos"):
        K.use_colab_secrets()


def test_colab_secrets_outside_colab(home, monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    with pytest.raises(RuntimeError, match="solo funciona en Google Colab"):
        K.use_colab_secrets()

"""Kaggle credentials are found, saved with mode 600, and never shown."""
import json
import os
import stat
import sys
import types

import pytest

from utils import credentials as K

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "KGAT_fedcba9876543210fedcba9876543210"


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
    monkeypatch.setenv("KAGGLE_API_TOKEN", TOKEN)
    status = K.kaggle_status()
    assert status.found and status.source == "variable de entorno KAGGLE_API_TOKEN" and TOKEN not in str(status)


def test_a_kaggle_kernel_is_not_a_credential(home, monkeypatch):
    """The kaggle client finds no credentials in a kernel (its authenticate() exits): say so truthfully."""
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
    status = K.kaggle_status()
    assert not status.found and status.source == "ninguna"
    text = str(status)
    assert text.startswith("Credenciales de Kaggle: no encontradas.")
    assert "Estás en Kaggle" in text and "«Add Input»" in text and "kagglehub" in text and "sin credenciales" in text


def test_on_kaggle_a_real_token_is_found_and_named(home, monkeypatch):
    monkeypatch.setenv("KAGGLE_KERNEL_RUN_TYPE", "Batch")
    K.save_kaggle_json("ana", SECRET)
    status = K.kaggle_status()
    assert status.found and status.source == "~/.kaggle/kaggle.json" and SECRET not in str(status)
    assert "Estás en Kaggle" in str(status)


def test_outside_kaggle_there_is_no_kaggle_note(home):
    assert "Estás en Kaggle" not in str(K.kaggle_status())


def test_how_to_names_the_current_token_form():
    assert "KAGGLE_API_TOKEN" in K.HOW_TO and "use_colab_secrets()" in K.HOW_TO and "kagglehub" in K.HOW_TO


@pytest.mark.parametrize("user, key, message", [("", SECRET, "usuario"), ("ana", "corta", "entera"), ("ana", None, "clave")])
def test_bad_input_is_explained(home, user, key, message):
    with pytest.raises(ValueError, match=message):
        K.save_kaggle_json(user, key)
    assert not (home / ".kaggle" / "kaggle.json").exists()


def fake_colab(monkeypatch, secrets, denied=()):
    """google.colab with a userdata like Colab's: SecretNotFoundError / NotebookAccessError per secret."""
    userdata = types.ModuleType("google.colab.userdata")

    class SecretNotFoundError(Exception):
        pass

    class NotebookAccessError(Exception):
        pass

    def get(name):
        if name in denied:
            raise NotebookAccessError(f"Notebook does not have access to secret {name}")
        if name not in secrets:
            raise SecretNotFoundError(f"Secret {name} does not exist.")
        return secrets[name]

    userdata.SecretNotFoundError, userdata.NotebookAccessError, userdata.get = SecretNotFoundError, NotebookAccessError, get
    colab = types.ModuleType("google.colab")
    colab.userdata = userdata
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.userdata", userdata)


def test_colab_secrets_go_to_the_environment_only(home, monkeypatch, capsys):
    fake_colab(monkeypatch, {"KAGGLE_USERNAME": "ana", "KAGGLE_KEY": SECRET})
    status = K.use_colab_secrets()
    assert os.environ["KAGGLE_KEY"] == SECRET and "KAGGLE_API_TOKEN" not in os.environ
    assert status.found and status.source == "secretos de Colab KAGGLE_USERNAME y KAGGLE_KEY"
    assert SECRET not in capsys.readouterr().out + str(status)


def test_colab_api_token_secret_is_preferred(home, monkeypatch, capsys):
    fake_colab(monkeypatch, {"KAGGLE_API_TOKEN": TOKEN, "KAGGLE_USERNAME": "ana", "KAGGLE_KEY": SECRET})
    status = K.use_colab_secrets()
    assert os.environ["KAGGLE_API_TOKEN"] == TOKEN
    assert "KAGGLE_KEY" not in os.environ and "KAGGLE_USERNAME" not in os.environ
    assert status.found and status.source == "secreto de Colab KAGGLE_API_TOKEN"
    assert K.kaggle_status().source == "variable de entorno KAGGLE_API_TOKEN"
    assert TOKEN not in capsys.readouterr().out + str(status) + str(K.kaggle_status())


def test_unreadable_api_token_secret_falls_back_to_the_pair(home, monkeypatch):
    fake_colab(monkeypatch, {"KAGGLE_API_TOKEN": TOKEN, "KAGGLE_USERNAME": "ana", "KAGGLE_KEY": SECRET},
               denied={"KAGGLE_API_TOKEN"})
    assert K.use_colab_secrets().source == "secretos de Colab KAGGLE_USERNAME y KAGGLE_KEY"
    assert os.environ["KAGGLE_KEY"] == SECRET and "KAGGLE_API_TOKEN" not in os.environ


def test_missing_colab_secrets_are_named_without_values(home, monkeypatch):
    fake_colab(monkeypatch, {"KAGGLE_USERNAME": "usuaria-7", "KAGGLE_KEY": ""}, denied={"KAGGLE_API_TOKEN"})
    with pytest.raises(RuntimeError) as info:
        K.use_colab_secrets()
    message = str(info.value)
    assert "'KAGGLE_API_TOKEN' (NotebookAccessError)" in message and "'KAGGLE_KEY' (vacío)" in message
    assert "'KAGGLE_USERNAME' (" not in message and "usuaria-7" not in message and "panel de secretos" in message
    assert not {"KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY"} & set(os.environ)


def test_no_colab_secret_at_all(home, monkeypatch):
    fake_colab(monkeypatch, {})
    with pytest.raises(RuntimeError, match="'KAGGLE_API_TOKEN' \\(SecretNotFoundError\\), 'KAGGLE_USERNAME' "
                                           "\\(SecretNotFoundError\\), 'KAGGLE_KEY'.*panel de secretos"):
        K.use_colab_secrets()


def test_colab_secrets_outside_colab(home, monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    with pytest.raises(RuntimeError, match="solo funciona en Google Colab"):
        K.use_colab_secrets()

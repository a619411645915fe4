"""Kaggle credentials: find them, load them from Colab secrets, save them safely — never show them."""
from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HOW_TO = (
    "Crea un token en kaggle.com → Settings → API → Create New Token y dalo de una de estas formas: "
    "en Colab, como secretos KAGGLE_USERNAME y KAGGLE_KEY (icono de la llave) y "
    "utils.credentials.use_colab_secrets(); en tu ordenador, con "
    "utils.credentials.save_kaggle_json(usuario, clave), que lo guarda en ~/.kaggle/kaggle.json con permisos 600; "
    "en Kaggle no hace falta: adjunta los datos con «Add Input»."
)


@dataclass(frozen=True)
class CredentialStatus:
    """Where Kaggle credentials were found (never the credentials themselves)."""

    found: bool
    source: str
    warnings: list = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"Credenciales de Kaggle: encontradas ({self.source})." if self.found
                else "Credenciales de Kaggle: no encontradas. " + HOW_TO)
        return "\n".join([text, *(f"Aviso: {w}" for w in self.warnings)])


def config_dir() -> Path:
    """The folder the kaggle client reads: $KAGGLE_CONFIG_DIR, ~/.kaggle or ~/.config/kaggle."""
    if os.environ.get("KAGGLE_CONFIG_DIR"):
        return Path(os.environ["KAGGLE_CONFIG_DIR"])
    home = Path.home() / ".kaggle"
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "kaggle"
    return xdg if sys.platform.startswith("linux") and not home.exists() and xdg.exists() else home


def _shown(path: Path) -> str:
    """A path to show a student: relative to home, never the machine's absolute path."""
    if os.environ.get("KAGGLE_CONFIG_DIR"):
        return f"$KAGGLE_CONFIG_DIR/{path.name}"
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return path.name


def kaggle_status() -> CredentialStatus:
    """Find Kaggle credentials the way the `kaggle` client does, without reading them out."""
    if os.environ.get("KAGGLE_KERNEL_RUN_TYPE"):
        return CredentialStatus(True, "el propio entorno de Kaggle")
    if os.environ.get("KAGGLE_API_TOKEN"):
        return CredentialStatus(True, "variable de entorno KAGGLE_API_TOKEN")
    if os.environ.get("KAGGLE_USERNAME") and os.environ.get("KAGGLE_KEY"):
        return CredentialStatus(True, "variables de entorno KAGGLE_USERNAME y KAGGLE_KEY")
    folder = config_dir()
    for name in ("access_token", "kaggle.json"):
        path = folder / name
        if path.is_file():
            warnings = []
            mode = stat.S_IMODE(path.stat().st_mode)
            if os.name == "posix" and mode & 0o077:
                warnings.append(f"{_shown(path)} tiene permisos {mode:o}: otros usuarios pueden leerlo. "
                                f"Ejecuta `chmod 600 {_shown(path)}`.")
            if name == "kaggle.json" and not _valid_json_token(path):
                warnings.append(f"{_shown(path)} no tiene el formato esperado "
                                '{"username": "...", "key": "..."}: descárgalo de nuevo desde Kaggle.')
            return CredentialStatus(True, _shown(path), warnings)
    return CredentialStatus(False, "ninguna")


def _valid_json_token(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and bool(data.get("username")) and bool(data.get("key"))


def use_colab_secrets(username_secret: str = "KAGGLE_USERNAME", key_secret: str = "KAGGLE_KEY") -> CredentialStatus:
    """Copy the Kaggle credentials from Colab's secrets into this session's environment."""
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError as exc:
        raise RuntimeError("use_colab_secrets solo funciona en Google Colab. " + HOW_TO) from exc
    values = {}
    for env_name, secret in (("KAGGLE_USERNAME", username_secret), ("KAGGLE_KEY", key_secret)):
        try:
            values[env_name] = userdata.get(secret)
        except Exception as exc:  # SecretNotFoundError, NotebookAccessError: names only, never values
            raise RuntimeError(f"No puedo leer el secreto {secret!r} de Colab ({type(exc).__name__}): "
                               "créalo en el panel de secretos (icono de la llave) y dale acceso a este cuaderno.") from None
        if not values[env_name]:
            raise RuntimeError(f"El secreto {secret!r} de Colab está vacío. " + HOW_TO)
    os.environ.update(values)
    return CredentialStatus(True, "secretos de Colab")


def save_kaggle_json(username: str, key: str, *, folder: Path | None = None) -> CredentialStatus:
    """Write kaggle.json atomically, readable only by you (mode 600). Prints nothing secret."""
    if not isinstance(username, str) or not username.strip():
        raise ValueError("username debe ser tu nombre de usuario de Kaggle (texto no vacío)")
    if not isinstance(key, str) or len(key.strip()) < 16:
        raise ValueError("key debe ser la clave del token de Kaggle (un texto largo); revisa que la copiaste entera")
    folder = Path(folder) if folder else config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / "kaggle.json"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kaggle-", suffix=".tmp")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"username": username.strip(), "key": key.strip()}, fh)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return CredentialStatus(True, _shown(target))

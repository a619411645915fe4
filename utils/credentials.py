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
    "Crea un token en kaggle.com → Settings → API → Generate New Token y dalo de una de estas formas: "
    "en Colab, como secreto KAGGLE_API_TOKEN (o como secretos KAGGLE_USERNAME y KAGGLE_KEY del token "
    "antiguo, kaggle.json) en el panel de secretos (icono de la llave) y utils.credentials.use_colab_secrets(); "
    "en tu ordenador, en la variable de entorno KAGGLE_API_TOKEN, o con "
    "utils.credentials.save_kaggle_json(usuario, clave), que lo guarda en ~/.kaggle/kaggle.json con permisos 600; "
    "en Kaggle no hace falta para los datos públicos: adjúntalos con «Add Input» o llegan con kagglehub."
)
ON_KAGGLE_NOTE = (
    "Estás en Kaggle: los datos públicos del curso llegan sin credenciales, adjuntos con «Add Input» "
    "o con kagglehub. Solo hacen falta para usar la API de Kaggle con tu cuenta (por ejemplo, subir cuadernos)."
)


@dataclass(frozen=True)
class CredentialStatus:
    """Where Kaggle credentials were found (never the credentials themselves)."""

    found: bool
    source: str
    warnings: list = field(default_factory=list)
    note: str = ""

    def __str__(self) -> str:
        text = (f"Credenciales de Kaggle: encontradas ({self.source})." if self.found
                else "Credenciales de Kaggle: no encontradas. " + HOW_TO)
        return "\n".join([text, *([self.note] if self.note else []), *(f"Aviso: {w}" for w in self.warnings)])


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


def _on_kaggle() -> bool:
    from utils.env import detect_runtime

    return detect_runtime() == "kaggle"


def kaggle_status() -> CredentialStatus:
    """Find Kaggle credentials the way the `kaggle` client does, without reading them out.

    Only a real token counts: a Kaggle kernel has none unless you add one (its own environment
    is not a credential for the `kaggle` client); there the status says so and that the course's
    public data need none.
    """
    status = _find_credentials()
    return CredentialStatus(status.found, status.source, status.warnings, ON_KAGGLE_NOTE) if _on_kaggle() else status


def _find_credentials() -> CredentialStatus:
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


def _colab_secret(userdata, secret: str) -> tuple[str | None, str]:
    """(value, "") or (None, why it could not be read) — never the value in the reason."""
    try:
        value = userdata.get(secret)
    except Exception as exc:  # noqa: BLE001 - SecretNotFoundError, NotebookAccessError, TimeoutException
        return None, type(exc).__name__
    if not value or not str(value).strip():
        return None, "vacío"
    return str(value).strip(), ""


def use_colab_secrets(username_secret: str = "KAGGLE_USERNAME", key_secret: str = "KAGGLE_KEY",
                      token_secret: str = "KAGGLE_API_TOKEN") -> CredentialStatus:
    """Copy the Kaggle credentials from Colab's secrets into this session's environment.

    The token secret (`KAGGLE_API_TOKEN`, the current form of Kaggle's tokens) is used when it
    exists and this notebook may read it; otherwise the pair `KAGGLE_USERNAME` + `KAGGLE_KEY`
    (the legacy kaggle.json token). Values are never printed nor put in messages.
    """
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError as exc:
        raise RuntimeError("use_colab_secrets solo funciona en Google Colab. " + HOW_TO) from exc
    token, token_problem = _colab_secret(userdata, token_secret)
    if token is not None:
        os.environ["KAGGLE_API_TOKEN"] = token
        return CredentialStatus(True, f"secreto de Colab {token_secret}")
    values, problems = {}, [f"{token_secret!r} ({token_problem})"]
    for env_name, secret in (("KAGGLE_USERNAME", username_secret), ("KAGGLE_KEY", key_secret)):
        values[env_name], problem = _colab_secret(userdata, secret)
        if problem:
            problems.append(f"{secret!r} ({problem})")
    if len(problems) > 1:
        raise RuntimeError(
            f"No puedo leer los secretos de Colab {', '.join(problems)}: crea el secreto {token_secret!r} "
            f"(o {username_secret!r} y {key_secret!r}) en el panel de secretos (icono de la llave) "
            "y dale acceso a este cuaderno.")
    os.environ.update(values)
    return CredentialStatus(True, f"secretos de Colab {username_secret} y {key_secret}")


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

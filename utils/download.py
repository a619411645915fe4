"""Verified, atomic downloads and the location of the course's data cache.

`fetch` streams a URL into a temporary file next to its destination, checks the
SHA-256 and the announced length, and only then renames it into place: a failed
download never leaves a partial or unverified file behind.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

_CHUNK = 1 << 20
_REPO_ROOT = Path(__file__).resolve().parent.parent


class OfflineError(RuntimeError):
    """Raised instead of opening a connection when the course runs offline."""


def offline() -> bool:
    """True when the environment variable COURSE_OFFLINE is 1, true or yes."""
    return os.environ.get("COURSE_OFFLINE", "").strip().lower() in {"1", "true", "yes"}


def cache_dir() -> Path:
    """Directory of the data cache (created if missing).

    COURSE_DATA_DIR if set; else `<repo>/data` inside the course repository
    (recognised by its `course.toml`) when writable; else `~/.cache/dl-vision-curso`.
    """
    if os.environ.get("COURSE_DATA_DIR"):
        path = Path(os.environ["COURSE_DATA_DIR"]).expanduser()
    elif (_REPO_ROOT / "course.toml").is_file() and os.access(_REPO_ROOT, os.W_OK):  # not a read-only mount
        path = _REPO_ROOT / "data"
    else:
        path = Path.home() / ".cache" / "dl-vision-curso"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_file(path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def public_url(url: str) -> str:
    """The URL without credentials, query string or fragment (safe to print)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def fetch(url: str, dest, *, sha256: str | None = None, timeout: float = 60) -> Path:
    """Download `url` to `dest` atomically and return `dest` as a Path.

    Raises OfflineError (before any connection) when `offline()`, ConnectionError
    on network errors or a truncated body, ValueError when `sha256` does not match.
    On any error neither `dest` nor a temporary file is left behind.
    """
    dest = Path(dest)
    if offline():
        raise OfflineError(
            f"modo sin conexión (COURSE_OFFLINE): no se descarga {dest.name}; "
            "quita COURSE_OFFLINE o copia el archivo en la caché de datos"
        )
    shown = public_url(url)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest, size, expected = _stream(url, shown, dest.name, out, timeout)
        if expected is not None and size != expected:
            raise ConnectionError(
                f"la descarga de {dest.name} desde {shown} se cortó: se recibieron {size} bytes "
                f"de los {expected} anunciados; no se ha guardado nada"
            )
        if sha256 is not None and digest != sha256.lower():
            raise ValueError(
                f"el archivo descargado {dest.name} no es el esperado: sha256 esperado {sha256.lower()}, "
                f"recibido {digest}; no se ha guardado nada"
            )
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _stream(url, shown, filename, out, timeout):
    """Copy the response body into `out`; return (sha256 hex, bytes read, Content-Length or None)."""
    digest = hashlib.sha256()
    size = 0
    try:
        response = urllib.request.urlopen(url, timeout=timeout)
    except urllib.error.HTTPError as e:
        raise ConnectionError(
            f"no se pudo descargar {filename} desde {shown}: el servidor respondió {e.code} {e.reason}"
        ) from e
    except (OSError, http.client.HTTPException) as e:
        raise ConnectionError(
            f"no se pudo descargar {filename} desde {shown}: sin conexión o servidor inaccesible ({_reason(e)})"
        ) from e
    with response:
        length = response.headers.get("Content-Length")
        expected = int(length) if length and length.isdigit() else None
        while True:
            try:
                chunk = response.read(_CHUNK)
            except (OSError, http.client.HTTPException) as e:
                raise ConnectionError(
                    f"la descarga de {filename} desde {shown} se interrumpió tras {size} bytes ({_reason(e)})"
                ) from e
            if not chunk:
                break
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, expected


def _reason(error: BaseException) -> str:
    """Short description of a network error, without any URL."""
    reason = getattr(error, "reason", None)
    return str(reason if reason is not None else type(error).__name__)

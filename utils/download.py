"""Verified, atomic downloads with an overall deadline (through pooch) and the data cache's location.

`fetch` hands the file to `pooch.retrieve` (hash check, temporary file renamed into place only when
the hash matches) with a downloader of its own: streaming over `requests`, a deadline for the whole
download, retries of transient failures, a progress bar for long files and one-line Spanish errors.
Offline (`COURSE_OFFLINE`) it raises before any connection is attempted. pooch, requests and tqdm
are imported only when something is downloaded.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import re
import sys
import time
import urllib.parse
from pathlib import Path

from utils import config
from utils.config import offline  # noqa: F401 - `utils.download.offline()` is what notebooks call

DEADLINE = 600.0  # seconds for a whole download, retries included
TIMEOUT = 30.0  # seconds to connect, and without receiving a single byte
RETRIES = 2  # extra attempts after a transient failure (server error, cut connection, silent server)
RETRY_PAUSE = 1.0  # seconds before the first retry; the n-th waits n times as long
PROGRESS_FROM = 8 << 20  # bytes: longer downloads show a progress bar
_CHUNK = 1 << 16
# pooch's temporary files (tempfile.NamedTemporaryFile in the destination folder) and the .part
# files of earlier versions of this module: left behind when a process is killed mid-download.
_PARTIAL = re.compile(r"^(tmp[a-z0-9_]{8}|\..+\.part)$")


class OfflineError(RuntimeError):
    """Raised instead of opening a connection when the course runs offline."""


class DownloadError(ConnectionError):
    """The network failed (no connection, HTTP error, cut body, deadline); `cause` is a short Spanish reason."""

    def __init__(self, message: str, cause: str, transient: bool = False):
        super().__init__(message)
        self.cause, self.transient = cause, transient


class ChecksumError(ValueError):
    """The downloaded bytes are not the published file; nothing was kept."""

    cause = "el archivo recibido no es el publicado (suma de comprobación distinta)"


class CacheError(OSError):
    """The file could not be written where it belongs (full disk, no permission, not a folder...)."""

    def __init__(self, message: str, cause: str):
        super().__init__(message)
        self.cause = cause


def cache_dir() -> Path:
    """Directory of the data cache (created if missing); where it is comes from `utils.config.data_dir`.

    Raises OSError when it cannot be created (COURSE_DATA_DIR names a file, no permission, ...).
    """
    path = config.data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_file(path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def public_url(url: str) -> str:
    """The URL without credentials, query string or fragment (safe to print)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


_OS_REASONS = {getattr(errno, name): text for name, text in (
    ("ENOSPC", "disco lleno"), ("EDQUOT", "cuota de disco agotada"), ("EACCES", "sin permiso"),
    ("EPERM", "sin permiso"), ("EROFS", "sistema de archivos de solo lectura"),
    ("ENOTDIR", "la ruta pasa por un archivo, no por una carpeta"), ("EEXIST", "ya existe un archivo con ese nombre"),
    ("EISDIR", "hay una carpeta con ese nombre"), ("ENOENT", "no existe")) if hasattr(errno, name)}


def explain_os_error(error: OSError) -> str:
    """A short Spanish reason for a file-system error, without the path it names."""
    reason = _OS_REASONS.get(error.errno) or error.strerror or type(error).__name__
    return f"{reason} ({errno.errorcode[error.errno]})" if error.errno in errno.errorcode else reason


def clean_partials(folder: Path, older_than: float | None = None) -> int:
    """Delete unfinished downloads older than `older_than` seconds (default DEADLINE) in `folder`; return how many."""
    removed, limit = 0, time.time() - (DEADLINE if older_than is None else older_than)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for entry in entries:
        try:
            if _PARTIAL.match(entry.name) and entry.is_file() and entry.stat().st_mtime < limit:
                entry.unlink()
                removed += 1
        except OSError:
            pass  # another process finished or removed it first
    return removed


def fetch(url: str, dest, *, sha256: str | None = None, md5: str | None = None,
          timeout: float | None = None, deadline: float | None = None) -> Path:
    """Download `url` to `dest` atomically and return `dest` as a Path.

    Raises OfflineError (before any connection) when offline; DownloadError (a ConnectionError) on
    network errors, a cut body or when the whole download takes longer than `deadline` seconds;
    ChecksumError (a ValueError) when `sha256`/`md5` does not match; CacheError (an OSError) when
    `dest` cannot be written. On any error no temporary file is left and a previous `dest` is kept.
    A `dest` that already has the expected hash is not downloaded again. `timeout` (default TIMEOUT)
    bounds connecting and each silence of the server; `deadline` (default DEADLINE) the whole download.
    """
    dest = Path(dest)
    timeout = TIMEOUT if timeout is None else timeout
    deadline = DEADLINE if deadline is None else deadline
    if config.offline():
        raise OfflineError(f"modo sin conexión (COURSE_OFFLINE): no se descarga {dest.name}; "
                           "quita COURSE_OFFLINE o copia el archivo en la caché de datos")
    shown = public_url(url)
    try:
        import pooch
    except ImportError as e:
        raise DownloadError(f"falta el paquete pooch para descargar {dest.name}: instálalo con "
                            "`pip install pooch`", "falta el paquete pooch") from e
    algorithm, expected = ("sha256", sha256) if sha256 else ("md5", md5) if md5 else (None, None)
    watching = not config.headless()
    downloader = _Downloader(dest.name, shown, algorithm, timeout, time.monotonic() + deadline, deadline, watching)
    chatter = pooch.get_logger()  # its INFO lines name machine paths and full URLs
    level = chatter.level
    chatter.setLevel(logging.WARNING)
    try:
        if dest.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        dest.parent.mkdir(parents=True, exist_ok=True)
        clean_partials(dest.parent, older_than=deadline)
        known = f"{algorithm}:{expected.lower()}" if algorithm else None
        pooch.retrieve(url, known, fname=dest.name, path=dest.parent, downloader=downloader)
    except DownloadError:
        raise
    except ValueError as e:  # pooch's hash mismatch: its temporary file is already gone
        raise ChecksumError(
            f"el archivo descargado {dest.name} no es el esperado: {algorithm} esperado {expected.lower()}, "
            f"recibido {downloader.received}; no se ha guardado nada") from e
    except OSError as e:
        reason = explain_os_error(e)
        raise CacheError(f"no se pudo guardar {dest.name} en su carpeta: {reason}; no se ha guardado nada",
                         f"no se puede escribir en la caché: {reason}") from e
    finally:
        chatter.setLevel(level)
    return dest


class _Downloader:
    """A pooch downloader: streams over requests, within an overall deadline, with retries and progress."""

    def __init__(self, filename, shown, algorithm, timeout, stop_at, deadline, watching=True):
        self.filename, self.shown, self.algorithm = filename, shown, algorithm
        self.timeout, self.stop_at, self.deadline, self.watching = timeout, stop_at, deadline, watching
        self.received = None

    def __call__(self, url, output_file, pooch, check_only=False):
        for attempt in range(RETRIES + 1):
            try:
                with open(output_file, "wb") as out:
                    return self._once(url, out)
            except DownloadError as e:
                pause = RETRY_PAUSE * (attempt + 1)
                if not e.transient or attempt == RETRIES or time.monotonic() + pause >= self.stop_at:
                    raise
                time.sleep(pause)

    def _left(self) -> float:
        left = self.stop_at - time.monotonic()
        if left < 0.05:
            raise DownloadError(f"la descarga de {self.filename} desde {self.shown} superó el plazo de "
                                f"{self.deadline:g} s; no se ha guardado nada",
                                f"se superó el plazo de {self.deadline:g} s")
        return left

    def _once(self, url, out):
        import requests

        wait = min(self.timeout, self._left())
        try:
            response = requests.get(url, stream=True, timeout=(wait, wait))
        except requests.RequestException as e:
            self._left()
            cause = "sin conexión o servidor inaccesible"
            raise DownloadError(f"no se pudo descargar {self.filename} desde {self.shown}: {cause} "
                                f"({type(e).__name__})", cause) from e
        with response:
            try:
                response.raise_for_status()
            except requests.HTTPError as e:
                status = f"{response.status_code} {response.reason or ''}".strip()
                raise DownloadError(f"no se pudo descargar {self.filename} desde {self.shown}: el servidor "
                                    f"respondió {status}", f"el servidor respondió {status}",
                                    transient=response.status_code >= 500) from e
            length = response.headers.get("Content-Length", "")
            encoded = response.headers.get("Content-Encoding", "identity") != "identity"
            expected = int(length) if length.isdigit() and not encoded else None
            self._stream(response.raw, out, expected)

    def _stream(self, raw, out, expected):
        digest = hashlib.new(self.algorithm) if self.algorithm else None
        size, bar = 0, _progress_bar(self.filename, expected) if self.watching else None
        try:
            while True:
                _set_read_timeout(raw, min(self.timeout, self._left()))
                try:
                    chunk = (raw.read1 if hasattr(raw, "read1") else raw.read)(_CHUNK, decode_content=True)
                except Exception as e:  # noqa: BLE001 - urllib3/requests errors: a cut or silent connection
                    self._left()  # a read that timed out at the deadline is the deadline's failure
                    if expected is not None and size < expected:
                        raise self._cut(size, expected) from e
                    raise DownloadError(f"la descarga de {self.filename} desde {self.shown} se interrumpió "
                                        f"tras {size} bytes ({type(e).__name__})", "la descarga se interrumpió",
                                        transient=True) from e
                if not chunk:
                    break
                out.write(chunk)  # an OSError here (full disk) is the cache's, not the network's
                size += len(chunk)
                if digest is not None:
                    digest.update(chunk)
                if bar is not None:
                    bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.close()
        if expected is not None and size != expected:
            raise self._cut(size, expected)
        self.received = digest.hexdigest() if digest is not None else None

    def _cut(self, size, expected):
        return DownloadError(f"la descarga de {self.filename} desde {self.shown} se cortó: se recibieron "
                             f"{size} bytes de los {expected} anunciados; no se ha guardado nada",
                             "la descarga se cortó", transient=True)


def _set_read_timeout(raw, seconds: float) -> None:
    """Bound the next socket read by what is left of the deadline (best effort: urllib3 2.x)."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        try:
            sock.settimeout(max(seconds, 0.01))
        except OSError:
            pass


def _progress_bar(filename: str, total):
    """A tqdm bar for a long download (an unknown size counts as long); None without tqdm."""
    if total is not None and total < PROGRESS_FROM:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=filename, unit="B", unit_scale=True, ncols=79, leave=False,
                file=sys.stdout, ascii=sys.platform == "win32", mininterval=0.5)

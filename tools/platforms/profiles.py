"""Platform profiles (`platforms/*.txt`): read them, write them from a platform's package list, build their venvs.

A profile is a pip requirements file of exact pins headed by comment lines; the line `# python: 3.13`
names the interpreter. Its virtual environment is cached outside the clone, keyed by the file's hash,
so a second `make platforms` (or a later CI run on the same machine) reuses it.
"""
from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "platforms"
# The packages of a platform that the course touches; `write_profile` adds their dependencies.
ROOTS = ("tensorflow", "keras", "numpy", "matplotlib", "pillow", "ipywidgets", "ipython", "ipykernel",
         "scikit-learn", "scikit-image", "mlxtend", "kaggle", "kagglehub", "pooch", "requests", "pip")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


class PlatformError(RuntimeError):
    """A profile can't be read or its environment can't be built (the message says why, in Spanish)."""


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    python: str  # "3.13"
    pins: dict  # normalized name -> version

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()[:12]

    def version(self, package: str) -> str | None:
        return self.pins.get(normalize(package))


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def load(name: str, folder: Path = PROFILES) -> Profile:
    path = Path(folder) / f"{name}.txt"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in Path(folder).glob("*.txt"))) or "ninguno"
        raise PlatformError(f"no existe el perfil {name!r} en platforms/ (hay: {known})")
    python, pins = None, {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        header = re.match(r"#\s*python:\s*(\d+\.\d+)\s*$", line)
        if header:
            python = header.group(1)
        elif line and not line.startswith("#"):
            pin = PIN.match(line)
            if not pin:
                raise PlatformError(f"platforms/{path.name}, línea {number}: se esperaba 'paquete==versión'")
            pins[normalize(pin.group(1))] = pin.group(2)
    if python is None:
        raise PlatformError(f"platforms/{path.name}: falta la línea '# python: X.Y' con la versión de Python")
    return Profile(name, path, python, pins)


def available() -> list[str]:
    return sorted(p.stem for p in PROFILES.glob("*.txt"))


def clean_env(**extra) -> dict:
    """This process's environment without the machine's pip/uv settings (a platform has none of them)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "UV_", "VIRTUAL_ENV", "PYTHONPATH", "CONDA_"))}
    env.update(PIP_CONFIG_FILE=os.devnull, UV_PYTHON_DOWNLOADS="never", UV_NO_CONFIG="1")
    env.update(extra)
    return env


def uv() -> list[str]:
    """The uv of the course's own environment (installed by `make install`)."""
    if subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True).returncode != 0:
        raise PlatformError("falta uv en el entorno del curso: ejecuta `make install`")
    return [sys.executable, "-m", "uv"]


def find_python(version: str) -> Path:
    """An interpreter of that X.Y version on this machine (PATH or pyenv); never skipped silently."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(glob.glob(str(pyenv / f"{version}.*" / "bin" / f"python{version}")), reverse=True)
    for candidate in filter(None, candidates):
        found = subprocess.run([candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip() == version:
            return Path(candidate)
    raise PlatformError(f"este ordenador no tiene Python {version}, que pide el perfil: instálalo "
                        f"(p. ej. `pyenv install {version}`) y vuelve a ejecutar `make platforms`")


def cache_root() -> Path:
    base = os.environ.get("COURSE_PLATFORMS_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or
                                                           Path.home() / ".cache") / "dl-vision-platforms"
    return Path(base)


def ensure_venv(profile: Profile, log=print) -> Path:
    """The profile's virtual environment, built once per profile content and reused afterwards."""
    target = cache_root() / f"{profile.name}-py{profile.python}-{profile.digest}"
    done = target / ".complete"
    if done.is_file():
        return target
    python = find_python(profile.python)
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"  {profile.name}: creando el entorno (Python {profile.python}, {len(profile.pins)} paquetes; "
        "solo la primera vez)", flush=True)
    env = clean_env()
    steps = [
        [*uv(), "venv", "-q", "--python", str(python), str(target)],
        [*uv(), "pip", "install", "-q", "--python", str(target / "bin" / "python"), "--compile-bytecode",
         "--no-deps", "-r", str(profile.path)],
    ]
    for step in steps:
        done_step = subprocess.run(step, env=env, capture_output=True, text=True)
        if done_step.returncode != 0:
            tail = (done_step.stderr.strip().splitlines() or ["(sin mensaje)"])[-1]
            raise PlatformError(f"no se pudo crear el entorno del perfil {profile.name}: {tail}")
    check = subprocess.run([str(target / "bin" / "python"), "-c",
                            "import tensorflow, keras, ipykernel, ipywidgets; print(keras.__version__)"],
                           env=env, capture_output=True, text=True)
    if check.returncode != 0 or check.stdout.strip() != profile.version("keras"):
        raise PlatformError(f"el entorno del perfil {profile.name} no importa TensorFlow/Keras: "
                            f"{(check.stderr.strip().splitlines() or ['?'])[-1]}")
    done.write_text(profile.path.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def site_packages(venv: Path) -> Path:
    [found] = glob.glob(str(venv / "lib" / "python3.*" / "site-packages"))
    return Path(found)


def write_profile(name: str, freeze: Path, python: str, source: str, *, add=(), exclude_newer=None) -> Path:
    """Write platforms/NAME.txt: ROOTS and their dependencies at the versions of a platform's `pip freeze`.

    `add` holds pins that replace the freeze's (e.g. Kaggle's ipywidgets 8 on Colab's base image) and bare
    names whose freeze pin is dropped (what the platform re-resolved); packages the freeze lacks are
    resolved as of `exclude_newer` (the platform image's date).
    """
    import tempfile

    def name_of(entry):
        return normalize(PIN.match(entry).group(1) if PIN.match(entry) else entry)

    replaced = {name_of(a) for a in add}
    lines = [line for line in Path(freeze).read_text(encoding="utf-8").splitlines()
             if PIN.match(line) and normalize(PIN.match(line).group(1)) not in replaced]
    with tempfile.TemporaryDirectory() as tmp:
        constraints, roots, out = Path(tmp, "c.txt"), Path(tmp, "roots.in"), Path(tmp, "out.txt")
        constraints.write_text("\n".join([*lines, *(a for a in add if PIN.match(a))]) + "\n", encoding="utf-8")
        roots.write_text("\n".join([*ROOTS, *(name_of(a) for a in add if PIN.match(a))]) + "\n", encoding="utf-8")
        command = [*uv(), "pip", "compile", "-q", "--no-header", "--no-annotate", "--python-version", python,
                   str(roots), "-c", str(constraints), "-o", str(out)]
        if exclude_newer:
            command += ["--exclude-newer", exclude_newer]
        done = subprocess.run(command, env=clean_env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise PlatformError(f"no se pudo resolver el perfil {name}: {done.stderr.strip()[-400:]}")
        pins = [line for line in out.read_text(encoding="utf-8").splitlines() if PIN.match(line)]
    header = [f"# {line}" for line in source.strip().splitlines()]
    text = "\n".join([*header, f"# python: {python}",
                      "# Regenerate: see README, section 'Where the course runs'.", *pins]) + "\n"
    path = PROFILES / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return path

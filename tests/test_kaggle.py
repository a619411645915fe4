"""Kaggle packaging: kernel folders and the `utils` data set, checked against the kaggle client's rules."""
import json
import shutil
import subprocess
import sys
import textwrap
import types
import zipfile

import nbformat
import pytest
from slugify import slugify

from utils import course as C
from utils import data
from utils import kaggle as K

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
    out = tmp_path_factory.mktemp("kaggle")
    return out, K.build(COURSE, [nb.id for nb in EXISTING], out_dir=out)


def test_build_writes_dataset_and_one_folder_per_notebook(built):
    out, folders = built
    assert [f.name for f in folders] == [K.DATASET_FOLDER, *(nb.slug for nb in EXISTING)]
    assert sorted(p.name for p in (out / K.DATASET_FOLDER).iterdir()) == sorted(
        [K.DATASET_METADATA, "course.toml", "requirements-data.txt", "utils"])
    for nb in EXISTING:
        assert sorted(p.name for p in (out / nb.slug).iterdir()) == sorted([K.KERNEL_METADATA, nb.file])


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


def test_kaggle_client_accepts_dataset_and_zips_utils(built, offline_api, tmp_path):
    out, _ = built
    api, sent, uploads = offline_api
    api.dataset_create_new(str(out / K.DATASET_FOLDER), public=True, quiet=True, dir_mode="zip")
    [request] = sent
    assert f"{request.owner_slug}/{request.slug}" == K.dataset_id(COURSE) and not request.is_private
    assert sorted(uploads) == ["course.toml", "requirements-data.txt", "utils.zip"]
    # Kaggle unpacks utils.zip into utils/; the setup cell looks for <input>/*/utils/__init__.py.
    mounted = tmp_path / "input" / request.slug
    with zipfile.ZipFile(uploads["utils.zip"]) as archive:
        assert "__init__.py" in archive.namelist() and not any("__pycache__" in n for n in archive.namelist())
        archive.extractall(mounted / "utils")
    for name in ("course.toml", "requirements-data.txt"):
        shutil.copy(uploads[name], mounted / name)
    assert_setup_cell_uses_attached_dataset(tmp_path / "input", mounted)


def assert_setup_cell_uses_attached_dataset(input_dir, mounted):
    """Run the setup cell as on Kaggle (its /kaggle/input pointed at `input_dir`): no clone, no pip."""
    source = C.setup_source(COURSE)
    assert source.count('"/kaggle/input"') == 2
    source = source.replace('"/kaggle/input"', repr(str(input_dir)))
    driver = input_dir.parent / "kaggle_driver.py"
    driver.write_text(textwrap.dedent(f"""
        import json, subprocess, sys
        calls = []
        subprocess.run = lambda cmd, *a, **k: calls.append(cmd)
        exec(compile({source!r}, "preparacion", "exec"), {{}})
        import utils, utils.course
        print(json.dumps({{"calls": calls, "utils": utils.__file__,
                          "title": utils.course.load_manifest().title,
                          "tf": "tensorflow" in sys.modules}}))
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(driver)], cwd=input_dir.parent, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["calls"] == [], "con el data set adjunto no se clona ni se instala nada"
    assert result["utils"] == str(mounted / "utils" / "__init__.py")
    assert result["title"] == COURSE.title and not result["tf"]


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

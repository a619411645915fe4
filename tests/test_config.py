"""utils.config: one reading of the COURSE_* variables, the same meaning everywhere."""
import ast
from pathlib import Path

import pytest

from utils import config

REPO = Path(__file__).resolve().parent.parent
YES = ["1", "true", "TRUE", "yes", "Yes", "y", "on", "sí", "SÍ", "si", " 1 "]
NO = ["", "0", "false", "False", "no", "NO", "n", "off", "   "]
JUNK = ["2", "quizá", "offline", "verdadero", "1.0", "-1"]


@pytest.mark.parametrize("reader, variable", [(config.offline, "COURSE_OFFLINE"),
                                              (config.headless, "COURSE_HEADLESS")])
def test_flags_read_yes_no_and_refuse_anything_else(monkeypatch, reader, variable):
    for value in YES:
        monkeypatch.setenv(variable, value)
        assert reader() is True, value
    for value in NO:
        monkeypatch.setenv(variable, value)
        assert reader() is False, value
    monkeypatch.delenv(variable)
    assert reader() is False, "unset means no"
    for value in JUNK:
        monkeypatch.setenv(variable, value)
        with pytest.raises(ValueError) as info:
            reader()
        message = str(info.value)
        assert variable in message and repr(value.strip().lower()) in message
        assert "usa 1 (sí) o 0 (no)" in message


def test_course_offline_no_means_online_for_downloads(monkeypatch):
    """The bug this module fixes: COURSE_OFFLINE=no downloaded files while a report said 'offline: yes'."""
    from utils import download

    monkeypatch.setenv("COURSE_OFFLINE", "no")
    assert config.offline() is False and download.offline() is False


def test_flag_reads_any_variable(monkeypatch):
    monkeypatch.setenv("COURSE_ALGO", "Sí")
    assert config.flag("COURSE_ALGO") is True
    monkeypatch.delenv("COURSE_ALGO")
    assert config.flag("COURSE_ALGO") is False


def test_data_dir_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", f"  {tmp_path / 'cache'}  ")
    assert config.data_dir() == tmp_path / "cache"
    assert not (tmp_path / "cache").exists(), "data_dir() only says where; it creates nothing"
    monkeypatch.setenv("COURSE_DATA_DIR", "~/datos-curso")
    assert config.data_dir() == Path.home() / "datos-curso"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_data_dir_defaults_to_the_repository_then_home(monkeypatch, tmp_path, value):
    if value is None:
        monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    else:
        monkeypatch.setenv("COURSE_DATA_DIR", value)
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path / "repo")
    monkeypatch.setattr(config.Path, "home", staticmethod(lambda: tmp_path / "home"))
    assert config.data_dir() == tmp_path / "home" / ".cache" / "dl-vision-curso", "not in a course checkout"
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "course.toml").write_text("[course]\n")
    assert config.data_dir() == tmp_path / "repo" / "data"


def test_the_real_default_is_the_repositorys_data_folder(monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    assert config.data_dir() == REPO / "data"
    assert config.REPO_ROOT == REPO


def test_kaggle_input(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_KAGGLE_INPUT", raising=False)
    assert config.kaggle_input() == Path("/kaggle/input")
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", " ")
    assert config.kaggle_input() == Path("/kaggle/input")
    monkeypatch.setenv("COURSE_KAGGLE_INPUT", str(tmp_path))
    assert config.kaggle_input() == tmp_path


def test_headless_env_is_what_headless_reads(monkeypatch):
    for name, value in config.HEADLESS_ENV.items():
        monkeypatch.setenv(name, value)
    assert config.headless() is True
    # oneDNN on, as on Colab and Kaggle (it was off until issue 14 measured it ~25 % faster)
    assert config.HEADLESS_ENV["TF_ENABLE_ONEDNN_OPTS"] == "1"


MODULES = ["utils/download.py", "utils/pretrained.py", *sorted(p.relative_to(REPO).as_posix()
                                                              for p in (REPO / "utils" / "data").glob("*.py"))]


@pytest.mark.parametrize("module", MODULES)
def test_data_modules_read_course_variables_only_through_config(module):
    """No os.environ[...] / os.environ.get / os.getenv of a COURSE_* name in the data layer: utils.config reads them."""
    tree = ast.parse((REPO / module).read_text(encoding="utf-8"))
    reads = {ast.unparse(n) for n in ast.walk(tree) if isinstance(n, (ast.Call, ast.Subscript))
             and ("environ" in ast.unparse(n) or "getenv" in ast.unparse(n)) and "COURSE_" in ast.unparse(n)}
    assert not reads, f"{module} lee variables COURSE_* sin pasar por utils.config: {sorted(reads)}"


def test_each_load_is_recorded_for_the_course_runner(monkeypatch, tmp_path):
    import json

    from utils import data

    log = tmp_path / "fuentes.jsonl"
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COURSE_SOURCES_LOG", str(log))
    data.load("digits")
    data.load("animals")
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert lines == [{"dataset": "digits", "source": "paquete offline"},
                     {"dataset": "animals", "source": "paquete offline"}]
    monkeypatch.setenv("COURSE_SOURCES_LOG", str(tmp_path / "no-existe" / "log.jsonl"))
    config.record_source("mnist", "caché")  # a log that cannot be written never breaks a load
    monkeypatch.delenv("COURSE_SOURCES_LOG")
    config.record_source("mnist", "caché")
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2

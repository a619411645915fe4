"""The manifest, generated parts, `utils.publish` and the papermill runner, on a throwaway course."""
import dataclasses
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from tools import course as C
from tools import runner
from utils import config
from utils.figures import publish

MANIFEST = """
[course]
title = "Curso de prueba"
repository = "ana/curso"
ref = "v1"
kaggle_owner = "ana"

[[notebooks]]
id = "01"
file = "01_bien.ipynb"
title = "Un cuaderno que funciona"
topics = ["a"]

[[notebooks]]
id = "02"
file = "02_mal.ipynb"
title = "Un cuaderno que falla"
topics = ["b"]
"""


@pytest.fixture
def course(tmp_path):
    (tmp_path / "course.toml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "README.md").write_text(f"# Curso\n\n{C.INDEX_START}\nviejo\n{C.INDEX_END}\n", encoding="utf-8")
    ok_cells = [
        nbformat.v4.new_markdown_cell("viejo", id=C.HEADER_ID),
        nbformat.v4.new_code_cell("import sys; sys.path.insert(0, %r)" % str(C.ROOT), id=C.SETUP_ID),
        nbformat.v4.new_code_cell("N = 3", id=C.PARAMETERS_ID, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import utils\nutils.publish('triple', N * 3)\nutils.publish('mitad', N / 2)"),
        nbformat.v4.new_code_cell(SIMULATED_LOADS),
    ]
    bad_cells = [nbformat.v4.new_code_cell("raise ValueError('roto a propósito')")]
    for name, cells in (("01_bien.ipynb", ok_cells), ("02_mal.ipynb", bad_cells)):
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, tmp_path / "notebooks" / name)
    return C.load_manifest(tmp_path / "course.toml")


# What the course's data layer does on each load when COURSE_SOURCES_LOG is set (one JSON line per load).
SIMULATED_LOADS = """import json, os
with open(os.environ["COURSE_SOURCES_LOG"], "a", encoding="utf-8") as log:
    for dataset, source in (("mnist", "paquete offline"), ("digits", "scikit-learn"), ("mnist", "paquete offline")):
        log.write(json.dumps({"dataset": dataset, "source": source}) + "\\n")"""


def test_manifest_is_read(course):
    assert [nb.id for nb in course.notebooks] == ["01", "02"]
    assert course.notebook("02").title == "Un cuaderno que falla"
    assert course.colab_url(course.notebook("01")).endswith("/ana/curso/blob/v1/notebooks/01_bien.ipynb")
    with pytest.raises(ValueError, match="no hay ningún cuaderno '07'.*01, 02"):
        course.notebook("07")


@pytest.mark.parametrize("bad, message", [
    ("[course]\ntitle='x'\n", "faltan en \\[course\\]"),
    ("[course]\ntitle='x'\nrepository='sin-barra'\nref='m'\nkaggle_owner='a'\n", "propietario/nombre"),
    ("[course\n", "no es TOML válido"),
    (MANIFEST + '\n[[notebooks]]\nid = "03"\nfile = "03_x.ipynb"\ntitle = "Tres"\ncolor = "rojo"\n', "solo topics"),
])
def test_bad_manifest_is_explained(tmp_path, bad, message):
    (tmp_path / "course.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        C.load_manifest(tmp_path / "course.toml")


def test_sync_fixes_drift_then_check_is_clean(course):
    drift = C.sync(course, check=True)
    assert any("cabecera" in d for d in drift) and any("README.md" in d for d in drift)
    assert any("02_mal.ipynb: falta la celda" in d for d in drift)
    C.sync(course)
    nb = nbformat.read(course.notebook("01").path, as_version=4)
    assert nb.cells[0].source == C.header_source(course, course.notebook("01"))
    assert "ana/curso/blob/v1" in nb.cells[0].source
    assert nb.cells[1].source == C.setup_source(course)
    readme = (course.root / "README.md").read_text(encoding="utf-8")
    assert "Un cuaderno que funciona" in readme and "viejo" not in readme
    assert [d for d in C.sync(course, check=True) if "01_bien" in d or "README" in d] == []


def test_setup_cell_names_repository_and_ref(course):
    src = C.setup_source(course)
    assert 'REPO, REF = "ana/curso", "v1"' in src
    install = src[src.index('"pip"'):]
    install = install[:install.index(")")]
    assert "--no-deps" in install and "requirements-data.txt" in install
    assert "tensorflow" not in install.lower() and "keras" not in install.lower(), "no se reinstala TensorFlow"
    compile(src, "setup", "exec")


def test_publish_outside_ipython_prints(capsys):
    publish("exactitud", 0.98765, label="exactitud en prueba")
    assert capsys.readouterr().out.strip() == "Cifra publicada · exactitud en prueba: 0.9877"
    with pytest.raises(ValueError, match="snake_case"):
        publish("Exactitud Test", 1)
    with pytest.raises(ValueError, match="solo se publican"):
        publish("lista", [1, 2])


@pytest.mark.slow
def test_runner_executes_reports_and_fails_loudly(course, capfd, monkeypatch):
    monkeypatch.setenv("COURSE_OFFLINE", "no")  # the report says what the data layer was told
    code = C.main(["--manifest", str(course.root / "course.toml"), "run", "-p", "N", "5"])
    assert code == 1, "un cuaderno falló: el código de salida debe ser distinto de 0"
    report = json.loads((course.root / "build" / "report.json").read_text(encoding="utf-8"))
    ok, bad = report["notebooks"]
    assert ok["status"] == "ok" and ok["figures"] == {"triple": 15, "mitad": 2.5}
    assert bad["status"] == "error" and "roto a propósito" in bad["error"]
    assert report["parameters"] == {"N": 5} and report["offline"] is False
    # The sources each notebook's data layer logged, once each; none logged is "—".
    assert ok["sources"] == [{"dataset": "mnist", "source": "paquete offline"}, {"dataset": "digits", "source": "scikit-learn"}]
    assert bad["sources"] == []
    md = (course.root / "build" / "report.md").read_text(encoding="utf-8")
    assert "| 01_bien.ipynb | ok |" in md and "triple = 15" in md and "**error**" in md
    assert "mnist: paquete offline, digits: scikit-learn" in md and "offline data: no" in md
    assert (course.root / "build" / "executed" / "01_bien.ipynb").exists()
    out, err = capfd.readouterr()  # the kernels' own stderr too: they write to this process's descriptors
    lines = out.splitlines()
    assert len(lines) == 3 and "1 correctos, 1 con errores" in lines[2], out
    assert re.fullmatch(r"01_bien\.ipynb +ok +\d+\.\d s  mnist: paquete offline, digits: scikit-learn", lines[0])
    assert re.match(r"02_mal\.ipynb +error +\d+\.\d s  — · .*roto a propósito", lines[1])
    assert "Input notebook does not contain" in lines[1], "los avisos de papermill van en la línea del cuaderno"
    assert "IPKernelApp" not in out + err and "without encryption" not in out + err, err
    assert err.strip() == "", err
    assert runner.SOURCES_LOG not in os.environ, "la variable es solo para los núcleos del informe"


def test_report_offline_reads_the_course_setting(course, monkeypatch):
    for value, offline in (("1", True), ("sí", True), ("0", False), ("no", False)):
        monkeypatch.setenv("COURSE_OFFLINE", value)
        assert config.offline() is offline
        assert runner.run([], course=dataclasses.replace(course, notebooks=[]), log=lambda _: None)["offline"] is offline
    monkeypatch.setenv("COURSE_OFFLINE", "quizá")
    assert C.main(["--manifest", str(course.root / "course.toml"), "run", "--only", "01"]) == 2


def test_sources_log_is_read_tolerantly(tmp_path):
    log = tmp_path / "fuentes.jsonl"
    assert runner.data_sources(log) == [] and runner.sources_text([]) == "—", "sin archivo: ninguna fuente"
    log.write_text('{"dataset": "mnist", "source": "en línea"}\nbasura\n{"dataset": "mnist"}\n'
                   '{"dataset": "mnist", "source": "en línea"}\n{"dataset": "animals", "source": "paquete"}\n{"dataset": "mn',
                   encoding="utf-8")
    sources = runner.data_sources(log)
    assert sources == [{"dataset": "mnist", "source": "en línea"}, {"dataset": "animals", "source": "paquete"}]
    assert runner.sources_text(sources) == "mnist: en línea, animals: paquete"


def test_runner_inplace_strips_run_metadata(course):
    report = runner.run(["01"], inplace=True, course=course, log=lambda _: None)
    assert report["notebooks"][0]["status"] == "ok"
    nb = json.loads(course.notebook("01").path.read_text(encoding="utf-8"))
    assert "papermill" not in nb["metadata"]
    assert all("papermill" not in c["metadata"] and "execution" not in c["metadata"] for c in nb["cells"])
    assert [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"] == [1, 2, 3, 4]

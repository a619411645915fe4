"""Lint of every notebook in the manifest — plain JSON checks, no kernel."""
import json
import re

import nbformat
import pytest

from tools import course as C

COURSE = C.load_manifest()
NOTEBOOKS = COURSE.notebooks
# Absolute machine paths, site-packages, tokens: never in a committed output.
LEAK = re.compile(r"((?<![\w.~])/(?:root|home|tmp|var|opt|usr|mnt|srv|work|Users)/[\w.-]+|site-packages|"
                  r"[A-Za-z]:\\\\Users|KAGGLE_KEY\s*[=:]\s*\S{8,}|\"key\"\s*:\s*\"[0-9a-f]{16,})")


def load(nb):
    return nbformat.read(nb.path, as_version=4)


def test_manifest_and_folder_agree():
    on_disk = sorted(p.name for p in (C.ROOT / "notebooks").glob("*.ipynb"))
    assert on_disk == sorted(nb.file for nb in NOTEBOOKS), "course.toml y notebooks/ deben listar los mismos cuadernos"


def test_manifest_order_and_names():
    ids = [nb.id for nb in NOTEBOOKS]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), f"ids fuera de orden o repetidos: {ids}"
    for nb in NOTEBOOKS:
        assert re.fullmatch(r"\d\d", nb.id), nb.id
        assert re.fullmatch(rf"{nb.id}_[a-z0-9_]+\.ipynb", nb.file), f"{nb.file}: se espera NN_tema.ipynb"
        assert len(nb.title) >= 5 and nb.topics, f"{nb.file}: título y temas en course.toml"


def test_generated_parts_do_not_drift():
    assert C.sync(COURSE, check=True) == []


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda nb: nb.id)
def test_opening_cells(nb):
    cells = load(nb).cells
    head, objectives, setup, params, first = cells[:5]
    assert head.cell_type == "markdown" and head.id == C.HEADER_ID
    assert head.source.startswith(f"# {nb.id} · ") and "colab-badge.svg" in head.source and "open-in-kaggle" in head.source
    assert objectives.cell_type == "markdown" and "Objetivos" in objectives.source
    bullets = [line for line in objectives.source.split("**Objetivos**")[-1].splitlines() if line.startswith("- ")]
    assert 2 <= len(bullets) <= 4, f"{nb.file}: de 2 a 4 objetivos, hay {len(bullets)}"
    assert setup.id == C.SETUP_ID and setup.source == C.setup_source(COURSE)
    assert params.id == C.PARAMETERS_ID and "parameters" in params.metadata.get("tags", [])
    assert re.search(r"^\w+ = utils\.setup\(seed=SEED", first.source, re.M), f"{nb.file}: utils.setup tras los parámetros"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda nb: nb.id)
def test_format_and_clean_run(nb):
    notebook = load(nb)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert (notebook.nbformat, notebook.nbformat_minor) >= (4, 5), "las celdas necesitan id (nbformat 4.5)"
    ids = [c.id for c in notebook.cells]
    assert len(set(ids)) == len(ids)
    code = [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), \
        f"{nb.file}: ejecútalo de arriba abajo en un kernel nuevo (make notebooks ONLY={nb.id})"
    assert "papermill" not in notebook.metadata
    for i, cell in enumerate(code):
        for out in cell.outputs:
            assert out.output_type != "error", f"{nb.file}: error en la celda {i + 1}"
            assert not (out.output_type == "stream" and out.name == "stderr"), f"{nb.file}: stderr en la celda {i + 1}"
            leak = LEAK.search(json.dumps(out))
            assert not leak, f"{nb.file}: la celda {i + 1} muestra {leak.group(0)!r}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda nb: nb.id)
def test_ends_with_summary(nb):
    markdown = [c.source for c in load(nb).cells if c.cell_type == "markdown"]
    assert any(s.lstrip().startswith("## Resumen") for s in markdown[-3:]), f"{nb.file}: termina con ## Resumen"


def test_leak_pattern_catches_paths_and_keys():
    assert LEAK.search("cargado de /home/ana/data/mnist.npz")
    assert LEAK.search('{"username": "ana", "key": "0123456789abcdef0123"}')
    assert LEAK.search("lib/python3.11/site-packages/keras")
    assert not LEAK.search("guardado en ~/.kaggle/kaggle.json (permisos 600)")
    assert not LEAK.search("3/3 pasos, 12 ms/step")

"""Slide metadata rules, the lint that keeps it present, and the offline decks `make slides` writes."""
import re
from html import escape as html_escape
from pathlib import Path

import nbformat
import pytest

from tools import course as C
from tools import slides

COURSE = C.load_manifest()
EXISTING = [nb for nb in COURSE.notebooks if nb.path.exists()]
HAS_ASSETS = (C.ROOT / "node_modules" / "reveal.js" / "package.json").exists()
needs_assets = pytest.mark.skipif(not HAS_ASSETS, reason="faltan node_modules (npm ci; make test lo instala)")


def md(source, **kw):
    return nbformat.v4.new_markdown_cell(source, **kw)


def code(source, **kw):
    return nbformat.v4.new_code_cell(source, **kw)


def notebook(*cells):
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def course_like():
    """A notebook with the course's structure and one cell of each kind the rules distinguish."""
    return notebook(
        md("# 07 · Algo\n\nbotones", id=C.HEADER_ID),
        md("Intro.\n\n**Objetivos**\n\n- uno\n- dos", id="objetivos"),
        code("# Preparación ...\nimport utils", id=C.SETUP_ID),
        code("SEED = 1", id=C.PARAMETERS_ID, metadata={"tags": ["parameters"]}),
        code("info = utils.setup(seed=SEED)", id="arranque"),
        md("## 1. Primera parte\n\nTexto.", id="seccion"),
        md("Más texto sobre lo mismo.", id="texto-seguido"),
        code("x = 1\nx", id="codigo"),
        code("x + 1", id="codigo-seguido"),
        md("Después del código.", id="texto-tras-codigo"),
        md("### Un detalle", id="apartado"),
        md("> **Nota para el docente:** pregunta antes de enseñar la salida.", id="nota"),
        code("", id="vacia"),
        md("## Resumen\n\n- todo", id="resumen"),
    )


def types_by_id(nb):
    return dict(zip((c.id for c in nb.cells), slides.slide_types(nb), strict=True))


def test_rules_make_a_sensible_deck():
    nb = course_like()
    assert slides.apply(nb) == ["faltan metadatos de diapositiva en 14 celdas (cabecera, objetivos, preparacion, …)"]
    assert types_by_id(nb) == {
        "cabecera": "slide", "objetivos": "subslide",
        "preparacion": "skip", "parametros": "skip", "arranque": "skip",
        "seccion": "slide", "texto-seguido": "-", "codigo": "-", "codigo-seguido": "fragment",
        "texto-tras-codigo": "subslide", "apartado": "subslide", "nota": "notes", "vacia": "skip",
        "resumen": "slide",
    }
    assert slides.apply(nb) == [], "aplicar las reglas dos veces no cambia nada"


def test_manual_choice_is_kept_and_stale_rule_is_updated():
    nb = course_like()
    slides.apply(nb)
    cells = {c.id: c for c in nb.cells}
    cells["codigo"].metadata["slideshow"] = {"slide_type": "subslide"}  # chosen by hand (JupyterLab writes this)
    cells["texto-seguido"].source = "## 2. Otra parte"  # the cell changed: its rule type is stale now
    problems = slides.apply(nb)
    assert problems == ["metadatos de diapositiva desactualizados en las celdas texto-seguido"]
    assert cells["codigo"].metadata["slideshow"]["slide_type"] == "subslide" and slides.is_manual(cells["codigo"])
    assert cells["texto-seguido"].metadata["slideshow"] == {"slide_type": "slide", "rule": "slide"}
    assert cells["codigo-seguido"].metadata["slideshow"]["slide_type"] == "fragment"


def test_deck_starts_with_a_slide_even_before_the_header():
    nb = notebook(code("", id="vacia-inicial"), md("Aviso: cuaderno en obras.", id="aviso"), *course_like().cells)
    slides.apply(nb)
    assert [types_by_id(nb)[i] for i in ("vacia-inicial", "aviso", "cabecera", "objetivos")] == \
        ["skip", "slide", "slide", "subslide"]


def test_invalid_manual_type_is_reported():
    nb = course_like()
    nb.cells[5].metadata["slideshow"] = {"slide_type": "diapositiva"}
    assert any("no válido en las celdas seccion" in p for p in slides.apply(nb))


@pytest.mark.parametrize("source", ["> **Nota para el docente**: x", "> **Notas para la docente:** x",
                                    ">**Para el profesorado** x", "> **Nota del instructor** x"])
def test_speaker_notes_are_recognised(source):
    assert slides.NOTES.match(source)


def test_a_quote_is_not_a_note():
    assert not slides.NOTES.match("> **Importante:** el docente no aparece en negrita aquí")


def test_sync_reports_and_fixes_slide_metadata(tmp_path):
    (tmp_path / "course.toml").write_text(
        '[course]\ntitle = "Curso"\nrepository = "ana/curso"\nref = "v1"\nkaggle_owner = "ana"\n\n'
        '[[notebooks]]\nid = "07"\nfile = "07_algo.ipynb"\ntitle = "Algo"\ntopics = ["a"]\n', encoding="utf-8")
    (tmp_path / "README.md").write_text(f"{C.INDEX_START}\n{C.INDEX_END}\n", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    nbformat.write(course_like(), tmp_path / "notebooks" / "07_algo.ipynb")
    course = C.load_manifest(tmp_path / "course.toml")
    assert any("07_algo.ipynb: faltan metadatos de diapositiva" in d for d in C.sync(course, check=True))
    C.sync(course)
    assert C.sync(course, check=True) == []
    written = nbformat.read(tmp_path / "notebooks" / "07_algo.ipynb", as_version=4)
    assert slides.slide_types(written)[:3] == ["slide", "subslide", "skip"]


# --- the real notebooks -----------------------------------------------------------------------

@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_rules_on_course_notebook(nb):
    deck = nbformat.read(nb.path, as_version=4)
    slides.apply(deck)
    types = types_by_id(deck)
    assert types[C.HEADER_ID] == "slide" and types[C.SETUP_ID] == "skip" and types[C.PARAMETERS_ID] == "skip"
    assert set(types.values()) <= set(slides.SLIDE_TYPES)
    assert not [c.id for c in deck.cells if c.cell_type == "code" and types[c.id] in ("slide", "subslide")
                and not slides.is_manual(c)], "una celda de código nunca abre diapositiva por sí sola"
    summary = next(c for c in deck.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("## Resumen"))
    assert types[summary.id] == "slide"
    assert list(types.values()).count("slide") >= 3, "título, al menos una sección y el resumen"


@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_notebook_has_slide_metadata(nb):
    """Lint: every cell carries a valid slide type (`make sync` sets them)."""
    cells = nbformat.read(nb.path, as_version=4).cells
    missing = [c.id for c in cells if "slide_type" not in c.metadata.get("slideshow", {})]
    assert not missing, f"{nb.file}: faltan metadatos de diapositiva en {missing[:5]}: ejecuta make sync"
    invalid = [c.id for c in cells if c.metadata["slideshow"]["slide_type"] not in slides.SLIDE_TYPES]
    assert not invalid, f"{nb.file}: tipo de diapositiva no válido en {invalid}"


# --- the decks --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not HAS_ASSETS:
        pytest.skip("faltan node_modules (npm ci; make test lo instala)")
    out = tmp_path_factory.mktemp("slides")
    return out, slides.build(COURSE, [nb.id for nb in EXISTING], out_dir=out)


@needs_assets
def test_decks_are_written_per_notebook(built):
    out, written = built
    assert [p.name for p in written] == [f"{nb.slug}.slides.html" for nb in EXISTING]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.slides\.html", p.name) for p in written)


@needs_assets
@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_deck_loads_only_local_files(built, nb):
    out, _ = built
    html = (out / f"{nb.slug}.slides.html").read_text(encoding="utf-8")
    loaded = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html) + re.findall(r'<link[^>]*\bhref="([^"]+)"', html)
    loaded += re.findall(r'"(lib/[^"]+\.js)"', html)  # what require.js loads
    assert loaded, "la presentación debe cargar reveal.js"
    remote = [u for u in loaded if re.match(r"(https?:)?//", u)]
    assert not remote, f"{nb.file}: la presentación pide {remote} a internet"
    absent = [u for u in loaded if not (out / u.split("?")[0]).is_file()]
    assert not absent, f"{nb.file}: faltan {absent} junto a la presentación"
    assert "import mermaid" not in html and "colab-badge.svg" not in html


@needs_assets
def test_decks_are_in_spanish(built):
    """<html lang="es"> (nbconvert writes "en" by default): screen readers pick their Spanish voice."""
    _, written = built
    langs = {p.name: re.search(r"<html\b[^>]*\blang=\"([^\"]*)\"", p.read_text(encoding="utf-8"))[1] for p in written}
    assert set(langs.values()) == {"es"}, langs


@needs_assets
@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_deck_figures_carry_the_notebooks_alt_text(built, nb):
    out, _ = built
    html = (out / f"{nb.slug}.slides.html").read_text(encoding="utf-8")
    figures = [tag for tag in re.findall(r"<img\b[^>]*>", html) if 'src="data:image/png;base64,' in tag]
    shown = [(re.search(r'\balt="([^"]*)"', tag) or [None, ""])[1] for tag in figures]
    cells = nbformat.read(nb.path, as_version=4).cells
    alts = [c.metadata.get("mystnb", {}).get("image", {}).get("alt") for c in cells if c.get("outputs")
            and any("image/png" in o.get("data", {}) for o in c.outputs)]
    assert shown and all(shown), f"{nb.file}: las figuras de la presentación no tienen texto alternativo"
    assert set(shown) <= {html_escape(a) for a in alts if a}


@needs_assets
def test_notes_become_speaker_notes_and_skipped_cells_vanish(tmp_path):
    (tmp_path / "course.toml").write_text(
        '[course]\ntitle = "Curso"\nrepository = "ana/curso"\nref = "v1"\nkaggle_owner = "ana"\n\n'
        '[[notebooks]]\nid = "07"\nfile = "07_algo.ipynb"\ntitle = "Algo"\ntopics = ["a"]\n', encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    nbformat.write(course_like(), tmp_path / "notebooks" / "07_algo.ipynb")
    course = C.load_manifest(tmp_path / "course.toml")
    [deck] = slides.build(course, out_dir=tmp_path / "out", node_modules=C.ROOT / "node_modules")
    html = deck.read_text(encoding="utf-8")
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', html, re.S)
    assert len(notes) == 1 and "pregunta antes de enseñar la salida" in notes[0]
    assert "SEED = 1" not in html and "utils.setup(seed=SEED)" not in html, "las celdas de preparación no salen"


def test_build_refuses_missing_notebooks_and_assets(tmp_path):
    (tmp_path / "course.toml").write_text(
        '[course]\ntitle = "Curso"\nrepository = "ana/curso"\nref = "v1"\nkaggle_owner = "ana"\n\n'
        '[[notebooks]]\nid = "07"\nfile = "07_falta.ipynb"\ntitle = "Falta"\ntopics = ["a"]\n', encoding="utf-8")
    course = C.load_manifest(tmp_path / "course.toml")
    with pytest.raises(FileNotFoundError, match="07_falta.ipynb"):
        slides.build(course, out_dir=tmp_path / "out")
    (tmp_path / "notebooks").mkdir()
    nbformat.write(course_like(), tmp_path / "notebooks" / "07_falta.ipynb")
    with pytest.raises(FileNotFoundError, match="npm ci"):
        slides.build(course, out_dir=tmp_path / "out", node_modules=Path(tmp_path / "vacio"))

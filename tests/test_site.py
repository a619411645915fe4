"""The course site (`make site`): the builder's parts, a small site built end to end, and the real
build/site/ in a real browser (offline, accessible, searchable in Spanish, formulas, buttons).

The browser tests read build/site/ as `make site` wrote it (.ci/run builds it before `make test`).
Without it, without Chromium or without axe-core they skip; under CI they fail instead.
"""
import functools
import html
import http.server
import re
import threading

import nbformat
import pytest
# The browser the slide tests use (the system Chromium, its flags, the CI rule): one definition.
from test_browser import TIMEOUT_MS, PageWatch, _skip_or_fail, browser  # noqa: F401 (browser is a fixture)

from tools import course as C
from tools import manifest as M
from tools.site import builder, pages, spanish
from tools.site.search import SearchCurso
from utils.figures import FIGURE_MIME

COURSE = M.load_manifest()
SITE = COURSE.root / "build" / "site"
AXE = COURSE.root / "node_modules" / "axe-core" / "axe.min.js"
NOTEBOOK_PAGES = {f"{nb.slug}.html": nb for nb in COURSE.notebooks}
PAGES = ["index.html", "search.html", *NOTEBOOK_PAGES]
# A 1×1 PNG: the figure output of the small course.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
ALT = "Un único píxel transparente, la figura de prueba del curso pequeño que construye esta prueba."


# --- a small course -----------------------------------------------------------------------------

def small_course(tmp_path, *, files=("07_algo.ipynb",)):
    """A course.toml in tmp_path listing `files` (written only if they exist later) and its Course."""
    entries = "".join(f'\n[[notebooks]]\nid = "{name[:2]}"\nfile = "{name}"\ntitle = "Algo {name[:2]}"\n'
                      f'topics = ["kernels & stride", "pooling"]\n' for name in files)
    (tmp_path / "course.toml").write_text(
        '[course]\ntitle = "Curso pequeño"\nrepository = "ana/curso"\nref = "v1"\nkaggle_owner = "ana"\n'
        + entries, encoding="utf-8")
    (tmp_path / "notebooks").mkdir(exist_ok=True)
    return M.load_manifest(tmp_path / "course.toml")


def small_notebook(course, nb):
    """Header with the remote badges, setup cell, math, a figure, an explorer and outputs to drop."""
    v4 = nbformat.v4
    figure = v4.new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"})
    widget = v4.new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                                                 "text/plain": "interactive(children=(IntSlider(…),))"})
    published = v4.new_output("display_data", data={FIGURE_MIME: {"name": "exactitud", "value": 0.9},
                                                    "text/plain": "Cifra publicada · exactitud: 0.9"})
    cells = [
        v4.new_markdown_cell(C.header_source(course, nb), id=M.HEADER_ID),
        v4.new_code_cell("# Preparación\nimport sys", id=M.SETUP_ID),
        v4.new_markdown_cell("## 1. Una fórmula\n\nLa salida mide $n - k + 1$ píxeles.", id="formula"),
        v4.new_code_cell("plt.show()", id="figura", outputs=[figure],
                         metadata={"mystnb": {"image": {"alt": ALT}}}),
        v4.new_code_cell("utils.widgets.explorer(dibuja, n=(1, 5))", id="explorador", outputs=[figure, widget]),
        v4.new_code_cell("utils.publish('exactitud', 0.9)", id="cifra", outputs=[published]),
        v4.new_code_cell("mi_explorer(3)", id="no-es-explorador"),
    ]
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


# --- the builder's parts ------------------------------------------------------------------------

def test_page_has_local_buttons_instead_of_remote_badges(tmp_path):
    course = small_course(tmp_path)
    nb = course.notebooks[0]
    header = pages.notebook_page(small_notebook(course, nb), course, nb).cells[0].source
    assert header.startswith("# 07 · Algo 07\n")
    assert f'href="{html.escape(course.colab_url(nb))}"' in header
    assert f'href="{html.escape(course.kaggle_url(nb))}"' in header
    assert 'href="slides/07_algo.slides.html"' in header
    assert "<img" not in header, "las insignias de Colab y Kaggle se cargarían de internet"
    names = re.findall(r'aria-label="([^"]*)">([^<]*)<', header)
    assert names and all(label.startswith(text) for label, text in names), "el nombre accesible empieza por el texto"


def test_page_keeps_static_outputs_and_drops_live_ones(tmp_path):
    course = small_course(tmp_path)
    nb = course.notebooks[0]
    notebook = small_notebook(course, nb)
    page = pages.notebook_page(notebook, course, nb)
    cells = {c.id: c for c in page.cells}
    assert "widgets" not in page.metadata, "el estado de los widgets haría cargar su gestor desde un CDN"
    assert [list(o.data) for o in cells["explorador"].outputs] == [["image/png", "text/plain"]]
    assert [dict(o.data) for o in cells["cifra"].outputs] == [{"text/plain": "Cifra publicada · exactitud: 0.9"}]
    assert cells["figura"].outputs == notebook.cells[3].outputs
    assert "widgets" in notebook.metadata and len(notebook.cells[4].outputs) == 2, "el cuaderno no cambia"


def test_explorers_are_noted_as_live_in_colab(tmp_path):
    course = small_course(tmp_path)
    nb = course.notebooks[0]
    page = pages.notebook_page(small_notebook(course, nb), course, nb)
    ids = [c.id for c in page.cells]
    note = page.cells[ids.index("explorador") + 1]
    assert note.cell_type == "markdown" and "Colab" in note.source and course.colab_url(nb) in note.source
    assert ids[-1] == "no-es-explorador", "mi_explorer(...) no es un explorador del curso"
    assert sum("Explorador interactivo" in c.source for c in page.cells) == 1


def test_setup_cell_is_folded(tmp_path):
    course = small_course(tmp_path)
    nb = course.notebooks[0]
    cells = {c.id: c for c in pages.notebook_page(small_notebook(course, nb), course, nb).cells}
    assert "hide-input" in cells[M.SETUP_ID].metadata["tags"]
    assert "hide-input" not in cells["figura"].metadata.get("tags", [])


def test_landing_page_indexes_the_manifest():
    text = pages.landing_page(COURSE, COURSE.notebooks)
    assert text.startswith(f"# {COURSE.title}\n")
    rows = re.findall(r"<tr><td>(\d\d)</td>.*?</tr>", text)
    assert rows == [nb.id for nb in COURSE.notebooks]
    for nb in COURSE.notebooks:
        assert f'<a href="{nb.slug}.html">{html.escape(nb.title)}</a>' in text
        assert html.escape(", ".join(nb.topics)) in text
        for url in (COURSE.colab_url(nb), COURSE.kaggle_url(nb), pages.slides_href(nb)):
            assert f'href="{html.escape(url)}"' in text
    toctree = re.search(r"```\{toctree\}\n(.*?)```", text, re.S)[1]
    assert toctree.split("\n\n", 1)[1].split() == [nb.slug for nb in COURSE.notebooks]


@pytest.mark.parametrize("words", [
    ("convolución", "convolucionar", "convolucion", "convoluciones", "convolucionado"),
    ("normalización", "normalizacion", "normalizar"),
    ("función", "funcionar", "funcion"),
])
def test_spanish_search_gives_a_family_one_stem(words):
    stem = SearchCurso({}).stem
    assert len({stem(w) for w in words}) == 1, {w: stem(w) for w in words}


def test_spanish_search_keeps_different_words_apart():
    stem = SearchCurso({}).stem
    words = ["convolución", "transferencia", "regularización", "aumentación", "activación", "optimización"]
    assert len({stem(w) for w in words}) == len(words)


def test_remote_loads_are_found(tmp_path):
    (tmp_path / "a.html").write_text(
        '<script src="https://cdn.jsdelivr.net/npm/x.js"></script><script src="_static/local.js"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css"><img src="_images/f.png" alt="f">'
        '<a href="https://colab.research.google.com/github/ana/curso">Colab</a>', encoding="utf-8")
    (tmp_path / "b.css").write_text("@font-face { src: url('https://fonts.gstatic.com/f.woff2') }\n"
                                    "body { background: url(images/local.png) }", encoding="utf-8")
    assert builder.remote_loads(tmp_path) == [
        "a.html: https://cdn.jsdelivr.net/npm/x.js", "a.html: //fonts.googleapis.com/css",
        "b.css: https://fonts.gstatic.com/f.woff2"]


def test_interface_strings_become_spanish():
    page = '<a class="headerlink" title="Link to this heading">#</a><input placeholder="Search...">'
    assert spanish.translate(page) == \
        '<a class="headerlink" title="Enlace a este apartado">#</a><input placeholder="Buscar en el curso…">'
    catalog = ('Documentation.addTranslations({"locale": "es", "messages": {"Search": "Búsqueda", '
               '"Search finished, found one page matching the search query.": ["", "", ""]}, '
               '"plural_expr": "n == 1 ? 0 : 1"});')
    translated = spanish.translate_catalog(catalog)
    assert "Búsqueda terminada: ${resultCount} páginas coinciden." in translated
    assert '"Search": "Búsqueda"' in translated


def test_sources_refuse_a_missing_notebook(tmp_path):
    course = small_course(tmp_path, files=("07_algo.ipynb", "08_falta.ipynb"))
    nbformat.write(small_notebook(course, course.notebooks[0]), course.notebooks[0].path)
    with pytest.raises(builder.SiteError, match="08_falta.ipynb"):
        builder.write_sources(course, tmp_path / "fuentes")


def test_command_fails_with_a_spanish_message(monkeypatch, capsys):
    from tools.site import __main__ as command

    def failing(**_):
        raise builder.SiteError("Sphinx no pudo construir el sitio")

    monkeypatch.setattr(command, "build", failing)
    assert command.main([]) == 1
    assert capsys.readouterr().err == "Error al construir el sitio: Sphinx no pudo construir el sitio\n"


@pytest.mark.slow
def test_small_course_builds_into_an_offline_site(tmp_path):
    if not (COURSE.root / "node_modules" / "mathjax" / "package.json").exists():
        _skip_or_fail("faltan node_modules (npm ci; make site lo instala)")
    course = small_course(tmp_path)
    nb = course.notebooks[0]
    nbformat.write(small_notebook(course, nb), nb.path)
    lines = []
    index = builder.build(course, out_dir=tmp_path / "sitio", src_dir=tmp_path / "fuentes",
                          node_modules=COURSE.root / "node_modules", log=lines.append)
    out = index.parent
    assert [line.split(":")[0] for line in lines] == ["Fuentes", "Diapositivas", "Sphinx", "Listo"], lines
    assert "sin avisos" in lines[2], (tmp_path / "fuentes" / "avisos.txt").read_text(encoding="utf-8")
    page = (out / "07_algo.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in page and f'alt="{ALT}"' in page
    assert 'class="math notranslate nohighlight"' in page and "slides/lib/mathjax/MathJax.js" in page
    assert (out / "slides" / "07_algo.slides.html").is_file()
    assert (out / "slides" / "lib" / "mathjax" / "MathJax.js").is_file()
    assert builder.remote_loads(out) == []
    assert not (tmp_path / "jupyter_execute").exists(), "myst-nb escribe fuera de la carpeta de fuentes"
    assert "Algo 07" in (out / "index.html").read_text(encoding="utf-8")


# --- the real site in a browser -----------------------------------------------------------------

class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser that closes a connection mid-file is not an error of the site


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    """build/site/ served on 127.0.0.1, as GitHub Pages would serve it; yields its base URL."""
    if not (SITE / "index.html").is_file():
        _skip_or_fail("falta build/site/: ejecuta `make site` (.ci/run lo hace antes de make test)")
    missing = [name for name in PAGES if not (SITE / name).is_file()]
    assert not missing, f"build/site/ no tiene {missing}: vuelve a ejecutar `make site`"
    server = _Server(("127.0.0.1", 0), functools.partial(_Files, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def open_page(browser, base, path):
    """A page at base/path; every request outside `base` is refused and recorded in page.outside."""
    page = browser.new_page()
    page.outside, page.bad_status = [], []
    page.watch = PageWatch(page)

    def only_local(route):
        url = route.request.url
        if url.startswith(base + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            page.outside.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.on("response", lambda r: page.bad_status.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{base}/{path}", wait_until="load")
    return page


# What each page shows: headings, figures' alt text, the notebook's buttons, formulas and their rendering.
GATHER = """() => ({
  headings: [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
    .filter(h => h.checkVisibility()).map(h => [Number(h.tagName[1]), h.textContent.trim()]),
  images: [...document.querySelectorAll('article img')].map(i => i.getAttribute('alt')),
  buttons: Object.fromEntries([...document.querySelectorAll('article h1 ~ .botones-cuaderno a')]
    .map(a => [a.className.replace('boton ', ''), a.getAttribute('href')])),
  maths: document.querySelectorAll('.math').length,
  rendered: document.querySelectorAll('.MathJax_CHTML').length,
  lang: document.documentElement.lang,
})"""
# axe-core started without waiting for it, so that several pages are scanned at once (one renderer each).
START_AXE = """() => { window.__axe = null;
  axe.run(document, {resultTypes: ['violations']}).then(r => { window.__axe = r.violations; }); }"""
AT_ONCE = 3


@pytest.fixture(scope="module")
def shown(browser, site):
    """{page name: what it showed} for every page of the site, axe-core's violations included."""
    if not AXE.is_file():
        _skip_or_fail("falta axe-core en node_modules: ejecuta `npm ci` (make site lo hace)")
    seen = {}
    for start in range(0, len(PAGES), AT_ONCE):
        opened = {name: open_page(browser, site, name) for name in PAGES[start:start + AT_ONCE]}
        try:
            for page in opened.values():
                if page.evaluate("document.querySelectorAll('.math').length"):
                    page.wait_for_function("document.querySelectorAll('.MathJax_CHTML').length >= "
                                           "document.querySelectorAll('.math').length", timeout=2 * TIMEOUT_MS)
                page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
                page.evaluate(START_AXE)
            for name, page in opened.items():
                page.wait_for_function("window.__axe !== null", timeout=5 * TIMEOUT_MS)
                seen[name] = {**page.evaluate(GATHER), "axe": page.evaluate("window.__axe"), "outside": page.outside,
                              "failed": page.watch.failed + page.bad_status, "errors": page.watch.errors}
        finally:
            for page in opened.values():
                page.close()
    return seen


@pytest.mark.slow
def test_every_page_loads_offline_without_errors(shown):
    problems = {name: {k: info[k] for k in ("outside", "failed", "errors") if info[k]} for name, info in shown.items()}
    problems = {name: p for name, p in problems.items() if p}
    assert not problems, f"páginas que piden algo de fuera de build/site/ o fallan: {problems}"
    assert {info["lang"] for info in shown.values()} == {"es"}


@pytest.mark.slow
def test_no_serious_or_critical_accessibility_violation(shown):
    found = [f"{name}: {v['impact']} {v['id']} ×{len(v['nodes'])} ({v['nodes'][0]['target']}) — {v['help']}"
             for name, info in shown.items() for v in info["axe"] if v["impact"] in ("serious", "critical")]
    assert not found, "axe-core encuentra:\n" + "\n".join(found)


@pytest.mark.slow
def test_headings_are_in_order(shown):
    for name, info in shown.items():
        levels = [level for level, _ in info["headings"]]
        assert levels[:1] == [1] and levels.count(1) == 1, f"{name}: un solo h1, el primero: {info['headings'][:3]}"
        jumps = [(a, b) for a, b in zip(info["headings"], info["headings"][1:]) if b[0] > a[0] + 1]
        assert not jumps, f"{name}: un encabezado salta niveles: {jumps}"


@pytest.mark.slow
def test_figures_carry_the_notebooks_alt_text(shown):
    for name, nb in NOTEBOOK_PAGES.items():
        cells = nbformat.read(nb.path, as_version=4).cells
        alts = [c.metadata.get("mystnb", {}).get("image", {}).get("alt") for c in cells
                for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert shown[name]["images"] == alts and all(alts), f"{name}: texto alternativo de las figuras"


@pytest.mark.slow
def test_formulas_render(shown):
    with_math = {name: info for name, info in shown.items() if info["maths"]}
    assert with_math, "ninguna página tiene fórmulas: ¿ha dejado myst-nb de leer $…$?"
    assert all(info["rendered"] >= info["maths"] for info in with_math.values())


@pytest.mark.slow
def test_buttons_open_the_notebook_at_the_manifests_ref(shown):
    for name, nb in NOTEBOOK_PAGES.items():
        assert shown[name]["buttons"] == {"boton-colab": COURSE.colab_url(nb), "boton-kaggle": COURSE.kaggle_url(nb),
                                          "boton-diapositivas": pages.slides_href(nb)}, name
        assert f"/blob/{COURSE.ref}/notebooks/{nb.file}" in COURSE.colab_url(nb)
        assert (SITE / pages.slides_href(nb)).is_file(), f"{name}: falta su presentación"


def search(browser, site, query):
    """The result pages, in order, that the search box lists for `query`, and their excerpts."""
    page = open_page(browser, site, f"search.html?q={query}")
    try:
        page.wait_for_function("(document.querySelector('.search-summary') || {}).textContent", timeout=TIMEOUT_MS)
        hrefs = page.eval_on_selector_all("#search-results li > a", "links => links.map(a => a.getAttribute('href'))")
        excerpts = page.eval_on_selector_all("#search-results li p.context", "ps => ps.map(p => p.textContent)")
        assert not page.outside and not page.watch.errors
        return [h.split("#")[0].split("?")[0] for h in hrefs], excerpts
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("query, first", [("convolución", "05"), ("convolucionar", "05"), ("transfer", "09")])
def test_search_lists_the_right_notebook_first(browser, site, query, first):
    results, excerpts = search(browser, site, query)
    assert results and results[0] == f"{COURSE.notebook(first).slug}.html", f"«{query}» lista primero {results[:3]}"
    assert not [e for e in excerpts if "En esta página" in e or "Abrir en Colab" in e], \
        "los extractos salen del texto del cuaderno, no de la cabecera del tema ni de los botones"


@pytest.mark.slow
def test_search_box_stems_like_the_index(browser, site):
    words = ["convolución", "convolucionar", "convolucion", "normalizacion", "transferencia", "pooling", "épocas"]
    page = open_page(browser, site, "search.html")
    try:
        in_browser = page.evaluate("words => { const s = new Stemmer(); return words.map(w => s.stemWord(w)); }", words)
    finally:
        page.close()
    assert in_browser == [SearchCurso({}).stem(w) for w in words]

"""A real browser: the built slide decks in headless Chromium, and a live explorer in JupyterLab.

Skipped (with the reason) where Chromium or Playwright is missing; under CI they must run, so
there a missing browser fails instead. `.ci/run` installs Debian's `chromium`; Playwright drives
it and never downloads a browser of its own.
"""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

pytestmark = pytest.mark.slow  # starts Chromium and JupyterLab

from tools import course as C
from tools import slides

COURSE = C.load_manifest()
EXISTING = [nb for nb in COURSE.notebooks if nb.path.exists()]
CHROMIUM = os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a headless Chromium on a machine without network (background networking only fails there).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 240_000


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "falta el paquete playwright (make install lo instala desde requirements.txt)"
    if not CHROMIUM:
        return "falta Chromium: instala el paquete chromium de Debian (apt-get install chromium), como hace .ci/run"
    return None


def _skip_or_fail(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"en CI estas pruebas deben ejecutarse: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = _missing_browser()
    if reason:
        _skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("perfil-chromium")), executable_path=CHROMIUM, headless=True,
            args=FLAGS, viewport={"width": 1280, "height": 800}, timeout=TIMEOUT_MS)
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


class PageWatch:
    """Errors and requests of one page, to assert that it worked offline and without errors."""

    def __init__(self, page):
        self.page, self.errors, self.failed, self.requests = page, [], [], []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("request", lambda r: self.requests.append((r.resource_type, r.url)))


def shown_types(notebook) -> list[str]:
    """Slide types as a deck shows them: reveal decks (nbconvert, RISE) start with a slide."""
    types = slides.slide_types(notebook)
    first = next(i for i, t in enumerate(types) if t not in ("skip", "notes"))
    return types[:first] + ["slide"] + types[first + 1:]


# --- (1) slide decks ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    if not (C.ROOT / "node_modules" / "reveal.js" / "package.json").exists():
        _skip_or_fail("faltan las copias locales de reveal.js y compañía: ejecuta `npm ci` (lo hace make test)")
    out = tmp_path_factory.mktemp("diapositivas")
    return {path.name: path for path in slides.build(COURSE, [nb.id for nb in EXISTING], out_dir=out)}


@pytest.mark.parametrize("nb", EXISTING, ids=lambda nb: nb.id)
def test_deck_renders_offline_as_reveal_deck(browser, decks, nb):
    deck = slides.deck_notebook(nbformat.read(nb.path, as_version=4), COURSE)
    types = shown_types(deck)
    page = browser.new_page()
    watch = PageWatch(page)
    try:
        page.goto(decks[f"{nb.slug}.slides.html"].as_uri())
        page.wait_for_selector(".reveal.ready")
        # nbconvert's deck loads reveal.js with require.js, so Reveal is a module, not a global.
        page.evaluate("window.Reveal = require('lib/reveal.js/dist/reveal.js')")
        total, horizontal = page.evaluate("[Reveal.getTotalSlides(), Reveal.getHorizontalSlides().length]")
        assert horizontal == types.count("slide"), f"{nb.file}: diapositivas horizontales"
        assert total == types.count("slide") + types.count("subslide"), f"{nb.file}: diapositivas en total"
        title = page.evaluate("(Reveal.getCurrentSlide().querySelector('h1') || {}).textContent || ''")
        assert title.startswith(f"{nb.id} · {nb.title}"), f"la primera diapositiva es el título; muestra {title!r}"
        if horizontal > 1:
            page.keyboard.press("ArrowRight")
            page.wait_for_function("Reveal.getIndices().h === 1")
        markdown = "\n".join(c.source for c, t in zip(deck.cells, types, strict=True)
                             if c.cell_type == "markdown" and t != "skip")
        if re.search(r"\$[^$\n]+\$", markdown):
            page.wait_for_function("document.querySelectorAll('.MathJax_CHTML').length > 0")
        assert not watch.errors, f"errores de JavaScript: {watch.errors}"
        assert not watch.failed, f"peticiones fallidas (¿algo que no está en lib/?): {watch.failed}"
        remote = [url for kind, url in watch.requests if kind in ("script", "stylesheet", "font")
                  and not url.startswith("file://")]
        assert not remote, f"la presentación debe funcionar sin conexión y pidió {remote}"
    finally:
        page.close()


# --- (2) a live explorer in JupyterLab ---------------------------------------------------------

def _explorer_notebook(folder):
    """The first course notebook with an explorer, copied; or a small one written here."""
    (folder / "notebooks").mkdir()
    # The setup cell finds the repository root by its course.toml; `utils` itself is installed (-e .).
    shutil.copy2(C.MANIFEST, folder / "course.toml")
    for nb in EXISTING:
        notebook = nbformat.read(nb.path, as_version=4)
        if any("widgets.explorer(" in c.source for c in notebook.cells if c.cell_type == "code"):
            break
    else:
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_markdown_cell("# Explorador de prueba"),
            nbformat.v4.new_code_cell(
                "import ipywidgets as widgets\nimport utils\n\n\ndef mostrar(n, modo):\n"
                "    print(f'n = {n} · modo = {modo} · cuadrado = {n * n}')\n\n\n"
                "ui = utils.widgets.explorer(mostrar, n=widgets.IntSlider(value=3, min=0, max=10), modo=['a', 'b'])"),
        ])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb = None
    slides.apply(notebook)
    target = folder / "notebooks" / (nb.file if nb else "explorador.ipynb")
    nbformat.write(notebook, target)
    return target, notebook


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """JupyterLab on 127.0.0.1 with live widgets (COURSE_HEADLESS=0); shut down afterwards."""
    root = tmp_path_factory.mktemp("lab")
    notebook_path, notebook = _explorer_notebook(root)
    config = root / "config"
    config.mkdir()
    (config / "jupyter_lab_config.json").write_text(json.dumps(
        {"LabApp": {"expose_app_in_browser": True, "news_url": None, "extension_manager": "readonly"}}))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "COURSE_HEADLESS": "0", "JUPYTER_CONFIG_DIR": str(config),
           "JUPYTER_DATA_DIR": str(root / "data"), "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
           "IPYTHONDIR": str(root / "ipython")}
    log = open(root / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}"],
        env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab no arrancó:\n" + (root / "lab.log").read_text()[-3000:])
                time.sleep(0.3)
        yield {"base": base, "token": token, "path": notebook_path.relative_to(root).as_posix(),
               "notebook": notebook, "log": root / "lab.log"}
    finally:
        server.send_signal(signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


# The error outputs of the open notebook: "cell N: EName: value".
CELL_ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets.flatMap((cell, i) =>
    cell.model.type === 'code' ? cell.model.outputs.toJSON().filter(o => o.output_type === 'error')
        .map(o => `celda ${i + 1}: ${o.ename}: ${o.evalue}`) : [])"""


def _change_first_control(page, interact):
    """Move the explorer's first slider (or pick another option of its first dropdown)."""
    slider = interact.locator(".widget-slider .noUi-handle")
    if slider.count():
        readout = interact.locator(".widget-slider .widget-readout").first
        before = readout.inner_text()
        slider.first.focus()
        page.keyboard.press("ArrowRight")
        if readout.inner_text() == before:  # already at its maximum
            page.keyboard.press("ArrowLeft")
            page.keyboard.press("ArrowLeft")
        return
    select = interact.locator("select").first
    options = select.locator("option").all_inner_texts()
    current = select.evaluate("s => s.options[s.selectedIndex].text")
    select.select_option(label=next(o for o in options if o != current))


def test_explorer_renders_and_responds_in_jupyterlab(browser, lab):
    page = browser.new_page()
    watch = PageWatch(page)
    try:
        page.goto(f"{lab['base']}/lab/tree/{lab['path']}?token={lab['token']}")
        page.wait_for_function(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
            " return k && k.connectionStatus === 'connected'; }", timeout=2 * TIMEOUT_MS)
        assert page.evaluate("window.jupyterapp.commands.hasCommand('RISE:slideshow')"), \
            "jupyterlab-rise no está cargado en JupyterLab"
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')"
                      ".then(ok => { window.__ranAll = ok; })")
        page.wait_for_function("window.__ranAll !== undefined", timeout=RUN_ALL_TIMEOUT_MS)
        assert page.evaluate("window.__ranAll"), f"fallaron celdas en JupyterLab: {page.evaluate(CELL_ERRORS)}"
        interact = page.locator(".jp-OutputArea .widget-interact").first
        interact.wait_for()
        output = interact.locator(".widget-output").first
        page.wait_for_function("o => o.innerHTML.trim().length > 0", arg=output.element_handle())
        assert page.locator(".jupyter-widgets").count() > 0
        assert page.get_by_text("Error displaying widget").count() == 0, "un widget no se pudo mostrar"
        before = output.inner_html()
        _change_first_control(page, interact)
        page.wait_for_function("([o, b]) => o.innerHTML !== b && o.innerHTML.trim().length > 0",
                               arg=[output.element_handle(), before])
        assert page.get_by_text("Error displaying widget").count() == 0
        assert not watch.errors, f"errores de JavaScript: {watch.errors}"
    finally:
        page.close()


def test_notebook_presents_live_with_rise(browser, lab):
    page = browser.new_page()
    try:
        page.goto(f"{lab['base']}/rise/{lab['path']}?token={lab['token']}")
        page.wait_for_selector(".reveal .slides > section", timeout=2 * TIMEOUT_MS)
        expected = shown_types(lab["notebook"]).count("slide")
        assert page.locator(".reveal .slides > section").count() == expected
    finally:
        page.close()

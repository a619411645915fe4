"""`make site`: Sphinx sources from the notebooks, the slide decks, the Sphinx build and its checks."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools import manifest as M
from tools import slides
from tools.site import pages

CONF = ("from tools.site.sphinx_conf import *  # noqa: F401,F403 (the course site's settings)\n\n"
        "project = html_title = {title!r}\nauthor = copyright = ''\n"
        "# tools/site's own files: when they change, Sphinx reads and writes every page again.\n"
        "curso_sitio = {digest!r}\n")
SITE_TOOLS = Path(__file__).resolve().parent
DECKS = "_diapositivas"  # in the sources folder, outside _build: new Sphinx settings keep the decks
# Attributes through which a page loads something (links to other sites are only followed on a click).
LOADS = re.compile(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\bsrc=[\"']([^\"']+)"
                   r"|<link\b[^>]*?\bhref=[\"']([^\"']+)|url\(\s*[\"']?([^\"')]+)", re.I)
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


class SiteError(RuntimeError):
    """A step of the site build failed; the message says which, in Spanish."""


def _shown(path: Path) -> str:
    return str(path.relative_to(M.ROOT)) if path.is_relative_to(M.ROOT) else str(path)


def _write_if_changed(path: Path, text: str):
    """Unchanged sources keep their time stamp, so Sphinx can reuse what it already read."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def tools_digest() -> str:
    """A hash of tools/site/ (code, templates, CSS) and tools/slides.py."""
    digest = hashlib.sha256()
    for file in sorted([*SITE_TOOLS.rglob("*"), Path(slides.__file__)]):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()[:16]


def write_sources(course: M.Course, src: Path) -> list[Path]:
    """build/site-src/: conf.py, index.md and one page-ready copy of each notebook of the manifest."""
    import nbformat

    absent = [nb.file for nb in course.notebooks if not nb.path.exists()]
    if absent:
        raise SiteError(f"course.toml lista cuadernos que no existen en notebooks/: {', '.join(absent)}")
    src.mkdir(parents=True, exist_ok=True)
    expected = {"conf.py", "index.md", *(nb.file for nb in course.notebooks)}
    stale = [file for file in src.glob("*.ipynb") if file.name not in expected]
    conf = CONF.format(title=course.title, digest=tools_digest())
    if stale or not (src / "conf.py").exists() or (src / "conf.py").read_text(encoding="utf-8") != conf:
        # new settings or a notebook gone: Sphinx would keep the pages it no longer builds
        shutil.rmtree(src / "_build", ignore_errors=True)
    for file in stale:
        file.unlink()
    _write_if_changed(src / "conf.py", conf)
    _write_if_changed(src / "index.md", pages.landing_page(course, course.notebooks))
    written = []
    for nb in course.notebooks:
        try:
            notebook = nbformat.read(nb.path, as_version=4)
        except Exception as exc:  # nbformat raises several types for a broken file
            raise SiteError(f"no se pudo leer {nb.file}: {exc}") from exc
        page = pages.notebook_page(notebook, course, nb)
        _write_if_changed(src / nb.file, nbformat.writes(page) + "\n")
        written.append(src / nb.file)
    return written


def start_sphinx(src: Path, *, jobs: str = "auto") -> subprocess.Popen:
    """sphinx-build -q into src/_build/html, in the background (`finish_sphinx` waits for it).

    Under src/_build, because myst-nb writes the notebooks' images beside the output folder
    (`jupyter_execute/`), which must not land in build/ or in what gets published.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(M.ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", jobs, "-d", str(src / "_build" / "doctrees"),
         "-w", str(src / "avisos.txt"), str(src), str(src / "_build" / "html")],
        cwd=M.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_sphinx(process: subprocess.Popen, src: Path) -> tuple[Path, list[str]]:
    """The output folder and Sphinx's warnings; SiteError with its last lines when it failed."""
    stdout, stderr = process.communicate()
    if process.returncode:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-15:])
        raise SiteError(f"Sphinx no pudo construir el sitio (código {process.returncode}):\n{tail}")
    text = (src / "avisos.txt").read_text(encoding="utf-8") if (src / "avisos.txt").exists() else ""
    return src / "_build" / "html", [line for line in text.splitlines() if re.search(r"\b(WARNING|ERROR)\b", line)]


def build_decks(course: M.Course, out: Path, node_modules: Path | None) -> tuple[list[Path], int]:
    """The slide decks (tools.slides) into `out`, rebuilding only those older than their notebook."""
    for deck in out.glob("*.slides.html"):
        if deck.name not in {f"{nb.slug}.slides.html" for nb in course.notebooks}:
            deck.unlink()  # its notebook left the course
    newest_rule = max(Path(slides.__file__).stat().st_mtime, course.root.joinpath("course.toml").stat().st_mtime)
    stale = [nb.id for nb in course.notebooks if not (out / f"{nb.slug}.slides.html").exists()
             or (out / f"{nb.slug}.slides.html").stat().st_mtime < max(nb.path.stat().st_mtime, newest_rule)]
    try:
        if stale:
            slides.build(course, stale, out_dir=out, node_modules=node_modules)
    except (FileNotFoundError, ValueError) as exc:
        raise SiteError(f"no se pudieron generar las diapositivas: {exc}") from exc
    return [out / f"{nb.slug}.slides.html" for nb in course.notebooks], len(stale)


def remote_loads(out: Path) -> list[str]:
    """What any HTML or CSS file of `out` would load from outside it: "file: url" lines."""
    found = []
    for file in sorted([*out.rglob("*.html"), *out.rglob("*.css")]):
        if "slides/lib" in file.relative_to(out).as_posix():
            continue  # reveal.js and MathJax as published: the slide tests load them in a browser
        for match in LOADS.finditer(file.read_text(encoding="utf-8", errors="replace")):
            url = next(g for g in match.groups() if g)
            if REMOTE.match(url.strip()):
                found.append(f"{file.relative_to(out).as_posix()}: {url}")
    return found


def build(course: M.Course | None = None, *, out_dir: Path | None = None, src_dir: Path | None = None,
          node_modules: Path | None = None, jobs: str = "auto", log=print) -> Path:
    """Write the whole site into build/site/ (or out_dir); return its index.html. One `log` line per step."""
    started = time.monotonic()
    course = course or M.load_manifest()
    out = Path(out_dir or course.root / "build" / "site")
    src = Path(src_dir or course.root / "build" / "site-src")
    clock = time.monotonic()
    write_sources(course, src)
    log(f"Fuentes: portada y {len(course.notebooks)} cuadernos en {_shown(src)}/ ({time.monotonic() - clock:.0f} s)")
    clock = time.monotonic()
    sphinx = start_sphinx(src, jobs=jobs)  # the decks are built meanwhile: two cores, two jobs
    try:
        decks, rebuilt = build_decks(course, src / DECKS, node_modules)
    except BaseException:
        sphinx.kill()
        sphinx.communicate()
        raise
    log(f"Diapositivas: {len(decks)}, {rebuilt} regeneradas ({time.monotonic() - clock:.0f} s)")
    html, warnings = finish_sphinx(sphinx, src)
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(html, out)
    shutil.copytree(src / DECKS, out / "slides")
    note = f"{len(warnings)} avisos en {_shown(src / 'avisos.txt')}" if warnings else "sin avisos"
    pages_built = len(list(out.glob("*.html")))
    log(f"Sphinx: {pages_built} páginas en {_shown(out)}/, {note} ({time.monotonic() - clock:.0f} s)")
    remote = remote_loads(out)
    if remote:
        raise SiteError("el sitio debe funcionar sin conexión, y estas páginas cargan algo de fuera:\n  "
                        + "\n  ".join(remote[:20]))
    log(f"Listo: {_shown(out / 'index.html')}; ninguna página carga nada de fuera "
        f"({time.monotonic() - started:.0f} s en total)")
    return out / "index.html"

"""Slides from the notebooks: reveal.js slide metadata chosen by rules, and offline decks.

    python -m tools.slides [--only 05 ...]      # build/slides/NN_*.slides.html (what `make slides` runs)

Every cell gets `metadata.slideshow = {"slide_type": T, "rule": T}`; "rule" records what the
rules chose. A cell whose slide_type differs from its "rule" (or has no "rule") was set by hand,
in JupyterLab's property inspector or in the JSON, and is left alone; `make sync` applies the rules.
"""
from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

from tools import manifest as M

SLIDE_TYPES = ("slide", "subslide", "fragment", "skip", "notes", "-")
# "> **Nota para el docente**", "> **Notas para la docente:**", "> **Para el profesorado**", ...
NOTES = re.compile(r"\A\s*>\s*\*\*[^*\n]*\b(docentes?|profesor\w*|instructor\w*)\b", re.I)
SETUP_CALL = re.compile(r"^\s*(\w+\s*=\s*)?utils\.setup\(", re.M)
# Local copies of the JavaScript a deck loads (npm, package.json), copied next to the decks.
ASSETS = {
    "reveal.js": ["dist/**/*", "plugin/**/*", "LICENSE"],
    "requirejs": ["require.js"],
    "jquery": ["dist/jquery.min.js", "LICENSE.txt"],
    "mathjax": ["MathJax.js", "LICENSE", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions/**/*",
                "jax/input/TeX/**/*", "jax/element/**/*", "jax/output/CommonHTML/**/*", "jax/output/PreviewHTML/**/*",
                "fonts/HTML-CSS/TeX/woff/**/*", "localization/**/*"],
}
EXPORTER_OPTIONS = {
    "reveal_url_prefix": "lib/reveal.js",
    "require_js_url": "lib/requirejs/require.js",
    "jquery_url": "lib/jquery/dist/jquery.min.js",
    "mathjax_url": "lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "reveal_theme": "white",  # its fonts ship with reveal.js; nbconvert's default theme loads Google Fonts
    "reveal_scroll": True,
    "reveal_number": "c/t",
    "language_code": "es",  # <html lang="es">: screen readers read the deck as Spanish
    # nbconvert's template imports mermaid from a CDN unconditionally; the course draws no mermaid.
    "raw_template": "{%- extends 'index.html.j2' -%}\n"
                    "{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}\n"
                    # the figure's alt text (cell metadata mystnb.image.alt, copied by deck_notebook)
                    "{% block data_png scoped %}\n"
                    "<div class=\"jp-RenderedImage jp-OutputArea-output {{ extra_class }}\">\n"
                    "<img src=\"data:image/png;base64,{{ output.data['image/png'] | escape_html }}\" "
                    "alt=\"{{ ((output | get_metadata('alt', 'image/png')) or '') | escape_html }}\">\n"
                    "</div>\n"
                    "{%- endblock data_png %}\n",
}


# --- the rules --------------------------------------------------------------------------------

def _is_plumbing(cell) -> bool:
    return cell.cell_type == "code" and (
        cell.get("id") in (M.SETUP_ID, M.PARAMETERS_ID)
        or "parameters" in cell.metadata.get("tags", [])
        or bool(SETUP_CALL.search(cell.source))
    )


def rule_for(cell, *, previous: str | None, slide_has_code: bool) -> str:
    """The slide type the course's rules give `cell`, knowing what came before it in the deck.

    previous: cell_type of the last cell shown (not skipped, not notes), None if none yet;
    slide_has_code: whether the current (sub)slide already shows a code cell.
    """
    source = cell.source.strip()
    if cell.get("id") == M.HEADER_ID:
        return "slide"
    if not source or _is_plumbing(cell) or cell.cell_type == "raw":
        return "skip"
    if cell.cell_type == "markdown" and NOTES.match(source):
        return "notes"
    if previous is None:  # a deck starts with a slide (nbconvert makes the first cell shown one anyway)
        return "slide"
    if cell.cell_type == "code":
        return "fragment" if previous == "code" else "-"
    if "**Objetivos**" in source:
        return "subslide"
    if re.search(r"^#{1,2} ", source, re.M):
        return "slide"
    if re.search(r"^### ", source, re.M):
        return "subslide"
    return "subslide" if slide_has_code else "-"


def _slideshow(cell) -> dict:
    return cell.metadata.get("slideshow") or {}


def is_manual(cell) -> bool:
    """A slide type set by hand: present, and not the one the rules recorded."""
    meta = _slideshow(cell)
    return "slide_type" in meta and meta.get("rule") != meta["slide_type"]


def apply(notebook) -> list[str]:
    """Give every cell its rule slide type (manual ones stay); return what was missing or stale."""
    missing, stale, invalid = [], [], []
    previous, slide_has_code = None, False
    for i, cell in enumerate(notebook.cells):
        rule = rule_for(cell, previous=previous, slide_has_code=slide_has_code)
        meta = _slideshow(cell)
        if is_manual(cell):
            effective = meta["slide_type"]
            if effective not in SLIDE_TYPES:
                invalid.append(cell.get("id", str(i)))
        else:
            if "slide_type" not in meta:
                missing.append(cell.get("id", str(i)))
            elif meta["slide_type"] != rule:
                stale.append(cell.get("id", str(i)))
            cell.metadata["slideshow"] = {**meta, "slide_type": rule, "rule": rule}
            effective = rule
        if effective in ("slide", "subslide"):
            slide_has_code = False
        if effective not in ("skip", "notes"):
            previous = cell.cell_type
            slide_has_code = slide_has_code or cell.cell_type == "code"
    problems = []
    if missing:
        shown = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
        problems.append(f"faltan metadatos de diapositiva en {len(missing)} celdas ({shown})")
    if stale:
        problems.append(f"metadatos de diapositiva desactualizados en las celdas {', '.join(stale)}")
    if invalid:
        problems.append(f"tipo de diapositiva no válido en las celdas {', '.join(invalid)}; "
                        f"usa uno de {', '.join(SLIDE_TYPES)}")
    return problems


def slide_types(notebook) -> list[str]:
    """The slide type of each cell as a deck will use it ("-" where there is none)."""
    return [_slideshow(c).get("slide_type", "-") for c in notebook.cells]


# --- the decks --------------------------------------------------------------------------------

def deck_notebook(notebook, course: M.Course):
    """A copy to present: rules applied, title slide without buttons, no widget state (CDN-only)."""
    deck = copy.deepcopy(notebook)
    apply(deck)
    deck.metadata.pop("widgets", None)
    for cell in deck.cells:
        alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
        for output in cell.get("outputs", []) if alt else ():
            if "image/png" in output.get("data", {}):
                output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = alt
        if cell.get("id") == M.HEADER_ID:
            cell.source = f"{cell.source.splitlines()[0]}\n\n*{course.title}*"
    return deck


def _copy_assets(node_modules: Path, lib: Path):
    missing = [name for name in ASSETS if not (node_modules / name / "package.json").is_file()]
    if missing:
        raise FileNotFoundError(
            f"faltan las copias locales de {', '.join(missing)} en node_modules/: ejecuta `make slides`, "
            "que las instala con `npm ci` (hace falta Node.js)")
    for name, patterns in ASSETS.items():
        source = node_modules / name
        for pattern in patterns:
            for file in source.glob(pattern):
                if file.is_file() and file.suffix != ".map":
                    target = lib / name / file.relative_to(source)
                    if not target.exists() or target.stat().st_size != file.stat().st_size:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(file, target)


def build(course: M.Course | None = None, only=None, *, out_dir: Path | None = None,
          node_modules: Path | None = None) -> list[Path]:
    """Write build/slides/NN_*.slides.html and the local JavaScript they load (lib/)."""
    import nbformat
    from nbconvert import SlidesExporter

    course = course or M.load_manifest()
    selected = [course.notebook(i) for i in only] if only else course.notebooks
    absent = [nb.file for nb in selected if not nb.path.exists()]
    if absent:
        raise FileNotFoundError(f"course.toml lista cuadernos que no existen en notebooks/: {', '.join(absent)}")
    out_dir = Path(out_dir or course.root / "build" / "slides")
    _copy_assets(Path(node_modules or course.root / "node_modules"), out_dir / "lib")
    exporter = SlidesExporter(**EXPORTER_OPTIONS)
    written = []
    for nb in selected:
        deck = deck_notebook(nbformat.read(nb.path, as_version=4), course)
        body, _ = exporter.from_notebook_node(deck, resources={"metadata": {"name": f"{nb.id} · {nb.title}"}})
        target = out_dir / f"{nb.slug}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.slides", description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NN", help="notebook ids, e.g. 05")
    parser.add_argument("--out", type=Path, help="output folder (default build/slides)")
    args = parser.parse_args(argv)
    try:
        written = build(only=args.only, out_dir=args.out)
    except (FileNotFoundError, ValueError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"Diapositivas: {path.relative_to(M.ROOT) if path.is_relative_to(M.ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

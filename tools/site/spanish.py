"""The site's interface in Spanish where Sphinx's and the themes' catalogs leave English.

`language = "es"` translates most of it; what is left is hard-coded in a template or missing from a
catalog. `translate_pages` (Sphinx's build-finished) rewrites those exact attributes in the built HTML
and completes the search page's messages in `_static/translations.js`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

# myst-nb's toggle of a folded cell (the setup cell).
CODE_PROMPT_SHOW = "Mostrar el código oculto"
CODE_PROMPT_HIDE = "Ocultar el código"
# Exact attribute text in the built pages -> its Spanish.
ATTRIBUTES = {
    'title="Link to this heading"': 'title="Enlace a este apartado"',
    # the folded cell's toggle is named by its visible text (axe: label-content-name-mismatch)
    '<summary aria-label="Toggle hidden content">': '<summary>',
    'title="Toggle primary sidebar"': 'title="Mostrar u ocultar el índice del curso"',
    'title="Toggle secondary sidebar"': 'title="Mostrar u ocultar el índice de la página"',
    'aria-label="Main"': 'aria-label="Principal"',
    'aria-label="Page"': 'aria-label="Página"',
    'aria-label="Search..."': 'aria-label="Buscar en el curso"',
    'placeholder="Search..."': 'placeholder="Buscar en el curso…"',
}


# Sphinx's Spanish catalog for the search page (translations.js): an empty entry, and a clumsy one.
MESSAGES = {
    "Search finished, found one page matching the search query.": [
        "Búsqueda terminada: una página coincide.",
        "Búsqueda terminada: ${resultCount} páginas coinciden.",
        "Búsqueda terminada: ${resultCount} páginas coinciden.",
    ],
    "Your search did not match any documents. Please make sure that all words are spelled correctly and "
    "that you've selected enough categories.":
        "Ninguna página coincide con tu búsqueda. Comprueba que todas las palabras estén bien escritas.",
}
TRANSLATIONS_JS = re.compile(r"\A\s*Documentation\.addTranslations\((.*)\);?\s*\Z", re.S)


def translate(html: str) -> str:
    for english, spanish in ATTRIBUTES.items():
        html = html.replace(english, spanish)
    return html


def translate_catalog(js: str) -> str:
    """translations.js with MESSAGES put in (unchanged if it is not in the form Sphinx writes)."""
    match = TRANSLATIONS_JS.match(js)
    if not match:
        return js
    catalog = json.loads(match[1])
    catalog["messages"].update(MESSAGES)
    return f"Documentation.addTranslations({json.dumps(catalog, ensure_ascii=False, indent=1)});\n"


def translate_pages(app, exception):
    """Sphinx's build-finished handler: every HTML page of the output, rewritten in place."""
    if exception is not None or app.builder.format != "html":
        return
    catalog = Path(app.outdir) / "_static" / "translations.js"
    if catalog.exists():
        catalog.write_text(translate_catalog(catalog.read_text(encoding="utf-8")), encoding="utf-8")
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        translated = translate(text)
        if translated != text:
            page.write_text(translated, encoding="utf-8")

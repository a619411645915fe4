"""Sphinx settings of the course site; the conf.py that tools.site.builder writes imports them.

Everything a page loads is local: no widget manager or require.js (myst-nb adds them from CDNs when a
notebook carries widget state), MathJax 2 from the slide decks' copy (package.json), the theme's own
fonts and icons. Notebooks are never executed: pages show the committed outputs.
"""
# Helpers are private (_name): `from tools.site.sphinx_conf import *` hands Sphinx only its settings and setup.
from pathlib import Path as _Path

from tools.site import spanish as _spanish
from tools.site.search import SearchCurso as _SearchCurso

_HERE = _Path(__file__).resolve().parent
_STATIC = _HERE / "static"

extensions = ["myst_nb", "sphinx.ext.githubpages"]  # githubpages: .nojekyll, so Pages serves _static/
language = "es"
exclude_patterns = ["_*", "**.ipynb_checkpoints"]  # _build/, _diapositivas/: the builder's, not pages

# Notebooks: committed outputs, as nbval checked them.
nb_execution_mode = "off"
nb_ipywidgets_js = {}
nb_merge_streams = True
nb_code_prompt_show, nb_code_prompt_hide = _spanish.CODE_PROMPT_SHOW, _spanish.CODE_PROMPT_HIDE
myst_enable_extensions = ["dollarmath"]
myst_update_mathjax = False  # its settings are MathJax 3/4's; the site loads MathJax 2

# MathJax 2.7.9, the copy tools.slides puts beside the decks in build/site/slides/lib (relative to _static/).
mathjax_path = "../slides/lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
mathjax2_config = {
    "messageStyle": "none",
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]],
                "processEscapes": False, "ignoreClass": "highlight|output|cell_output"},
}

html_theme = "sphinx_book_theme"
templates_path = [str(_HERE / "templates")]  # theme components overridden for accessibility
html_static_path = [str(_STATIC)]
html_favicon = str(_STATIC / "favicon.svg")  # browsers ask for one: without it, a 404 on every page
html_css_files = ["curso.css"]
html_js_files = ["busqueda.js"]
html_copy_source = False
html_use_index = False  # the pages define no index entries: the general index would be an empty page
html_show_sourcelink = False
html_show_sphinx = False
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "navbar_persistent": [],  # one search box, the sidebar's (pydata adds a second one to the top bar)
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": True,
    "navigation_with_keys": False,
    "toc_title": "En esta página",
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
}


def setup(app):
    app.add_config_value("curso_sitio", "", "env")  # tools_digest(), set by the generated conf.py
    app.add_search_language(_SearchCurso)
    app.connect("build-finished", _spanish.translate_pages)

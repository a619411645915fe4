"""What the site shows: a notebook turned into its page, and the landing page with the course index."""
from __future__ import annotations

import copy
import html
import re

from tools import manifest as M
from utils.figures import FIGURE_MIME

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Output types a page does not show: widget views need a live kernel (or the widget manager from a
# CDN); a published figure (`utils.publish`) is shown by its text/plain line, as in the notebook.
DROPPED = {WIDGET_VIEW, FIGURE_MIME}
EXPLORER = re.compile(r"(?<![\w.])(?:utils\.)?(?:widgets\.)?explorer\(")
# A cell whose input the page folds away (a toggle shows it): plumbing, identical in every notebook.
HIDDEN_INPUT = {M.SETUP_ID}


def slides_href(nb: M.Notebook) -> str:
    """The notebook's deck, relative to any page of the site (all pages sit at its root)."""
    return f"slides/{nb.slug}.slides.html"


def buttons(course: M.Course, nb: M.Notebook) -> str:
    """Colab, Kaggle and slide-deck links as one raw HTML block (text links: no remote badge images)."""
    name = html.escape(f"{nb.id} · {nb.title}")
    links = [(course.colab_url(nb), "Abrir en Colab", "colab"), (course.kaggle_url(nb), "Abrir en Kaggle", "kaggle"),
             (slides_href(nb), "Diapositivas", "diapositivas")]
    # The accessible name starts with the visible text (axe: label-content-name-mismatch) and names the notebook.
    return '<div class="botones-cuaderno">' + " ".join(
        f'<a class="boton boton-{kind}" href="{html.escape(url)}" aria-label="{text}: {name}">{text}</a>'
        for url, text, kind in links) + "</div>"


def explorer_note(course: M.Course, nb: M.Notebook) -> str:
    return ("> **Explorador interactivo.** Aquí ves su estado inicial como figura fija. Para mover sus "
            f"controles y ver cómo cambia, [abre este cuaderno en Colab]({course.colab_url(nb)}).")


def notebook_page(notebook, course: M.Course, nb: M.Notebook):
    """A copy of `notebook` for the site: buttons instead of badges, no widget state, explorers noted.

    The committed outputs stay as they are (the site never executes a notebook); widget views, which
    need a live kernel or the widget manager from a CDN, are dropped.
    """
    import nbformat

    page = copy.deepcopy(notebook)
    page.metadata.pop("widgets", None)
    header = f"# {nb.id} · {nb.title}\n\n{buttons(course, nb)}"
    cells = []
    for cell in page.cells:
        if cell.get("id") == M.HEADER_ID:
            cell.source = header
        if cell.cell_type == "code":
            cell.outputs = [_shown_part(o) for o in cell.get("outputs", [])]
            cell.outputs = [o for o in cell.outputs if o is not None]
            if cell.get("id") in HIDDEN_INPUT:
                cell.metadata["tags"] = sorted({*cell.metadata.get("tags", []), "hide-input"})
        cells.append(cell)
        if cell.cell_type == "code" and EXPLORER.search(cell.source):
            note = nbformat.v4.new_markdown_cell(explorer_note(course, nb))
            note.id = f"{cell.get('id', 'celda')}-explorador-en-colab"[:64]
            cells.append(note)
    if not any(c.get("id") == M.HEADER_ID for c in cells):
        first = nbformat.v4.new_markdown_cell(header)
        first.id = M.HEADER_ID
        cells.insert(0, first)
    page.cells = cells
    return page


def _shown_part(output):
    """The output without the types in DROPPED; None when nothing else is left to show."""
    data = output.get("data")
    if not data or not DROPPED & set(data):
        return output
    rest = {k: v for k, v in data.items() if k not in DROPPED}
    if WIDGET_VIEW in data:  # its text/plain is only "interactive(children=…)"
        rest.pop("text/plain", None)
    if not rest:
        return None
    output = copy.deepcopy(output)
    output["data"] = rest
    return output


INTRO = """\
Un curso práctico, en español, de *deep learning* para visión por computador con TensorFlow y Keras 3:
de las activaciones y las pérdidas a la aritmética de la convolución, las redes convolucionales, la
regularización, la aumentación de datos y el *transfer learning*. Cada cuaderno alterna una explicación
corta con una celda corta, y sus ejercicios se corrigen solos y te dicen qué falla.

Aquí puedes leer cada cuaderno con todas sus salidas (figuras, tablas y resultados de una ejecución
completa) sin ejecutar nada. Para ejecutarlo y cambiarlo, ábrelo en Google Colab o en Kaggle con sus
botones; para presentarlo en clase, usa sus diapositivas. Las fórmulas, la búsqueda y las diapositivas
funcionan también sin conexión.
"""


def landing_page(course: M.Course, notebooks) -> str:
    """index.md: what the course is, the course index (an HTML table) and the hidden toctree."""
    rows = []
    for nb in notebooks:
        name = html.escape(nb.title)
        topics = html.escape(", ".join(nb.topics))
        rows.append(f'<tr><td>{nb.id}</td><th scope="row"><a href="{nb.slug}.html">{name}</a></th>'
                    f"<td>{topics}</td><td>{buttons(course, nb)}</td></tr>")
    table = ('<table class="indice-curso">\n<caption>Los cuadernos del curso, en orden</caption>\n'
             '<thead><tr><th scope="col">Nº</th><th scope="col">Cuaderno</th><th scope="col">Temas</th>'
             '<th scope="col">Abrir</th></tr></thead>\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>")
    toctree = "\n".join(nb.slug for nb in notebooks)
    return (f"# {course.title}\n\n{INTRO}\n## Índice del curso\n\n{table}\n\n"
            f"```{{toctree}}\n:hidden:\n:caption: Cuadernos\n:maxdepth: 1\n\n{toctree}\n```\n")

"""The notebooks' prose: one vocabulary (GLOSARIO.md), decimal comma, and alt text for every figure."""
import re

import nbformat
import pytest

from tools import course as C

COURSE = C.load_manifest()
GLOSSARY = C.ROOT / "GLOSARIO.md"

# Words before a dotted number that make it a version, not a decimal: "Python 3.13", "Keras 3.13.2".
VERSION_WORDS = re.compile(r"(python|tensorflow|tf|keras|numpy|ipywidgets|ipython|ipykernel|protobuf|jupyterlab|"
                           r"cuda|cudnn|pip|colab|kaggle|kagglehub|matplotlib|versi[oó]n|versiones|v)\W*$", re.I)
SECTION_NUMBER = re.compile(r"(^|\n)#+\s*$|secci[oó]n\s+$", re.I)  # "## 5.1 · Stride", "sección 5.2"
DECIMAL_POINT = re.compile(r"(?<![\w.,/-])\d+\.\d+(?!\w|\.\d)")
# "precisión" is accuracy's wrong name, but precisión numérica / simple / doble / mixta is another concept.
ALLOWED_AFTER = {"precisión": re.compile(r"\s+(num[eé]rica|simple|doble|mixta|de coma|de 16|de 32|float)", re.I),
                 "batch": re.compile(r"\s*norm", re.I)}  # batch normalization is the technique's name


def glossary_variants() -> dict[str, str]:
    """{variant ruled out: the course's term}, from GLOSARIO.md's table."""
    variants = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Concepto", "") or set(cells[0]) <= set("-"):
            continue
        for variant in filter(None, (v.strip() for v in cells[2].split(";"))):
            variants[variant.lower()] = cells[1]
    return variants


def prose(markdown: str) -> str:
    """Markdown without what is not prose: code, formulas, links' targets, HTML, and italic glosses."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*[^*\n]+\*(?![\w*])", " ", text)
    return re.sub(r"(?<!\w)_[^_\n]+_(?!\w)", " ", text)


def vocabulary_problems(markdown: str, variants: dict[str, str]) -> list[str]:
    text = prose(markdown)
    problems = []
    for variant, term in variants.items():
        for match in re.finditer(rf"(?<![\w-]){re.escape(variant)}(?![\w-])", text, re.I):
            allowed = ALLOWED_AFTER.get(variant)
            if allowed and allowed.match(text, match.end()):
                continue
            problems.append(f"«{match.group(0)}» → {term}")
    return problems


def decimal_points(markdown: str) -> list[str]:
    text = prose(markdown)
    return [m.group(0) for m in DECIMAL_POINT.finditer(text)
            if not VERSION_WORDS.search(text[:m.start()]) and not SECTION_NUMBER.search(text[:m.start()])]


def has_figure(cell) -> bool:
    return cell.cell_type == "code" and any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def alt_text(cell) -> str | None:
    return cell.metadata.get("mystnb", {}).get("image", {}).get("alt")


def alt_problem(alt) -> str | None:
    if not isinstance(alt, str) or not alt.strip():
        return "sin texto alternativo (metadata mystnb.image.alt)"
    if "\n" in alt or not 30 <= len(alt) <= 400:
        return f"el texto alternativo debe ser una frase de 30 a 400 caracteres; tiene {len(alt)}"
    if not alt[0].isupper() or not alt.rstrip().endswith("."):
        return "el texto alternativo es una frase: empieza en mayúscula y acaba en punto"
    if not re.search(r"\b(de|la|el|los|las|con|en|y)\b", alt):
        return "el texto alternativo debe estar en castellano"
    return None


# --- the rules, on wrong and right text -------------------------------------------------------------

def test_glossary_table_is_read():
    variants = glossary_variants()
    assert variants["learning rate"] == "tasa de aprendizaje"
    assert variants["mapa de activación"] == "*feature map*"
    assert len(variants) > 30


def test_vocabulary_flags_variants_and_spares_glosses_and_code():
    variants = glossary_variants()
    assert vocabulary_problems("Sube el learning rate y mira el dataset.", variants) == [
        "«learning rate» → tasa de aprendizaje", "«dataset» → conjunto de datos"]
    assert vocabulary_problems("La precisión del modelo sube.", variants)
    assert vocabulary_problems("Los rasgos que aprende la red.", variants)
    right = ("La tasa de aprendizaje (*learning rate*) del conjunto de datos; `batch_size=32`; "
             "en precisión mixta; $\\text{batch}$; con batch normalization; el *mapa de características* es el *feature map*.")
    assert vocabulary_problems(right, variants) == []


def test_decimal_points_are_found_outside_versions_and_code():
    assert decimal_points("La exactitud es 0.98 y el error 1.5 %.") == ["0.98", "1.5"]
    assert decimal_points("Python 3.13, TensorFlow 2.20 y Keras 3.13.2; `lr=0.01`; $0.5$; 0,98.") == []
    assert decimal_points("## 5.1 · Stride\n\nComo en la sección 5.2, el paso es 0.5.") == ["0.5"]


@pytest.mark.parametrize("alt, ok", [
    (None, False), ("", False), ("Figura.", False), ("una curva que baja con las épocas hasta el final.", False),
    ("A loss curve that goes down over the epochs of training.", False),
    ("La pérdida de entrenamiento baja con las épocas y la de validación se estanca en la quinta.", True),
])
def test_alt_text_rule(alt, ok):
    assert (alt_problem(alt) is None) == ok


# --- the notebooks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("nb", COURSE.notebooks, ids=lambda nb: nb.id)
def test_one_vocabulary(nb):
    variants = glossary_variants()
    cells = nbformat.read(nb.path, as_version=4).cells
    problems = [f"celda {i}: {p}" for i, cell in enumerate(cells) if cell.cell_type == "markdown"
                for p in vocabulary_problems(cell.source, variants)]
    assert not problems, f"{nb.file}: usa los términos de GLOSARIO.md:\n" + "\n".join(problems)


@pytest.mark.parametrize("nb", COURSE.notebooks, ids=lambda nb: nb.id)
def test_decimal_comma(nb):
    cells = nbformat.read(nb.path, as_version=4).cells
    problems = [f"celda {i}: {n}" for i, cell in enumerate(cells) if cell.cell_type == "markdown"
                for n in decimal_points(cell.source)]
    assert not problems, f"{nb.file}: coma decimal en el texto (0,98, no 0.98):\n" + "\n".join(problems)


@pytest.mark.parametrize("nb", COURSE.notebooks, ids=lambda nb: nb.id)
def test_every_figure_has_alt_text(nb):
    cells = nbformat.read(nb.path, as_version=4).cells
    problems = [f"celda {i}: {why}" for i, cell in enumerate(cells) if has_figure(cell)
                for why in [alt_problem(alt_text(cell))] if why]
    assert not problems, f"{nb.file}: cada figura necesita su texto alternativo:\n" + "\n".join(problems)
    alts = [alt_text(c) for c in cells if has_figure(c)]
    assert len(set(alts)) == len(alts), f"{nb.file}: cada figura describe lo suyo (hay textos alternativos repetidos)"


def test_manifest_titles_and_topics_use_the_glossary_terms():
    """Titles and topics are prose too: the README index and every notebook's buttons show them."""
    variants = glossary_variants()
    problems = [f"{nb.id}: {p}" for nb in COURSE.notebooks
                for text in (nb.title, *nb.topics) for p in vocabulary_problems(text, variants)]
    assert not problems, "course.toml: usa los términos de GLOSARIO.md:\n" + "\n".join(problems)

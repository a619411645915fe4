"""Where a withheld text could still show in the copy: notebook outputs (cleared) and any file (checked)."""
from __future__ import annotations

import html
import os
import re
import tempfile
from pathlib import Path

QUOTES = re.compile(r"""^f?("{3}|'{3}|"|')|("{3}|'{3}|"|')$""")  # a source line's opening or closing quotes
MIN_NEEDLE = 12  # shorter lines (`return 1`, `]`) say nothing on their own


def normal(text: str) -> str:
    """Whitespace collapsed and HTML entities decoded, so a text is found however it was laid out."""
    return " ".join(html.unescape(text).split())


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts += [out.get("text", ""), *out.get("traceback", [])]
        parts += [v if isinstance(v, str) else "".join(map(str, v)) for v in out.get("data", {}).values()
                  if isinstance(v, (str, list))]
    return "\n".join(map(str, parts))


def file_text(path: Path, outputs: bool = True) -> str:
    """A file's text; for a notebook its cells' sources (and outputs), as a student would read them."""
    if path.suffix == ".ipynb":
        import nbformat

        cells = nbformat.read(path, as_version=4).cells
        return "\n".join(c.source + ("\n" + _outputs_text(c) if outputs else "") for c in cells)
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""


def needles(texts: list[str], lesson: str) -> set[str]:
    """What must not appear in the copy: each withheld text whole, and each of its lines that the lesson
    (the notebooks' own cells, the other files) does not already show."""
    found = set()
    for text in texts:
        for piece in [text, *text.splitlines()]:
            piece = QUOTES.sub("", normal(piece)).strip()
            if len(piece) >= MIN_NEEDLE and piece not in lesson:
                found.add(piece)
    return found


def scrub_outputs(folder: Path, secret: set[str]) -> int:
    """Clear the outputs of cells that call `solution()` or show a withheld text; returns how many cells."""
    import nbformat

    cleared = 0
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        hits = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.get("outputs") and (
            ".solution(" in cell.source or _shows(normal(_outputs_text(cell)), secret))]
        for cell in hits:
            cell.outputs = []
        if hits:
            write_atomic(path, nbformat.writes(notebook) + "\n")
        cleared += len(hits)
    return cleared


def _shows(text: str, secret: set[str]) -> bool:
    return any(s in text for s in secret)


def leaks(folder: Path, secret: set[str]) -> list[str]:
    """'file: start of the text' for every withheld text still found in a file of `folder`."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = normal(file_text(path))
        found += [f"{path.relative_to(folder).as_posix()}: «{s[:50]}»" for s in sorted(secret) if s in text]
    return found


def write_atomic(path: Path, text: str) -> None:
    """A temporary file in the same folder, then os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""Where code lives: `utils/` is the classroom (what notebooks import, what the Kaggle data set ships),
`tools/` the repository's machinery beside it, which may import `utils` but never the other way round."""
import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from utils.config import HEADLESS_ENV

ROOT = Path(__file__).resolve().parents[1]
# What only the machinery needs: running and reading notebooks, slides, the Kaggle client and its slugs.
MACHINERY = {"tools", "papermill", "nbformat", "nbconvert", "nbclient", "jupyter_client", "kaggle", "slugify"}
COMMANDS = [ROOT / "Makefile", ROOT / "README.md", ROOT / ".ci" / "run"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of the file (lazy imports inside functions count)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from tools import slides`
    return found


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def test_utils_imports_no_machinery():
    offenders = {f"{module_name(p)} importa {name}" for p in sources("utils") for name in imports(p)
                 if name.split(".")[0] in MACHINERY}
    assert not offenders, "utils/ es lo que usan los cuadernos; esto es de tools/: " + "; ".join(sorted(offenders))


def test_utils_holds_no_command_line():
    """Commands (`python -m …`) are the repository's: none lives in what students get."""
    commands = [module_name(p) for p in sources("utils") if re.search(r"^if __name__ == .__main__.:", p.read_text(
        encoding="utf-8"), re.M) or "argparse" in imports(p)]
    assert commands == []


def notebook_uses() -> set[str]:
    """Names of `utils` the notebooks' code cells use: `utils.X`, `from utils import X`, `from utils.X import …`."""
    pattern = re.compile(r"(?<![\w.-])utils\.(\w+)|^\s*from utils(?:\.(\w+))? import ([\w, ]+)", re.M)
    used = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for m in pattern.finditer("".join(cell["source"])):
                    used |= {m[1]} if m[1] else {m[2]} if m[2] else {n.split(" as ")[0].strip() for n in m[3].split(",")}
    return used


def test_dir_utils_is_what_notebooks_use():
    code = "import utils, json; print(json.dumps([dir(utils), utils.__all__]))"
    listed, all_ = json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                             check=True).stdout)
    assert listed == sorted(all_), "dir(utils) (lo que autocompleta un cuaderno) es utils.__all__"
    assert set(all_) == notebook_uses(), "utils.__all__ nombra exactamente lo que usan los cuadernos"
    for name in set(all_) - {"setup", "publish"}:
        assert importlib.util.find_spec(f"utils.{name}") is not None, f"utils.{name} no existe"


def test_tools_import_graph_has_no_cycle():
    graph = {module_name(p): {m for m in imports(p) if m.startswith("tools.") and m != module_name(p)}
             for p in sources("tools")}
    graph = {name: {m for m in deps if m in graph} for name, deps in graph.items()}
    assert "tools.course" not in graph["tools.slides"], "slides no importa course (course aplica slides en sync)"
    assert graph["tools.runner"] <= {"tools.manifest"}, "el runner solo lee el manifiesto"
    state = {}

    def visit(name, path):
        state[name] = "open"
        for dep in sorted(graph[name]):
            if state.get(dep) == "open":
                pytest.fail("ciclo de importaciones: " + " → ".join([*path, dep]))
            if dep not in state:
                visit(dep, [*path, dep])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_commands_name_modules_that_exist():
    text = "\n".join(p.read_text(encoding="utf-8") for p in COMMANDS)
    assert not re.findall(r"-m utils\.\w+", text), "las órdenes del repositorio están en tools/"
    modules = set(re.findall(r"-m (tools(?:\.\w+)*)", text))
    assert {"tools.course", "tools.kaggle", "tools.slides", "tools.bench", "tools.platforms"} <= modules
    for module in modules:
        assert importlib.util.find_spec(module) is not None, f"{module} no existe"


def test_headless_settings_are_defined_once():
    """The Makefile exports utils.config.HEADLESS_ENV's values; conftest.py gives them to this run."""
    exported = dict(re.findall(r"^export (\w+) := (\S*)\s*$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    assert exported == HEADLESS_ENV
    assert {name: os.environ.get(name) for name in HEADLESS_ENV} == HEADLESS_ENV

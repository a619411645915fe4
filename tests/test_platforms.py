"""tools/platforms: profiles, report, probe, git mirror, network isolation and the google.colab stand-in.

Fast unit tests: no TensorFlow, no notebook execution, no network, no profile venvs. What runs an
IPython shell or imports the google.colab stand-in does it in a subprocess, so nothing leaks into
the other tests of the same pytest worker.
"""
import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tools.platforms import harness, profiles, report

KERNEL = harness.KERNEL_FILES


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --- profiles.load ----------------------------------------------------------------------------

def test_load_parses_python_and_normalizes_pins(tmp_path):
    _write(tmp_path / "demo.txt", """
        # Demo platform.
        # Source: somewhere (2026-01-01)
        # python: 3.12
        Foo_Bar==1.0
        numpy==2.0.2  # a trailing comment is not part of the version
        ruamel.yaml==0.18.6
    """)
    profile = profiles.load("demo", folder=tmp_path)
    assert profile.name == "demo" and profile.python == "3.12"
    assert profile.pins == {"foo-bar": "1.0", "numpy": "2.0.2", "ruamel-yaml": "0.18.6"}
    # Any spelling of a name finds its pin (PEP 503 normalization).
    assert profile.version("FOO.bar") == "1.0" and profile.version("Ruamel_Yaml") == "0.18.6"
    assert profile.version("pandas") is None


def test_load_without_python_line_is_explained(tmp_path):
    _write(tmp_path / "demo.txt", "# Source: x\nnumpy==2.0.2\n")
    with pytest.raises(profiles.PlatformError, match="python") as raised:
        profiles.load("demo", folder=tmp_path)
    assert "X.Y" in str(raised.value)


def test_load_names_the_line_that_is_not_a_pin(tmp_path):
    _write(tmp_path / "demo.txt", """
        # python: 3.12
        numpy==2.0.2
        pandas>=2.0
    """)
    with pytest.raises(profiles.PlatformError, match=r"línea 3\b.*paquete==versión"):
        profiles.load("demo", folder=tmp_path)


def test_load_unknown_profile_lists_the_available_ones(tmp_path):
    for name in ("kaggle", "colab"):
        _write(tmp_path / f"{name}.txt", "# python: 3.12\n")
    with pytest.raises(profiles.PlatformError) as raised:
        profiles.load("binder", folder=tmp_path)
    message = str(raised.value)
    assert "'binder'" in message and "hay: colab, kaggle" in message
    with pytest.raises(profiles.PlatformError, match="ninguno"):
        profiles.load("binder", folder=tmp_path / "empty")


# --- the committed profiles ---------------------------------------------------------------------

EXPECTED = {  # platform: (Python, major version of ipywidgets, of widgetsnbextension that goes with it)
    "colab": ("3.13", "7.", "3."),
    "kaggle": ("3.12", "8.", "4."),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_committed_profile_pins_what_the_course_needs(name):
    profile = profiles.load(name)
    python, widgets, extension = EXPECTED[name]
    missing = [root for root in profiles.ROOTS if not profile.version(root)]
    assert missing == [], f"platforms/{name}.txt no fija {missing}"
    assert profile.python == python
    assert profile.version("ipywidgets").startswith(widgets)
    # ipywidgets 7 needs widgetsnbextension 3.x, ipywidgets 8 needs 4.x: a mismatched pair breaks the explorers.
    assert profile.version("widgetsnbextension").startswith(extension)
    assert profile.version("tensorflow").startswith("2.20.")
    assert profile.version("keras").startswith("3.13.")


def test_kaggle_profile_has_what_ipywidgets_8_requires():
    profile = profiles.load("kaggle")
    assert profile.version("comm"), "ipywidgets 8 importa comm"
    assert profile.version("jupyterlab-widgets").startswith("3.")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_committed_profile_header_names_its_source_and_pins_once(name):
    lines = (profiles.PROFILES / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    first_pin = next(i for i, line in enumerate(lines) if profiles.PIN.match(line))
    header = lines[:first_pin]
    assert header and all(line.startswith("#") for line in header)
    assert any("Source" in line for line in header), f"platforms/{name}.txt no dice de dónde salen sus versiones"
    assert any(line.strip() == f"# python: {EXPECTED[name][0]}" for line in header)
    pins = [profiles.normalize(profiles.PIN.match(line).group(1)) for line in lines if profiles.PIN.match(line)]
    assert len(pins) == len(set(pins)), "un paquete fijado dos veces: load se quedaría con el último en silencio"
    assert len(pins) == len(profiles.load(name).pins)


# --- profiles.find_python and clean_env --------------------------------------------------------

def _fake_python(path: Path, prints: str) -> Path:
    _write(path, f"#!/bin/sh\necho {prints}\n")
    path.chmod(0o755)
    return path


def test_find_python_says_which_version_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    with pytest.raises(profiles.PlatformError) as raised:
        profiles.find_python("9.9")
    message = str(raised.value)
    assert "no tiene Python 9.9" in message and "pyenv install 9.9" in message


def test_find_python_uses_pyenv_and_checks_the_version(tmp_path, monkeypatch):
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    good = _fake_python(tmp_path / "versions" / "9.8.1" / "bin" / "python9.8", "9.8")
    _fake_python(tmp_path / "versions" / "9.7.0" / "bin" / "python9.7", "3.11")  # lies about its version
    assert profiles.find_python("9.8") == good
    with pytest.raises(profiles.PlatformError, match="Python 9.7"):
        profiles.find_python("9.7")


def test_find_python_looks_in_path_first(tmp_path, monkeypatch):
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    on_path = _fake_python(tmp_path / "bin" / "python9.6", "9.6")
    monkeypatch.setenv("PATH", f"{on_path.parent}{os.pathsep}{os.environ['PATH']}")
    assert profiles.find_python("9.6") == on_path


def test_clean_env_drops_the_machines_package_settings(monkeypatch):
    monkeypatch.setenv("PIP_FIND_LINKS", "/srv/wheels")
    monkeypatch.setenv("PIP_INDEX_URL", "http://mirror.local/simple")
    monkeypatch.setenv("UV_INDEX_URL", "http://mirror.local/simple")
    monkeypatch.setenv("VIRTUAL_ENV", "/work/main/.venv")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    env = profiles.clean_env(EXTRA_SETTING="1")
    for name in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "UV_INDEX_URL", "VIRTUAL_ENV", "PYTHONPATH"):
        assert name not in env, name
    assert env["PIP_CONFIG_FILE"] == os.devnull
    assert env["UV_PYTHON_DOWNLOADS"] == "never" and env["UV_NO_CONFIG"] == "1"
    assert env["PATH"] == os.environ["PATH"] and env["EXTRA_SETTING"] == "1"
    assert os.environ["PIP_INDEX_URL"] == "http://mirror.local/simple", "clean_env no toca el entorno propio"


# --- report.findings ------------------------------------------------------------------------------

def _stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def _notebook(*cells):
    """cells: (id, outputs) pairs, each a code cell; a markdown cell first, as in the course."""
    code = [{"cell_type": "code", "id": cell_id, "source": "", "metadata": {}, "execution_count": 1,
             "outputs": outputs} for cell_id, outputs in cells]
    markdown = {"cell_type": "markdown", "id": "cabecera", "source": "# Título", "metadata": {}}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [markdown, *code]}


def test_clean_notebook_has_no_findings():
    nb = _notebook(
        ("preparacion", [_stream("Curso listo: utils de a/b@main (clonado de GitHub)\n"),
                         _stream("Entorno: Google Colab · acelerador: CPU\n")]),
        ("c1", [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                 "data": {"text/plain": "(28, 28)"}},
                {"output_type": "display_data", "metadata": {},
                 "data": {"text/plain": "<Figure size 640x480 with 1 Axes>", "image/png": "iVBORw0KGgo="}}]),
    )
    assert report.findings(nb) == []


def test_setup_cell_printing_too_much_is_a_finding():
    nb = _notebook(("preparacion", [_stream("uno\ndos\n"), _stream("\ntres\n")]))
    [finding] = report.findings(nb)
    assert finding.startswith("preparación:") and "3 líneas" in finding


def test_three_lines_elsewhere_are_fine():
    assert report.findings(_notebook(("c1", [_stream("uno\ndos\ntres\n")]))) == []


@pytest.mark.parametrize("output, expected", [
    (_stream("Epoch 1/3\n", name="stderr"), "salida de error (stderr): Epoch 1/3"),
    (_stream("ERROR: pip's dependency resolver does not currently take into account all the packages\n"),
     "error de pip: ERROR: pip's dependency resolver"),
    (_stream("x = 1\n/usr/lib/foo.py:3: UserWarning: the thing is deprecated\n"), "aviso:"),
    (_stream("guardado en /tmp/abc/x.py\n"), "ruta de la máquina: /tmp/abc/x.py"),
    ({"output_type": "execute_result", "execution_count": 1, "metadata": {},
      "data": {"text/plain": "'/root/.venv/lib/python3.12/site-packages/keras'"}}, "ruta de la máquina"),
    (_stream(["Traceback (most recent call last):\n", '  File "x", line 1\n']), "traza de Python"),
], ids=["stderr", "pip-error", "warning", "tmp-path", "site-packages", "traceback-as-list"])
def test_what_a_student_would_read_as_broken(output, expected):
    [finding] = report.findings(_notebook(("c1", [output])))
    assert finding.startswith("celda 1: ") and expected in finding


def test_stream_text_as_a_list_of_strings():
    nb = _notebook(("preparacion", [_stream(["uno\n", "dos\n", "tres\n"])]),
                   ("c2", [_stream(["sin problemas, ", "UserWarning: ", "algo\n"])]))
    found = report.findings(nb)
    assert len(found) == 2
    assert "3 líneas" in found[0] and found[1].startswith("celda 2: aviso:")


def test_a_url_is_not_a_machine_path():
    nb = _notebook(("c1", [_stream("Descarga: https://www.kaggle.com/home/datasets/x y /content no\n")]))
    assert report.findings(nb) == []


def test_error_output_is_not_also_a_finding():
    error = {"output_type": "error", "ename": "ValueError", "evalue": "mal",
             "traceback": ["Traceback (most recent call last):", "  File \"/tmp/x.py\"", "ValueError: mal"]}
    assert report.findings(_notebook(("c1", [error]))) == []
    both = report.findings(_notebook(("c1", [error, _stream("aviso\n", name="stderr")])))
    assert len(both) == 1 and "stderr" in both[0]


# --- report.explorer_findings ------------------------------------------------------------------------

def _record(controls, drawn=1, name="explora"):
    return {"explorer": name, "ipywidgets": "8.1.5", "drawn_at_start": drawn, "controls": controls}


def _moved(control, figures=1, errors=()):
    return {"control": control, "to": "1", "figures": figures, "errors": list(errors)}


def test_good_explorers_have_no_findings():
    assert report.explorer_findings([_record([_moved("a"), _moved("b", figures=2)]), _record([])]) == []


def test_explorer_that_draws_nothing_at_start():
    [finding] = report.explorer_findings([_record([_moved("a")], drawn=0, name="vista")])
    assert "vista" in finding and "no dibujó nada al mostrarse" in finding


def test_control_that_does_not_redraw():
    [finding] = report.explorer_findings([_record([_moved("a"), _moved("filtro", figures=0)])])
    assert "'filtro'" in finding and "no redibujó" in finding


def test_control_whose_function_raises_names_the_error():
    records = [_record([_moved("k", figures=0, errors=["ValueError: k debe ser impar"])])]
    [finding] = report.explorer_findings(records)
    assert "'k'" in finding and "ValueError: k debe ser impar" in finding


def test_control_the_probe_cannot_move():
    [finding] = report.explorer_findings([_record([{"control": "archivo", "skipped": True}])])
    assert "no sé mover el control 'archivo'" in finding


def test_read_probe_reads_json_lines(tmp_path):
    assert report.read_probe(tmp_path / "absent.jsonl") == []
    records = [_record([_moved("a")]), _record([], name="otro")]
    (tmp_path / "p.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records) + "\n", encoding="utf-8")
    assert report.read_probe(tmp_path / "p.jsonl") == records


# --- report.write -----------------------------------------------------------------------------------

def _result(target, nb_id, status="ok", findings=(), explorers=(), error=None, seconds=10.0):
    entry = {"target": target, "id": nb_id, "file": f"{nb_id}_cuaderno.ipynb", "status": status,
             "seconds": seconds, "findings": list(findings), "explorers": list(explorers)}
    if error:
        entry["error"] = error
    return entry


def test_write_builds_the_table_totals_and_problems(tmp_path):
    targets = list(harness.TARGETS[:2])
    results = [
        _result("colab", "01", seconds=12.4),
        _result("kaggle", "01", findings=["celda 3: aviso: UserWarning: x"], explorers=[_record([_moved("a")])]),
        _result("colab", "02", status="error", error="ValueError: mal", seconds=3),
        _result("kaggle", "02"),
        _result("colab", "03"),
    ]
    path = report.write(results, targets, tmp_path / "build", ["- cabecera de prueba"])
    assert path == tmp_path / "build" / "platforms.md"
    assert json.loads((tmp_path / "build" / "platforms.json").read_text(encoding="utf-8")) == results
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "- cabecera de prueba" in lines
    assert "| notebook | Colab | Kaggle, montaje 2026 |" in lines
    rows = {nb_id: [line for line in lines if line.startswith(f"| {nb_id} |")] for nb_id in ("01", "02", "03")}
    assert all(len(found) == 1 for found in rows.values()), rows
    assert rows["01"][0].startswith("| 01 | ok 12 s | **avisos** 10 s · 1 expl.")
    assert "**error**" in rows["02"][0]
    assert rows["03"] == ["| 03 | ok 10 s | — |"], "kaggle no ejecutó el 03: una celda vacía, no una fila menos"
    assert "- Colab: 2/3 correctos, 25 s" in lines
    assert "- Kaggle, montaje 2026: 1/2 correctos, 20 s" in lines
    problems = text[text.index("## Lo que un estudiante vería roto"):]
    assert "**colab · 02_cuaderno.ipynb**: ValueError: mal" in problems
    assert "**kaggle · 01_cuaderno.ipynb**" in problems and "  - celda 3: aviso: UserWarning: x" in problems
    listed = [line for line in problems.splitlines() if line.startswith("- **")]
    assert listed == ["- **kaggle · 01_cuaderno.ipynb**", "- **colab · 02_cuaderno.ipynb**: ValueError: mal"]
    assert "## Exploradores" in text and "| kaggle | 01 | explora | 8.1.5 | 1 | 1 + 1 |" in lines


def test_write_without_problems_has_no_problems_section(tmp_path):
    targets = list(harness.TARGETS[:2])
    results = [_result(t.name, nb_id) for t in targets for nb_id in ("01", "02")]
    text = report.write(results, targets, tmp_path, []).read_text(encoding="utf-8")
    assert "- Colab: 2/2 correctos" in text and "- Kaggle, montaje 2026: 2/2 correctos" in text
    assert "vería roto" not in text and "## Exploradores" not in text


# --- the probe, in a real IPython shell (ipywidgets 8 of .venv), run in a subprocess -----------------

PROBE_SCRIPT = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
log, out = sys.argv[2], sys.argv[3]
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
import course_probe

course_probe.load_ipython_extension(shell)
CELLS = [
    """
import ipywidgets as W
from IPython.display import display
PNG = b"\\x89PNG\\r\\n\\x1a\\n"
calls = []
def explora(a, b, r, t, flag):
    calls.append((a, b, r, t, flag))
    display({"image/png": PNG}, raw=True)
controls = dict(a=W.IntSlider(1, 0, 5), b=W.Dropdown(options=["x", "y"]),
                r=W.FloatRangeSlider(value=(1, 2), min=0, max=4), t=W.Text("ab"), flag=W.Checkbox(False))
display(W.interactive(explora, **controls))
""",
    """
def fragil(n):
    if n == 3:
        raise ValueError("n no puede valer 3")
    display({"image/png": PNG}, raw=True)
display(W.interactive(fragil, n=W.IntSlider(1, 0, 3)))
""",
    "after = {name: w.value for name, w in controls.items()}",
    """
def tasa(eta):
    display({"image/png": PNG}, raw=True)
display(W.interactive(tasa, eta=W.FloatLogSlider(value=1e-3, base=10, min=-3, max=0)))
""",
    """
display({"image/png": PNG}, raw=True)  # the cell first shows the input image
def rota(k):
    if k == 0:
        raise ValueError("k = 0 no se puede dibujar")
    display({"image/png": PNG}, raw=True)
display(W.interactive(rota, k=W.IntSlider(0, 0, 3)))
""",
]
counts, ok = [], []
for cell in CELLS:
    ok.append(shell.run_cell(cell).success)
    with open(log, encoding="utf-8") as fh:
        counts.append(sum(1 for line in fh if line.strip()))
ns = shell.user_ns
with open(out, "w", encoding="utf-8") as fh:
    json.dump({"ok": ok, "counts": counts, "after": {k: list(v) if isinstance(v, tuple) else v
                                                      for k, v in ns["after"].items()},
               "calls": len(ns["calls"])}, fh)
'''


@pytest.fixture(scope="module")
def probe_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("probe")
    log, out, script = folder / "explorers.jsonl", folder / "out.json", folder / "probe_script.py"
    log.write_text("", encoding="utf-8")
    script.write_text(PROBE_SCRIPT, encoding="utf-8")
    env = {**os.environ, "COURSE_PROBE_LOG": str(log)}
    done = subprocess.run([sys.executable, str(script), str(KERNEL), str(log), str(out)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8")), report.read_probe(log)


def test_probe_moves_every_control_and_counts_figures(probe_run):
    run, records = probe_run
    assert run["ok"] == [True] * 5
    assert run["counts"][0] == 1, "una línea por explorador, escrita tras la celda que lo muestra"
    first = records[0]
    assert first["explorer"] == "explora" and first["ipywidgets"].startswith("8.")
    assert first["drawn_at_start"] >= 1
    controls = {c["control"]: c for c in first["controls"]}
    assert list(controls) == ["a", "b", "r", "t", "flag"]
    # Each control goes to another valid value: slider to its max, next option, full range, edited text, toggled.
    assert {name: c["to"] for name, c in controls.items()} == {
        "a": "5", "b": "'y'", "r": "(0.0, 4.0)", "t": "'ab '", "flag": "True"}
    for name, control in controls.items():
        assert control["figures"] >= 1 and control["errors"] == [], name
    assert report.explorer_findings([first]) == []


def test_probe_puts_the_controls_back_and_drives_each_explorer_once(probe_run):
    run, records = probe_run
    assert run["after"] == {"a": 1, "b": "x", "r": [1.0, 2.0], "t": "ab", "flag": False}
    assert run["counts"] == [1, 2, 2, 3, 4], "una celda sin exploradores nuevos no añade registros"
    # 1 call at display + 2 per control (moved, then put back).
    assert run["calls"] == 1 + 2 * 5


def test_probe_records_the_error_of_an_explorer_function(probe_run):
    _, records = probe_run
    second = records[1]
    assert second["explorer"] == "fragil" and second["drawn_at_start"] >= 1
    [control] = second["controls"]
    assert control["to"] == "3" and control["figures"] == 0
    assert control["errors"] == ["ValueError: n no puede valer 3"]
    [finding] = report.explorer_findings([second])
    assert "fragil" in finding and "ValueError: n no puede valer 3" in finding


def test_probe_moves_a_log_slider_that_starts_at_its_minimum(probe_run):
    _, records = probe_run
    record = records[2]
    assert record["explorer"] == "tasa"
    [control] = record["controls"]
    assert control["to"] != "0.001" and control["figures"] >= 1
    assert report.explorer_findings([record]) == []


def test_probe_reports_an_explorer_that_fails_at_first_display(probe_run):
    _, records = probe_run
    record = records[3]
    assert record["explorer"] == "rota"
    assert report.explorer_findings([record]) != [], record


# --- harness.make_mirror ------------------------------------------------------------------------------

IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@localhost",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@localhost"}


def _git(*args, cwd=None, env=None):
    done = subprocess.run(["git", *args], cwd=cwd, env=env or {**os.environ, **IDENTITY},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    _git("init", "-q", "-b", "main", cwd=root)
    _write(root / "a.txt", "uno\n")
    _write(root / ".gitignore", "build/\n")
    _git("add", "-A", cwd=root)
    _git("commit", "-q", "-m", "first", cwd=root)
    return root


@pytest.mark.parametrize("kind", ["branch", "tag"])
def test_mirror_holds_the_working_tree_and_answers_github_url(repo, tmp_path, kind):
    ref = "main" if kind == "branch" else "v1.0"
    if kind == "tag":
        _git("tag", ref, cwd=repo)
    _write(repo / "a.txt", "dos\n")  # uncommitted edit
    _write(repo / "nuevo.txt", "nuevo\n")  # untracked file
    _write(repo / "build" / "ignorado.txt", "no\n")  # ignored, as the course's build/
    head, status = _git("rev-parse", "HEAD", cwd=repo), _git("status", "--porcelain", cwd=repo)
    workspace = tmp_path / "ws"
    workspace.mkdir()

    mirror = harness.make_mirror(repo, ref, workspace)

    full = f"refs/{'tags' if kind == 'tag' else 'heads'}/{ref}"
    other = f"refs/{'heads' if kind == 'tag' else 'tags'}/{ref}"
    refs = _git("--git-dir", str(mirror), "for-each-ref", "--format=%(refname)")
    assert full in refs.split() and other not in refs.split()
    assert _git("--git-dir", str(mirror), "show", f"{full}:a.txt") == "dos\n"
    assert _git("--git-dir", str(mirror), "show", f"{full}:nuevo.txt") == "nuevo\n"
    assert "build" not in _git("--git-dir", str(mirror), "ls-tree", "--name-only", full).split()
    # The repository under test is left as it was: same HEAD, same index, same status.
    assert _git("rev-parse", "HEAD", cwd=repo) == head and _git("status", "--porcelain", cwd=repo) == status

    # The setup cell's clone, with the gitconfig new_session writes.
    home = tmp_path / "home"
    home.mkdir()
    gitconfig = _write(tmp_path / "gitconfig",
                       f'[url "file://{mirror}"]\n\tinsteadOf = https://github.com/owner/name.git\n')
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "GIT_CONFIG_GLOBAL": str(gitconfig),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    clone = tmp_path / "content" / "name"
    _git("clone", "-q", "--depth", "1", "-b", ref, "https://github.com/owner/name.git", str(clone), env=env)
    assert (clone / "a.txt").read_text(encoding="utf-8") == "dos\n"
    assert (clone / "nuevo.txt").read_text(encoding="utf-8") == "nuevo\n"
    assert not (clone / "build").exists()


# --- harness.network_isolation --------------------------------------------------------------------------

NET_PROBE = r'''
import json, socket, sys
result = {"interfaces": [name for _, name in socket.if_nameindex()]}
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3).close()
    result["connect"] = "ok"
except OSError as exc:
    result["connect"] = type(exc).__name__
print(json.dumps(result))
'''


def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        return False


def test_network_isolation_cuts_the_kernel_off():
    if not _unshare_works():
        with pytest.raises(profiles.PlatformError, match="unshare"):
            harness.network_isolation()
        return
    prefix = harness.network_isolation()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        port = str(server.getsockname()[1])
        command = [sys.executable, "-c", NET_PROBE, port]
        free = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, timeout=30).stdout)
        isolated = json.loads(subprocess.run([*prefix, *command], capture_output=True, text=True, check=True,
                                             timeout=30).stdout)
    assert free["connect"] == "ok", "sin el prefijo, el servidor local responde (la prueba no es vacía)"
    assert isolated["connect"] != "ok"
    assert isolated["interfaces"] == ["lo"], "sin interfaces de red no hay nada que resolver ni a quien conectar"


# --- harness.new_session (with a tiny stand-in for the profile's venv) ------------------------------------

@pytest.fixture(scope="module")
def base_venv(tmp_path_factory):
    base = tmp_path_factory.mktemp("base") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(base)], check=True, capture_output=True)
    _write(profiles.site_packages(base) / "profile_marker.py", "WHERE = 'perfil'\n")
    return base


@pytest.mark.parametrize("target", harness.TARGETS, ids=lambda t: t.name)
def test_new_session_lays_out_the_platform(tmp_path, base_venv, target):
    if target.platform == "kaggle" and not _unshare_works():
        pytest.skip("Kaggle's session needs `unshare --net` (root on Linux)")
    dataset = _write(tmp_path / "dataset" / "utils" / "__init__.py", "").parent.parent
    mirror = tmp_path / "mirror.git"
    session = harness.new_session(target, base_venv, tmp_path / target.name / "05", mirror=mirror,
                                  repository="owner/name", dataset=dataset, dataset_id="owner/slug",
                                  jupyter_path=tmp_path / "jupyter")
    folder = tmp_path / target.name / "05"
    spec = json.loads((tmp_path / "jupyter" / "kernels" / session.kernel_name / "kernel.json").read_text())
    config = (folder / "ipython" / "profile_default" / "ipython_kernel_config.py").read_text()
    gitconfig = Path(session.env["GIT_CONFIG_GLOBAL"]).read_text()
    assert session.env["PYTHONPATH"] == str(KERNEL) and session.env["HOME"] == str(folder / "home")
    assert session.probe_log == folder / "explorers.jsonl" == Path(session.env["COURSE_PROBE_LOG"])
    assert "course_probe" in config
    if target.platform == "colab":
        assert session.cwd == folder / "content" and not session.isolated
        assert "google.colab" in config and spec["argv"][0] == "sh"
        assert f"file://{mirror}" in gitconfig and "insteadOf = https://github.com/owner/name.git" in gitconfig
        assert "KAGGLE_KERNEL_RUN_TYPE" not in session.env
    else:
        inputs = folder / "kaggle" / "input"
        mount = inputs / "datasets" / "owner" / "slug" if target.layout == "2026" else inputs / "slug"
        assert session.cwd == folder / "kaggle" / "working" and session.isolated
        assert (mount / "utils" / "__init__.py").is_file()
        assert session.env["COURSE_KAGGLE_INPUT"] == str(inputs) and session.env["KAGGLE_KERNEL_RUN_TYPE"]
        assert "google.colab" not in config and spec["argv"][:3] == ["unshare", "--net", "--"]
        assert "insteadOf" not in gitconfig
    # The session's python sees the profile's packages, and what it installs goes to its own folder.
    python = spec["argv"][spec["argv"].index("-m") - 1]
    done = subprocess.run([python, "-c", "import profile_marker, sys; print(profile_marker.WHERE, sys.prefix)"],
                          capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["perfil", str(folder / "venv")]


# --- the google.colab stand-in (imported in a subprocess: `google` stays untouched here) -----------------

COLAB_SCRIPT = r'''
import json
import google.colab
from google.colab import userdata
import google.protobuf  # the stand-in shares the `google` namespace with protobuf (TensorFlow needs it)
result = {"file": google.colab.__file__, "hook": callable(google.colab.load_ipython_extension)}
for key in ("FALTA", "SIN_PERMISO", "KAGGLE_API_TOKEN"):
    try:
        result[key] = ["value", userdata.get(key)]
    except Exception as exc:
        result[key] = [type(exc).__name__, str(exc), type(exc).__module__]
print(json.dumps(result))
'''


def _colab(env_extra):
    env = {k: v for k, v in os.environ.items() if k != "COURSE_COLAB_SECRETS"}
    env.update(PYTHONPATH=str(KERNEL), **env_extra)
    done = subprocess.run([sys.executable, "-c", COLAB_SCRIPT], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_colab_userdata_behaves_like_colabs_secrets(tmp_path):
    secrets = tmp_path / "secrets.json"
    secrets.write_text(json.dumps({"SIN_PERMISO": {"value": "x", "granted": False},
                                   "KAGGLE_API_TOKEN": {"value": "KGAT_123", "granted": True}}), encoding="utf-8")
    result = _colab({"COURSE_COLAB_SECRETS": str(secrets)})
    assert Path(result["file"]).resolve().is_relative_to(KERNEL.resolve()) and result["hook"]
    assert result["FALTA"][0] == "SecretNotFoundError" and result["FALTA"][2] == "google.colab.userdata"
    assert result["SIN_PERMISO"][0] == "NotebookAccessError"
    assert result["KAGGLE_API_TOKEN"] == ["value", "KGAT_123"]


def test_colab_userdata_has_no_secrets_by_default():
    result = _colab({})
    assert {result[key][0] for key in ("FALTA", "SIN_PERMISO", "KAGGLE_API_TOKEN")} == {"SecretNotFoundError"}

"""What a student would see in an executed notebook that looks broken, and the platform report."""
from __future__ import annotations

import json
import re
from pathlib import Path

SETUP_ID = "preparacion"
SETUP_MAX_LINES = 2
# English noise a student should never meet: pip's resolver, Python warnings, tracebacks, machine paths.
NOISE = [
    (re.compile(r"^ERROR: .*", re.M), "error de pip"),
    (re.compile(r"^.*\b\w*Warning: .*", re.M), "aviso"),
    (re.compile(r"^Traceback \(most recent call last\).*", re.M), "traza de Python"),
    (re.compile(r"(?<![\w.])/(?:root|home|tmp|var|opt|usr|content|kaggle)/[\w./-]+|site-packages"), "ruta de la máquina"),
]


def _text(output: dict) -> str:
    text = output.get("text", "") if output.get("output_type") == "stream" else output.get("data", {}).get("text/plain", "")
    return text if isinstance(text, str) else "".join(text)


def _lines(output: dict) -> list[str]:
    return [line for line in _text(output).splitlines() if line.strip()]


def findings(notebook: dict) -> list[str]:
    """One Spanish line per thing in the outputs that a student would read as broken."""
    found = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs", [])
        where = "preparación" if cell.get("id") == SETUP_ID else f"celda {index}"
        if cell.get("id") == SETUP_ID:
            count = sum(len(_lines(o)) for o in outputs)
            if count > SETUP_MAX_LINES:
                found.append(f"{where}: {count} líneas (se esperan como mucho {SETUP_MAX_LINES})")
        for output in outputs:
            if output.get("output_type") == "error":
                continue  # reported as the notebook's error
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                first = (_lines(output) or [""])[0]
                found.append(f"{where}: salida de error (stderr): {first[:160]}")
                continue
            text = _text(output)
            for pattern, what in NOISE:
                hit = pattern.search(text)
                if hit:
                    found.append(f"{where}: {what}: {hit.group(0).strip()[:160]}")
                    break
    return found


def explorer_findings(records: list[dict]) -> list[str]:
    """What went wrong when the probe moved the explorers' controls."""
    found = []
    for record in records:
        name = record["explorer"]
        if record.get("errors_at_start"):
            found.append(f"explorador {name}: al mostrarse lanzó {record['errors_at_start'][0][:160]}")
        elif record["drawn_at_start"] < 1:
            found.append(f"explorador {name}: no dibujó nada al mostrarse")
        for control in record["controls"]:
            if control.get("skipped"):
                found.append(f"explorador {name}: no sé mover el control {control['control']!r}")
            elif control["errors"]:
                found.append(f"explorador {name}: mover {control['control']!r} lanzó {control['errors'][0][:160]}")
            elif control["figures"] < 1:
                found.append(f"explorador {name}: mover {control['control']!r} no redibujó la figura")
    return found


def read_probe(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write(results: list[dict], targets: list, directory: Path, header: list[str]) -> Path:
    """build/platforms.md (profile × notebook) and build/platforms.json."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "platforms.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    by_key = {(r["target"], r["id"]): r for r in results}
    ids = list(dict.fromkeys(r["id"] for r in results))
    lines = ["# Platform report", "", *header, "",
             "| notebook | " + " | ".join(t.label for t in targets) + " |",
             "|---|" + "---|" * len(targets)]
    for nb_id in ids:
        cells = []
        for target in targets:
            r = by_key.get((target.name, nb_id))
            if r is None:
                cells.append("—")
                continue
            mark = "ok" if r["status"] == "ok" and not r["findings"] else f"**{r['status'] if r['status'] != 'ok' else 'avisos'}**"
            explorers = f" · {len(r['explorers'])} expl." if r["explorers"] else ""
            cells.append(f"{mark} {r['seconds']:.0f} s{explorers}")
        lines.append(f"| {nb_id} | " + " | ".join(cells) + " |")
    totals = []
    for target in targets:
        rows = [r for r in results if r["target"] == target.name]
        good = sum(r["status"] == "ok" and not r["findings"] for r in rows)
        totals.append(f"- {target.label}: {good}/{len(rows)} correctos, {sum(r['seconds'] for r in rows):.0f} s")
    lines += ["", *totals]
    problems = [r for r in results if r["status"] != "ok" or r["findings"]]
    if problems:
        lines += ["", "## Lo que un estudiante vería roto", ""]
        for r in problems:
            lines.append(f"- **{r['target']} · {r['file']}**" + (f": {r['error']}" if r.get("error") else ""))
            lines += [f"  - {f}" for f in r["findings"]]
    explorers = [(r, e) for r in results for e in r["explorers"]]
    if explorers:
        lines += ["", "## Exploradores (cada control movido como lo haría un estudiante)", "",
                  "| perfil | cuaderno | explorador | ipywidgets | controles movidos | figuras |", "|---|---|---|---|---:|---:|"]
        for r, e in explorers:
            moved = [c for c in e["controls"] if not c.get("skipped")]
            lines.append(f"| {r['target']} | {r['id']} | {e['explorer']} | {e['ipywidgets']} | {len(moved)} | "
                         f"{e['drawn_at_start']} + {sum(c['figures'] for c in moved)} |")
    path = directory / "platforms.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

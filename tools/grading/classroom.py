"""The `utils` a graded kernel imports: the instructor's, with the written solutions withheld.

The kernel runs the student's code, so what it can import it can read: a copy of `utils` stripped as the
student edition strips it (`tools.edition.strip`) leaves no solution to copy, while every check, expected
value and data loader stays. The grader itself judges with the full `utils` of the repository.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from tools.edition.strip import strip_module


def student_utils(source: Path, dest: Path) -> Path:
    """Copy the package `source` (…/utils) to `dest/utils`, exercise modules without their solutions, readable by
    every user; return `dest`, the folder to put on the kernel's PYTHONPATH."""
    target = dest / "utils"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for module in sorted((target / "ejercicios").glob("nb*.py")):
        stripped, _, _ = strip_module(module.read_text(encoding="utf-8"), module.name, hints=set())
        module.write_text(stripped, encoding="utf-8")
    for folder, _, files in os.walk(dest):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(Path(folder) / name, 0o644)
    return dest

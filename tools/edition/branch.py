"""The edition folder committed as a branch of the repository with git plumbing: a temporary index, no
parent (the parent would hold the solutions), and the working tree, the index and HEAD left alone."""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from tools.edition.strip import EditionError

FALLBACK_AUTHOR = {"GIT_AUTHOR_NAME": "Edición del curso", "GIT_AUTHOR_EMAIL": "edicion@localhost",
                   "GIT_COMMITTER_NAME": "Edición del curso", "GIT_COMMITTER_EMAIL": "edicion@localhost"}


def _run(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)


def git(root: Path, *args: str, env: dict | None = None) -> str:
    """Run git in `root` and return its output; a failure becomes an EditionError with git's last line."""
    done = _run(root, *args, env=env)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["¿es un repositorio de git?"])[-1]
        raise EditionError(f"git {args[0]} falló: {last}")
    return done.stdout.strip()


def check_name(root: Path, name: str) -> None:
    """NAME must be usable as a branch and as the ref the notebooks clone (`git clone -b NAME`)."""
    valid = not name.startswith("-") and '"' not in name and name != "HEAD" and _run(
        root, "check-ref-format", f"refs/heads/{name}").returncode == 0
    if not valid:
        raise EditionError(f"--ref {name!r} no es un nombre de rama válido para git (sin espacios, ni «..», "
                           "ni ~ ^ : ? * [ \\), p. ej. curso-2026")


def is_repository(root: Path) -> bool:
    return root.is_dir() and _run(root, "rev-parse", "--is-inside-work-tree").stdout.strip() == "true"


def branch_exists(root: Path, name: str) -> bool:
    return _run(root, "show-ref", "--verify", "--quiet", f"refs/heads/{name}").returncode == 0


def commit_branch(root: Path, folder: Path, name: str, message: str, force: bool = False) -> str:
    """Commit `folder` as branch `name` of the repository at `root`; returns the commit id."""
    if branch_exists(root, name):
        if not force:
            raise EditionError(f"la rama {name} ya existe: usa otro --ref o añade --force para reemplazarla")
        if _run(root, "symbolic-ref", "-q", "--short", "HEAD").stdout.strip() == name:
            raise EditionError(f"la rama {name} es la que tienes abierta: cámbiate de rama antes de reemplazarla")
    git_dir = git(root, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory(prefix="edicion-index-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_DIR=git_dir, GIT_WORK_TREE=str(folder), GIT_INDEX_FILE=str(Path(tmp) / "index"))
        if _run(root, "config", "user.email").returncode != 0:
            env.update(FALLBACK_AUTHOR)
        git(folder, "add", "--all", "--force", ".", env=env)
        tree = git(folder, "write-tree", env=env)
        commit = git(folder, "commit-tree", tree, "-m", message, env=env)
        git(folder, "update-ref", f"refs/heads/{name}", commit, env=env)
    return commit

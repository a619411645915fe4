"""What a student's runtime looks like, reproduced: Colab's and Kaggle's kernel, folders, network and data.

Each notebook runs in a fresh session, as when a student opens it from its button: an empty working
folder, a new home, and a small virtual environment layered on the profile's cached one, so that what
the setup cell installs (the data wheels) is installed again every time and never leaks into the cache.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tools.platforms import profiles

KERNEL_FILES = Path(__file__).resolve().parent / "kernel"  # google.colab stand-in and the explorer probe
COLAB_RELEASE_TAG = "release-colab-external_20260819-060047_RC00"


@dataclass(frozen=True)
class Target:
    """One column of the report: a profile, a platform, and (Kaggle) how the data set is mounted."""

    name: str
    profile: str
    platform: str  # "colab" | "kaggle"
    layout: str | None = None  # Kaggle: "2026" (/kaggle/input/datasets/<owner>/<slug>) or "legacy"

    @property
    def label(self) -> str:
        return {"colab": "Colab", "kaggle": "Kaggle, montaje 2026", "kaggle-legacy": "Kaggle, montaje antiguo"}.get(
            self.name, self.name)


TARGETS = (
    Target("colab", "colab", "colab"),
    Target("kaggle", "kaggle", "kaggle", "2026"),
    Target("kaggle-legacy", "kaggle", "kaggle", "legacy"),
)


def _git(*args, cwd=None, env=None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise profiles.PlatformError(f"git {args[0]} falló: {done.stderr.strip()[-300:]}")
    return done.stdout.strip()


def make_mirror(root: Path, ref: str, workspace: Path) -> Path:
    """A bare repository whose `ref` is the working tree under test (committed or not), as one commit."""
    index = workspace / "git-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(index), "GIT_AUTHOR_NAME": "make platforms",
           "GIT_AUTHOR_EMAIL": "platforms@localhost", "GIT_COMMITTER_NAME": "make platforms",
           "GIT_COMMITTER_EMAIL": "platforms@localhost"}
    _git("read-tree", "HEAD", cwd=root, env=env)
    _git("add", "-A", cwd=root, env=env)
    tree = _git("write-tree", cwd=root, env=env)
    commit = _git("commit-tree", tree, "-p", "HEAD", "-m", "make platforms: working tree", cwd=root, env=env)
    mirror = workspace / "mirror.git"
    _git("init", "-q", "--bare", str(mirror))
    is_tag = bool(subprocess.run(["git", "show-ref", "--verify", "-q", f"refs/tags/{ref}"], cwd=root).returncode == 0)
    _git("push", "-q", str(mirror), f"{commit}:refs/{'tags' if is_tag else 'heads'}/{ref}", cwd=root)
    return mirror


def _overlay(base: Path, folder: Path) -> Path:
    """A venv without packages of its own that sees the profile's; what pip installs lands in it."""
    python = base / "bin" / "python"
    done = subprocess.run([str(python), "-m", "venv", "--without-pip", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        raise profiles.PlatformError(f"no se pudo crear el entorno de la sesión: {done.stderr.strip()[-200:]}")
    own = profiles.site_packages(folder)
    (own / "_platform_profile.pth").write_text(
        f"import site; site.addsitedir({str(profiles.site_packages(base))!r})\n", encoding="utf-8")
    return folder / "bin" / "python"


def network_isolation() -> list[str]:
    """The command prefix that runs a kernel with no network at all (a new network namespace)."""
    if shutil.which("unshare") and subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0:
        return ["unshare", "--net", "--"]
    raise profiles.PlatformError("no se puede aislar la red del kernel de Kaggle (hace falta `unshare --net`, "
                                 "disponible como root en Linux)")


@dataclass
class Session:
    """One notebook's fresh runtime: its kernel spec name, working folder and environment."""

    kernel_name: str
    cwd: Path
    env: dict
    probe_log: Path
    isolated: bool


def new_session(target: Target, base_venv: Path, folder: Path, *, mirror: Path | None, repository: str,
                dataset: Path | None, dataset_id: str | None, jupyter_path: Path) -> Session:
    """Lay out the folders, kernel spec and environment of a fresh session of `target`."""
    folder.mkdir(parents=True)
    home = folder / "home"
    home.mkdir()
    python = _overlay(base_venv, folder / "venv")
    ipython_dir = folder / "ipython"
    extensions = ["google.colab", "course_probe"] if target.platform == "colab" else ["course_probe"]
    (ipython_dir / "profile_default").mkdir(parents=True)
    (ipython_dir / "profile_default" / "ipython_kernel_config.py").write_text(
        f"c.InteractiveShellApp.extensions = {extensions!r}\n"
        "c.IPKernelApp.capture_fd_output = False\n", encoding="utf-8")
    gitconfig = folder / "gitconfig"
    lines = []
    if target.platform == "colab" and mirror is not None:
        lines = [f'[url "file://{mirror}"]', f"\tinsteadOf = https://github.com/{repository}.git"]
    gitconfig.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
        "IPYTHONDIR": str(ipython_dir), "PYTHONPATH": str(KERNEL_FILES), "JUPYTER_PATH": str(jupyter_path),
        "GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
        "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "COURSE_PROBE_LOG": str(folder / "explorers.jsonl"), "COLAB_RELEASE_TAG": COLAB_RELEASE_TAG,
    }
    if os.environ.get("PIP_CERT"):  # this machine reaches PyPI through a proxy with its own CA
        env["PIP_CERT"] = os.environ["PIP_CERT"]
    prefix = []
    if target.platform == "colab":
        cwd = folder / "content"
        cwd.mkdir()
    else:
        kaggle = folder / "kaggle"
        cwd, inputs = kaggle / "working", kaggle / "input"
        cwd.mkdir(parents=True)
        inputs.mkdir()
        # A data set with a `utils/` of its own that sorts first: the setup cell must not take it.
        decoy = inputs / ("datasets/aaa/aaa-otro" if target.layout == "2026" else "aaa-otro") / "utils"
        decoy.mkdir(parents=True)
        (decoy / "__init__.py").write_text("raise ImportError('utils de otro data set')\n", encoding="utf-8")
        if dataset is not None:
            owner, slug = dataset_id.split("/")
            mount = inputs / "datasets" / owner / slug if target.layout == "2026" else inputs / slug
            shutil.copytree(dataset, mount)
        # What a Kaggle kernel's environment holds (kagglehub reads the data proxy's address there).
        env.update(KAGGLE_KERNEL_RUN_TYPE="Interactive", KAGGLE_URL_BASE="https://www.kaggle.com",
                   KAGGLE_DATA_PROXY_URL="https://dp.kaggle.net", KAGGLE_DATA_PROXY_PROJECT="kaggle-161607",
                   KAGGLE_DATA_PROXY_TOKEN="sin-token-en-la-reproduccion", COURSE_KAGGLE_INPUT=str(inputs))
        prefix = network_isolation()
    name = f"platforms-{folder.parent.name}-{folder.name}"
    spec = jupyter_path / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        # The kernel's own stderr (debugger notes, shutdown messages) goes to the server's log on Colab
        # and Kaggle, not to the notebook; here it goes to a file beside the session.
        "argv": [*prefix, "sh", "-c", f'exec "$@" 2>>"{folder / "kernel.log"}"', "kernel",
                 str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"{target.label} ({folder.name})", "language": "python"}), encoding="utf-8")
    return Session(name, cwd, env, folder / "explorers.jsonl", bool(prefix))

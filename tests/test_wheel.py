"""Packaging: the sdist and wheel built from these sources, and the wheel installed into a fresh
virtual environment without Node.js, with both extensions enabled by the installation alone.

The build is what a release does (``python -m build``: an sdist, then the wheel from that
sdist, each in an isolated build environment from the package registry) on a copy of the
sources without any built front end, so the lab extension is built from scratch with jlpm and
the committed yarn.lock. ``GLUE_SESSIONS_WHEEL=/path/to.whl`` tests a wheel built elsewhere.
"""

from __future__ import annotations

import atexit
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABEXT = "share/jupyter/labextensions/glue-sessions"
BUILD_TIMEOUT = 900

pytestmark = [pytest.mark.timeout(BUILD_TIMEOUT + 300), pytest.mark.install]

_built: dict[str, Path] = {}


def _modest() -> None:  # two cores are shared: builds run at a lower priority
    os.nice(10)


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
        )
    return result


def _source_files() -> list[str]:
    """The files a checkout holds: tracked plus untracked-but-not-ignored (no node_modules,
    no lib/, no built glue_sessions/labextension)."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = _run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT
        ).stdout.split("\0")
        return sorted({f for f in listed if f and (ROOT / f).is_file()})
    skip = {"node_modules", "lib", "labextension", ".git", "dist", "build", "__pycache__"}
    return sorted(
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*")
        if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
    )


def new_venv(path: Path, python: str = sys.executable) -> Path:
    """A fresh virtual environment (no system site-packages); returns its python."""
    _run([python, "-m", "venv", str(path)])
    return path / "bin" / "python"


def jupyterlab_requirement() -> str:
    """The JupyterLab of this machine (wheels in pip's cache), else any JupyterLab 4."""
    try:
        return f"jupyterlab=={importlib.metadata.version('jupyterlab')}"
    except importlib.metadata.PackageNotFoundError:
        return "jupyterlab>=4,<5"


def build_dists() -> dict[str, Path]:
    """Builds the sdist and the wheel once per test session (also for test_lifecycle)."""
    if _built:
        return _built
    given = os.environ.get("GLUE_SESSIONS_WHEEL")
    if given:
        _built["wheel"] = Path(given).resolve()
        return _built
    work = Path(tempfile.mkdtemp(prefix="glue-sessions-build-"))
    atexit.register(shutil.rmtree, work, True)
    src = work / "src"
    for name in _source_files():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    tools = new_venv(work / "tools")
    _run([str(tools), "-m", "pip", "install", "-q", "build"])
    _run(
        [str(tools), "-m", "build", "--outdir", str(work / "dist"), str(src)],
        timeout=BUILD_TIMEOUT,
        preexec_fn=_modest,
    )
    (sdist,) = (work / "dist").glob("*.tar.gz")
    (wheel,) = (work / "dist").glob("*.whl")
    _built.update(sdist=sdist, wheel=wheel)
    return _built


@pytest.fixture(scope="session")
def dists() -> dict[str, Path]:
    return build_dists()


@pytest.fixture(scope="session")
def wheel(dists) -> Path:
    return dists["wheel"]


@pytest.fixture(scope="module")
def fresh_env(wheel, tmp_path_factory):
    """A new venv with the wheel and JupyterLab installed, and nothing else: no Node.js on the
    PATH, no system site-packages, a home of its own."""
    base = tmp_path_factory.mktemp("fresh")
    python = new_venv(base / "venv")
    bindir = python.parent
    assert shutil.which("node", path=str(bindir)) is None
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "CONDA", "SPARKMAGIC"))
    }
    env.update(PATH=str(bindir), HOME=str(base / "home"))
    (base / "home").mkdir()
    _run(
        [str(python), "-m", "pip", "install", "-q", str(wheel), jupyterlab_requirement()],
        env=env,
        cwd=base,
    )
    return python, env


def _jupyter(fresh_env, *args: str) -> str:
    python, env = fresh_env
    result = _run([str(python.parent / "jupyter"), *args], env=env, cwd=env["HOME"])
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # no colours


def test_wheel_carries_the_prebuilt_lab_extension_and_the_server_config(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shared = {n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n}
    assert f"{LABEXT}/package.json" in shared
    assert f"{LABEXT}/install.json" in shared
    assert f"{LABEXT}/static/style.js" in shared
    assert any(n.startswith(f"{LABEXT}/static/remoteEntry.") for n in shared), shared
    assert "etc/jupyter/jupyter_server_config.d/glue_sessions.json" in shared
    assert "glue_sessions/__init__.py" in names
    assert "glue_sessions/_version.py" in names
    assert "glue_sessions/serve/openapi.yaml" in names
    assert not [n for n in names if "node_modules" in n or n.endswith((".ts", ".tsx"))]
    # The endpoint emulator, the tests and the benchmarks stay in the checkout.
    top = {n.split("/", 1)[0] for n in names}  # glue_sessions, its .dist-info and .data
    assert {t.split("-", 1)[0] for t in top} == {"glue_sessions"}, top
    assert not [n for n in names if n.startswith("glue_sessions/testing/") or "emulator" in n]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert (
        "glue-sessions = glue_sessions.cli:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_sdist_builds_without_node_modules_and_holds_the_built_extension(dists):
    if "sdist" not in dists:
        pytest.skip("GLUE_SESSIONS_WHEEL given: no sdist built here")
    with tarfile.open(dists["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in (
        "pyproject.toml",
        "package.json",
        "yarn.lock",
        "install.json",
        "LICENSE",
        "src/index.ts",
        "glue_sessions/labextension/package.json",
        "glue_sessions/labextension/static/style.js",
        "jupyter-config/server-config/glue_sessions.json",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("node_modules/", ".yarn/", "lib/"))]


def test_server_extension_enabled_and_ok_without_node(fresh_env):
    out = _jupyter(fresh_env, "server", "extension", "list")
    lines = [line.strip() for line in out.splitlines()]
    assert "glue_sessions enabled" in lines, out
    assert any(line.startswith("glue_sessions ") and line.endswith(" OK") for line in lines), out


def test_lab_extension_enabled_and_ok_without_node(fresh_env):
    out = _jupyter(fresh_env, "labextension", "list")
    line = next((x for x in out.splitlines() if x.strip().startswith("glue-sessions ")), "")
    assert "enabled" in line and "OK" in line and "(python, glue_sessions)" in line, out
    assert "disabled" not in line


def test_installed_extension_is_importable_with_its_command(fresh_env):
    python, env = fresh_env
    out = _run(
        [str(python.parent / "glue-sessions"), "configure-sparkmagic", "--dry-run"],
        env=env,
        cwd=env["HOME"],
    ).stdout
    assert "events_handler_class" in out

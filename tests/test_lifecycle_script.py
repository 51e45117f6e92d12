"""sagemaker/on-start.sh itself, without an instance: it fits SageMaker's limit (alone and in
the combined scripts of docs/install.md) and passes the linters, and where the environment is
missing or its JupyterLab is not 4, it logs why, installs nothing and never fails the start.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess

import pytest
from sagemaker_instance import GLUE_SCRIPT, SAGEMAKER_PATH, SCRIPT, STUB, doc_block
from test_wheel import _run

GLUE_SCRIPT_CHARS = 2700  # the length of Glue's real OnStart script, rounded up

pytestmark = [pytest.mark.timeout(1500), pytest.mark.install]


def test_script_fits_sagemaker_and_passes_the_linters(tmp_path):
    text = SCRIPT.read_text()
    assert len(text) < 16384, "SageMaker takes at most 16384 characters per lifecycle script"
    assert text.startswith("#!/bin/bash\n")
    _run(["bash", "-n", str(SCRIPT)])
    if shutil.which("shellcheck"):
        _run(["shellcheck", str(SCRIPT)])
    for variable in (
        "WORKER_TYPE", "NUMBER_OF_WORKERS", "DEV_ENDPOINT_NAME", "PACKAGE", "WAIT_FOR_FILE"
    ):  # fmt: skip
        assert re.search(rf"^{variable}=\$\{{{variable}:-", text, re.M), variable
    # the combined script of docs/install.md, with Glue's script of its real length, fits too
    combined = doc_block("glue-combined")
    assert len(combined) + len(text) + GLUE_SCRIPT_CHARS < 16384
    assert len(GLUE_SCRIPT) < GLUE_SCRIPT_CHARS
    emr = tmp_path / "emr.sh"
    emr.write_text(doc_block("emr-combined").replace("# >>> paste the whole of", "true # "))
    _run(["bash", "-n", str(emr)])


def run_script_without_services(tmp_path, jupyter_env) -> subprocess.CompletedProcess:
    """on-start.sh with stand-ins for systemctl, initctl and aws that record their calls
    (calls.log) and nothing else of an instance; its log goes to lifecycle.log."""
    bindir = tmp_path / "stubs"
    bindir.mkdir()
    for name in ("systemctl", "initctl", "aws"):
        (bindir / name).write_text(STUB.format(calls=tmp_path / "calls.log", answers=tmp_path))
        (bindir / name).chmod(0o755)
    return subprocess.run(
        ["bash", str(SCRIPT)],
        env={
            "PATH": f"{bindir}:{SAGEMAKER_PATH}:/bin",
            "JUPYTER_ENV": str(jupyter_env),
            "NB_USER": pwd.getpwuid(os.geteuid()).pw_name,
            "NB_HOME": str(tmp_path),
            "LOG_FILE": str(tmp_path / "lifecycle.log"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_environment_is_logged_and_never_fails_the_instance(tmp_path):
    calls = tmp_path / "calls.log"
    log = tmp_path / "lifecycle.log"
    result = run_script_without_services(tmp_path, tmp_path / "no-such-env")
    assert result.returncode == 0
    assert "ERROR: no Python at" in result.stdout
    assert "ERROR: no Python at" in log.read_text()
    assert not calls.exists()


FAKE_PYTHON = """#!/bin/sh
echo "python $*" >> {calls}
case "$*" in
  *"import jupyterlab"*) {answer} ;;
  *) exit 1 ;;
esac
"""


@pytest.mark.parametrize(
    ("answer", "logged"),
    [
        ("echo 3.6.8", "ERROR: JupyterLab 3.6.8 in "),
        (
            "echo \"ModuleNotFoundError: No module named 'jupyterlab'\" >&2; exit 1",
            "ERROR: JupyterLab of unknown version (not importable) in ",
        ),
        ("echo 'not a version'", "ERROR: JupyterLab not a version in "),
    ],
    ids=["jupyterlab-3", "no-jupyterlab", "unreadable"],
)
def test_jupyterlab_3_or_unknown_is_refused_before_installing(tmp_path, answer, logged):
    calls = tmp_path / "calls.log"
    env_dir = tmp_path / "JupyterSystemEnv"
    (env_dir / "bin").mkdir(parents=True)
    python = env_dir / "bin/python"
    python.write_text(FAKE_PYTHON.format(calls=calls, answer=answer))
    python.chmod(0o755)
    log = tmp_path / "lifecycle.log"
    result = run_script_without_services(tmp_path, env_dir)
    assert result.returncode == 0
    text = log.read_text()
    assert logged in text and "needs JupyterLab 4" in text and "Nothing installed." in text
    assert "install finished WITH ERRORS" in text
    assert [c for c in calls.read_text().splitlines() if "import jupyterlab" not in c] == []
    assert not (env_dir / "etc").exists()

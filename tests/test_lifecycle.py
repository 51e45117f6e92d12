"""sagemaker/on-start.sh, run unchanged against a simulated SageMaker notebook instance, alone
and inside the combined lifecycle script of docs/install.md with a stand-in of AWS Glue's.

The instance: a JupyterSystemEnv-style virtual environment with JupyterLab (no glue-sessions)
and a sparkmagic kernelspec whose command is ``python -m sparkmagic.kernels...`` (as SageMaker
ships them), an ec2-user-style home with a sparkmagic config.json holding a key of the user's
own, the notebook instance's metadata file, and stand-ins for systemctl, initctl, sudo and the
AWS CLI (answering ``sagemaker list-tags`` and ``glue get-dev-endpoint``) that record their
arguments. When the tests run as root the notebook user is ``nobody`` (owner of the
environment and the home), so the script's switch from root to the user is exercised too.

The script is run as SageMaker runs it (as root, PATH=/sbin:bin:/usr/sbin:/usr/bin plus the
stand-ins), then that environment's own Jupyter server is started (as the notebook user, as
the script's restart would) and asked for a snapshot. A second run must change nothing;
ACTION=uninstall must restore the instance. Then the Glue notebook's life: Glue's script as
Create notebook, the combined script at the first and a later start, Glue's config copied over
ours (the server puts the hook back), a start where Glue's script runs in full after ours, a
kernel whose Python lacks the package, the endpoint switched in the console, and pip behind a
proxy that only ec2-user's ~/.profile knows.

Each life is one test on a fresh instance of its own, its steps called in order (each needs the
state the one before left), so no test depends on another or on the order tests run in.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from loopback import free_port
from test_wheel import _run, build_dists, jupyterlab_requirement, new_venv

from glue_sessions.kernel import labels
from glue_sessions.kernel_hook import HANDLER_CLASS

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "sagemaker" / "on-start.sh"
INSTALL_DOC = ROOT / "docs" / "install.md"
GLUE_HOME = "/home/ec2-user"  # what Glue's script and the combined header name
SAGEMAKER_PATH = "/sbin:bin:/usr/sbin:/usr/bin"  # what SageMaker gives lifecycle scripts
DEV_ENDPOINT = {
    "DevEndpoint": {
        "EndpointName": "team-dev",
        "Status": "READY",
        "WorkerType": "G.2X",
        "NumberOfWorkers": 7,
        "NumberOfNodes": 0,
        "GlueVersion": "1.0",
        "PrivateAddress": "10.0.3.17",
    }
}
TAGS = {"Tags": [{"Key": "aws-glue-dev-endpoint", "Value": "team-dev"}]}
EMR_PRIMARY = "ip-10-0-0-10.ec2.internal"  # resolves nowhere here: Livy and YARN do not answer
EMR_CLUSTER = {
    "Cluster": {
        "Id": "j-2AXXXXXXGAPLF",
        "Name": "team-emr",
        "Status": {"State": "WAITING"},
        "MasterPublicDnsName": EMR_PRIMARY,
        "ReleaseLabel": "emr-7.1.0",
        "Applications": [{"Name": "Spark"}, {"Name": "Livy"}, {"Name": "Hadoop"}],
    }
}
# AWS Glue's notebook script (console and aws-samples/aws-glue-samples
# utilities/sagemaker_notebook_automation), its shape and order kept; what needs AWS is a
# stand-in: the S3 assets (only Glue's sparkmagic config.json), Miniconda and autossh (a pause),
# the SSH tunnel to the endpoint and the connection checker (waiting for the harness's Livy).
GLUE_SCRIPT = """#!/bin/bash
set -ex
[ -e /home/ec2-user/glue_ready ] && exit 0

mkdir -p /home/ec2-user/glue
cd /home/ec2-user/glue

# Write dev endpoint in a file which will be used by daemon scripts
glue_endpoint_file="/home/ec2-user/glue/glue_endpoint.txt"
if [ -f $glue_endpoint_file ] ; then
    rm $glue_endpoint_file
fi
echo "https://glue.eu-west-1.amazonaws.com" >> $glue_endpoint_file

cp {assets}/config.json .  # stand-in: aws s3 cp ${{ASSETS}} . --recursive
{pause}  # stand-in: Miniconda install, autossh build and its upstart job

mkdir -p /home/ec2-user/.sparkmagic
cp /home/ec2-user/glue/config.json /home/ec2-user/.sparkmagic/config.json

# stand-in: the SSH tunnel and dev_endpoint_connection_checker.py (Glue waits up to 1800 s)
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/{livy_port}) 2>/dev/null && break
  sleep 1
done

sudo touch /home/ec2-user/glue_ready
"""
GLUE_SCRIPT_CHARS = 2700  # the length of Glue's real OnStart script, rounded up
# Where Glue's script runs. Not "/": with SageMaker's PATH (its relative "bin") bash remembers
# `mkdir` as bin/mkdir there, and Glue's own script fails after its `cd`; so on a real instance
# lifecycle scripts cannot start in "/" (which directory they start in is not documented).
GLUE_CWD = "/tmp"
AL2_OS_RELEASE = (
    'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nHOME_URL="https://amazonlinux.com/"\n'
)
AL1_OS_RELEASE = (
    'NAME="Amazon Linux AMI"\nVERSION="2018.03"\nID="amzn"\n'
    'HOME_URL="http://aws.amazon.com/amazon-linux-ami/"\n'
)

pytestmark = [pytest.mark.timeout(1500), pytest.mark.install]


class EmptyLivy:
    """A Livy without sessions on a loopback port that is reserved at once (bound) but refuses
    connections until start(), as an endpoint that comes up late."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/sessions":
                self.send_error(404)
                return
            body = json.dumps({"from": 0, "total": 0, "sessions": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), self.Handler, bind_and_activate=False
        )
        self.server.server_bind()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is not None:
            return
        self.server.server_activate()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        if self.thread is not None:
            self.server.shutdown()
        self.server.server_close()


def notebook_user_and_python() -> tuple[pwd.struct_passwd, str]:
    """As root: ``nobody`` and a Python it may run (pyenv's under /root is out of its reach,
    Debian's /usr/bin/python3 is not). Otherwise the current user and this Python."""
    me = pwd.getpwuid(os.geteuid())
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return me, sys.executable
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return me, sys.executable
    for python in (sys.executable, "/usr/bin/python3"):
        probe = ["runuser", "-u", "nobody", "--", python, "-c", "import ensurepip, venv"]
        if os.path.exists(python) and subprocess.run(probe, capture_output=True).returncode == 0:
            return nobody, python
    return me, sys.executable


STUB = """#!/bin/bash
echo "$(basename "$0") $*" >> {calls}
case "$(basename "$0") $1 $2" in
  "aws glue get-dev-endpoint") cat {answers}/get-dev-endpoint.json ;;
  "aws sagemaker list-tags") cat {answers}/list-tags.json ;;
  "aws emr describe-cluster") cat {answers}/describe-cluster.json ;;
  sudo*) exec "$@" ;;
esac
"""


@dataclass
class Instance:
    root: Path
    env: Path
    home: Path
    user: pwd.struct_passwd
    bin: Path
    calls: Path
    log: Path
    os_release: Path
    metadata: Path
    wheel: Path
    livy: EmptyLivy
    sparkmagic: Path
    original_sparkmagic: bytes
    answers: Path
    glue_assets: Path

    @property
    def settings(self) -> Path:
        return self.env / "etc/jupyter/jupyter_glue_sessions_config.json"

    @property
    def glue_ready(self) -> Path:
        return self.home / "glue_ready"

    def glue_config(self) -> bytes:
        return (self.glue_assets / "config.json").read_bytes()

    def glue_script(self, pause: int | str = 2) -> str:
        """Glue's script; `pause`: seconds its slow steps take, or a shell command they run."""
        port = self.livy.url.split(":")[-1]
        step = f"sleep {pause}" if isinstance(pause, int) else pause
        text = GLUE_SCRIPT.format(assets=self.glue_assets, livy_port=port, pause=step)
        return text.replace(GLUE_HOME, str(self.home))

    def combined_script(self, glue_pause: int | str = 2) -> Path:
        """The Start notebook script of docs/install.md: its block, with on-start.sh and
        Glue's script pasted where it says, and /home/ec2-user being this instance's home."""
        block = doc_block("glue-combined").replace(GLUE_HOME, str(self.home))
        on_start = "# >>> paste the whole of sagemaker/on-start.sh here <<<\n"
        glue = "# >>> paste it here <<<\n"
        assert block.count(on_start) == 1 and block.count(glue) == 1, block
        script = self.root / "combined.sh"
        script.write_text(
            block.replace(on_start, SCRIPT.read_text()).replace(glue, self.glue_script(glue_pause))
        )
        return script

    def answer(self, tags: dict, endpoint: dict) -> None:
        (self.answers / "list-tags.json").write_text(json.dumps(tags))
        (self.answers / "get-dev-endpoint.json").write_text(json.dumps(endpoint))

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def run(
        self,
        timeout: float = 300,
        script: Path = SCRIPT,
        inherit: bool = True,
        cwd: str = "/",
        **variables: str,
    ) -> subprocess.CompletedProcess:
        """Runs the unchanged script as SageMaker would, with these variables set."""
        env = {
            k: v
            for k, v in os.environ.items()
            if inherit
            and (k.startswith("PIP_") or k.lower() in ("http_proxy", "https_proxy", "no_proxy"))
        }
        env.update(
            PATH=f"{self.bin}:{SAGEMAKER_PATH}:/bin:/sbin",
            HOME=pwd.getpwuid(os.geteuid()).pw_dir,
            LANG="C.UTF-8",
            DEV_ENDPOINT_NAME="team-dev",
            PACKAGE=str(self.wheel),
            NB_USER=self.user.pw_name,
            NB_HOME=str(self.home),
            JUPYTER_ENV=str(self.env),
            LOG_FILE=str(self.log),
            OS_RELEASE=str(self.os_release),
            RESOURCE_METADATA=str(self.metadata),
        )
        env.update(variables)
        started = time.monotonic()
        result = subprocess.run(
            ["bash", str(script)],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        result.seconds = time.monotonic() - started  # type: ignore[attr-defined]
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def recorded_calls(self) -> list[str]:
        return self.calls.read_text().splitlines() if self.calls.exists() else []

    def restarts_since(self, calls_before: list[str]) -> list[str]:
        new = self.recorded_calls()[len(calls_before) :]
        return [c for c in new if c.startswith(("systemctl", "initctl"))]

    def python(self, code: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.env / "bin/python"), "-I", "-c", code], capture_output=True, text=True
        )


def doc_block(name: str) -> str:
    """The ```bash block that follows ``<!-- name...-->`` in docs/install.md."""
    match = re.search(
        rf"<!-- {re.escape(name)}\b[^>]*-->\n```bash\n(.*?)```", INSTALL_DOC.read_text(), re.S
    )
    assert match, f"no {name} block in {INSTALL_DOC}"
    return match.group(1)


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


@pytest.fixture
def instance():
    wheel = build_dists()["wheel"]
    root = Path(tempfile.mkdtemp(prefix="glue-sessions-instance-"))
    root.chmod(0o755)  # the notebook user must reach its home and environment
    try:
        user, python = notebook_user_and_python()
        env = root / "home/ec2-user/anaconda3/envs/JupyterSystemEnv"
        home = root / "home/ec2-user"
        env.parent.mkdir(parents=True)
        new_venv(env, python)
        _run([str(env / "bin/python"), "-m", "pip", "install", "-q", jupyterlab_requirement()])
        (root / "dist").mkdir()
        shutil.copy2(wheel, root / "dist" / wheel.name)

        livy = EmptyLivy()
        sparkmagic = home / ".sparkmagic/config.json"
        sparkmagic.parent.mkdir(parents=True)
        original = (
            json.dumps(
                {
                    "kernel_python_credentials": {
                        "username": "",
                        "password": "",
                        "url": livy.url,
                        "auth": "None",
                    },
                    "session_configs": {"driverMemory": "1000M", "executorCores": 2},
                    "team_note": {"owner": "data-eng", "keep": [1, 2, 3]},
                },
                indent=2,
            )
            + "\n"
        ).encode()
        sparkmagic.write_bytes(original)
        sparkmagic.chmod(0o600)
        # a sparkmagic kernelspec as SageMaker has them: "python" is the server's Python
        kernel = env / "share/jupyter/kernels/pysparkkernel"
        kernel.mkdir(parents=True)
        argv = ["python", "-m", "sparkmagic.kernels.pysparkkernel.pysparkkernel"]
        spec = {"argv": [*argv, "-f", "{connection_file}"], "display_name": "PySpark"}
        (kernel / "kernel.json").write_text(json.dumps(spec))
        if user.pw_uid != os.geteuid():
            _chown_tree(home, user.pw_uid, user.pw_gid)  # ec2-user owns anaconda3 too

        bindir = root / "stubs"
        bindir.mkdir()
        calls = root / "calls.log"
        calls.touch()
        calls.chmod(0o666)  # the server, as the notebook user, calls the AWS CLI too
        answers = root / "aws-answers"
        answers.mkdir()
        for name in ("systemctl", "initctl", "aws", "sudo"):
            stub = bindir / name
            stub.write_text(STUB.format(calls=calls, answers=answers))
            stub.chmod(0o755)
        glue_assets = root / "glue-assets"  # what Glue's script copies from S3
        glue_assets.mkdir()
        glue_config = {
            "kernel_python_credentials": {"username": "", "password": "", "url": livy.url},
            "kernel_scala_credentials": {"username": "", "password": "", "url": livy.url},
            "session_configs": {"driverMemory": "1000M", "executorCores": 2},
            "livy_session_startup_timeout_seconds": 600,
        }
        (glue_assets / "config.json").write_text(json.dumps(glue_config, indent=2) + "\n")
        metadata = root / "opt/ml/metadata/resource-metadata.json"
        metadata.parent.mkdir(parents=True)
        arn = "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/team"
        metadata.write_text(json.dumps({"ResourceArn": arn, "ResourceName": "team"}))
        os_release = root / "etc/os-release"
        os_release.parent.mkdir(parents=True)
        os_release.write_text(AL2_OS_RELEASE)
        instance = Instance(
            root=root,
            env=env,
            home=home,
            user=user,
            bin=bindir,
            calls=calls,
            log=root / "var/log/glue-sessions-lifecycle.log",
            os_release=os_release,
            metadata=metadata,
            wheel=root / "dist" / wheel.name,
            livy=livy,
            sparkmagic=sparkmagic,
            original_sparkmagic=original,
            answers=answers,
            glue_assets=glue_assets,
        )
        instance.answer(TAGS, DEV_ENDPOINT)
        (answers / "describe-cluster.json").write_text(json.dumps(EMR_CLUSTER))
        yield instance
    finally:
        with contextlib.suppress(NameError):
            livy.close()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def jupyter_server(instance: Instance):
    """Starts the environment's Jupyter server as the instance's restart would (as the notebook
    user, HOME its home) on a free loopback port with a known token; yields a function that
    waits for a snapshot satisfying a condition."""
    port, token = free_port(), secrets.token_hex(16)
    env = {
        "PATH": f"{instance.env / 'bin'}:/usr/bin:/bin",
        "HOME": str(instance.home),
        "LANG": "C.UTF-8",
    }
    cmd = [
        str(instance.env / "bin/jupyter"),
        "server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={instance.home}",
        "--GlueSessions.poll_interval=0.5",
        "--GlueSessions.max_backoff=1",
    ]
    if instance.user.pw_uid != os.geteuid():
        runuser = shutil.which("runuser") or "runuser"  # which sets HOME to the passwd one
        cmd = [runuser, "-u", instance.user.pw_name, "--", "env", f"HOME={instance.home}", *cmd]
    else:
        cmd.append("--allow-root")
    server_log = instance.root / f"jupyter-server-{port}.log"
    with open(server_log, "wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=instance.home, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/glue-sessions/api/snapshot",
        headers={"Authorization": f"token {token}"},
    )

    def snapshot_when(condition, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, server_log.read_text()
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    last = json.loads(response.read())
                if condition(last):
                    return last
            except (urllib.error.URLError, ConnectionError, json.JSONDecodeError) as error:
                last = error
            time.sleep(0.3)
        raise AssertionError(f"no such snapshot: {last}\n{server_log.read_text()}")

    snapshot_when.log = server_log  # type: ignore[attr-defined]
    try:
        yield snapshot_when
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def state_of(instance: Instance) -> dict[str, object]:
    """Every file the script may write: content, mtime and owner (None: absent)."""
    site = next(instance.env.glob("lib/python*/site-packages"))
    paths = [
        instance.sparkmagic,
        instance.sparkmagic.with_name("config.json.glue-sessions.bak"),
        instance.settings,
        instance.env / "etc/jupyter/jupyter_server_config.d/glue_sessions.json",
        instance.env / "share/jupyter/labextensions/glue-sessions/package.json",
        *site.glob("glue_sessions-*.dist-info/RECORD"),
    ]
    state: dict[str, object] = {}
    for path in paths:
        try:
            st = path.stat()
            state[str(path)] = (path.read_bytes(), st.st_mtime_ns, st.st_uid, st.st_mode)
        except FileNotFoundError:
            state[str(path)] = None
    for directory in (instance.sparkmagic.parent, instance.settings.parent):
        state[f"{directory}/*"] = sorted(os.listdir(directory))
    return state


def wait_for_log(instance: Instance, pattern: str, timeout: float = 240, since: int = 0) -> str:
    """The log from byte ``since`` on, once ``pattern`` is in it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = instance.log.read_bytes()[since:].decode() if instance.log.exists() else ""
        if re.search(pattern, text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"{pattern!r} not in {instance.log}:\n{text}")


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


def first_run_installs_configures_and_restarts(instance: Instance) -> None:
    result = instance.run()
    log = instance.log.read_text()
    assert result.stdout.strip() and result.stdout in log  # the run's part, for CloudWatch
    assert "install finished" in log and "WITH ERRORS" not in log, log
    assert "kernel pysparkkernel: imports glue_sessions.kernel_hook" in log
    assert instance.recorded_calls() == ["systemctl --no-block restart jupyter-server.service"]

    # the package, in the environment (not the user's site)
    found = instance.python("import glue_sessions, sys; print(glue_sessions.__file__)")
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith(str(instance.env)), found.stdout

    # where the server takes the endpoint's size from
    assert json.loads(instance.settings.read_text()) == {
        "GlueSessions": {
            "aws_cli": str(instance.bin / "aws"),
            "dev_endpoint_name": "team-dev",
            "notebook_instance_metadata": str(instance.metadata),
            "reapply_sparkmagic_hook": True,
        }
    }
    # sparkmagic: the hook in, the user's keys kept, the file still the user's
    config = json.loads(instance.sparkmagic.read_text())
    original = json.loads(instance.original_sparkmagic)
    assert config["events_handler_class"] == HANDLER_CLASS
    assert {k: v for k, v in config.items() if k != "events_handler_class"} == original
    for path in (instance.sparkmagic, instance.settings, instance.env / "bin/glue-sessions"):
        assert path.stat().st_uid == instance.user.pw_uid, path
    assert instance.sparkmagic.stat().st_mode & 0o777 == 0o600

    # Jupyter as the restart brings it up: the extension answers while Livy is still down,
    # with the Livy URL of the user's sparkmagic config, then shows the endpoint's size, read
    # by the server with the AWS CLI.
    with jupyter_server(instance) as snapshot_when:
        down = snapshot_when(lambda s: s["endpoint"]["polled_at"])
        assert down["endpoint"]["reachable"] is False
        assert down["endpoint"]["url"] == instance.livy.url
        instance.livy.start()
        up = snapshot_when(
            lambda s: s["endpoint"]["reachable"] and (s["cluster"] or {}).get("workers") == 7
        )
    cluster = up["cluster"]
    assert cluster["source"] == "worker-type"
    assert (cluster["worker_type"], cluster["workers"]) == ("G.2X", 7)
    assert cluster["max_executors"] == 6  # G.2X: NumberOfWorkers - 1
    assert up["sessions"] == []
    assert instance.recorded_calls()[1:] == [
        "aws glue get-dev-endpoint --endpoint-name team-dev --output json --region eu-west-1"
    ]


def second_run_changes_nothing(instance: Instance) -> None:
    before, calls_before = state_of(instance), instance.recorded_calls()
    instance.run()
    assert state_of(instance) == before
    assert instance.recorded_calls() == calls_before  # no AWS call, no restart
    assert instance.log.read_text().rstrip().endswith("install finished")
    assert "nothing changed" in instance.log.read_text().splitlines()[-2]


def uninstall_in_the_background_restores_the_instance(instance: Instance) -> None:
    calls_before = instance.recorded_calls()
    instance.os_release.write_text(AL1_OS_RELEASE)  # and the older restart, on Amazon Linux 1
    try:
        result = instance.run(ACTION="uninstall", WAIT_UNTIL="0")
        assert result.seconds < 10  # type: ignore[attr-defined]
        assert "still working in the background" in result.stdout
        log = wait_for_log(instance, r"uninstall finished")
    finally:
        instance.os_release.write_text(AL2_OS_RELEASE)
    assert "WITH ERRORS" not in log.split("uninstall:")[-1], log

    assert instance.sparkmagic.read_bytes() == instance.original_sparkmagic
    assert instance.sparkmagic.stat().st_uid == instance.user.pw_uid
    assert not instance.sparkmagic.with_name("config.json.glue-sessions.bak").exists()
    assert not instance.settings.exists()
    assert instance.python("import glue_sessions").returncode != 0
    assert not (instance.env / "share/jupyter/labextensions/glue-sessions").exists()
    assert not (instance.env / "etc/jupyter/jupyter_server_config.d/glue_sessions.json").exists()
    assert instance.recorded_calls()[len(calls_before) :] == [
        "initctl restart jupyter-server --no-wait"
    ]


# ---- a notebook created by AWS Glue: the combined script of docs/install.md -----------------


def hook_of(instance: Instance) -> object:
    return json.loads(instance.sparkmagic.read_text()).get("events_handler_class")


def without_hook(instance: Instance) -> dict:
    """sparkmagic's config without what ours adds: the hook and the owner labels' settings."""
    config = json.loads(instance.sparkmagic.read_text())
    config.pop("events_handler_class", None)
    config.pop(labels.CONFIG_KEY, None)
    return config


GLUE_OWNER_LABELS = {"OWNER_LABEL": "alice", "LABEL_NOTEBOOK": "1"}
OWNER_LABELS_WRITTEN = {"owner": "alice", "notebook": True}


def run_glue_create_script(instance: Instance) -> None:
    """Create notebook: Glue's script alone, as Glue wrote it."""
    script = instance.root / "glue-on-create.sh"
    script.write_text(instance.glue_script())
    done = subprocess.run(
        ["bash", str(script)],
        env={"PATH": f"{instance.bin}:{SAGEMAKER_PATH}:/bin", "LANG": "C.UTF-8"},
        cwd=GLUE_CWD,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def start_with_combined_script(
    instance: Instance, glue_pause: int | str = 2, **variables: str
) -> str:
    """Start notebook: the combined script, with owner labels on (OWNER_LABEL and
    LABEL_NOTEBOOK set where it says "set these"); returns the log of its background work."""
    since = instance.log_size()
    variables = {"DEV_ENDPOINT_NAME": "", **GLUE_OWNER_LABELS, **variables}
    result = instance.run(script=instance.combined_script(glue_pause), cwd=GLUE_CWD, **variables)
    if isinstance(glue_pause, int):  # Glue's part is not held up by ours
        assert result.seconds < 60  # type: ignore[attr-defined]
    assert "still working in the background" in result.stdout
    return wait_for_log(instance, r"install finished", since=since)


def glue_notebook_first_start(instance: Instance) -> None:
    instance.livy.start()  # the endpoint behind Glue's tunnel
    for path in (instance.glue_ready, instance.settings):
        path.unlink(missing_ok=True)
    instance.sparkmagic.write_bytes(instance.original_sparkmagic)  # SageMaker's, before Glue
    run_glue_create_script(instance)
    assert instance.glue_ready.exists() and hook_of(instance) is None
    calls_before = instance.recorded_calls()

    log = start_with_combined_script(instance)
    assert "WITH ERRORS" not in log, log
    # the hook in Glue's config, Glue's keys kept
    assert hook_of(instance) == HANDLER_CLASS
    assert without_hook(instance) == json.loads(instance.glue_config())
    labelled = json.loads(instance.sparkmagic.read_text())[labels.CONFIG_KEY]
    assert labelled == OWNER_LABELS_WRITTEN
    assert instance.sparkmagic.stat().st_uid == instance.user.pw_uid
    # nothing set by hand: the server reads the tag
    assert json.loads(instance.settings.read_text()) == {
        "GlueSessions": {
            "aws_cli": str(instance.bin / "aws"),
            "discover_dev_endpoint": True,
            "label_notebook": True,
            "notebook_instance_metadata": str(instance.metadata),
            "owner_label": "alice",
            "reapply_sparkmagic_hook": True,
        }
    }
    assert instance.restarts_since(calls_before) == [
        "systemctl --no-block restart jupyter-server.service"
    ]


def glue_endpoint_from_the_tag_and_switched_in_the_console(instance: Instance) -> None:
    calls_before = instance.recorded_calls()
    with jupyter_server(instance) as snapshot_when:
        up = snapshot_when(lambda s: (s["cluster"] or {}).get("workers") == 7)
    assert up["cluster"]["worker_type"] == "G.2X"
    arn = "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/team"
    assert instance.recorded_calls()[len(calls_before) :] == [
        f"aws sagemaker list-tags --resource-arn {arn} --output json --region eu-west-1",
        "aws glue get-dev-endpoint --endpoint-name team-dev --output json --region eu-west-1",
    ]
    # "Switch dev endpoint" in the Glue console: another tag value; a restart picks it up
    switched = {"DevEndpoint": {"EndpointName": "other-dev", "WorkerType": "G.1X",
                                "NumberOfWorkers": 3}}  # fmt: skip
    instance.answer({"Tags": [{"Key": "aws-glue-dev-endpoint", "Value": "other-dev"}]}, switched)
    try:
        with jupyter_server(instance) as snapshot_when:
            up = snapshot_when(lambda s: (s["cluster"] or {}).get("workers") == 3)
            log = snapshot_when.log.read_text()  # type: ignore[attr-defined]
        assert up["cluster"]["worker_type"] == "G.1X"
        assert "dev endpoint 'other-dev' (from the tag): 3 workers of type G.1X" in log
        assert instance.recorded_calls()[-1].startswith(
            "aws glue get-dev-endpoint --endpoint-name other-dev "
        )
    finally:
        instance.answer(TAGS, DEV_ENDPOINT)


def glue_notebook_later_start_changes_nothing(instance: Instance) -> None:
    before, calls_before = state_of(instance), instance.recorded_calls()
    log = start_with_combined_script(instance)  # glue_ready is there: Glue's part exits early
    assert "nothing changed" in log and "WITH ERRORS" not in log, log
    assert state_of(instance) == before
    assert instance.restarts_since(calls_before) == []


def glue_config_copied_over_ours_is_repaired_at_the_server_start(instance: Instance) -> None:
    # what Glue's script does on a start where it runs in full, or its daemons, after ours
    shutil.copyfile(instance.glue_assets / "config.json", instance.sparkmagic)
    assert hook_of(instance) is None
    with jupyter_server(instance) as snapshot_when:
        snapshot_when(lambda s: s["endpoint"]["polled_at"])
        deadline = time.monotonic() + 60
        while hook_of(instance) != HANDLER_CLASS and time.monotonic() < deadline:
            time.sleep(0.5)
        log = snapshot_when.log.read_text()  # type: ignore[attr-defined]
    assert hook_of(instance) == HANDLER_CLASS, log
    assert without_hook(instance) == json.loads(instance.glue_config())
    # and the owner labels with it, from the settings OWNER_LABEL wrote
    labelled = json.loads(instance.sparkmagic.read_text())[labels.CONFIG_KEY]
    assert labelled == OWNER_LABELS_WRITTEN
    assert f"glue-sessions: set {instance.sparkmagic}: events_handler_class" in log
    assert "kernel pysparkkernel: imports glue_sessions.kernel_hook" in log
    assert instance.sparkmagic.stat().st_uid == instance.user.pw_uid


def glue_start_where_glues_script_runs_in_full_after_ours(instance: Instance) -> None:
    # a start where glue_ready is gone (a rebuilt home): Glue's script copies its config again,
    # after ours has started; ours waits for glue_ready, then hooks that config
    instance.glue_ready.unlink()
    instance.sparkmagic.write_bytes(instance.original_sparkmagic)
    calls_before = instance.recorded_calls()
    # Glue's part takes its time: here until ours waits for it (a fixed pause would race
    # ours under load, whose pip step can outlast it).
    until_ours_waits = (
        f"for _ in $(seq 1 240); do grep -q 'waiting for' {instance.log} && break; sleep 1; done"
    )
    log = start_with_combined_script(instance, glue_pause=until_ours_waits)
    assert "WITH ERRORS" not in log, log
    waiting = log.index(f"waiting for {instance.glue_ready}")
    hooked = log.index(f"set {instance.sparkmagic}: events_handler_class")
    restarted = log.index("restarting the Jupyter server")
    assert waiting < hooked < restarted, log
    assert instance.glue_ready.exists()
    assert hook_of(instance) == HANDLER_CLASS
    assert without_hook(instance) == json.loads(instance.glue_config())
    assert instance.restarts_since(calls_before) == [
        "systemctl --no-block restart jupyter-server.service"
    ]


def kernel_whose_python_lacks_the_package_leaves_the_config_alone(instance: Instance) -> None:
    python = notebook_user_and_python()[1]
    kernel_env = instance.root / "kernel-env"  # a conda env of the user's, without glue-sessions
    new_venv(kernel_env, python)
    kernel = instance.home / ".local/share/jupyter/kernels/sparkkernel"
    kernel.mkdir(parents=True)
    argv = [str(kernel_env / "bin/python"), "-m", "sparkmagic.kernels.sparkkernel.sparkkernel"]
    (kernel / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Spark"}))
    shutil.copyfile(instance.glue_assets / "config.json", instance.sparkmagic)
    try:
        log = start_with_combined_script(instance)
        assert "kernel sparkkernel cannot import glue_sessions.kernel_hook" in log, log
        assert "No module named 'glue_sessions'" in log
        assert f"{instance.sparkmagic} left alone: kernel(s) sparkkernel" in log
        assert "WARNING: sparkmagic hook not written everywhere" in log
        assert "WITH ERRORS" not in log
        assert instance.sparkmagic.read_bytes() == instance.glue_config()
        with jupyter_server(instance) as snapshot_when:  # nor does the server write it
            snapshot_when(lambda s: s["endpoint"]["polled_at"])
            deadline = time.monotonic() + 60
            server_log = snapshot_when.log  # type: ignore[attr-defined]
            while "left alone" not in server_log.read_text() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert "left alone: kernel(s) sparkkernel" in server_log.read_text()
        assert instance.sparkmagic.read_bytes() == instance.glue_config()
    finally:
        shutil.rmtree(instance.home / ".local/share/jupyter/kernels", ignore_errors=True)


EMR_CONNECT = """set -e  # stand-in for a script that connects sparkmagic to an EMR cluster
mkdir -p /home/ec2-user/.sparkmagic
cat > /home/ec2-user/.sparkmagic/config.json <<'JSON'
{"kernel_python_credentials": {"username": "", "password": "", "auth": "None",
 "url": "http://ip-10-0-0-10.ec2.internal:8998"}}
JSON
"""


def emr_script(instance: Instance, with_id: bool = True) -> Path:
    """The EMR block of docs/install.md with the connection stand-in and on-start.sh pasted;
    without its EMR_CLUSTER_ID line when not ``with_id`` (sparkmagic points at the primary)."""
    block = doc_block("emr-combined")
    on_start = "# >>> paste the whole of sagemaker/on-start.sh here <<<\n"
    connect = "# >>> paste it here <<<\n"
    assert block.count(on_start) == 1 and block.count(connect) == 1, block
    id_line = re.compile(r"^EMR_CLUSTER_ID=j-[0-9A-Z]+\n", re.M)
    assert len(id_line.findall(block)) == 1, block
    if not with_id:
        block = id_line.sub("", block)
    script = instance.root / "emr.sh"
    script.write_text(
        block.replace(connect, EMR_CONNECT)
        .replace(on_start, SCRIPT.read_text())
        .replace(GLUE_HOME, str(instance.home))
    )
    return script


def server_log_when(snapshot_when, pattern: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = snapshot_when.log.read_text()
        if re.search(pattern, text):
            return text
        time.sleep(0.3)
    raise AssertionError(f"{pattern!r} not in the server's log:\n{text}")


def emr_block_of_the_docs(instance: Instance) -> None:
    aws = str(instance.bin / "aws")
    livy = f"http://{EMR_PRIMARY}:8998"
    calls_before = instance.recorded_calls()
    try:
        # as the docs show it: with the cluster's id
        result = instance.run(script=emr_script(instance), DEV_ENDPOINT_NAME="")
        assert "install finished" in result.stdout and "WITH ERRORS" not in result.stdout
        assert json.loads(instance.settings.read_text()) == {
            "GlueSessions": {
                "aws_cli": aws,
                "emr_cluster_id": "j-2AXXXXXXGAPLF",
                "notebook_instance_metadata": str(instance.metadata),
                "reapply_sparkmagic_hook": True,
            }
        }  # no tag lookup with an id, no URL typed by hand
        config = json.loads(instance.sparkmagic.read_text())
        assert config["events_handler_class"] == HANDLER_CLASS
        assert config["kernel_python_credentials"]["url"] == livy
        assert instance.restarts_since(calls_before) == [
            "systemctl --no-block restart jupyter-server.service"
        ]
        assert not [c for c in instance.recorded_calls()[len(calls_before) :] if "aws" in c]

        with jupyter_server(instance) as snapshot_when:
            snapshot_when(lambda s: s["endpoint"]["url"] == livy)
            log = server_log_when(snapshot_when, r"EMR cluster j-")
            assert (
                f"EMR cluster j-2AXXXXXXGAPLF (WAITING): primary node {EMR_PRIMARY}; Livy {livy} "
                f"(as configured), ResourceManager http://{EMR_PRIMARY}:8088 (from the cluster)"
            ) in log, log
            assert "ResourceManager on the Livy host" not in log  # no probe: YARN is known
            # the first polls may come before the cluster's answer: then YARN is not set yet
            snapshot_when(
                lambda s: "yarn API did not answer" in ((s["cluster"] or {}).get("note") or "")
            )
        aws_calls = [c for c in instance.recorded_calls()[len(calls_before) :] if "aws" in c]
        assert aws_calls == [
            "aws emr describe-cluster --cluster-id j-2AXXXXXXGAPLF --output json --region eu-west-1"
        ]

        # without the id (sparkmagic points at the primary node): the tag lookup finds no
        # dev endpoint, so the server asks the Livy host for a ResourceManager
        instance.answer({"Tags": []}, DEV_ENDPOINT)
        result = instance.run(script=emr_script(instance, with_id=False), DEV_ENDPOINT_NAME="")
        assert "install finished" in result.stdout and "WITH ERRORS" not in result.stdout
        assert json.loads(instance.settings.read_text())["GlueSessions"] == {
            "aws_cli": aws,
            "discover_dev_endpoint": True,
            "notebook_instance_metadata": str(instance.metadata),
            "reapply_sparkmagic_hook": True,
        }
        calls_before = instance.recorded_calls()
        with jupyter_server(instance) as snapshot_when:
            snapshot_when(lambda s: s["endpoint"]["url"] == livy)
            log = server_log_when(snapshot_when, r"ResourceManager on the Livy host")
            assert "has no aws-glue-dev-endpoint tag" in log, log
            assert (
                f"no YARN ResourceManager on the Livy host (http://{EMR_PRIMARY}:8088/ws/v1/"
                "cluster/info: "
            ) in log, log
            assert "capacity from the configured size (Standard x 5)" in log
        aws_calls = [c for c in instance.recorded_calls()[len(calls_before) :] if "aws" in c]
        assert [c.split()[1:3] for c in aws_calls] == [["sagemaker", "list-tags"]]
    finally:
        instance.answer(TAGS, DEV_ENDPOINT)
        instance.sparkmagic.write_bytes(instance.original_sparkmagic)


class ProxiedIndex:
    """An HTTP proxy that is also the only way to a package index (pypi.internal.invalid
    resolves nowhere): it serves the wheel and records what it was asked."""

    HOST = "pypi.internal.invalid"

    def __init__(self, wheel: Path):
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                base = f"http://{ProxiedIndex.HOST}"
                if self.path.rstrip("/") == f"{base}/simple/glue-sessions":
                    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
                    link = f'<a href="{base}/files/{wheel.name}#sha256={digest}">{wheel.name}</a>'
                    body, kind = f"<html><body>{link}</body></html>".encode(), "text/html"
                elif self.path == f"{base}/files/{wheel.name}":
                    body, kind = wheel.read_bytes(), "application/octet-stream"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def pip_uses_the_login_environment_of_the_notebook_user(instance: Instance) -> None:
    since = instance.log_size()
    instance.run(ACTION="uninstall", WAIT_UNTIL="0")
    wait_for_log(instance, r"uninstall finished", since=since)
    assert instance.python("import glue_sessions").returncode != 0

    index = ProxiedIndex(instance.wheel)
    files = {  # as AWS's samples for proxy-only VPCs set it up; .bash_profile as on AL2
        instance.home / ".profile": f"export http_proxy={index.url} https_proxy={index.url}\n",
        instance.home / ".bash_profile": "[ -f ~/.bashrc ] && . ~/.bashrc\n",
        instance.home / ".config/pip/pip.conf": (
            f"[global]\nindex-url = http://{ProxiedIndex.HOST}/simple\n"
            f"trusted-host = {ProxiedIndex.HOST}\n"
        ),
    }
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        since = instance.log_size()
        instance.run(PACKAGE="glue-sessions", inherit=False)  # root's own environment: none
        log = wait_for_log(instance, r"install finished", since=since)
        assert "WITH ERRORS" not in log, log
        assert f"http://{ProxiedIndex.HOST}/files/{instance.wheel.name}" in index.requests
        assert instance.python("import glue_sessions").returncode == 0
    finally:
        index.close()
        for path in files:
            path.unlink(missing_ok=True)


def test_a_plain_instance_installed_run_again_and_uninstalled(instance):
    """A notebook instance's life with the lifecycle script alone, each step on the state the one
    before left (a fresh instance of its own)."""
    first_run_installs_configures_and_restarts(instance)
    second_run_changes_nothing(instance)
    uninstall_in_the_background_restores_the_instance(instance)


@pytest.mark.timeout(2700)
def test_a_glue_notebooks_life(instance):
    """A notebook created by AWS Glue, started again and again with the combined script of
    docs/install.md, then the EMR block and pip behind a proxy (a fresh instance of its own)."""
    glue_notebook_first_start(instance)
    glue_endpoint_from_the_tag_and_switched_in_the_console(instance)
    glue_notebook_later_start_changes_nothing(instance)
    glue_config_copied_over_ours_is_repaired_at_the_server_start(instance)
    glue_start_where_glues_script_runs_in_full_after_ours(instance)
    kernel_whose_python_lacks_the_package_leaves_the_config_alone(instance)
    emr_block_of_the_docs(instance)
    pip_uses_the_login_environment_of_the_notebook_user(instance)

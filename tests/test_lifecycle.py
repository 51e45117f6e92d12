"""sagemaker/on-start.sh, run unchanged against a simulated SageMaker notebook instance.

The instance: a JupyterSystemEnv-style virtual environment with JupyterLab (no glue-sessions),
an ec2-user-style home with a sparkmagic config.json holding a key of the user's own, the
notebook instance's metadata file, and stand-ins for systemctl, initctl and the AWS CLI that
record their arguments. When the tests run as root the notebook user is ``nobody`` (owner of
the environment and the home), so the script's switch from root to the user is exercised too.

The script is run as SageMaker runs it (as root, PATH=/sbin:bin:/usr/sbin:/usr/bin plus the
stand-ins), then that environment's own Jupyter server is started (as the notebook user) and
asked for a snapshot. A second run must change nothing; ACTION=uninstall must restore the
instance.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
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
from test_wheel import _run, build_dists, jupyterlab_requirement, new_venv

from glue_sessions.kernel_hook import HANDLER_CLASS

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "sagemaker" / "on-start.sh"
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
AL2_OS_RELEASE = (
    'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nHOME_URL="https://amazonlinux.com/"\n'
)
AL1_OS_RELEASE = (
    'NAME="Amazon Linux AMI"\nVERSION="2018.03"\nID="amzn"\n'
    'HOME_URL="http://aws.amazon.com/amazon-linux-ami/"\n'
)

pytestmark = [pytest.mark.timeout(1500), pytest.mark.install]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
if [ "$(basename "$0")" = aws ] && [ "$1 $2" = "glue get-dev-endpoint" ]; then
  cat <<'JSON'
{answer}
JSON
fi
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

    @property
    def settings(self) -> Path:
        return self.env / "etc/jupyter/jupyter_glue_sessions_config.json"

    def run(self, timeout: float = 300, **variables: str) -> subprocess.CompletedProcess:
        """Runs the unchanged script as SageMaker would, with these variables set."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k.startswith("PIP_") or k.lower() in ("http_proxy", "https_proxy", "no_proxy")
        }
        env.update(
            PATH=f"{self.bin}:{SAGEMAKER_PATH}:/bin:/sbin",
            HOME=pwd.getpwuid(os.geteuid()).pw_dir,
            LANG="C.UTF-8",
            WORKER_TYPE="G.1X",
            NUMBER_OF_WORKERS="5",
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
            ["bash", str(SCRIPT)],
            env=env,
            cwd="/",
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

    def python(self, code: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.env / "bin/python"), "-I", "-c", code], capture_output=True, text=True
        )


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


@pytest.fixture(scope="module")
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
        if user.pw_uid != os.geteuid():
            _chown_tree(home, user.pw_uid, user.pw_gid)  # ec2-user owns anaconda3 too

        bindir = root / "stubs"
        bindir.mkdir()
        calls = root / "calls.log"
        for name in ("systemctl", "initctl", "aws"):
            stub = bindir / name
            stub.write_text(STUB.format(calls=calls, answer=json.dumps(DEV_ENDPOINT)))
            stub.chmod(0o755)
        metadata = root / "opt/ml/metadata/resource-metadata.json"
        metadata.parent.mkdir(parents=True)
        arn = "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/team"
        metadata.write_text(json.dumps({"ResourceArn": arn, "ResourceName": "team"}))
        os_release = root / "etc/os-release"
        os_release.parent.mkdir(parents=True)
        os_release.write_text(AL2_OS_RELEASE)
        yield Instance(
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
        )
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


def wait_for_log(instance: Instance, pattern: str, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = instance.log.read_text() if instance.log.exists() else ""
        if re.search(pattern, text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"{pattern!r} not in {instance.log}:\n{text}")


def test_script_fits_sagemaker_and_passes_the_linters():
    text = SCRIPT.read_text()
    assert len(text) < 16384, "SageMaker takes at most 16384 characters per lifecycle script"
    assert text.startswith("#!/bin/bash\n")
    _run(["bash", "-n", str(SCRIPT)])
    if shutil.which("shellcheck"):
        _run(["shellcheck", str(SCRIPT)])
    for variable in ("WORKER_TYPE", "NUMBER_OF_WORKERS", "DEV_ENDPOINT_NAME", "PACKAGE"):
        assert re.search(rf"^{variable}=\$\{{{variable}:-", text, re.M), variable


def test_missing_environment_is_logged_and_never_fails_the_instance(tmp_path):
    calls = tmp_path / "calls.log"
    bindir = tmp_path / "stubs"
    bindir.mkdir()
    for name in ("systemctl", "initctl", "aws"):
        (bindir / name).write_text(STUB.format(calls=calls, answer="{}"))
        (bindir / name).chmod(0o755)
    log = tmp_path / "lifecycle.log"
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        env={
            "PATH": f"{bindir}:{SAGEMAKER_PATH}:/bin",
            "JUPYTER_ENV": str(tmp_path / "no-such-env"),
            "NB_USER": pwd.getpwuid(os.geteuid()).pw_name,
            "NB_HOME": str(tmp_path),
            "LOG_FILE": str(log),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "ERROR: no Python at" in result.stdout
    assert "ERROR: no Python at" in log.read_text()
    assert not calls.exists()


def test_first_run_installs_configures_and_restarts(instance):
    result = instance.run()
    log = instance.log.read_text()
    assert result.stdout.strip() and result.stdout in log  # the run's part, for CloudWatch
    assert "install finished" in log and "WITH ERRORS" not in log, log
    assert "dev endpoint team-dev: 7 workers of type G.2X" in log
    assert instance.recorded_calls() == [
        "aws glue get-dev-endpoint --endpoint-name team-dev --output json --region eu-west-1",
        "systemctl --no-block restart jupyter-server.service",
    ]

    # the package, in the environment (not the user's site)
    found = instance.python("import glue_sessions, sys; print(glue_sessions.__file__)")
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith(str(instance.env)), found.stdout

    # the endpoint's size, for the server
    assert json.loads(instance.settings.read_text()) == {
        "GlueSessions": {"number_of_workers": 7, "worker_type": "G.2X"}
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
    # with the Livy URL of the user's sparkmagic config, then shows the script's numbers.
    with jupyter_server(instance) as snapshot_when:
        down = snapshot_when(lambda s: s["endpoint"]["polled_at"])
        assert down["endpoint"]["reachable"] is False
        assert down["endpoint"]["url"] == instance.livy.url
        instance.livy.start()
        up = snapshot_when(lambda s: s["endpoint"]["reachable"] and s["cluster"])
    cluster = up["cluster"]
    assert cluster["source"] == "worker-type"
    assert (cluster["worker_type"], cluster["workers"]) == ("G.2X", 7)
    assert cluster["max_executors"] == 6  # G.2X: NumberOfWorkers - 1
    assert up["sessions"] == []


def test_second_run_changes_nothing(instance):
    if not instance.settings.exists():
        pytest.skip("needs the first run")
    before, calls_before = state_of(instance), instance.recorded_calls()
    instance.run()
    assert state_of(instance) == before
    new_calls = instance.recorded_calls()[len(calls_before) :]
    assert new_calls == [
        "aws glue get-dev-endpoint --endpoint-name team-dev --output json --region eu-west-1"
    ]  # read again, but no restart
    assert instance.log.read_text().rstrip().endswith("install finished")
    assert "nothing changed" in instance.log.read_text().splitlines()[-2]


def test_uninstall_in_the_background_restores_the_instance(instance):
    if not instance.settings.exists():
        pytest.skip("needs the first run")
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

"""A simulated SageMaker notebook instance, what the lifecycle tests (tests/test_lifecycle*.py)
run sagemaker/on-start.sh against.

The instance: a JupyterSystemEnv-style virtual environment with JupyterLab (no glue-sessions)
and a sparkmagic kernelspec whose command is ``python -m sparkmagic.kernels...`` (as SageMaker
ships them), an ec2-user-style home with a sparkmagic config.json holding a key of the user's
own, the notebook instance's metadata file, and stand-ins for systemctl, initctl, sudo and the
AWS CLI (answering ``sagemaker list-tags`` and ``glue get-dev-endpoint``) that record their
arguments. When the tests run as root the notebook user is ``nobody`` (owner of the
environment and the home), so the script's switch from root to the user is exercised too.

Instance.run runs the script as SageMaker runs it (as root, PATH=/sbin:bin:/usr/sbin:/usr/bin
plus the stand-ins); tests/sagemaker_jupyter.py starts that environment's own Jupyter server.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from test_wheel import _run, build_dists, jupyterlab_requirement, new_venv

from emulator.loopback import LoopbackServer, QuietHandler

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
AL2_OS_RELEASE = (
    'NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nHOME_URL="https://amazonlinux.com/"\n'
)


class EmptyLivy(LoopbackServer):
    """A Livy without sessions on a loopback port that is reserved at once (bound) but refuses
    connections until start(), as an endpoint that comes up late."""

    class Handler(QuietHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/sessions":
                self.send_error(404)
                return
            self.reply(200, {"from": 0, "total": 0, "sessions": []})

    def __init__(self):
        super().__init__(self.Handler, start=False)


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


@contextlib.contextmanager
def new_instance() -> Iterator[Instance]:
    """A fresh instance of its own under a temporary root, removed afterwards."""
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

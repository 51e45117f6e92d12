"""The Jupyter server of a simulated SageMaker notebook instance (tests/sagemaker_instance.py):
started as the instance's restart would (as the notebook user), asked for snapshots, its state
and its log read as the lifecycle tests check them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request

from sagemaker_instance import Instance

from emulator.loopback import free_port


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

"""Real sparkmagic kernels in real Jupyter servers: their sparkmagic config, and a second
Jupyter server process (another notebook instance on the same endpoint). Opening a notebook and
running a cell: devstack/jupyter_kernels.py, shared with the demo."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from jupyter_kernels import JupyterServer, execute, open_notebook
from kernelspecs import write_pyspark_kernelspec
from stack import LIVY_URL

from emulator.loopback import free_port
from glue_sessions.kernel import labels
from glue_sessions.kernel.sparkmagic_config import configure_sparkmagic

__all__ = ["OtherInstance", "execute", "open_notebook", "write_sparkmagic_config"]


def write_sparkmagic_config(conf_dir: Path, owner: str) -> Path:
    """sparkmagic's config.json of one instance, with what the real command adds to it:
    our events hook, and labels with the owner and the notebook path
    (configure-sparkmagic --owner-label OWNER --label-notebook)."""
    conf_dir.mkdir(parents=True, exist_ok=True)
    config = conf_dir / "config.json"
    config.write_text(
        json.dumps(
            {
                "kernel_python_credentials": {"url": LIVY_URL, "auth": "None"},
                "session_configs": {
                    "driverMemory": "512m",
                    "executorMemory": "512m",
                    "executorCores": 1,
                },
                "livy_session_startup_timeout_seconds": 300,
                "wait_for_idle_timeout_seconds": 300,
            }
        )
    )
    configure_sparkmagic(config, owner_labels=labels.settings_for(owner, notebook=True))
    return config


class OtherInstance(JupyterServer):
    """Another notebook instance on the same endpoint: its own `jupyter server` process with
    glue-sessions, its own sparkmagic config (another owner), kernels and runtime directory.
    It shares nothing with the test's server but the endpoint."""

    def __init__(self, root: Path, owner: str, glue_config: dict[str, Any]) -> None:
        self.root = root
        self.owner = owner
        self.port = free_port()
        super().__init__(f"http://127.0.0.1:{self.port}", uuid.uuid4().hex)
        sparkmagic = write_sparkmagic_config(root / "sparkmagic", owner)
        self.kernel_name = write_pyspark_kernelspec(root / "data")
        config_dir = root / "config"
        config_dir.mkdir(parents=True)
        (config_dir / "jupyter_server_config.json").write_text(
            json.dumps(
                {
                    "ServerApp": {"jpserver_extensions": {"glue_sessions": True}},
                    "GlueSessions": dict(glue_config, sparkmagic_config=str(sparkmagic)),
                }
            )
        )
        (root / "notebooks").mkdir()
        # Not the test server's search paths (pytest-jupyter sets them): this instance's own.
        search_paths = ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")
        inherited = {k: v for k, v in os.environ.items() if k not in search_paths}
        self.env = dict(
            inherited,
            JUPYTER_CONFIG_DIR=str(config_dir),
            JUPYTER_DATA_DIR=str(root / "data"),
            JUPYTER_RUNTIME_DIR=str(root / "runtime"),
            SPARKMAGIC_CONF_DIR=str(sparkmagic.parent),
        )
        self.log = root / "jupyter-server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> None:
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyter_server",
                    "--no-browser",
                    "--allow-root",
                    "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={self.port}",
                    "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.root / 'notebooks'}",
                ],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"the other Jupyter server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()

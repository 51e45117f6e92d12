"""The EMR block of docs/install.md on a simulated notebook instance, with and without the
cluster's id: one step of the notebook life in test_lifecycle.py (which runs the steps in order
on one instance)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from sagemaker_instance import (
    DEV_ENDPOINT,
    EMR_PRIMARY,
    GLUE_HOME,
    SCRIPT,
    TAGS,
    Instance,
    doc_block,
)
from sagemaker_jupyter import jupyter_server

from glue_sessions.kernel_hook import HANDLER_CLASS

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

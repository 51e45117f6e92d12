"""The dev endpoint from the notebook instance's tag (an AWS CLI stand-in answering ListTags and
GetDevEndpoint), the kernelspec check before the hook is written, and both wired into the
server's start (GlueSessions.discover_dev_endpoint, reapply_sparkmagic_hook)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import pytest
from aws_cli import AwsCliStandIn

from glue_sessions.kernel import labels
from glue_sessions.kernel_hook import HANDLER_CLASS
from glue_sessions.reapply import main as reapply_main
from glue_sessions.reapply import reapply
from glue_sessions.serve.discovery import DiscoveryError, discover

ARN = "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/aws-glue-team"


class FakeAws(AwsCliStandIn):
    def __init__(self, tmp: Path):
        super().__init__(tmp, {"ResourceArn": ARN, "ResourceName": "aws-glue-team"})
        self.answer(tags={"aws-glue-dev-endpoint": "team-dev", "owner": "x"}, endpoint={})

    def answer(self, *, tags: dict[str, str] | None = None, endpoint: dict | None = None):
        if tags is not None:
            body = {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
            (self.dir / "tags.json").write_text(json.dumps(body))
        if endpoint is not None:
            base = {"EndpointName": "team-dev", "WorkerType": "G.2X", "NumberOfWorkers": 7}
            (self.dir / "endpoint.json").write_text(json.dumps({"DevEndpoint": base | endpoint}))

    def discover(self, **kwargs):
        return asyncio.run(discover(**self.options(**kwargs)))


@pytest.fixture
def aws(tmp_path, no_aws_region):
    return FakeAws(tmp_path)


def test_endpoint_from_the_instance_tag(aws):
    size = aws.discover()
    assert (size.name, size.worker_type, size.number_of_workers, size.source) == (
        "team-dev",
        "G.2X",
        7,
        "tag",
    )
    assert aws.calls() == [
        f"aws sagemaker list-tags --resource-arn {ARN} --output json --region eu-west-1",
        "aws glue get-dev-endpoint --endpoint-name team-dev --output json --region eu-west-1",
    ]


def test_a_named_endpoint_skips_the_tag_and_standard_counts_nodes(aws):
    aws.answer(endpoint={"WorkerType": None, "NumberOfWorkers": None, "NumberOfNodes": 5})
    size = aws.discover(endpoint_name="other-dev")
    assert (size.worker_type, size.number_of_workers, size.source) == ("Standard", 5, "setting")
    assert aws.calls() == [
        "aws glue get-dev-endpoint --endpoint-name other-dev --output json --region eu-west-1"
    ]


@pytest.mark.parametrize(
    ("tags", "endpoint", "message"),
    [
        ({"owner": "x"}, None, "no aws-glue-dev-endpoint tag"),
        ({"aws-glue-dev-endpoint": "x; rm -rf ~"}, None, "holds no endpoint name"),
        (None, {"WorkerType": "G.8X"}, "unknown WorkerType"),
        (None, {"NumberOfWorkers": "7"}, "no usable NumberOfWorkers"),
        (None, {"NumberOfWorkers": 0, "NumberOfNodes": 0}, "no usable NumberOfWorkers"),
    ],
)
def test_untrusted_answers_are_refused(aws, tags, endpoint, message):
    aws.answer(tags=tags, endpoint=endpoint)
    with pytest.raises(DiscoveryError, match=message):
        aws.discover()


def test_cli_failures_timeouts_and_no_metadata(aws, tmp_path):
    (aws.dir / "endpoint.json").write_text("not json")
    with pytest.raises(DiscoveryError, match="not JSON"):
        aws.discover()
    with pytest.raises(DiscoveryError, match="not an endpoint name"):
        aws.discover(endpoint_name="a b")  # refused before the CLI runs
    (aws.dir / "tags.json").unlink()
    with pytest.raises(DiscoveryError, match="list-tags failed"):
        aws.discover()
    aws.answer(tags={"aws-glue-dev-endpoint": "team-dev"})
    with pytest.raises(DiscoveryError, match="cannot read"):
        aws.discover(metadata_path=str(tmp_path / "missing.json"))
    with pytest.raises(DiscoveryError, match="cannot run"):
        aws.discover(aws_cli=str(tmp_path / "no-aws"))
    (aws.dir / "sleep").touch()
    started = time.monotonic()
    with pytest.raises(DiscoveryError, match=r"no answer in 0\.5 s"):
        aws.discover(timeout=0.5)
    assert time.monotonic() - started < 5


# ---- the kernelspec check ------------------------------------------------------------------


def kernelspec(kernels: Path, name: str, python: str, env: dict | None = None) -> None:
    (kernels / name).mkdir(parents=True)
    module = f"sparkmagic.kernels.{name}.{name}" if "spark" in name else "ipykernel_launcher"
    spec = {
        "argv": [python, "-m", module, "-f", "{connection_file}"],
        "display_name": name,
        "language": "python",
        "env": env or {},
    }
    (kernels / name / "kernel.json").write_text(json.dumps(spec))


def python_without_the_package(path: Path) -> str:
    path.write_text(
        "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'glue_sessions'\" >&2\nexit 1\n"
    )
    path.chmod(0o755)
    return str(path)


def test_hook_written_only_where_every_kernel_can_import_it(tmp_path):
    kernels = tmp_path / "kernels"
    own = tmp_path / "own-sparkmagic"
    kernelspec(kernels, "pysparkkernel", sys.executable)
    kernelspec(kernels, "sparkkernel", python_without_the_package(tmp_path / "py"),
               {"SPARKMAGIC_CONF_DIR": str(own)})  # fmt: skip
    kernelspec(kernels, "python3", "/nonexistent/python")  # not sparkmagic: not asked
    (own).mkdir()
    (own / "config.json").write_text("{}")
    default = tmp_path / "sparkmagic" / "config.json"
    default.parent.mkdir()
    default.write_text(json.dumps({"kernel_python_credentials": {"url": "http://x:8998"}}))

    result = reapply(default, kernel_dirs=[str(kernels)])
    assert json.loads(default.read_text())["events_handler_class"] == HANDLER_CLASS
    assert json.loads((own / "config.json").read_text()) == {}  # left alone
    assert result.changed == [default] and result.left_alone == [own / "config.json"]
    text = "\n".join(result.lines)
    assert "kernel pysparkkernel: imports glue_sessions.kernel_hook" in text
    assert "kernel sparkkernel cannot import glue_sessions.kernel_hook" in text
    assert "No module named 'glue_sessions'" in text
    assert "python3" not in text

    again = reapply(default, kernel_dirs=[str(kernels)])
    assert again.changed == [] and "already configured" in "\n".join(again.lines)


# ---- the server's start --------------------------------------------------------------------


@pytest.fixture
def start_files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("start")
    aws = FakeAws(tmp)
    sparkmagic = tmp / "sparkmagic.json"
    sparkmagic.write_text(json.dumps({"kernel_python_credentials": {"url": "http://127.0.0.1:9"}}))
    return aws, sparkmagic


@pytest.fixture
def by_hand():
    return {}


@pytest.fixture
def jp_server_config(start_files, by_hand):
    aws, sparkmagic = start_files
    return {
        "ServerApp": {"jpserver_extensions": {"glue_sessions": True}},
        "GlueSessions": {
            **by_hand,
            "sparkmagic_config": str(sparkmagic),
            "poll_interval": 60.0,
            "discover_dev_endpoint": True,
            "aws_cli": str(aws.cli),
            "notebook_instance_metadata": str(aws.metadata),
            "reapply_sparkmagic_hook": True,
        },
    }


def the_app(serverapp):
    (app,) = serverapp.extension_manager.extension_apps["glue_sessions"]
    return app


async def test_server_start_reads_the_endpoint_and_reapplies_the_hook(
    jp_serverapp, start_files, monkeypatch
):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    aws, sparkmagic = start_files
    app = the_app(jp_serverapp)
    await app._start_jupyter_server_extension(jp_serverapp)
    await asyncio.wait_for(app._startup_task, 30)
    assert (app.poller.config.worker_type, app.poller.config.number_of_workers) == ("G.2X", 7)
    assert json.loads(sparkmagic.read_text())["events_handler_class"] == HANDLER_CLASS
    assert [c.split()[1] for c in aws.calls()] == ["sagemaker", "glue"]  # once, at the start
    await app.stop_extension()


@pytest.mark.parametrize("by_hand", [{"owner_label": "alice", "label_notebook": True}])
async def test_owner_labels_are_put_back_with_the_hook(jp_serverapp, start_files):
    """A Glue start copies its own config over sparkmagic's: the server's start writes the
    owner labels (set by the lifecycle script's OWNER_LABEL) back with the hook."""
    _, sparkmagic = start_files
    app = the_app(jp_serverapp)
    await app._start_jupyter_server_extension(jp_serverapp)
    await asyncio.wait_for(app._startup_task, 30)
    written = json.loads(sparkmagic.read_text())
    assert written["events_handler_class"] == HANDLER_CLASS
    assert written[labels.CONFIG_KEY] == {"owner": "alice", "notebook": True}
    await app.stop_extension()


def test_reapply_from_the_command_line_with_owner_labels(tmp_path):
    config = tmp_path / "config.json"
    args = ["--config", str(config), "--no-kernel-check", "--owner-label", "bob"]
    assert reapply_main(args) == 0
    assert json.loads(config.read_text())[labels.CONFIG_KEY] == {"owner": "bob", "notebook": False}


@pytest.mark.parametrize("by_hand", [{"worker_type": "G.1X", "number_of_workers": 3}])
async def test_a_size_set_by_hand_wins_over_the_endpoint(jp_serverapp, start_files, caplog):
    app = the_app(jp_serverapp)
    await app._start_jupyter_server_extension(jp_serverapp)
    await asyncio.wait_for(app._startup_task, 30)
    assert (app.poller.config.worker_type, app.poller.config.number_of_workers) == ("G.1X", 3)
    assert "worker_type and number_of_workers set by hand, kept" in caplog.text
    await app.stop_extension()


async def test_a_failed_lookup_is_logged_and_keeps_the_configured_size(
    jp_serverapp, start_files, caplog
):
    aws, _ = start_files
    aws.answer(tags={"owner": "x"})
    app = the_app(jp_serverapp)
    await app._start_jupyter_server_extension(jp_serverapp)
    await asyncio.wait_for(app._startup_task, 30)
    assert (app.poller.config.worker_type, app.poller.config.number_of_workers) == ("Standard", 5)
    assert "dev endpoint size not read (the notebook instance has no aws-glue-dev-endpoint" in (
        caplog.text
    )
    await app.stop_extension()


def test_python_in_a_kernelspec_is_the_python_jupyter_runs(tmp_path):
    kernels = tmp_path / "kernels"
    kernelspec(kernels, "pysparkkernel", "python")  # what SageMaker's kernelspecs say
    config = tmp_path / "config.json"
    result = reapply(config, kernel_dirs=[str(kernels)])
    assert result.changed == [config], result.lines

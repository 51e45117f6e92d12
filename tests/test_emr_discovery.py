"""Amazon EMR at the server's start: the primary node of GlueSessions.emr_cluster_id (an AWS CLI
stand-in answering ``emr describe-cluster``), and a YARN ResourceManager on the Livy host (small
local HTTP servers answering, or not, as YARN's /ws/v1/cluster/info)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from aws_cli import AwsCliStandIn

from emulator.loopback import LoopbackServer, QuietHandler, free_port
from glue_sessions.client.http import JsonFetcher
from glue_sessions.serve import discovery
from glue_sessions.serve.discovery import DiscoveryError, describe_emr_cluster, probe_yarn_rm

ARN = "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/emr-team"
CLUSTER = "j-2AXXXXXXGAPLF"
PRIMARY = "ip-10-0-0-10.ec2.internal"


class FakeAws(AwsCliStandIn):
    def __init__(self, tmp: Path):
        super().__init__(tmp, {"ResourceArn": ARN})
        (tmp / "tags.json").write_text('{"Tags": []}')  # not a Glue notebook
        self.answer()

    def answer(self, **fields) -> None:
        cluster = {
            "Id": CLUSTER,
            "Name": "team",
            "Status": {"State": "WAITING"},
            "MasterPublicDnsName": PRIMARY,
            "Applications": [{"Name": "Spark"}, {"Name": "Livy"}],
        }
        (self.dir / "cluster.json").write_text(json.dumps({"Cluster": cluster | fields}))

    def describe(self, cluster_id: str = CLUSTER, **kwargs):
        return asyncio.run(describe_emr_cluster(cluster_id, **self.options(**kwargs)))


@pytest.fixture
def aws(tmp_path, no_aws_region):
    return FakeAws(tmp_path)


def test_primary_node_of_the_cluster(aws):
    cluster = aws.describe()
    assert (cluster.id, cluster.state, cluster.primary) == (CLUSTER, "WAITING", PRIMARY)
    assert cluster.livy_url == f"http://{PRIMARY}:8998"
    assert cluster.yarn_url == f"http://{PRIMARY}:8088"
    assert aws.calls() == [
        f"aws emr describe-cluster --cluster-id {CLUSTER} --output json --region eu-west-1"
    ]


def test_region_from_the_environment_or_none(aws, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-2")
    aws.describe()
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    aws.describe(metadata_path=str(tmp_path / "missing.json"))  # not on a notebook instance
    assert [c.split(" --output json")[1] for c in aws.calls()] == [" --region us-east-2", ""]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"Status": {"State": "TERMINATED"}}, "is not running: state 'TERMINATED'"),
        ({"Status": "RUNNING"}, "is not running: state None"),
        ({"Id": "j-OTHERCLUSTER1"}, "for another cluster"),
        ({"MasterPublicDnsName": None, "Status": {"State": "STARTING"}}, "no primary node"),
        ({"MasterPublicDnsName": "x; rm -rf ~"}, "not a host name"),
        ({"MasterPublicDnsName": "host\nERROR: forged log line"}, "not a host name"),
        ({"MasterPublicDnsName": "a" * 64 + ".internal"}, "not a host name"),
        ({"MasterPublicDnsName": ["10.0.0.10"]}, "not a host name"),
    ],
)
def test_untrusted_answers_are_refused(aws, fields, message):
    aws.answer(**fields)
    with pytest.raises(DiscoveryError, match=message) as error:
        aws.describe()
    assert "\n" not in str(error.value)


def test_garbled_failed_and_slow_answers(aws, tmp_path):
    with pytest.raises(DiscoveryError, match="not an EMR cluster id"):
        aws.describe("j-1; touch /tmp/x")  # refused before the CLI runs
    assert aws.calls() == []
    (aws.dir / "cluster.json").write_text('{"Cluster": ')
    with pytest.raises(DiscoveryError, match="not JSON"):
        aws.describe()
    (aws.dir / "cluster.json").write_text('["a list"]')
    with pytest.raises(DiscoveryError, match="without a Cluster"):
        aws.describe()
    (aws.dir / "cluster.json").unlink()
    with pytest.raises(DiscoveryError, match=r"describe-cluster failed \(1\)"):
        aws.describe()
    with pytest.raises(DiscoveryError, match="cannot run"):
        aws.describe(aws_cli=str(tmp_path / "no-aws"))
    aws.answer()
    (aws.dir / "sleep").touch()
    started = time.monotonic()
    with pytest.raises(DiscoveryError, match=r"no answer in 0\.5 s"):
        aws.describe(timeout=0.5)
    assert time.monotonic() - started < 5


# ---- the ResourceManager on the Livy host ----------------------------------------------------

CLUSTER_INFO = {
    "clusterInfo": {
        "id": 1764000000000,
        "state": "STARTED",
        "haState": "ACTIVE",
        "resourceManagerVersion": "3.3.6-amzn-3",
        "hadoopVersion": "3.3.6-amzn-3",
    }
}


class FakeRm(LoopbackServer):
    """A loopback HTTP server answering /ws/v1/cluster/info with ``body`` (or ``status``)."""

    def __init__(self, body: object = CLUSTER_INFO, status: int = 200):
        self.requests: list[str] = []
        outer = self

        class Handler(QuietHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                if self.path != "/ws/v1/cluster/info" or status != 200:
                    self.send_error(status if status != 200 else 404)
                    return
                self.reply(200, body)

        super().__init__(Handler)


async def probe(url: str):
    fetcher = JsonFetcher(request_timeout=2, connect_timeout=2)
    try:
        return await probe_yarn_rm(url, fetcher.get_json)
    finally:
        fetcher.close()


async def test_a_resourcemanager_that_answers():
    rm = FakeRm()
    try:
        found = await probe(rm.url)
    finally:
        rm.close()
    assert (found.url, found.version) == (rm.url, "3.3.6-amzn-3")
    assert rm.requests == ["/ws/v1/cluster/info"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"sessions": []}, 200, "does not answer as a YARN ResourceManager"),  # e.g. Livy
        ({"clusterInfo": {"state": "STARTED"}}, 200, "does not answer as a YARN"),
        ({"clusterInfo": CLUSTER_INFO["clusterInfo"] | {"state": "INITED"}}, 200, "'INITED'"),
        ({"clusterInfo": CLUSTER_INFO["clusterInfo"] | {"haState": "STANDBY"}}, 200, "STANDBY"),
        (None, 404, "HTTP 404"),
        (None, 500, "HTTP 500"),
    ],
)
async def test_what_is_not_a_resourcemanager(body, status, message):
    rm = FakeRm(body, status)
    try:
        with pytest.raises(DiscoveryError, match=message):
            await probe(rm.url)
    finally:
        rm.close()


async def test_nothing_listening():
    with pytest.raises(DiscoveryError, match=r"127\.0\.0\.1"):
        await probe(f"http://127.0.0.1:{free_port()}")


def test_the_resourcemanager_is_on_the_livy_host():
    assert discovery.rm_url_on_host_of(f"https://u:p@{PRIMARY}:8998/x") == f"http://{PRIMARY}:8088"
    assert discovery.rm_url_on_host_of("http://[fd00::1]:8998") == "http://[fd00::1]:8088"
    with pytest.raises(DiscoveryError, match="no host"):
        discovery.rm_url_on_host_of("not a url")


# ---- the server's start ----------------------------------------------------------------------


@pytest.fixture
def sparkmagic_url():
    return None  # no Livy URL in sparkmagic's config: its default, localhost:8998


@pytest.fixture
def start(tmp_path_factory, monkeypatch, sparkmagic_url):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    tmp = tmp_path_factory.mktemp("start")
    aws = FakeAws(tmp)
    sparkmagic = tmp / "sparkmagic.json"
    credentials = {"url": sparkmagic_url} if sparkmagic_url else {}
    sparkmagic.write_text(json.dumps({"kernel_python_credentials": credentials}))
    rm = FakeRm()
    yield aws, sparkmagic, rm
    rm.close()


@pytest.fixture
def no_rm_on_the_livy_host(monkeypatch):
    """The probe asks port 8088 of the Livy host (here localhost, where a YARN of the machine's
    may run): a port where nothing listens stands in for it."""
    monkeypatch.setattr(discovery, "RM_PORT", free_port())


@pytest.fixture
def settings():
    return {}


@pytest.fixture
def jp_server_config(start, settings):
    aws, sparkmagic, _ = start
    return {
        "ServerApp": {"jpserver_extensions": {"glue_sessions": True}},
        "GlueSessions": {
            "sparkmagic_config": str(sparkmagic),
            "poll_interval": 60.0,
            "aws_cli": str(aws.cli),
            "notebook_instance_metadata": str(aws.metadata),
            **settings,
        },
    }


async def started(serverapp):
    (app,) = serverapp.extension_manager.extension_apps["glue_sessions"]
    await app._start_jupyter_server_extension(serverapp)
    await asyncio.wait_for(app._startup_task, 30)
    assert app.poller._task is not None  # the poller runs, whatever the lookups found
    return app


@pytest.mark.parametrize("settings", [{"emr_cluster_id": CLUSTER}])
async def test_the_cluster_gives_livy_and_yarn(jp_serverapp, start, caplog):
    aws, _, _ = start
    app = await started(jp_serverapp)
    config = app.poller.config
    assert (config.livy_url, config.yarn_url) == (
        f"http://{PRIMARY}:8998",
        f"http://{PRIMARY}:8088",
    )
    assert app.poller.livy_url == f"http://{PRIMARY}:8998"
    assert await app.poller.fetcher.host_policy.allows(PRIMARY)
    assert [c.split()[1:3] for c in aws.calls()] == [["emr", "describe-cluster"]]
    assert f"EMR cluster {CLUSTER} (WAITING): primary node {PRIMARY}" in caplog.text
    await app.stop_extension()


@pytest.mark.parametrize(
    "settings",
    [
        {
            "emr_cluster_id": CLUSTER,
            "livy_url": "http://livy.example.internal:8998",
            "yarn_url": "http://rm.example.internal:8088",
        }
    ],
)
async def test_urls_set_by_hand_win_over_the_cluster(jp_serverapp, start, caplog):
    app = await started(jp_serverapp)
    config = app.poller.config
    assert (config.livy_url, config.yarn_url) == (
        "http://livy.example.internal:8998",
        "http://rm.example.internal:8088",
    )
    assert "Livy http://livy.example.internal:8998 (as configured)" in caplog.text
    await app.stop_extension()


# what AWS's connect-emr-cluster sample and SageMaker Studio write: a primary node's name
SPARKMAGIC_URL = "http://ip-10-0-0-11.eu-west-1.compute.internal:8998"


@pytest.mark.parametrize("settings", [{"emr_cluster_id": CLUSTER}])
@pytest.mark.parametrize("sparkmagic_url", [SPARKMAGIC_URL])
async def test_sparkmagics_livy_wins_over_the_cluster_and_yarn_comes_from_it(
    jp_serverapp, start, caplog
):
    app = await started(jp_serverapp)
    assert (app.poller.config.livy_url, app.poller.config.yarn_url) == (
        SPARKMAGIC_URL,
        f"http://{PRIMARY}:8088",
    )
    assert f"Livy {SPARKMAGIC_URL} (as configured)" in caplog.text
    await app.stop_extension()


@pytest.mark.parametrize("settings", [{"emr_cluster_id": CLUSTER}])
@pytest.mark.usefixtures("no_rm_on_the_livy_host")
async def test_a_failed_lookup_is_logged_and_the_livy_host_is_probed(jp_serverapp, start, caplog):
    aws, _, _ = start
    aws.answer(Status={"State": "TERMINATED_WITH_ERRORS"})
    app = await started(jp_serverapp)
    assert (app.poller.config.livy_url, app.poller.config.yarn_url) == (
        "http://localhost:8998",
        None,
    )
    assert f"EMR cluster '{CLUSTER}' not read (cluster {CLUSTER} is not running" in caplog.text
    assert "no YARN ResourceManager on the Livy host" in caplog.text
    assert "capacity from the configured size (Standard x 5)" in caplog.text
    await app.stop_extension()


@pytest.mark.parametrize("settings", [{"emr_cluster_id": "j-1 && reboot"}])
@pytest.mark.usefixtures("no_rm_on_the_livy_host")
async def test_a_bad_cluster_id_is_refused_without_calling_aws(jp_serverapp, start, caplog):
    aws, _, _ = start
    app = await started(jp_serverapp)
    assert aws.calls() == []
    assert "not an EMR cluster id (j-...): 'j-1 && reboot'" in caplog.text
    await app.stop_extension()


@pytest.mark.parametrize("settings", [{"livy_url": "http://127.0.0.1:8998"}])
async def test_a_resourcemanager_on_the_livy_host_gives_yarn_mode(
    jp_serverapp, start, monkeypatch, caplog
):
    _, _, rm = start
    monkeypatch.setattr(discovery, "RM_PORT", rm.port)  # the Livy host's "8088" answers as YARN
    app = await started(jp_serverapp)
    assert app.poller.config.yarn_url == rm.url
    assert app.poller.config.mode == "yarn"
    assert "YARN ResourceManager '3.3.6-amzn-3' at " + rm.url in caplog.text
    assert "capacity from YARN" in caplog.text
    await app.stop_extension()


@pytest.mark.parametrize("settings", [{"dev_endpoint_name": "team-dev"}])
async def test_no_probe_when_a_glue_dev_endpoint_is_in_play(jp_serverapp, start, caplog):
    _, _, rm = start
    app = await started(jp_serverapp)
    assert rm.requests == [] and app.poller.config.yarn_url is None
    assert "ResourceManager" not in caplog.text
    await app.stop_extension()

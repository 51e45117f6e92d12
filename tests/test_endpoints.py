"""Every Livy endpoint the kernels use: a second emulated endpoint named by a kernel record is
polled with its own credentials and cluster manager, and shown apart in the API and metrics."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import pytest
import tornado.httpclient
from test_metrics import scrape, series
from test_notebook_mapping import write_record

from emulator import EndpointEmulator, seed_scenario
from glue_sessions.serve import discovery, startup
from glue_sessions.serve.endpoints import Endpoints, endpoint_id


def basic(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:pw-{user}".encode()).decode()


@pytest.fixture
def second(jp_asyncio_loop):
    em = EndpointEmulator(seed_scenario("yarn"))
    jp_asyncio_loop.run_until_complete(em.start())
    yield em
    em.stop()


@pytest.fixture
def sparkmagic_config(tmp_path, emulator, second):
    """The PySpark kernels use the configured endpoint as alice, the Scala ones the second
    endpoint as bob."""
    path = tmp_path / "config.json"
    entries = {"kernel_python_credentials": (emulator, "alice")}
    entries["kernel_scala_credentials"] = (second, "bob")
    path.write_text(
        json.dumps(
            {
                key: {"url": em.base_url, "username": user, "password": f"pw-{user}"}
                for key, (em, user) in entries.items()
            }
        )
    )
    emulator.scenario.livy_authorization = basic("alice")
    second.scenario.livy_authorization = basic("bob")
    return path


@pytest.fixture
def glue_config(glue_config, sparkmagic_config):
    return dict(glue_config, sparkmagic_config=str(sparkmagic_config))


@pytest.fixture
def rm_on_the_second_host(monkeypatch, second):
    """Both emulators are on 127.0.0.1: the probe of "port 8088" of the host finds the second
    one's YARN (the machine's own YARN must not answer it)."""
    monkeypatch.setattr(discovery, "RM_PORT", urlsplit(second.base_url).port)


@pytest.mark.usefixtures("rm_on_the_second_host")
async def test_an_endpoint_a_kernel_used_is_polled_with_its_own_credentials(
    jp_fetch, jp_serverapp, poller, emulator, second
):
    (extension,) = jp_serverapp.extension_manager.extension_apps["glue_sessions"]
    watched: Endpoints = extension.endpoints
    write_record("k-scala", "/tmp/scala.ipynb", second.base_url, 1)
    await watched.update()
    other = watched.get(second.base_url + "/")
    assert other is not None and other is not poller
    await watched.probes_done()
    # Its YARN was found on its host.
    assert other.config.yarn_url == f"http://127.0.0.1:{urlsplit(second.base_url).port}"
    await other.poll_once()
    await poller.poll_once()

    answer = json.loads((await jp_fetch("glue-sessions", "api", "endpoints")).body)
    ids = [e["id"] for e in answer["endpoints"]]
    assert ids == [endpoint_id(emulator.base_url), endpoint_id(second.base_url)]
    assert [e["configured"] for e in answer["endpoints"]] == [True, False]
    assert all(e["reachable"] and e["sessions"] == 3 for e in answer["endpoints"])
    assert answer["endpoints"][1]["last_used_at"] is not None and answer["not_polled"] == []

    snapshot = json.loads(
        (await jp_fetch("glue-sessions", "api", "snapshot", params={"endpoint": ids[1]})).body
    )
    assert snapshot["endpoint"]["url"] == second.base_url
    assert snapshot["cluster"]["source"] == "yarn" and snapshot["endpoint"]["mode"] == "yarn"
    # The record's session is this server's (its kernel is gone: an orphan), on that endpoint.
    assert {s["id"]: s["mine"] for s in snapshot["sessions"]}[1] is True
    configured = json.loads((await jp_fetch("glue-sessions", "api", "snapshot")).body)
    assert configured["endpoint"]["url"] == emulator.base_url
    assert not any(s["mine"] for s in configured["sessions"])
    history = await jp_fetch("glue-sessions", "api", "history", params={"endpoint": ids[1]})
    assert history.code == 200

    # Each endpoint got its own credentials, and only those.
    def authorizations(em):
        return {h.get("Authorization") for h, r in zip(em.headers, em.requests) if "sessions" in r}

    assert authorizations(second) == {basic("bob")}
    assert authorizations(emulator) == {basic("alice")}

    samples = await scrape(jp_fetch, other)
    assert series(samples, "glue_sessions_endpoint_reachable") == 1
    assert (
        series(samples, "glue_sessions_cluster_executors_in_use")
        == (snapshot["cluster"]["executors_in_use"])
    )
    assert series(await scrape(jp_fetch, poller), "glue_sessions_endpoint_reachable") == 1

    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        await jp_fetch("glue-sessions", "api", "snapshot", params={"endpoint": "http://x:1"})
    assert refused.value.code == 404


class FakePoller:
    def __init__(self, url: str):
        self.config = type("Config", (), {"livy_url": url})()
        self.snapshot = None
        self.running = False

    def start(self):
        self.running = True

    async def stop(self):
        self.running = False


async def test_at_most_max_endpoints_and_quiet_ones_are_dropped(monkeypatch):
    async def no_probe(poller, log):
        return False

    monkeypatch.setattr(startup, "find_yarn_on_livy_host", no_probe)
    now = [1000.0]
    in_use = {"http://a:8998", "http://b:8998/", "http://USER:pw@C:8998"}
    watched = Endpoints(
        FakePoller("http://a:8998"),  # type: ignore[arg-type]
        FakePoller,  # type: ignore[arg-type]
        lambda: in_use,
        max_endpoints=2,
        quiet_seconds=3600,
        clock=lambda: now[0],
    )
    await watched.update()
    # One other endpoint polled besides the configured one; both are as recent: by URL.
    assert list(watched.others) == ["http://b:8998"]
    assert watched.not_polled == ["http://c:8998"]
    assert watched.get("http://USER:pw@b:8998") is watched.others["http://b:8998"]
    assert watched.get(None) is watched.configured and watched.get("http://z") is None

    b = watched.others["http://b:8998"]
    in_use = {"http://c:8998"}  # b's kernels are gone; c is still used
    now[0] += 10
    await watched.update()
    assert list(watched.others) == ["http://c:8998"] and not b.running
    assert watched.not_polled == ["http://b:8998"]  # still used within the hour, but older
    in_use = set()
    now[0] += 3601
    await watched.update()
    assert watched.others == {} and watched.not_polled == []
    answer = watched.answer()
    assert [e["id"] for e in answer["endpoints"]] == ["http://a:8998"]


async def test_a_url_no_poller_can_be_made_for_is_said_once_and_skipped(monkeypatch, caplog):
    async def no_probe(poller, log):
        return False

    monkeypatch.setattr(startup, "find_yarn_on_livy_host", no_probe)

    def make(url):
        if "broken" in url:
            raise ValueError("no poller for it")
        return FakePoller(url)

    in_use = {"file:///etc/passwd", "http://broken:8998", "http://good:8998"}
    watched = Endpoints(
        FakePoller("http://a:8998"),  # type: ignore[arg-type]
        make,  # type: ignore[arg-type]
        lambda: in_use,
    )
    for _ in range(3):
        await watched.update()
    assert list(watched.others) == ["http://good:8998"]
    assert watched.refused == {"file:///etc/passwd", "http://broken:8998"}
    assert caplog.text.count("which is not polled") == 2

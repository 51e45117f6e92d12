"""What a poll cycle reuses from the last one gives what doing the work again gives.

- the published body and ETag when only the poll times changed (poller._publish): the body is
  the one a fresh encoding makes, the ETag the same as before;
- the parse of an answer byte for byte the same as the URL's last one (observe._get); a
  changed answer is parsed again.
"""

from __future__ import annotations

import copy
import hashlib
import json

from glue_sessions.config import PollerConfig
from glue_sessions.serve.poller import POLL_TIMES, Poller
from scripts.snapshot_example import example_snapshot


def fresh(snapshot) -> tuple[bytes, str]:
    body = json.dumps(snapshot, separators=(",", ":"), sort_keys=True).encode()
    digest = hashlib.sha1(POLL_TIMES.sub(b"", body), usedforsecurity=False)
    return body, f'"{digest.hexdigest()}"'


class NoFetcher:
    requests_sent = 0

    def close(self) -> None:
        pass


def test_an_unchanged_snapshot_is_published_as_a_fresh_encoding_would_be():
    poller = Poller(PollerConfig(livy_url="http://127.0.0.1:8998"), NoFetcher())  # type: ignore[arg-type]
    first = example_snapshot()
    poller._publish(copy.deepcopy(first))
    body, etag = fresh(poller.snapshot)
    assert (poller.snapshot_body, poller.etag) == (body, etag)

    later = copy.deepcopy(first)
    later["endpoint"]["polled_at"] = "2026-11-30T12:00:05Z"
    later["endpoint"]["last_success_at"] = None
    poller._publish(later)
    assert poller.snapshot is later
    assert (poller.snapshot_body, poller.etag) == fresh(later)
    assert poller.etag == etag and poller.snapshot_body != body

    changed = copy.deepcopy(later)
    changed["sessions"][0]["executors"] += 1
    poller._publish(changed)
    assert (poller.snapshot_body, poller.etag) == fresh(changed)
    assert poller.etag != etag


class Answers:
    """get_body/decode of a JsonFetcher, from a table of bodies; counts decodes."""

    requests_sent = 0

    def __init__(self, bodies: dict[str, bytes]):
        self.bodies = bodies
        self.decoded = 0

    async def get_body(self, url: str, *, authenticate: bool = True) -> bytes:
        return self.bodies[url]

    def decode(self, url: str, body: bytes):
        self.decoded += 1
        return json.loads(body)

    def close(self) -> None:
        pass


async def test_a_repeated_answer_is_parsed_once_and_a_changed_one_again():
    from glue_sessions.observe import parse_cluster
    from glue_sessions.observe.observer import Observer

    url = "http://127.0.0.1:8088/ws/v1/cluster/metrics"
    metrics = {"clusterMetrics": {"activeNodes": 2, "totalVirtualCores": 8, "totalMB": 8192}}
    fetcher = Answers({url: json.dumps(metrics).encode()})
    observer = Observer(PollerConfig(livy_url="http://127.0.0.1:8998"), fetcher)  # type: ignore[arg-type]

    async def cycle():
        observer._last_answers, observer._answers = observer._answers, {}
        return await observer._get(url, parse_cluster.yarn_cluster_metrics)

    first = await cycle()
    assert first == parse_cluster.yarn_cluster_metrics(metrics)
    assert await cycle() is first and fetcher.decoded == 1

    metrics["clusterMetrics"]["activeNodes"] = 3
    fetcher.bodies[url] = json.dumps(metrics).encode()
    assert (await cycle()).active_nodes == 3 and fetcher.decoded == 2

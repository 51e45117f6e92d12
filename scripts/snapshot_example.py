"""Regenerate the example snapshots: what the server's analysis makes of recorded observations.

    python scripts/snapshot_example.py          # writes every example
    python scripts/snapshot_example.py --check  # exits 1 when a committed example differs

Each example is the last snapshot of recorded cycles, published as the server publishes it
(glue_sessions.snapshot.publish):
- docs/snapshot-example.json: the seed story, from the observations of
  tests/data/snapshot-example-observations.json (what the poller hands to analyze(), cycle
  after cycle);
- ui-tests/tests/fixtures/snapshot-cannot-start.json: a session that cannot start, from the
  real YARN and Livy answers recorded in devstack/samples/yarn/cannot_start_* (a Poller reads
  them, polling every 5 s for two minutes), its notebook one of this server's;
- ui-tests/tests/fixtures/snapshot-orphaned.json: an orphaned session, a notebook that starves
  and an application outside Livy, from tests/data/snapshot-orphaned-observations.json.
The jest tests, the Galata screenshots and the docs read them, so none of them can show a field
the server does not send, or a value its analysis would not decide.
tests/test_snapshot_contract.py fails when a committed example differs from what this script
writes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from glue_sessions.client.http import FetchError, JsonFetcher
from glue_sessions.config import AnalysisConfig, PollerConfig
from glue_sessions.decide.analysis import AnalysisState, analyze
from glue_sessions.kernel.labels import Labels
from glue_sessions.observe.capacity import ClusterRead, outside_livy
from glue_sessions.observe.model import (
    ClusterObservation,
    Observation,
    Problem,
    SessionObservation,
)
from glue_sessions.observe.parse_cluster import yarn_apps
from glue_sessions.serve.poller import Poller
from glue_sessions.snapshot import Snapshot, publish

ROOT = Path(__file__).resolve().parents[1]
OBSERVATIONS = ROOT / "tests" / "data" / "snapshot-example-observations.json"
ORPHANED_OBSERVATIONS = ROOT / "tests" / "data" / "snapshot-orphaned-observations.json"
YARN_SAMPLES = ROOT / "devstack" / "samples" / "yarn"
EXAMPLE = ROOT / "docs" / "snapshot-example.json"
FIXTURES = ROOT / "ui-tests" / "tests" / "fixtures"
CANNOT_START = FIXTURES / "snapshot-cannot-start.json"
ORPHANED = FIXTURES / "snapshot-orphaned.json"


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def observations(recorded: dict[str, Any]) -> list[Observation]:
    """The recorded cycles as analyze() receives them (sessions, problems and applications
    outside Livy by name)."""
    notebooks = {int(k): v for k, v in recorded["notebooks"].items()}
    outside = recorded.get("outside", {})
    cycles = []
    for cycle in recorded["observations"]:
        sessions = []
        for name in cycle["sessions"]:
            fields = dict(recorded["sessions"][name])
            labels = Labels(**fields.pop("labels", {}))
            sessions.append(SessionObservation(**fields, labels=labels))
        # Applications outside Livy as YARN's RM answers them, read as the observer does.
        apps = yarn_apps({"apps": {"app": [outside[name] for name in cycle.get("outside", [])]}})
        outside_livy_apps = outside_livy(
            ClusterRead(yarn_apps={a.id: a for a in apps}), [], recorded["endpoint"].get("yarn_url")
        )
        cycles.append(
            Observation(
                polled_at=epoch(cycle["polled_at"]),
                livy_url=recorded["endpoint"]["livy_url"],
                mode=recorded["endpoint"]["mode"],
                cluster=ClusterObservation(**recorded["cluster"]),
                sessions=sessions,
                problems=[Problem(**recorded["problems"][p]) for p in cycle["problems"]],
                outside=outside_livy_apps,
                notebooks={k: v for k, v in notebooks.items() if k in {s.id for s in sessions}},
                after_gap=cycle.get("after_gap", False),
            )
        )
    return cycles


def example_snapshot(path: Path = OBSERVATIONS) -> Snapshot:
    """The last snapshot of the recorded cycles, published."""
    recorded = json.loads(path.read_text())
    config = AnalysisConfig(**recorded["config"])
    state = AnalysisState()
    snapshot = None
    for obs in observations(recorded):
        snapshot, state = analyze(obs, state, config)
    assert snapshot is not None, f"{path}: no observation"
    return publish(snapshot, **recorded["publish"])


# -- recorded answers of a real YARN and Livy --------------------------------------------------


class RecordedAnswers(JsonFetcher):
    """A fetcher whose answers are the recorded bodies of each URL's path (query strings
    ignored), read as the real fetcher reads the bytes it receives."""

    def __init__(self, bodies: dict[str, object]):
        super().__init__()
        self.bodies = {path: json.dumps(body).encode() for path, body in bodies.items()}

    async def request_body(self, method: str, url: str, *, authenticate: bool = True) -> bytes:
        self.requests_sent += 1
        path = urlsplit(url).path
        if method != "GET" or path not in self.bodies:
            raise FetchError("http", f"{method} {path}: 404", status=404)
        return self.bodies[path]


def yarn_answers(prefix: str) -> dict[str, object]:
    """The answers of devstack/samples/yarn/<prefix>*: Livy, the ResourceManager, and the
    driver API of each session that has a driver."""

    def load(name: str) -> object:
        return json.loads((YARN_SAMPLES / f"{prefix}{name}.json").read_text())

    livy: Any = load("livy_sessions")
    bodies: dict[str, object] = {
        "/sessions": livy,
        "/ws/v1/cluster/metrics": load("rm_metrics"),
        "/ws/v1/cluster/apps": load("rm_apps"),
    }
    for s in livy["sessions"]:
        app, name = s["appId"], f"livy-session-{s['id']}"
        if not (YARN_SAMPLES / f"{prefix}{name}_executors.json").exists():
            continue  # not running when recorded: its driver has no API yet
        api = f"/proxy/{app}/api/v1/applications/{app}"
        bodies[f"{api}/executors"] = load(f"{name}_executors")
        bodies[f"{api}/stages"] = load(f"{name}_stages_active")
        bodies[f"{api}/environment"] = load(f"{name}_environment")
    return bodies


def cannot_start_snapshot() -> Snapshot:
    """devstack/samples/yarn/cannot_start_*: livy-session-0 runs on every vcore, and
    livy-session-1, created after it by this server's notebook etl.ipynb, stays ACCEPTED with
    no AM container. Polled every 5 s from 09:58:00 to 10:00:05 (the answers do not change)."""
    start, interval, last = epoch("2026-11-24T09:58:00Z"), 5.0, epoch("2026-11-24T10:00:05Z")
    clock = [start]
    notebook = {
        "path": "etl.ipynb",
        "kernel_id": "0c6f1d2e-8b4a-4f4e-9d57-3a1e2b9c7f10",
        "orphaned": False,
    }

    async def notebooks(ids: list[int]) -> dict[int, dict[str, Any]]:
        return {1: notebook} if 1 in ids else {}

    async def poll() -> Snapshot:
        config = PollerConfig(
            livy_url="http://127.0.0.1:8998",
            yarn_url="http://localhost:8088",
            worker_type=None,
            poll_interval=interval,
            starvation_seconds=30.0,
            allow_stop_sessions=True,
        )
        quiet = logging.getLogger("glue_sessions.snapshot_example")
        quiet.addHandler(logging.NullHandler())
        quiet.propagate = False
        poller = Poller(
            config,
            RecordedAnswers(yarn_answers("cannot_start_")),
            notebooks=notebooks,
            log=quiet,
            clock=lambda: clock[0],
            monotonic=lambda: clock[0],
        )
        snapshot = await poller.poll_once()
        while clock[0] < last:
            clock[0] += interval
            snapshot = await poller.poll_once()
        return snapshot

    return asyncio.run(poll())


# -- the examples ---------------------------------------------------------------------------


EXAMPLES: dict[Path, Callable[[], Snapshot]] = {
    EXAMPLE: example_snapshot,
    CANNOT_START: cannot_start_snapshot,
    ORPHANED: lambda: example_snapshot(ORPHANED_OBSERVATIONS),
}


def render(snapshot: Snapshot) -> str:
    return json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    differ = 0
    for path, make in EXAMPLES.items():
        text = render(make())
        if args.check:
            if not path.exists() or path.read_text() != text:
                print(f"{path} differs: run python scripts/snapshot_example.py", file=sys.stderr)
                differ = 1
            continue
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return differ


if __name__ == "__main__":
    sys.exit(main())

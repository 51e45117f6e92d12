"""Regenerate docs/snapshot-example.json: what analyze() makes of a recorded observation.

    python scripts/snapshot_example.py          # writes docs/snapshot-example.json
    python scripts/snapshot_example.py --check  # exits 1 when the committed file differs

The observations (tests/data/snapshot-example-observations.json) are what the poller hands to
analyze(), cycle after cycle; the example is the last snapshot, published as the server
publishes it (glue_sessions.snapshot.publish). The jest tests, the Galata screenshots and the
docs read the example, so none of them can show a field the server does not send, or a value
its analysis would not decide. tests/test_snapshot_contract.py fails when the committed file
differs from what this script writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from glue_sessions.analysis import AnalysisConfig, AnalysisState, analyze
from glue_sessions.labels import Labels
from glue_sessions.model import ClusterObservation, Observation, Problem, SessionObservation
from glue_sessions.snapshot import Snapshot, publish

ROOT = Path(__file__).resolve().parents[1]
OBSERVATIONS = ROOT / "tests" / "data" / "snapshot-example-observations.json"
EXAMPLE = ROOT / "docs" / "snapshot-example.json"


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def observations(recorded: dict[str, Any]) -> list[Observation]:
    """The recorded cycles as analyze() receives them (sessions and problems by name)."""
    notebooks = {int(k): v for k, v in recorded["notebooks"].items()}
    cycles = []
    for cycle in recorded["observations"]:
        sessions = []
        for name in cycle["sessions"]:
            fields = dict(recorded["sessions"][name])
            labels = Labels(**fields.pop("labels", {}))
            sessions.append(SessionObservation(**fields, labels=labels))
        cycles.append(
            Observation(
                polled_at=epoch(cycle["polled_at"]),
                livy_url=recorded["endpoint"]["livy_url"],
                mode=recorded["endpoint"]["mode"],
                reachable=cycle.get("reachable", True),
                cluster=ClusterObservation(**recorded["cluster"]),
                sessions=sessions,
                problems=[Problem(**recorded["problems"][p]) for p in cycle["problems"]],
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


def render(snapshot: Snapshot) -> str:
    return json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = render(example_snapshot())
    if args.check:
        if EXAMPLE.read_text() != text:
            print(f"{EXAMPLE} differs: run python scripts/snapshot_example.py", file=sys.stderr)
            return 1
        return 0
    EXAMPLE.write_text(text)
    print(f"wrote {EXAMPLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

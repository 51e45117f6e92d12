"""Cut the emulator's templates.json from responses recorded on the real local endpoint.

    python -m emulator.make_templates devstack/samples   (from the repository's root)

takes one item of each kind (a Livy session, the driver and one executor, an active stage, the
master's /json/ with one worker and one app) so that every body the emulator serves has the
fields, types and nesting of a real answer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .endpoint import TEMPLATES


def cut(samples: Path) -> dict:
    def load(pattern: str):
        path = sorted(samples.glob(pattern))[0]
        return json.loads(path.read_text())

    livy = load("livy_sessions.json")
    executors = load("executors_*.json")
    stages = [
        s
        for path in sorted(samples.glob("stages_active_*.json"))
        for s in json.loads(path.read_text())
    ]
    master = load("master_json.json")
    session = dict(livy["sessions"][0], log=[])
    templates = {
        "livy_session": session,
        "executor_driver": next(e for e in executors if e["id"] == "driver"),
        "executor": next(e for e in executors if e["id"] != "driver"),
        "stage": dict(stages[0], details=""),
        "master": dict(master, workers=[], activeapps=[], completedapps=[]),
        "master_worker": master["workers"][0],
        "master_app": master["activeapps"][0],
    }
    return templates


def main() -> None:
    samples = Path(sys.argv[1] if len(sys.argv) > 1 else "devstack/samples")
    TEMPLATES.write_text(json.dumps(cut(samples), indent=1, sort_keys=True) + "\n")
    print(f"wrote {TEMPLATES}")


if __name__ == "__main__":
    main()

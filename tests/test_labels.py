"""Owner labels in the snapshot: read from Livy's echo of a session's conf, else from Spark's
environment, shown as who to ask, and never as this server's own notebook."""

from __future__ import annotations

import json

import pytest

from emulator import seed_scenario
from glue_sessions.kernel import labels


def labelled_scenario(livy_hides_conf: bool):
    scenario = seed_scenario("yarn")
    scenario.livy_hides_conf = livy_hides_conf
    hog = scenario.sessions[0]
    hog.owner = None  # Glue's Livy has no authentication: no owner of its own
    hog.conf = {labels.OWNER_KEY: "alice@nb-1", labels.NOTEBOOK_KEY: "team/etl.ipynb"}
    return scenario


@pytest.fixture(params=[False, True], ids=["livy-conf", "spark-environment"])
def scenario(request):
    return labelled_scenario(request.param)


async def test_labels_name_who_to_ask(jp_fetch, poller, clock):
    for _ in range(8):
        await poller.poll_once()
        clock.now += 5
    snapshot = json.loads((await jp_fetch("glue-sessions", "api", "snapshot")).body)
    hog, starved = snapshot["sessions"][0], snapshot["sessions"][1]
    assert hog["owner"] == "alice@nb-1" and hog["owner_label"] == "alice@nb-1"
    assert hog["notebook_label"] == "team/etl.ipynb"
    assert hog["notebook"] is None  # a notebook of another instance: nothing to open here
    assert starved["owner"] == "bob" and starved["owner_label"] is None
    assert starved["starved_by"] == [0]

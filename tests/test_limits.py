"""An answer larger than max_response_bytes is reported, not read."""

from __future__ import annotations

import pytest
from test_faults import big_livy_answer

from emulator import Fault


@pytest.fixture
def glue_config(glue_config):
    return dict(glue_config, max_response_bytes=1_000_000)


async def test_answer_over_the_limit_is_reported_not_read(poller, emulator):
    emulator.scenario.faults["/sessions"] = Fault(status=200, body=big_livy_answer(2_000))
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["reachable"] is False
    assert snapshot["endpoint"]["error_kind"] == "too-large", snapshot["endpoint"]["error"]
    emulator.scenario.faults.clear()
    assert (await poller.poll_once())["endpoint"]["reachable"] is True

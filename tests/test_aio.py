"""glue_sessions.client.aio.within: a timeout that never swallows the caller's cancellation."""

from __future__ import annotations

import asyncio
import sys

import pytest

from glue_sessions.client.aio import within


class Resource:
    """What the awaited work makes (a connection): closed when it is dropped."""

    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


async def race(helper) -> tuple[int, int]:
    """Cancel the caller at every step of an awaited work that completes at every step.
    Returns (cancellations lost, resources made but neither returned nor closed)."""
    lost = leaked = 0
    for work_steps in range(6):
        for cancel_steps in range(6):
            made: list[Resource] = []

            async def work(steps: int = work_steps, made: list[Resource] = made) -> Resource:
                for _ in range(steps):
                    await asyncio.sleep(0)
                made.append(Resource())
                return made[-1]

            async def caller(helper=helper, work=work) -> Resource:
                kwargs = {"discard": Resource.close} if helper is within else {}
                return await helper(work(), 10, **kwargs)

            task = asyncio.ensure_future(caller())
            for _ in range(cancel_steps):
                await asyncio.sleep(0)
            if task.done():
                continue
            assert task.cancel()
            try:
                await task
                lost += 1
            except asyncio.CancelledError:
                leaked += sum(1 for resource in made if not resource.closed)
    return lost, leaked


def test_a_cancellation_is_never_lost_and_a_dropped_result_is_discarded():
    assert asyncio.run(race(within)) == (0, 0)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="wait_for was fixed in 3.12")
def test_the_race_loses_cancellations_with_wait_for():
    # The same race with asyncio.wait_for, the reason for `within`: the test can fail.
    lost, _ = asyncio.run(race(asyncio.wait_for))
    assert lost > 0


def test_result_and_timeout():
    async def scenario() -> None:
        assert await within(asyncio.sleep(0, result=7), 1) == 7
        started = asyncio.Event()
        cancelled = asyncio.Event()

        async def slow() -> None:
            started.set()
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancelled.set()
                raise

        with pytest.raises(asyncio.TimeoutError):
            await within(slow(), 0.05)
        assert started.is_set() and cancelled.is_set()
        # The caller's own cancellation during the wait stays a cancellation.
        waiting = asyncio.ensure_future(within(asyncio.sleep(10), 5))
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(scenario())

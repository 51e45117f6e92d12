"""A timeout that never swallows a cancellation.

Owns: `within`, used wherever the package waits with a timeout (the pool's connect, the
poller's sleep and its readers' wait, the first snapshot's wait, discovery's commands).
Never: anything else of asyncio.

Why not `asyncio.wait_for`: before Python 3.12, a cancellation that comes as the awaited
work completes is lost (wait_for returns the result, bpo-42130), so a stopped poller could
poll on. `asyncio.timeout` (3.11+) does not lose it, but the package runs on 3.9 too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def within(
    aw: Awaitable[T], seconds: float, discard: Callable[[T], object] | None = None
) -> T:
    """What `aw` returns, or asyncio.TimeoutError after `seconds` (`aw` is then cancelled).

    A cancellation of the caller always ends it with CancelledError, even when `aw` has just
    completed; its result, dropped then, goes to `discard` (a connection to close)."""
    task = asyncio.ensure_future(aw)
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        task.cancel()

    handle = asyncio.get_running_loop().call_later(max(0.0, seconds), expire)
    try:
        # A plain await: the caller's cancellation reaches it whether or not `task` is done.
        return await task
    except asyncio.CancelledError:
        if not task.cancelled():
            # Done as the caller was cancelled: the result will not be used.
            if discard is not None and task.exception() is None:
                discard(task.result())
            raise
        if expired and not _cancelling():
            raise asyncio.TimeoutError from None
        raise
    finally:
        handle.cancel()
        if not task.done():
            task.cancel()


def _cancelling() -> bool:
    """Whether the current task was asked to stop (Python 3.11+; False before)."""
    cancelling = getattr(asyncio.current_task(), "cancelling", None)
    return bool(cancelling and cancelling())

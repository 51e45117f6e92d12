"""The one poller of a Jupyter server: the loop that observes the endpoint and publishes.

Owns: the cycle (an `observe.Observer` reads Livy, Spark and the cluster manager into an
Observation, `analysis.analyze` turns it into a snapshot, the `history.History` ring gets a
sample), its rate (full while someone watches, idle otherwise, backing off while Livy is down:
docs/polling.md), the published snapshot with its encoded body and ETag, one log line per
change of condition, and stopping a Livy session on request.
Never: parses an answer or builds a URL of a peer (`observe`, `parse`), sizes the cluster
(`capacity`), judges a session (`analysis`), or holds a default of its own (`config`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..client import http
from ..client.aio import within
from ..client.http import JsonFetcher
from ..config import AnalysisConfig, PollerConfig
from ..decide.analysis import AnalysisState, analyze
from ..observe.model import GONE_STATES
from ..observe.observer import NotebookLookup, Observer
from ..snapshot import Snapshot, publish
from .history import History
from .metrics import PollMetrics

# The poll times in the compact, sorted snapshot body. Only the endpoint has these keys, and a
# quote inside a JSON string is always escaped, so nothing else can match.
POLL_TIMES = re.compile(rb'"(polled_at|last_success_at)":(?:"[^"]*"|null)')


@dataclass
class CycleStats:
    """Where one cycle's time went; the benchmark prints these."""

    wall_seconds: float = 0.0
    parse_cpu_seconds: float = 0.0
    analysis_cpu_seconds: float = 0.0
    requests: int = 0


class Poller:
    def __init__(
        self,
        config: PollerConfig,
        fetcher: JsonFetcher,
        *,
        notebooks: NotebookLookup | None = None,
        log: logging.Logger | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.config = config
        self.fetcher = fetcher
        self.notebooks = notebooks
        self.log = log or logging.getLogger("glue_sessions")
        self.clock = clock  # the snapshot's times (epoch seconds)
        self.monotonic = monotonic  # scheduling: demand, the poll rate, gaps
        self.analysis_config = AnalysisConfig(
            starvation_seconds=config.starvation_seconds,
            idle_hoarding_seconds=config.idle_hoarding_seconds,
            poll_interval=config.poll_interval,
        )
        self.state = AnalysisState()
        self.observer = Observer(config, fetcher)
        self.history = History.for_window(config.history_seconds, config.poll_interval)
        self.snapshot: Snapshot | None = None
        self.snapshot_body: bytes = b""
        self.etag: str = ""
        self.stats = CycleStats()
        self.metrics = PollMetrics()
        self.updated = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failures = 0
        self._logged_condition: dict[str, str | None] = {}
        # Demand: when a panel or hint last read the API (monotonic), whether a notebook of
        # this server has a live session, and the loop's plan (see docs/polling.md).
        self._last_read: float | None = None
        self._own_live_session = False
        self._last_cycle_end: float | None = None  # monotonic end of the last cycle
        self._last_seen_end: float | None = None  # ... of the last cycle Livy answered
        self._planned_rate = "full"  # the rate the loop's current (or last) sleep was planned at
        self._jitter = random.uniform(0.9, 1.1)
        self._wake = asyncio.Event()
        self._sleeping = False
        # The poll that readers after a slow gap share.
        self._fresh: asyncio.Future[None] | None = None

    @property
    def livy_url(self) -> str:
        return self.observer.livy_url

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            # The start counts as a read: a server that was just started is about to be used.
            self._last_read = self.monotonic()
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            # Cancel until it ends: a cancellation swallowed by code we do not own (a
            # library's wait_for on Python < 3.12) must not make stopping wait forever.
            while not task.done():
                task.cancel()
                await asyncio.wait({task}, timeout=1.0)
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._resolve_fresh()
        self.fetcher.close()

    async def _run(self) -> None:
        while True:
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not kill the loop; say so once per cycle
                self.log.exception("glue-sessions: poll cycle failed")
            finally:
                self._last_cycle_end = self.monotonic()
                self._resolve_fresh()
            # Jitter keeps many servers sharing one endpoint from polling in lockstep.
            self._jitter = random.uniform(0.9, 1.1)
            await self._sleep()

    async def _sleep(self) -> None:
        """Until the next poll is due at the current rate. A read wakes it up: the wait is
        planned again, at the full rate, and ends at once when a poll is due by then."""
        while True:
            self._planned_rate = self.rate
            delay = self._next_delay()
            last = self._last_cycle_end
            remaining = delay if last is None else min(delay, last + delay - self.monotonic())
            if remaining <= 0:
                return
            self._wake.clear()
            self._sleeping = True
            try:
                await within(self._wake.wait(), remaining)
            except asyncio.TimeoutError:
                return
            finally:
                self._sleeping = False

    def _next_delay(self) -> float:
        interval = self.config.poll_interval if self.rate == "full" else self.idle_interval
        if self._failures:
            backoff = self.config.poll_interval * 2 ** min(self._failures, 10)
            interval = max(interval, min(self.config.max_backoff, backoff))
        return interval * self._jitter

    # -- demand --------------------------------------------------------------------------------

    @property
    def idle_interval(self) -> float:
        c = self.config
        return c.idle_poll_interval if c.slows_down else c.poll_interval

    @property
    def rate(self) -> str:
        """ "full" while someone watches (a read within watch_seconds, or a live session of
        one of this server's notebooks), else "idle". Without the loop (a caller drives
        poll_once, as the tests and the benchmark do) it never slows down by itself."""
        if not self.config.slows_down or self._own_live_session or self._task is None:
            return "full"
        read = self._last_read
        if read is not None and 0 <= self.monotonic() - read < self.config.watch_seconds:
            return "full"
        return "idle"

    async def read(self, timeout: float | None = None) -> None:
        """A panel or hint reads the snapshot or history: full rate from now on. When the
        loop was slow and a poll is due at the full rate, wait for that poll (one for all
        concurrent readers, at most `timeout`, by default the request timeout) so that the
        first answer after a quiet time is fresh; on timeout the caller answers what it has
        (its polled_at, reachable and stale fields tell how old it is)."""
        now = self.monotonic()
        slow = self._planned_rate == "idle"
        self._last_read = now
        if self._task is None or self._task.done() or self._last_cycle_end is None:
            return  # no loop (the caller drives poll_once), or the first poll not done yet
        if self._fresh is None:
            if not slow:
                return
            if self._last_cycle_end + self._next_delay() > now:
                self._wake.set()  # not due yet: plan the wait again, at the full rate
                return
            self._fresh = asyncio.get_running_loop().create_future()
            self._wake.set()
        if timeout is None:
            timeout = getattr(self.fetcher, "request_timeout", http.REQUEST_TIMEOUT)
        with contextlib.suppress(asyncio.TimeoutError):
            await within(asyncio.shield(self._fresh), timeout)

    def _resolve_fresh(self) -> None:
        fresh, self._fresh = self._fresh, None
        if fresh is not None and not fresh.done():
            fresh.set_result(None)

    # -- one cycle -----------------------------------------------------------------------------

    async def poll_once(self) -> Snapshot:
        started = time.perf_counter()
        cycle_start = self.monotonic()
        requests_before = self.fetcher.requests_sent
        last_seen = self._last_seen_end
        # Unobserved time since Livy last answered (a slow rate, Livy down): the analysis
        # restarts its timers and the history marks a gap (docs/polling.md).
        after_gap = last_seen is not None and cycle_start - last_seen > self.config.gap_seconds
        obs = await self.observer.observe(self.clock(), after_gap, self.notebooks)
        self._failures = 0 if obs.reachable else self._failures + 1

        cpu = time.process_time()
        snapshot, self.state = analyze(obs, self.state, self.analysis_config)
        analysis_cpu = time.process_time() - cpu
        self._last_cycle_end = self.monotonic()
        if obs.reachable:
            self._last_seen_end = self._last_cycle_end
            self._own_live_session = any(
                s["notebook"] and s["state"] not in GONE_STATES for s in snapshot["sessions"]
            )
            self.history.record(obs.polled_at, snapshot, obs.after_gap, self.config.poll_interval)
        self._publish(snapshot)
        self._log_changes(snapshot)
        self.stats = CycleStats(
            wall_seconds=time.perf_counter() - started,
            parse_cpu_seconds=self.observer.parse_cpu_seconds,
            analysis_cpu_seconds=analysis_cpu,
            requests=self.fetcher.requests_sent - requests_before,
        )
        self.metrics.observe(snapshot, self.stats.wall_seconds)
        return snapshot

    # -- actions -------------------------------------------------------------------------------

    async def stop_session(self, session_id: int) -> None:
        """DELETE a Livy session, then poll at once so every client sees it go."""
        await self.fetcher.request_json("DELETE", f"{self.livy_url}/sessions/{session_id}")
        await self.poll_once()

    # -- publishing ----------------------------------------------------------------------------

    def _publish(self, snapshot: Snapshot) -> None:
        rate = self.rate
        publish(
            snapshot,
            allow_stop_sessions=self.config.allow_stop_sessions,
            polling=rate,
            polling_interval=self.config.poll_interval if rate == "full" else self.idle_interval,
        )
        if self.snapshot is not None and _same_but_poll_times(self.snapshot, snapshot):
            # Nothing but the poll times changed: the last body with the new times, same ETag
            # (comparing costs a fraction of encoding, at every size).
            endpoint = snapshot["endpoint"]
            times = {
                "polled_at": endpoint["polled_at"],
                "last_success_at": endpoint["last_success_at"],
            }
            self.snapshot_body = POLL_TIMES.sub(
                lambda m: b'"%s":%s' % (m[1], json.dumps(times[m[1].decode()]).encode()),
                self.snapshot_body,
            )
        else:
            body = json.dumps(snapshot, separators=(",", ":"), sort_keys=True).encode()
            # The ETag ignores the poll times, so an unchanged endpoint costs clients a 304.
            digest = hashlib.sha1(POLL_TIMES.sub(b"", body), usedforsecurity=False)
            self.snapshot_body = body
            self.etag = f'"{digest.hexdigest()}"'
        self.snapshot = snapshot
        self.updated.set()
        self.updated = asyncio.Event()

    def _log_changes(self, snapshot: Snapshot) -> None:
        """One log line per change of condition, never one per cycle."""
        endpoint = snapshot["endpoint"]
        conditions: dict[str, str | None] = {"livy": endpoint["error"]}
        for p in endpoint["problems"]:
            conditions[f"{p['source']}:{p['session']}"] = p["message"]
        for s in snapshot["sessions"]:
            if s["status"] == "starving":
                conditions[f"starving:{s['id']}"] = f"{s['name']} is starving"
        for key in set(self._logged_condition) | set(conditions):
            before, now = self._logged_condition.get(key), conditions.get(key)
            if before == now:
                continue
            if now is None:
                self.log.info("glue-sessions: resolved: %s", before)
            else:
                self.log.warning("glue-sessions: %s", now)
        self._logged_condition = {k: v for k, v in conditions.items() if v is not None}


def _same_but_poll_times(before: Snapshot, now: Snapshot) -> bool:
    """The two snapshots are equal but for the endpoint's poll times."""
    if {**before, "endpoint": None} != {**now, "endpoint": None}:
        return False
    times = {"polled_at": None, "last_success_at": None}
    return {**before["endpoint"], **times} == {**now["endpoint"], **times}

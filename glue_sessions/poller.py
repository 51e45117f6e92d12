"""The one poller of a Jupyter server: Livy + Spark + cluster manager -> Observation -> snapshot.

A cycle is one Livy list call, one cluster call, and two Spark REST calls per live session, all
asynchronous and bounded by the fetcher's concurrency. Endpoint trouble becomes data in the
snapshot; the loop backs off while Livy is down and recovers by itself.
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
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from . import capacity, parse
from .analysis import AnalysisConfig, AnalysisState, analyze, worker_type_cluster
from .http import FetchError, JsonFetcher, redact_url
from .labels import Labels
from .metrics import PollMetrics
from .model import (
    GONE_STATES,
    LIVE_STATES,
    ClusterObservation,
    Observation,
    Problem,
    SessionObservation,
)

LIVY_PAGE_SIZE = 1000
# The poll times in the compact, sorted snapshot body. Only the endpoint has these keys, and a
# quote inside a JSON string is always escaped, so nothing else can match.
POLL_TIMES = re.compile(rb'"(?:polled_at|last_success_at)":(?:"[^"]*"|null)')
LIVY_MAX_PAGES = 20


@dataclass
class PollerConfig:
    livy_url: str
    spark_master_url: str | None = None  # standalone master web UI, e.g. http://127.0.0.1:8080
    yarn_url: str | None = None  # YARN ResourceManager web address, e.g. http://host:8088
    worker_type: str | None = "G.1X"
    number_of_workers: int | None = None
    executor_cores: int | None = None  # None: from the worker type or what Spark reports
    executor_memory_mb: int | None = None
    poll_interval: float = 5.0
    max_backoff: float = 60.0
    starvation_seconds: float = 30.0
    idle_hoarding_seconds: float = 60.0
    history_seconds: float = 3600.0
    allow_stop_sessions: bool = False  # the only action that changes the endpoint
    # Demand-driven polling (c.GlueSessions.idle_poll_interval / watch_seconds hold the
    # defaults of the product). Here 0 means "never slow down": a bare Poller polls at
    # poll_interval as it always did.
    idle_poll_interval: float = 0.0
    watch_seconds: float = 0.0

    @property
    def slows_down(self) -> bool:
        return self.idle_poll_interval > self.poll_interval

    @property
    def gap_seconds(self) -> float:
        """Two observations further apart than this leave unobserved time between them."""
        return 2 * self.poll_interval

    @property
    def mode(self) -> str:
        return "standalone" if self.spark_master_url else "yarn"


@dataclass
class ClusterRead:
    """What the cluster manager answered in a cycle, before it is sized in executors."""

    master: parse.MasterState | None = None
    yarn_metrics: parse.YarnMetrics | None = None
    yarn_apps: dict[str, parse.YarnApp] = field(default_factory=dict)


@dataclass
class CycleStats:
    """Where one cycle's time went; the benchmark prints these."""

    wall_seconds: float = 0.0
    parse_cpu_seconds: float = 0.0
    analysis_cpu_seconds: float = 0.0
    requests: int = 0


@dataclass
class History:
    """A bounded ring of per-session executor counts, enough for an hour of sparklines.

    Kept by column, one deque per session aligned with `times` (None where the session was
    absent), so that answering a history request copies lists at C speed instead of looking up
    every (sample, session) pair; the encoded answer is kept until the next sample, so any
    number of tabs costs one encoding per cycle.
    """

    maxlen: int
    max_age: float | None = None  # seconds: samples older than the newest minus this go
    times: deque = field(default_factory=deque)
    series: dict = field(default_factory=dict)  # session id -> deque of counts
    # For the cluster chart, aligned with `times`: the cluster's max_executors (None: unknown,
    # or a gap marker), and the ids of the sessions starving then (mostly an empty tuple).
    capacity: deque = field(default_factory=deque)
    starving: deque = field(default_factory=deque)
    _added: int = 0
    _last_seen: dict = field(default_factory=dict)
    _body: tuple | None = None

    def add(
        self,
        t: float,
        executors: dict[int, int],
        gap_after: float | None = None,
        capacity: int | None = None,
        starving: tuple[int, ...] = (),
    ) -> None:
        """One sample. `gap_after`: the previous sample was followed by unobserved time (the
        poller slowed down, or Livy did not answer); a gap marker, a time where every series
        is null, goes first at `gap_after` (clamped between the two samples), so that no
        line joins the two sides of the gap."""
        if gap_after is not None and self.times:
            before = self.times[-1]
            marker = gap_after if before < gap_after < t else before + (t - before) / 2
            if before < marker < t:
                self._append(marker, {})
        self._append(t, executors, capacity, starving)

    def _append(
        self,
        t: float,
        executors: dict[int, int],
        capacity: int | None = None,
        starving: tuple[int, ...] = (),
    ) -> None:
        n = len(self.times)
        self._added += 1
        for i, counts in self.series.items():
            counts.append(executors.get(i))
        for i in executors.keys() - self.series.keys():
            self.series[i] = deque([None] * n + [executors[i]])
        for i in executors:
            self._last_seen[i] = self._added
        self.times.append(t)
        self.capacity.append(capacity)
        self.starving.append(starving)
        oldest = t - self.max_age if self.max_age is not None else None
        while len(self.times) > self.maxlen or (oldest is not None and self.times[0] < oldest):
            self.times.popleft()
            self.capacity.popleft()
            self.starving.popleft()
            for counts in self.series.values():
                counts.popleft()
        window = len(self.times)
        for i in [i for i, seen in self._last_seen.items() if self._added - seen >= window]:
            del self.series[i], self._last_seen[i]

    @property
    def samples(self) -> list[tuple[float, dict[int, int]]]:
        """The ring by row, (time, {session id: executors}), oldest first."""
        columns = {i: list(c) for i, c in self.series.items()}
        return [
            (t, {i: c[k] for i, c in columns.items() if c[k] is not None})
            for k, t in enumerate(self.times)
        ]

    def as_json(self, poll_interval: float) -> dict:
        times = [round(t, 3) for t in self.times]
        series = {str(i): list(self.series[i]) for i in sorted(self.series)}
        return {
            "poll_interval": poll_interval,
            "times": times,
            "series": series,
            "capacity": list(self.capacity),
            "starving": self.starving_ranges(),
        }

    def starving_ranges(self) -> dict[str, list[list[int]]]:
        """Per session id, the [start, end) sample index ranges in which it was starving: one
        pass over the (mostly empty) per-sample tuples, a few short lists in the answer rather
        than a boolean per sample and session. A gap marker starves nobody, so a range never
        spans a gap."""
        ranges: dict[int, list[list[int]]] = {}
        for k, ids in enumerate(self.starving):
            for i in ids:
                runs = ranges.setdefault(i, [])
                if runs and runs[-1][1] == k:
                    runs[-1][1] = k + 1
                else:
                    runs.append([k, k + 1])
        return {str(i): ranges[i] for i in sorted(ranges)}

    async def body(self, poll_interval: float, chunk: int = 50) -> bytes:
        """as_json, encoded once per sample, `chunk` sessions at a time between which the
        event loop runs (an hour of 1000 sessions is 1.5 MB: one json.dumps would hold the loop
        for tens of milliseconds)."""
        key = (self._added, poll_interval)
        if self._body is not None and self._body[0] == key:
            return self._body[1]
        times = json.dumps([round(t, 3) for t in self.times], separators=(",", ":"))
        # Copied before the first await: a poll that adds a sample meanwhile changes nothing here.
        columns = [(i, list(self.series[i])) for i in sorted(self.series)]
        capacity = json.dumps(list(self.capacity), separators=(",", ":"))
        starving = json.dumps(self.starving_ranges(), separators=(",", ":"))
        parts = []
        for start in range(0, len(columns), chunk):
            parts.append(
                ",".join(
                    f'"{i}":{json.dumps(counts, separators=(",", ":"))}'
                    for i, counts in columns[start : start + chunk]
                )
            )
            await asyncio.sleep(0)
        data = (
            f'{{"poll_interval":{json.dumps(poll_interval)},"times":{times},'
            f'"series":{{{",".join(parts)}}},"capacity":{capacity},"starving":{starving}}}'
        ).encode()
        self._body = (key, data)
        return data


class Poller:
    def __init__(
        self,
        config: PollerConfig,
        fetcher: JsonFetcher,
        *,
        notebooks: Callable[[list[int]], Awaitable[dict[int, dict]]] | None = None,
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
        self.livy_url = config.livy_url.rstrip("/")
        self.analysis_config = AnalysisConfig(
            starvation_seconds=config.starvation_seconds,
            idle_hoarding_seconds=config.idle_hoarding_seconds,
            poll_interval=config.poll_interval,
        )
        self.state = AnalysisState()
        self.yarn_sizes = capacity.YarnSizes()
        self.spark_confs: dict[str, parse.SparkConf] = {}  # app id -> conf, read once per app
        self.history = History(
            maxlen=int(config.history_seconds / config.poll_interval) + 1,
            max_age=config.history_seconds,
        )
        self.snapshot: dict | None = None
        self.snapshot_body: bytes = b""
        self.etag: str = ""
        self.stats = CycleStats()
        self.metrics = PollMetrics()
        self.updated = asyncio.Event()
        self._task: asyncio.Task | None = None
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
        self._fresh: asyncio.Future | None = None  # the poll that readers after a slow gap share

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            # The start counts as a read: a server that was just started is about to be used.
            self._last_read = self.monotonic()
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
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
                await asyncio.wait_for(self._wake.wait(), remaining)
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
            timeout = getattr(self.fetcher, "request_timeout", 10.0)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._fresh), timeout)

    def _resolve_fresh(self) -> None:
        fresh, self._fresh = self._fresh, None
        if fresh is not None and not fresh.done():
            fresh.set_result(None)

    # -- one cycle -----------------------------------------------------------------------------

    async def poll_once(self) -> dict:
        started = time.perf_counter()
        cycle_start = self.monotonic()
        requests_before = self.fetcher.requests_sent
        self._cycle_parse_cpu = 0.0
        last_seen = self._last_seen_end
        # Unobserved time since Livy last answered (a slow rate, Livy down): the analysis
        # restarts its timers and the history marks a gap (docs/polling.md).
        after_gap = last_seen is not None and cycle_start - last_seen > self.config.gap_seconds
        obs = Observation(
            polled_at=self.clock(),
            livy_url=redact_url(self.livy_url),
            mode=self.config.mode,
            reachable=True,
            after_gap=after_gap,
        )
        livy_result, cluster_result = await asyncio.gather(
            self._livy_sessions(), self._read_cluster(), return_exceptions=True
        )
        livy_sessions: list[parse.LivySession] = []
        if isinstance(livy_result, FetchError):
            obs.reachable = False
            obs.error = f"Livy: {livy_result.message}"
            obs.error_kind = livy_result.kind
            self._failures += 1
        elif isinstance(livy_result, BaseException):
            raise livy_result
        else:
            livy_sessions = livy_result
            self._failures = 0
        read = ClusterRead()
        if isinstance(cluster_result, FetchError):
            obs.problems.append(Problem(self._cluster_source, cluster_result.message))
        elif isinstance(cluster_result, BaseException):
            raise cluster_result
        else:
            read = cluster_result

        if obs.reachable:
            obs.sessions = await self._sessions(livy_sessions, read, obs)
            if read.master is not None and read.master.alive_workers == 0:
                obs.problems.append(
                    Problem("spark-master", "no alive Spark worker: no executor can start")
                )
            if read.yarn_metrics is not None and read.yarn_metrics.active_nodes == 0:
                obs.problems.append(
                    Problem("yarn", "no active YARN NodeManager: no container can start")
                )
            if self.notebooks is not None:
                try:
                    obs.notebooks = await self.notebooks([s.id for s in obs.sessions])
                except Exception as error:  # never let the notebook index break a cycle
                    obs.problems.append(Problem("notebooks", f"notebook index: {error}"))
        failed = isinstance(cluster_result, FetchError)
        obs.cluster = self._size_cluster(read, obs.sessions, failed=failed)

        cpu = time.process_time()
        snapshot, self.state = analyze(obs, self.state, self.analysis_config)
        analysis_cpu = time.process_time() - cpu
        self._last_cycle_end = self.monotonic()
        if obs.reachable:
            self._last_seen_end = self._last_cycle_end
            self._own_live_session = any(
                s["notebook"] and s["state"] not in GONE_STATES for s in snapshot["sessions"]
            )
            gap_after = None
            if obs.after_gap and self.history.times:
                gap_after = self.history.times[-1] + self.config.poll_interval
            self.history.add(
                obs.polled_at,
                {s["id"]: s["executors"] for s in snapshot["sessions"]},
                gap_after=gap_after,
                capacity=(snapshot["cluster"] or {}).get("max_executors") or None,
                starving=tuple(s["id"] for s in snapshot["sessions"] if s["status"] == "starving"),
            )
        self._publish(snapshot)
        self._log_changes(snapshot)
        self.stats = CycleStats(
            wall_seconds=time.perf_counter() - started,
            parse_cpu_seconds=self._cycle_parse_cpu,
            analysis_cpu_seconds=analysis_cpu,
            requests=self.fetcher.requests_sent - requests_before,
        )
        self.metrics.observe(snapshot, self.stats.wall_seconds)
        return snapshot

    def _parse(self, parser: Callable[[Any], Any], body: Any) -> Any:
        cpu = time.process_time()
        try:
            return parser(body)
        finally:
            self._cycle_parse_cpu += time.process_time() - cpu

    async def _livy_sessions(self) -> list[parse.LivySession]:
        sessions: list[parse.LivySession] = []
        for page in range(LIVY_MAX_PAGES):
            url = f"{self.livy_url}/sessions?from={page * LIVY_PAGE_SIZE}&size={LIVY_PAGE_SIZE}"
            body = await self.fetcher.get_json(url)
            try:
                batch, total = self._parse(parse.livy_sessions, body)
            except ValueError as error:
                raise FetchError("malformed", f"{redact_url(url)}: {error}") from None
            sessions.extend(batch)
            if not batch or len(sessions) >= total:
                break
        return sessions

    @property
    def _cluster_source(self) -> str:
        return "spark-master" if self.config.spark_master_url else "yarn"

    def _model_cluster(self, why: str) -> ClusterObservation:
        """Glue's worker-type table: the estimate used when no cluster manager can be read."""
        c = self.config
        if c.worker_type and c.number_of_workers:
            cluster = worker_type_cluster(c.worker_type, c.number_of_workers)
            table = f"Glue's worker-type table ({c.worker_type} x {c.number_of_workers})"
        else:
            cluster = ClusterObservation(
                source="worker-type", max_executors=0, executor_cores=1, executor_memory_mb=1024
            )
            table = "nothing: set worker_type and number_of_workers, or yarn_url"
        cluster.note = f"Capacity from {table}: {why}."
        if c.executor_cores:
            cluster.executor_cores = c.executor_cores
        if c.executor_memory_mb:
            cluster.executor_memory_mb = c.executor_memory_mb
        return cluster

    async def _read_cluster(self) -> ClusterRead:
        def parsed(parser: Callable[[Any], Any], body: Any, what: str) -> Any:
            try:
                return self._parse(parser, body)
            except ValueError as error:
                raise FetchError("malformed", f"{what}: {error}") from None

        if self.config.spark_master_url:
            body = await self.fetcher.get_json(f"{self.config.spark_master_url.rstrip('/')}/json/")
            return ClusterRead(master=parsed(parse.spark_master, body, "Spark master"))
        if self.config.yarn_url:
            rm = self.config.yarn_url.rstrip("/")
            metrics, apps = await asyncio.gather(
                self.fetcher.get_json(f"{rm}/ws/v1/cluster/metrics"),
                self.fetcher.get_json(f"{rm}/ws/v1/cluster/apps?states=RUNNING,ACCEPTED"),
            )
            read = ClusterRead(
                yarn_metrics=parsed(parse.yarn_cluster_metrics, metrics, "YARN metrics"),
                yarn_apps={a.id: a for a in parsed(parse.yarn_apps, apps, "YARN apps")},
            )
            self.yarn_sizes.learn(list(read.yarn_apps.values()))
            return read
        return ClusterRead()

    def _size_cluster(
        self, read: ClusterRead, sessions: list[SessionObservation], failed: bool
    ) -> ClusterObservation:
        """Capacity in executors of the size the sessions use (the settings win)."""
        c = self.config
        cores = c.executor_cores or capacity.most_common(s.executor_cores for s in sessions) or 1
        memory = c.executor_memory_mb or capacity.most_common(
            s.executor_memory_mb for s in sessions
        )
        if read.master is not None:
            return capacity.standalone_cluster(read.master, cores, memory)
        if read.yarn_metrics is not None:
            return capacity.yarn_cluster(
                read.yarn_metrics,
                list(read.yarn_apps.values()),
                self.yarn_sizes,
                cores,
                memory or capacity.SPARK_DEFAULT_EXECUTOR_MEMORY_MB,
            )
        if failed:
            return self._model_cluster(f"the {self._cluster_source} API did not answer")
        return self._model_cluster("yarn_url is not set, so YARN cannot be asked")

    async def _sessions(
        self,
        livy: list[parse.LivySession],
        read: ClusterRead,
        obs: Observation,
    ) -> list[SessionObservation]:
        sessions = []
        reads = []
        for ls in livy:
            app = read.master.app_for_session(ls.app_name) if read.master else None
            s = SessionObservation(
                id=ls.id,
                state=ls.state,
                app_name=ls.app_name,
                livy_name=ls.livy_name,
                app_id=ls.app_id or (app.id if app else None),
                kind=ls.kind,
                owner=ls.owner,
                proxy_user=ls.proxy_user,
                spark_ui_url=ls.spark_ui_url,
                driver_log_url=ls.driver_log_url,
                max_executors=ls.max_executors,
                labels=ls.labels,
            )
            conf = self.spark_confs.get(s.app_id or "")
            if conf is not None:
                self._apply_spark_conf(s, conf)
            sessions.append(s)
            api = self._spark_api(s)
            if api is not None and s.state in LIVE_STATES:
                reads.append(self._read_spark(s, api, obs))
        await asyncio.gather(*reads)
        live_apps = {s.app_id for s in sessions}
        for app_id in [k for k in self.spark_confs if k not in live_apps]:
            del self.spark_confs[app_id]
        for s in sessions:
            if read.master is not None:
                self._granted_by_master(s, read.master.app_for_session(s.app_name))
            elif s.app_id in read.yarn_apps:
                self._granted_by_yarn(s, read.yarn_apps[s.app_id])
        return sessions

    def _granted_by_master(self, s: SessionObservation, app: parse.MasterApp | None) -> None:
        """A standalone master grants cores at once; executors register one by one after."""
        if app is None:
            return
        s.executor_memory_mb = s.executor_memory_mb or app.memory_per_executor_mb
        per_executor = s.executor_cores or self.config.executor_cores
        if not per_executor:
            return  # cores granted, but not in executors of a known size: the driver's count
        s.executors = app.cores // per_executor
        s.cores = app.cores
        s.memory_mb = s.executors * (s.executor_memory_mb or 0)

    def _granted_by_yarn(self, s: SessionObservation, app: parse.YarnApp) -> None:
        """YARN's containers: the first is the application master (the driver in cluster mode)."""
        master = self.yarn_sizes.master(app)
        s.executors = capacity.yarn_executors(app)
        s.cores = max(0, app.vcores - master.vcores)
        s.memory_mb = max(0, app.memory_mb - master.memory_mb)
        s.driver_cores, s.driver_memory_mb = master.vcores, master.memory_mb
        # Before the AM runs, what the app asks for is the AM itself.
        s.pending_containers = app.pending_containers if app.containers else 0

    def _spark_api(self, s: SessionObservation) -> str | None:
        """Base URL of a session's Spark REST API, or None when it cannot be known yet."""
        if not s.app_id:
            return None
        if s.spark_ui_url:  # YARN cluster mode: the RM web proxy URL that Livy reports
            base = s.spark_ui_url if s.spark_ui_url.endswith("/") else s.spark_ui_url + "/"
            return f"{base}api/v1/applications/{s.app_id}"
        if self.config.spark_master_url:
            # Standalone: the master proxies each app's UI when spark.ui.reverseProxy is on.
            master = self.config.spark_master_url.rstrip("/")
            return f"{master}/proxy/{s.app_id}/api/v1/applications/{s.app_id}"
        if self.config.yarn_url:
            # YARN client mode: Livy fills only appId; the RM proxies every app's UI the same.
            rm = self.config.yarn_url.rstrip("/")
            return f"{rm}/proxy/{s.app_id}/api/v1/applications/{s.app_id}"
        return None

    async def _read_spark(self, s: SessionObservation, api: str, obs: Observation) -> None:
        def failed(message: str) -> None:
            s.error = f"Spark UI: {message}"
            obs.problems.append(Problem("spark-ui", s.error, session=s.id))

        # A session Livy calls idle runs no statement: unless its executors still run tasks (a
        # job started from a thread), nothing of it is pending and its stages are not read. On
        # a usual endpoint most sessions are idle; this saves one request for each of them.
        stages_url = f"{api}/stages?status=active"
        calls = [self.fetcher.get_json(f"{api}/executors")]
        if s.state != "idle":
            calls.append(self.fetcher.get_json(stages_url))
        bodies, _ = await asyncio.gather(
            asyncio.gather(*calls, return_exceptions=True), self._read_spark_conf(s, api)
        )
        for body in bodies:
            if isinstance(body, FetchError):
                return failed(body.message)
            if isinstance(body, BaseException):
                raise body
        try:
            usage = self._parse(parse.spark_executors, bodies[0])
            if len(bodies) == 1 and usage.active_tasks:
                try:
                    bodies.append(await self.fetcher.get_json(stages_url))
                except FetchError as error:
                    return failed(error.message)
            tasks = (
                self._parse(parse.spark_stage_tasks, bodies[1])
                if len(bodies) > 1
                else parse.StageTasks(running=0, pending=0)
            )
        except ValueError as error:
            return failed(str(error))
        s.registered_executors = s.executors = usage.executors
        s.cores = usage.cores
        if usage.executors and not s.executor_cores:
            s.executor_cores = usage.cores // usage.executors
        executor_memory = s.executor_memory_mb or self.config.executor_memory_mb or 0
        s.memory_mb = usage.executors * executor_memory
        # Stages and executors lag each other: no more running than the executors' slots.
        slots = usage.executors * (usage.tasks_per_executor or 1)
        s.running_tasks = min(tasks.running, slots)
        s.pending_tasks = tasks.pending + tasks.running - s.running_tasks
        s.tasks_per_executor = usage.tasks_per_executor

    async def _read_spark_conf(self, s: SessionObservation, api: str) -> None:
        """Once per app: the executor size and cap it was started with (asked again next
        cycle if it failed; what the session shows meanwhile comes from the executors)."""
        if s.app_id is None or s.app_id in self.spark_confs:
            return
        try:
            conf = self._parse(parse.spark_conf, await self.fetcher.get_json(f"{api}/environment"))
        except (FetchError, ValueError):
            return
        self.spark_confs[s.app_id] = conf
        self._apply_spark_conf(s, conf)

    @staticmethod
    def _apply_spark_conf(s: SessionObservation, conf: parse.SparkConf) -> None:
        """What the app was started with fills what Livy and the executors did not say."""
        s.executor_cores = s.executor_cores or conf.executor_cores
        s.executor_memory_mb = s.executor_memory_mb or conf.executor_memory_mb
        s.max_executors = s.max_executors or conf.max_executors
        s.labels = Labels(
            s.labels.owner or conf.labels.owner, s.labels.notebook or conf.labels.notebook
        )

    # -- actions -------------------------------------------------------------------------------

    async def stop_session(self, session_id: int) -> None:
        """DELETE a Livy session, then poll at once so every client sees it go."""
        await self.fetcher.request_json("DELETE", f"{self.livy_url}/sessions/{session_id}")
        await self.poll_once()

    # -- publishing ----------------------------------------------------------------------------

    def _publish(self, snapshot: dict) -> None:
        snapshot["actions"] = {"stop_own_sessions": self.config.allow_stop_sessions}
        rate = self.rate
        snapshot["endpoint"]["polling"] = rate
        snapshot["endpoint"]["polling_interval"] = (
            self.config.poll_interval if rate == "full" else self.idle_interval
        )
        body = json.dumps(snapshot, separators=(",", ":"), sort_keys=True).encode()
        # The ETag ignores the poll times, so an unchanged endpoint costs clients a 304.
        digest = hashlib.sha1(POLL_TIMES.sub(b"", body), usedforsecurity=False)
        self.snapshot = snapshot
        self.snapshot_body = body
        self.etag = f'"{digest.hexdigest()}"'
        self.updated.set()
        self.updated = asyncio.Event()

    def _log_changes(self, snapshot: dict) -> None:
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

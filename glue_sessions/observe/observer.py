"""One observation of the endpoint: Livy's sessions, their Spark REST APIs, the cluster manager.

Owns: the requests of one cycle (Livy's session list by pages, the standalone master's or
YARN's state, each live session's executors, active stages and, once per app, its
environment), turning their answers into an `Observation` (problems included: endpoint
trouble is data), and the parse time they cost. Sizing the cluster and what it granted each
session is `capacity`'s. Never: judges a session (`analysis`), schedules cycles, keeps history
or publishes (`poller`), or builds a request itself (`http`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ..client.http import FetchError, JsonFetcher
from ..client.urls import strip_credentials
from ..config import PollerConfig
from ..kernel.labels import Labels
from . import capacity, parse, parse_cluster
from .capacity import ClusterRead
from .model import LIVE_STATES, Observation, Problem, SessionObservation

LIVY_PAGE_SIZE = 1000
LIVY_MAX_PAGES = 20

NotebookLookup = Callable[[list[int]], Awaitable[dict[int, dict[str, Any]]]]
T = TypeVar("T")
U = TypeVar("U")


class Observer:
    """Reads the endpoint for a poller: `observe` is one cycle's worth of requests."""

    def __init__(self, config: PollerConfig, fetcher: JsonFetcher):
        self.config = config  # the poller's own: the server may change URLs and sizes later
        self.fetcher = fetcher
        self.yarn_sizes = capacity.YarnSizes()
        self.spark_confs: dict[str, parse.SparkConf] = {}  # app id -> conf, read once per app
        self.parse_cpu_seconds = 0.0  # in the last observe()
        # Each URL's answer of this cycle and the last: (body, parser, parsed).
        self._answers: dict[str, tuple[bytes, Callable[[Any], Any], Any]] = {}
        self._last_answers: dict[str, tuple[bytes, Callable[[Any], Any], Any]] = {}

    @property
    def livy_url(self) -> str:
        return self.config.livy_url.rstrip("/")

    async def observe(
        self, polled_at: float, after_gap: bool, notebooks: NotebookLookup | None
    ) -> Observation:
        """What the endpoint says now. Livy down: `reachable` is False and nothing else is
        read but the cluster manager; any other peer down: a problem, and what it would
        have told is missing."""
        self.parse_cpu_seconds = 0.0
        self._last_answers, self._answers = self._answers, {}
        obs = Observation(
            polled_at=polled_at,
            livy_url=strip_credentials(self.livy_url),
            mode=self.config.mode,
            after_gap=after_gap,
        )
        livy_result, cluster_result = await _both(self._livy_sessions(), self._read_cluster())
        livy_sessions: list[parse.LivySession] = []
        if isinstance(livy_result, FetchError):
            obs.livy_failure = livy_result
        elif isinstance(livy_result, BaseException):
            raise livy_result
        else:
            livy_sessions = livy_result
        read = ClusterRead()
        unread = "yarn_url is not set, so YARN cannot be asked"
        if isinstance(cluster_result, FetchError):
            obs.problems.append(Problem(self.config.cluster_source, cluster_result.message))
            unread = f"the {self.config.cluster_source} API did not answer"
        elif isinstance(cluster_result, BaseException):
            raise cluster_result
        else:
            read = cluster_result

        if obs.reachable:
            obs.sessions = await self._sessions(livy_sessions, read, obs)
            # Only what Livy answered tells which applications are none of its sessions.
            obs.outside = capacity.outside_livy(read, obs.sessions, self.config.yarn_url)
            if read.master is not None and read.master.alive_workers == 0:
                obs.problems.append(
                    Problem("spark-master", "no alive Spark worker: no executor can start")
                )
            if read.yarn_metrics is not None and read.yarn_metrics.active_nodes == 0:
                obs.problems.append(
                    Problem("yarn", "no active YARN NodeManager: no container can start")
                )
            if notebooks is not None:
                try:
                    obs.notebooks = await notebooks([s.id for s in obs.sessions])
                except Exception as error:  # never let the notebook index break a cycle
                    obs.problems.append(Problem("notebooks", f"notebook index: {error}"))
        obs.cluster = capacity.size_cluster(
            read, obs.sessions, self.config, self.yarn_sizes, unread
        )
        return obs

    def _parse(self, parser: Callable[[Any], T], body: Any) -> T:
        cpu = time.process_time()
        try:
            return parser(body)
        finally:
            self.parse_cpu_seconds += time.process_time() - cpu

    async def _get(self, url: str, parser: Callable[[Any], T]) -> T:
        """GET `url`, parsed by `parser` (FetchError: no usable answer; ValueError: the parser
        refused it). An answer byte for byte the one this URL gave last cycle is neither
        decoded nor parsed again: a parser's result depends on nothing but the bytes."""
        get_body = getattr(self.fetcher, "get_body", None)
        if get_body is None:  # a fetcher of decoded answers only (a test's recorded answers)
            return self._parse(parser, await self.fetcher.get_json(url))
        body = await get_body(url)
        last = self._last_answers.get(url)
        if last is not None and last[1] is parser and last[0] == body:
            parsed: T = last[2]
        else:
            parsed = self._parse(parser, self.fetcher.decode(url, body))
        self._answers[url] = (body, parser, parsed)
        return parsed

    async def _livy_sessions(self) -> list[parse.LivySession]:
        sessions: list[parse.LivySession] = []
        for page in range(LIVY_MAX_PAGES):
            url = f"{self.livy_url}/sessions?from={page * LIVY_PAGE_SIZE}&size={LIVY_PAGE_SIZE}"
            try:
                batch, total = await self._get(url, parse.livy_sessions)
            except ValueError as error:
                raise FetchError("malformed", f"{strip_credentials(url)}: {error}") from None
            sessions.extend(batch)
            if not batch or len(sessions) >= total:
                break
        return sessions

    async def _read_cluster(self) -> ClusterRead:
        async def parsed(url: str, parser: Callable[[Any], T], what: str) -> T:
            try:
                return await self._get(url, parser)
            except ValueError as error:
                raise FetchError("malformed", f"{what}: {error}") from None

        if self.config.spark_master_url:
            master = f"{self.config.spark_master_url.rstrip('/')}/json/"
            return ClusterRead(
                master=await parsed(master, parse_cluster.spark_master, "Spark master")
            )
        if self.config.yarn_url:
            rm = self.config.yarn_url.rstrip("/")
            metrics, apps = await _both(
                parsed(
                    f"{rm}/ws/v1/cluster/metrics",
                    parse_cluster.yarn_cluster_metrics,
                    "YARN metrics",
                ),
                parsed(
                    f"{rm}/ws/v1/cluster/apps?states=RUNNING,ACCEPTED",
                    parse_cluster.yarn_apps,
                    "YARN apps",
                ),
            )
            if isinstance(metrics, Exception):
                raise metrics
            if isinstance(apps, Exception):
                raise apps
            read = ClusterRead(yarn_metrics=metrics, yarn_apps={a.id: a for a in apps})
            self.yarn_sizes.learn(list(read.yarn_apps.values()))
            return read
        return ClusterRead()

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
                ttl_seconds=ls.ttl_seconds,
                idle_timeout_seconds=ls.idle_timeout_seconds,
            )
            conf = self.spark_confs.get(s.app_id or "")
            if conf is not None:
                self._apply_spark_conf(s, conf)
            sessions.append(s)
            api = self._spark_api(s)
            if api is not None and s.state in LIVE_STATES:
                reads.append(self._read_spark(s, api, obs))
        if len(reads) == 1:
            await reads[0]  # no task needed for one
        else:
            await asyncio.gather(*reads)
        live_apps = {s.app_id for s in sessions}
        for app_id in [k for k in self.spark_confs if k not in live_apps]:
            del self.spark_confs[app_id]
        capacity.apply_grants(sessions, read, self.config.executor_cores, self.yarn_sizes)
        return sessions

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
        # The app's conf is read alongside, once per app (a task only then).
        conf = None
        if s.app_id is not None and s.app_id not in self.spark_confs:
            conf = asyncio.ensure_future(self._read_spark_conf(s, api))
        stages: parse.StageTasks | Exception | None = None
        try:
            executors = self._get(f"{api}/executors", parse.spark_executors)
            if s.state != "idle":
                usage, stages = await _both(
                    executors, self._get(stages_url, parse.spark_stage_tasks)
                )
            else:
                usage = await _settled(executors)
            if conf is not None:
                await conf
        except BaseException:
            if conf is not None:
                conf.cancel()
            raise
        # What did not come first, then what came but could not be parsed (ValueError).
        for answer in (usage, stages):
            if isinstance(answer, FetchError):
                return failed(answer.message)
            if isinstance(answer, Exception) and not isinstance(answer, ValueError):
                raise answer
        if isinstance(usage, Exception):
            return failed(str(usage))
        if stages is None and usage.active_tasks:
            try:
                stages = await self._get(stages_url, parse.spark_stage_tasks)
            except FetchError as error:
                return failed(error.message)
            except ValueError as error:
                return failed(str(error))
        if isinstance(stages, Exception):
            return failed(str(stages))
        tasks = stages or parse.StageTasks(running=0, pending=0)
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


async def _settled(aw: Awaitable[T]) -> T | Exception:
    """What `aw` returns, or the exception it raised (cancellation is not caught)."""
    try:
        return await aw
    except Exception as error:
        return error


async def _both(first: Awaitable[T], second: Awaitable[U]) -> tuple[T | Exception, U | Exception]:
    """`asyncio.gather(first, second, return_exceptions=True)` at the cost of one task and no
    gather: `second` runs as a task while `first` is awaited here. Tasks and gathers cost a poll
    cycle more CPU than its requests do at small sizes (bench/README.md)."""
    task = asyncio.ensure_future(_settled(second))
    try:
        result = await _settled(first)
    except BaseException:
        task.cancel()
        raise
    return result, await task

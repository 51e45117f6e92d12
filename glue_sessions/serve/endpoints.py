"""Every Livy endpoint this server's kernels use: the configured one and the others.

Owns: which endpoints are polled (the configured one, and each other Livy URL that a kernel
record names, at most `max_endpoints` in all, the most recently used first; one no record has
named for `quiet_seconds` is dropped), the id an API request names one by, and the answer of
GET /endpoints.
Never: decides an endpoint's credentials, host policy or options (the app's `make_poller`
does, for every endpoint alike; `startup` finds each one's YARN), or judges a session (each
endpoint's own poller does).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from ..client.urls import host_of, normalize_livy_url, strip_credentials
from ..decide.entries import iso
from ..snapshot import EndpointRef, EndpointsAnswer
from . import startup
from .poller import Poller

# The defaults of c.GlueSessions.max_endpoints and endpoint_quiet_seconds.
MAX_ENDPOINTS = 8
QUIET_SECONDS = 3600.0
# How often the kernel records are read for new endpoints (a cheap stat per record).
REFRESH_SECONDS = 5.0


def endpoint_id(livy_url: str) -> str:
    """What ?endpoint= takes: the Livy URL without credentials, in its canonical form."""
    return normalize_livy_url(strip_credentials(livy_url))


class Endpoints:
    """The pollers of this server, the configured endpoint's first."""

    def __init__(
        self,
        configured: Poller,
        make_poller: Callable[[str], Poller],
        urls_in_use: Callable[[], Iterable[str]],
        *,
        max_endpoints: int = MAX_ENDPOINTS,
        quiet_seconds: float = QUIET_SECONDS,
        log: logging.Logger | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.configured = configured
        self.make_poller = make_poller  # a poller for a Livy URL, not yet started
        self.urls_in_use = urls_in_use  # the Livy URLs the kernel records name now
        self.max_endpoints = max(1, max_endpoints)
        self.quiet_seconds = quiet_seconds
        self.log = log or logging.getLogger("glue_sessions")
        self.clock = clock
        self.others: dict[str, Poller] = {}
        self.last_used: dict[str, float] = {}  # endpoint id -> when a record last named it
        self.not_polled: list[str] = []
        self.refused: set[str] = set()  # URLs no poller can be made for (said once in the log)
        self._probes: set[asyncio.Future[bool]] = set()
        self._task: asyncio.Task[None] | None = None

    def pollers(self) -> list[Poller]:
        return [self.configured, *(self.others[i] for i in sorted(self.others))]

    def get(self, requested: str | None) -> Poller | None:
        """The poller an API request names (None or "": the configured one)."""
        if not requested:
            return self.configured
        wanted = endpoint_id(requested)
        return next((p for p in self.pollers() if endpoint_id(p.config.livy_url) == wanted), None)

    async def update(self) -> None:
        """Read which URLs the kernels use; start and stop the other endpoints' pollers."""
        now = self.clock()
        configured = endpoint_id(self.configured.config.livy_url)
        for url in {endpoint_id(u) for u in self.urls_in_use() if u} - self.refused:
            if urlsplit(url).scheme in ("http", "https") and host_of(url):
                self.last_used[url] = now
            else:
                self._refuse(url, "not an http(s) URL with a host")
        for url, used in list(self.last_used.items()):
            if now - used > self.quiet_seconds:
                del self.last_used[url]
        by_use = sorted(
            (u for u in self.last_used if u != configured), key=lambda u: (-self.last_used[u], u)
        )
        wanted = set(by_use[: self.max_endpoints - 1])
        if by_use[self.max_endpoints - 1 :] != self.not_polled:
            self.not_polled = by_use[self.max_endpoints - 1 :]
            if self.not_polled:
                self.log.warning(
                    "glue-sessions: %d Livy endpoints used by kernels are not polled "
                    "(max_endpoints = %d): %s",
                    len(self.not_polled),
                    self.max_endpoints,
                    ", ".join(self.not_polled),
                )
        for url in set(self.others) - wanted:
            self.log.info("glue-sessions: no longer polling %s (no kernel uses it)", url)
            await self.others.pop(url).stop()
        for url in sorted(wanted - set(self.others)):
            try:
                poller = self.make_poller(url)
            except Exception as error:  # one bad URL must not stop the others
                self._refuse(url, repr(error))
                continue
            self.others[url] = poller
            self.log.info("glue-sessions: a kernel uses %s: polling it too", url)
            poller.start()
            self._start_probe(poller)

    def _refuse(self, url: str, why: str) -> None:
        self.refused.add(url)
        self.last_used.pop(url, None)
        self.log.warning("glue-sessions: a kernel uses %r, which is not polled: %s", url, why)

    def _start_probe(self, poller: Poller) -> None:
        task = asyncio.ensure_future(startup.find_yarn_on_livy_host(poller, self.log))
        self._probes.add(task)
        task.add_done_callback(self._probes.discard)

    async def probes_done(self) -> None:
        """Until the cluster manager of every endpoint started so far is looked for."""
        await asyncio.gather(*self._probes)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            try:
                await self.update()
            except Exception:  # a bad record must not end the watch of other endpoints
                self.log.exception("glue-sessions: reading the endpoints the kernels use failed")
            await asyncio.sleep(REFRESH_SECONDS)

    async def stop(self) -> None:
        for task in [self._task, *self._probes]:
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for poller in self.pollers():
            await poller.stop()

    def answer(self) -> EndpointsAnswer:
        return {
            "endpoints": [self._ref(p) for p in self.pollers()],
            "max_endpoints": self.max_endpoints,
            "not_polled": list(self.not_polled),
        }

    def _ref(self, poller: Poller) -> EndpointRef:
        url = endpoint_id(poller.config.livy_url)
        snapshot = poller.snapshot
        sessions = snapshot["sessions"] if snapshot else []
        used = self.last_used.get(url)
        return {
            "id": url,
            "configured": poller is self.configured,
            "last_used_at": iso(used),
            "reachable": snapshot["endpoint"]["reachable"] if snapshot else None,
            "sessions": sum(s["status"] != "gone" for s in sessions),
            "starving": sum(s["status"] == "starving" for s in sessions),
        }

"""The server extension: its pollers and REST handlers, configured by its options (`options`).

Owns: how a poller is made for a Livy URL (its fetcher, credentials, host policy and notebook
lookup), wiring the endpoints into the server, and starting them: the start-up lookups
(`startup`) may change the configured endpoint's URLs and cluster size first.
Never: fetches or judges anything per cycle (`poller` does), or sends sparkmagic's credentials
for one Livy URL to any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

from jupyter_server.extension.application import ExtensionApp

from ..client.auth import header_provider
from ..client.http import HostPolicy, JsonFetcher, no_auth_headers
from ..client.urls import host_of, strip_credentials
from ..config import PollerConfig
from ..kernel import labels
from ..kernel.notebooks import KernelSessionIndex
from ..kernel.sparkmagic_config import credentials_for
from ..observe.observer import NotebookLookup
from . import metrics
from .endpoints import Endpoints, endpoint_id
from .handlers import handlers
from .options import GlueSessionsOptions
from .poller import Poller
from .startup import StartupLookups


class GlueSessions(ExtensionApp, GlueSessionsOptions):
    """Watches the Livy endpoints of this Jupyter server's kernels, for all of its users."""

    name = "glue_sessions"
    description = __doc__

    def _host_policy(self, config: PollerConfig) -> HostPolicy:
        urls = (config.livy_url, config.spark_master_url, config.yarn_url)
        hosts = {host_of(u) for u in urls if u} | {h.lower() for h in self.allowed_hosts}
        return HostPolicy(hosts)

    def _use_credentials(self, fetcher: JsonFetcher, livy_url: str) -> None:
        """The credentials sparkmagic holds for this Livy URL, sent to its host only."""
        try:
            credentials = credentials_for(livy_url, self.sparkmagic_config or None)
        except Exception as error:  # an unreadable config must not stop the server
            self.log.warning("glue-sessions: cannot read sparkmagic config: %s", error)
            credentials = None
        fetcher.auth_headers = (
            header_provider(credentials, {host_of(livy_url)}) if credentials else no_auth_headers
        )

    def _make_poller(self, config: PollerConfig) -> Poller:
        fetcher = JsonFetcher(
            request_timeout=self.request_timeout,
            connect_timeout=self.connect_timeout,
            validate_cert=self.validate_cert,
            check_hostname=self.check_hostname,
            ca_bundle=self.ca_bundle,
            client_cert=self.client_cert,
            client_key=self.client_key,
            use_proxy_env=self.use_proxy_env,
            max_concurrency=self.max_concurrency,
            max_body_bytes=self.max_response_bytes,
            host_policy=self._host_policy(config),
        )
        self._use_credentials(fetcher, config.livy_url)
        poller = Poller(config, fetcher, log=self.log)
        poller.notebooks = self._notebook_lookup(poller)
        return poller

    def _other_endpoint(self, livy_url: str) -> Poller:
        """A poller for a Livy URL a kernel used: the configured endpoint's settings, but its
        own cluster manager (found on its host by `startup`) and no Glue size estimate."""
        config = dataclasses.replace(
            self.poller.config,
            livy_url=livy_url,
            yarn_url=None,
            spark_master_url=None,
            worker_type=None,
            number_of_workers=None,
        )
        return self._make_poller(config)

    def initialize_settings(self) -> None:
        serverapp = self.serverapp
        assert serverapp is not None  # settings are initialized within a server
        # Kernels are told absolute notebook paths; the panel wants them relative to the root.
        self._kernel_index = KernelSessionIndex(root_dir=serverapp.root_dir)
        self.poller = self._make_poller(self.poller_config())
        self.endpoints = Endpoints(
            self.poller,
            self._other_endpoint,
            self._urls_in_use,
            max_endpoints=self.max_endpoints,
            quiet_seconds=self.endpoint_quiet_seconds,
            log=self.log,
        )
        self.settings["glue_sessions_poller"] = self.poller
        self.settings["glue_sessions_endpoints"] = self.endpoints
        metrics.serve(  # on jupyter_server's /metrics
            lambda: [(endpoint_id(p.config.livy_url), p.metrics) for p in self.endpoints.pollers()]
        )
        config = self.poller.config
        self.log.info(
            "glue-sessions: watching %s (%s mode) every %.1f s",
            strip_credentials(config.livy_url),
            config.mode,
            config.poll_interval,
        )

    def _refreshed_index(self) -> KernelSessionIndex:
        """The kernel records, read again (a stat per record; only changed ones are parsed)."""
        serverapp = self.serverapp
        assert serverapp is not None
        self._kernel_index.refresh(set(serverapp.kernel_manager.list_kernel_ids()))
        return self._kernel_index

    def _urls_in_use(self) -> set[str]:
        """The Livy URLs of the sessions this server's kernels hold or left orphaned."""
        return self._refreshed_index().livy_urls()

    def _notebook_lookup(self, poller: Poller) -> NotebookLookup:
        """Maps a poller's Livy session ids to this server's notebooks, from the records of
        the sparkmagic kernel hook."""
        serverapp = self.serverapp
        assert serverapp is not None  # settings are initialized within a server
        session_manager = serverapp.session_manager

        async def lookup(session_ids: list[int]) -> dict[int, dict[str, Any]]:
            index = self._refreshed_index()
            # A kernel records its notebook's path when it starts; the server knows renames.
            current = {
                s["kernel"]["id"]: s["path"]
                for s in await session_manager.list_sessions()
                if s.get("kernel") and s.get("type", "notebook") == "notebook"
            }
            found = {}
            livy_url = poller.config.livy_url  # may come from the EMR cluster at start
            for session_id in session_ids:
                notebook = index.lookup(livy_url, session_id)
                if notebook is not None:
                    path = current.get(notebook["kernel_id"], notebook["path"])
                    found[session_id] = dict(notebook, path=path, orphaned=False)
                else:
                    orphan = index.orphan_lookup(livy_url, session_id)
                    if orphan is not None:
                        found[session_id] = dict(orphan, orphaned=True)
            index.prune(livy_url, set(session_ids))
            return found

        return lookup

    def initialize_handlers(self) -> None:
        self.handlers.extend(handlers())

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        lookups = StartupLookups(self, self.poller, self._use_endpoint, self.log)
        # Until an EMR cluster's primary node is known, a Livy URL of our own would be a guess:
        # the poller then starts once the lookup has answered (or failed), within its timeout.
        if not lookups.waits_for_emr():
            self.poller.start()
        self._startup_task: asyncio.Future[Any] | None = asyncio.ensure_future(
            asyncio.gather(self._reapply_hook(), lookups.run(then=self._start_polling))
        )

    def _start_polling(self) -> None:
        self.poller.start()  # no-op when running
        self.endpoints.start()  # once the configured endpoint's URL is known

    def _use_endpoint(self, livy_url: str | None, yarn_url: str | None) -> None:
        """What the start-up lookups found for the configured endpoint."""
        config = self.poller.config
        if livy_url:
            config.livy_url = livy_url  # the poller reads it at each cycle
        if yarn_url:
            config.yarn_url = yarn_url
        fetcher = self.poller.fetcher
        fetcher.host_policy = self._host_policy(config)
        self._use_credentials(fetcher, config.livy_url)

    async def _reapply_hook(self) -> None:
        if not self.reapply_sparkmagic_hook:
            return
        from ..reapply import reapply

        try:
            owner_labels = None
            if self.owner_label:
                owner_labels = labels.settings_for(self.owner_label, self.label_notebook)
            result = await asyncio.to_thread(
                reapply, self.sparkmagic_config or None, owner_labels=owner_labels
            )
        except Exception:  # never stop the server over it
            self.log.exception("glue-sessions: re-applying the sparkmagic hook failed")
            return
        bad = bool(result.errors or result.left_alone)
        for line in result.lines:
            (self.log.warning if bad else self.log.info)("glue-sessions: %s", line)

    async def stop_extension(self) -> None:
        task = getattr(self, "_startup_task", None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.endpoints.stop()

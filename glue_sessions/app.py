"""The server extension: configuration (c.GlueSessions.*), the pollers, the REST handlers.

Owns: the options and their help (their defaults come from `config.PollerConfig`, `http`,
`endpoints` and `discovery`), how a poller is made for a Livy URL (its fetcher, credentials,
host policy and notebook lookup), wiring the endpoints into the server, and the start-up
lookups that may change the configured endpoint's URLs and cluster size (an EMR cluster, a Glue
dev endpoint, a YARN ResourceManager on the Livy host).
Never: fetches or judges anything per cycle (`poller` does), or sends sparkmagic's credentials
for one Livy URL to any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any, TypeVar

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Enum, Float, HasTraits, Int, List, Unicode, default, validate

from . import discovery, endpoints, http, labels, metrics
from .auth import header_provider
from .capacity import WORKER_TYPES
from .config import PollerConfig
from .discovery import DiscoveryError, discover
from .endpoints import Endpoints, endpoint_id, find_yarn_on_livy_host
from .handlers import handlers
from .http import HostPolicy, JsonFetcher, no_auth_headers
from .observe import NotebookLookup
from .poller import Poller
from .sparkmagic_config import (
    DEFAULT_LIVY_URL,
    SparkmagicEndpoint,
    credentials_for,
    read_sparkmagic_endpoint,
)
from .urls import host_of, strip_credentials

T = TypeVar("T", bound=type[HasTraits])


def options(cls: T) -> T:
    """Every trait the class itself declares is an option (c.<ClassName>.<trait>)."""
    for trait in cls.class_own_traits().values():
        trait.tag(config=True)
    return cls


@options
class GlueSessions(ExtensionApp):
    """Watches the Livy endpoints of this Jupyter server's kernels, for all of its users."""

    name = "glue_sessions"
    description = __doc__

    livy_url = Unicode(
        help=(
            "Livy endpoint to watch. Default: kernel_python_credentials.url of sparkmagic's "
            "config (~/.sparkmagic/config.json or $SPARKMAGIC_CONF_DIR), else "
            "http://localhost:8998."
        ),
    )

    max_endpoints = Int(
        endpoints.MAX_ENDPOINTS,
        help=(
            "Most Livy endpoints polled at once: livy_url, and the other Livy URLs this "
            "server's kernels use (sparkmagic's per-language URLs, %spark add -u), the most "
            "recently used first. 1: livy_url only."
        ),
    )

    endpoint_quiet_seconds = Float(
        endpoints.QUIET_SECONDS,
        help="An endpoint no kernel record has named for this long is no longer polled.",
    )

    sparkmagic_config = Unicode(
        "",
        help=(
            "Path of sparkmagic's config.json to take the Livy URL and credentials from. "
            "Empty: $SPARKMAGIC_CONF_DIR/config.json or ~/.sparkmagic/config.json."
        ),
    )

    poll_interval = Float(
        PollerConfig.poll_interval, help="Seconds between two polls of the endpoint."
    )

    idle_poll_interval = Float(
        PollerConfig.idle_poll_interval,
        help=(
            "Seconds between two polls while nobody watches: no panel or hint has read the API "
            "for watch_seconds and no notebook of this server has a live Livy session. A read "
            "brings back poll_interval at once. 0 (or poll_interval or less): never slow down."
        ),
    )

    watch_seconds = Float(
        PollerConfig.watch_seconds,
        help=(
            "How long after a read of the snapshot or history API (the panel and the hints "
            "read it every few seconds while shown) this server polls at poll_interval."
        ),
    )

    max_backoff = Float(
        PollerConfig.max_backoff,
        help="Longest wait in seconds between polls while the endpoint is down.",
    )

    starvation_seconds = Float(
        PollerConfig.starvation_seconds,
        help=(
            "A session is starving when it has held fewer executors than it is due for this "
            'many seconds without a break (README.md, "How it decides").'
        ),
    )

    idle_hoarding_seconds = Float(
        PollerConfig.idle_hoarding_seconds,
        help=(
            "A session holding executors with no task to run for this long is idle-hoarding "
            "(Spark's default spark.dynamicAllocation.executorIdleTimeout is 60 s)."
        ),
    )

    worker_type = Enum(
        list(WORKER_TYPES),
        default_value=PollerConfig.worker_type,
        help="Worker type of the Glue development endpoint: Standard, G.1X or G.2X.",
    )

    number_of_workers = Int(
        PollerConfig.number_of_workers,
        help=(
            "NumberOfWorkers of the endpoint (for Standard: its DPU). With the worker type it "
            "gives the executor capacity when no cluster API is configured."
        ),
    )

    spark_master_url = Unicode(
        "",
        help=(
            "Web UI of a Spark standalone master (e.g. http://127.0.0.1:8080). When set, "
            "sessions are matched to Spark apps by name through its /json/ and each driver's "
            "REST API is read through the master's reverse proxy (spark.ui.reverseProxy=true)."
        ),
    )

    yarn_url = Unicode(
        "",
        help="YARN ResourceManager web address (e.g. http://host:8088) for cluster totals.",
    )

    executor_cores = Int(
        0, help="Cores per executor. 0: from the worker type, or what Spark reports."
    )

    executor_memory_mb = Int(
        0, help="Memory per executor in MB. 0: from the worker type, or what Spark reports."
    )

    request_timeout = Float(
        http.REQUEST_TIMEOUT, help="Seconds before one HTTP request is given up."
    )

    connect_timeout = Float(http.CONNECT_TIMEOUT, help="Seconds to wait for a connection.")

    validate_cert = Bool(True, help="Verify TLS certificates of the endpoint.")

    max_response_bytes = Int(
        http.MAX_BODY_BYTES,
        help="Largest answer accepted from Livy or Spark; a larger one is reported, not read.",
    )

    max_concurrency = Int(
        http.MAX_CONCURRENCY,
        help=(
            "Most HTTP requests in flight at once. A cycle makes one or two Spark REST calls per "
            "live session: 32 read 500 sessions in under 2 s at 50 ms per request."
        ),
    )

    allowed_hosts = List(
        Unicode(),
        help=(
            "Extra hosts the poller may fetch from. By default only the hosts of livy_url, "
            "spark_master_url and yarn_url (and names resolving to their addresses) are used; "
            "a Spark UI URL from Livy on any other host is not followed."
        ),
    )

    allow_stop_sessions = Bool(
        PollerConfig.allow_stop_sessions,
        help=(
            "Let users stop Livy sessions from the panel. Even when on, only sessions created "
            "by this server's own notebooks can be stopped, and the panel asks first."
        ),
    )

    history_seconds = Float(
        PollerConfig.history_seconds,
        help="How far back the history API keeps per-session executor counts.",
    )

    reapply_sparkmagic_hook = Bool(
        False,
        help=(
            "At each start, check that the sparkmagic kernels can import the kernel hook and "
            "set it again in this server user's sparkmagic config when something (AWS Glue's "
            "notebook script) has replaced that file. Opt-in: the SageMaker lifecycle script "
            "turns it on in the environment it installs into."
        ),
    )

    owner_label = Unicode(
        "",
        help=(
            "With reapply_sparkmagic_hook: the owner label this instance's kernels add to the "
            "Livy sessions they create (spark.glue_sessions.owner), so that every glue-sessions "
            "panel on the endpoint can say whom to ask. Empty: no label. The SageMaker "
            "lifecycle script sets it from OWNER_LABEL."
        ),
    )

    label_notebook = Bool(
        False,
        help="With owner_label: also label each session with its notebook's path.",
    )

    dev_endpoint_name = Unicode(
        "",
        help=(
            "Glue dev endpoint whose WorkerType and NumberOfWorkers give the capacity, read with "
            "`aws glue get-dev-endpoint` when the server starts. worker_type and "
            "number_of_workers set in a config file win over what is read."
        ),
    )

    discover_dev_endpoint = Bool(
        False,
        help=(
            "When dev_endpoint_name is empty, take it from the SageMaker notebook instance's "
            "aws-glue-dev-endpoint tag (`aws sagemaker list-tags`) when the server starts, so a "
            "restart picks up an endpoint switched in the Glue console."
        ),
    )

    emr_cluster_id = Unicode(
        "",
        help=(
            "Amazon EMR cluster (j-...) whose primary node is read with `aws emr "
            "describe-cluster` when the server starts: Livy is then http://<primary>:8998 unless "
            "livy_url is set or sparkmagic's config names another URL than localhost:8998, and "
            "the YARN ResourceManager http://<primary>:8088 unless yarn_url is set."
        ),
    )

    aws_cli = Unicode(discovery.AWS_CLI, help="The AWS CLI used for the Glue and EMR lookups.")

    aws_cli_timeout = Float(
        discovery.AWS_CLI_TIMEOUT, help="Seconds one AWS CLI call may take before it is killed."
    )

    notebook_instance_metadata = Unicode(
        discovery.SAGEMAKER_METADATA,
        help="SageMaker's metadata file of the notebook instance (its ARN, for list-tags).",
    )

    @default("livy_url")
    def _default_livy_url(self) -> str:
        return self._sparkmagic_credentials().url

    @validate("poll_interval")
    def _validate_poll_interval(self, proposal: dict[str, Any]) -> float:
        return max(0.5, float(proposal["value"]))

    def _sparkmagic_credentials(self) -> SparkmagicEndpoint:
        try:
            return read_sparkmagic_endpoint(self.sparkmagic_config or None)
        except Exception as error:  # an unreadable config must not stop the server
            self.log.warning("glue-sessions: cannot read sparkmagic config: %s", error)
            return SparkmagicEndpoint(url=DEFAULT_LIVY_URL, auth="None")

    def poller_config(self) -> PollerConfig:
        """Each PollerConfig field from the option of the same name ("" and 0: not set)."""
        values: dict[str, Any] = {
            f.name: getattr(self, f.name) for f in dataclasses.fields(PollerConfig)
        }
        for name in ("spark_master_url", "yarn_url", "executor_cores", "executor_memory_mb"):
            values[name] = values[name] or None
        return PollerConfig(**values)

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
        own cluster manager (found on its host by `endpoints`) and no Glue size estimate."""
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
        from .notebooks import KernelSessionIndex

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

    def _refreshed_index(self) -> Any:
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
        # Until an EMR cluster's primary node is known, a Livy URL of our own would be a guess:
        # the poller then starts once the lookup has answered (or failed), within its timeout.
        if not (self.emr_cluster_id and not self._livy_configured()):
            self.poller.start()
        self._startup_task: asyncio.Future[Any] | None = asyncio.ensure_future(
            asyncio.gather(self._reapply_hook(), self._find_cluster())
        )

    def _livy_configured(self) -> bool:
        """livy_url set by hand, or sparkmagic's config naming another Livy than its default."""
        return self._set_by_hand("livy_url") or self.livy_url.rstrip("/") != DEFAULT_LIVY_URL

    async def _find_cluster(self) -> None:
        """At start, in this order: the EMR cluster's primary node, the Glue dev endpoint's size,
        and, when neither gave a cluster manager, a YARN ResourceManager on the Livy host."""
        try:
            if self.emr_cluster_id:
                await self._read_emr_cluster()
        finally:
            self.poller.start()  # no-op when running
            self.endpoints.start()  # once the configured endpoint's URL is known
        glue = await self._read_dev_endpoint()
        config = self.poller.config
        if not (config.yarn_url or config.spark_master_url or glue):
            await self._probe_yarn()

    def _use_endpoint(self, livy_url: str | None, yarn_url: str | None) -> None:
        config = self.poller.config
        if livy_url:
            config.livy_url = livy_url  # the poller reads it at each cycle
        if yarn_url:
            config.yarn_url = yarn_url
        fetcher = self.poller.fetcher
        fetcher.host_policy = self._host_policy(config)
        self._use_credentials(fetcher, config.livy_url)

    def _aws_cli_options(self) -> dict[str, Any]:
        return {
            "aws_cli": self.aws_cli,
            "metadata_path": self.notebook_instance_metadata,
            "timeout": self.aws_cli_timeout,
        }

    async def _read_emr_cluster(self) -> None:
        try:
            cluster = await discovery.describe_emr_cluster(
                self.emr_cluster_id, **self._aws_cli_options()
            )
        except DiscoveryError as error:
            self.log.warning(
                "glue-sessions: EMR cluster %r not read (%s); watching %s",
                self.emr_cluster_id,
                error,
                strip_credentials(self.poller.config.livy_url),
            )
            return
        config = self.poller.config
        livy = None if self._livy_configured() else cluster.livy_url
        yarn = None if config.yarn_url or config.spark_master_url else cluster.yarn_url
        self._use_endpoint(livy, yarn)
        self.log.info(
            "glue-sessions: EMR cluster %s (%s): primary node %s; Livy %s (%s), ResourceManager "
            "%s (%s)",
            cluster.id,
            cluster.state,
            cluster.primary,
            strip_credentials(config.livy_url),
            "from the cluster" if livy else "as configured",
            config.yarn_url or "none",
            "from the cluster" if yarn else "as configured",
        )

    async def _probe_yarn(self) -> None:
        config = self.poller.config
        if not await find_yarn_on_livy_host(self.poller, self.log):
            self.log.info(
                "glue-sessions: capacity from the configured size (%s x %d)",
                config.worker_type,
                config.number_of_workers or 0,
            )

    def _set_by_hand(self, option: str) -> bool:
        return option in self.config.GlueSessions

    async def _reapply_hook(self) -> None:
        if not self.reapply_sparkmagic_hook:
            return
        from .reapply import reapply

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

    async def _read_dev_endpoint(self) -> bool:
        """Whether a Glue dev endpoint is in play (named by hand, or found by the tag)."""
        if not (self.dev_endpoint_name or self.discover_dev_endpoint):
            return False
        try:
            size = await discover(endpoint_name=self.dev_endpoint_name, **self._aws_cli_options())
        except DiscoveryError as error:
            self.log.warning(
                "glue-sessions: dev endpoint size not read (%s); using %s x %d",
                error,
                self.poller.config.worker_type,
                self.poller.config.number_of_workers or 0,
            )
            return bool(self.dev_endpoint_name)
        config = self.poller.config
        by_hand = [o for o in ("worker_type", "number_of_workers") if self._set_by_hand(o)]
        if not by_hand:
            config.worker_type, config.number_of_workers = size.worker_type, size.number_of_workers
        self.log.info(
            "glue-sessions: dev endpoint %r (from the %s): %d workers of type %s%s",
            size.name,
            size.source,
            size.number_of_workers,
            size.worker_type,
            f"; {' and '.join(by_hand)} set by hand, kept" if by_hand else "",
        )
        return True

    async def stop_extension(self) -> None:
        task = getattr(self, "_startup_task", None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.endpoints.stop()

"""The server extension: configuration (c.GlueSessions.*), one poller, the REST handlers.

Owns: the options and their help (their defaults come from `config.PollerConfig`, `http` and
`discovery`), wiring one fetcher, one poller and the notebook lookup into the server, and the
start-up lookups that may change the poller's URLs and cluster size (an EMR cluster, a Glue dev
endpoint, a YARN ResourceManager on the Livy host).
Never: fetches or judges anything per cycle (`poller` does), or sends sparkmagic's credentials
to any host but the Livy endpoint's.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any, TypeVar

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Enum, Float, HasTraits, Int, List, Unicode, default, validate

from . import discovery, http, labels, metrics
from .auth import header_provider
from .capacity import WORKER_TYPES
from .config import PollerConfig
from .discovery import DiscoveryError, discover
from .handlers import handlers
from .http import HeaderProvider, HostPolicy, JsonFetcher
from .observe import NotebookLookup
from .poller import Poller
from .sparkmagic_config import DEFAULT_LIVY_URL, SparkmagicEndpoint, read_sparkmagic_endpoint
from .urls import host_of, strip_credentials

T = TypeVar("T", bound=type[HasTraits])


def options(cls: T) -> T:
    """Every trait the class itself declares is an option (c.<ClassName>.<trait>)."""
    for trait in cls.class_own_traits().values():
        trait.tag(config=True)
    return cls


@options
class GlueSessions(ExtensionApp):
    """Watches one Livy endpoint for every user of this Jupyter server."""

    name = "glue_sessions"
    description = __doc__

    livy_url = Unicode(
        help=(
            "Livy endpoint to watch. Default: kernel_python_credentials.url of sparkmagic's "
            "config (~/.sparkmagic/config.json or $SPARKMAGIC_CONF_DIR), else "
            "http://localhost:8998."
        ),
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

    check_hostname = Bool(True, help="Check that a verified certificate names the host.")

    ca_bundle = Unicode(
        help="CA certificates (PEM file or directory) to verify TLS with; empty: "
        "$REQUESTS_CA_BUNDLE (as sparkmagic's requests), else the system store."
    )

    client_cert = Unicode(help="Client certificate (PEM) for TLS; may hold its key too.")

    client_key = Unicode(help="The client certificate's private key (PEM), if apart.")

    use_proxy_env = Bool(True, help="Use HTTP_PROXY / HTTPS_PROXY / NO_PROXY of the environment.")

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

    def _auth_headers(self, config: PollerConfig) -> HeaderProvider:
        credentials = self._sparkmagic_credentials()
        livy_host = host_of(config.livy_url)
        if host_of(credentials.url) != livy_host:
            # Credentials belong to sparkmagic's endpoint; never send them anywhere else.
            credentials = SparkmagicEndpoint(url=config.livy_url, auth="None")
        return header_provider(credentials, {livy_host})

    def initialize_settings(self) -> None:
        config = self.poller_config()
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
            auth_headers=self._auth_headers(config),
            host_policy=self._host_policy(config),
        )
        self.poller = Poller(config, fetcher, notebooks=self._notebook_lookup(), log=self.log)
        self.settings["glue_sessions_poller"] = self.poller
        metrics.serve(self.poller.metrics)  # on jupyter_server's /metrics
        self.log.info(
            "glue-sessions: watching %s (%s mode) every %.1f s",
            strip_credentials(config.livy_url),
            config.mode,
            config.poll_interval,
        )

    def _notebook_lookup(self) -> NotebookLookup:
        """Maps Livy session ids to this server's notebooks, from the sparkmagic kernel hook."""
        from .notebooks import KernelSessionIndex

        # Kernels are told absolute notebook paths; the panel wants them relative to the root.
        serverapp = self.serverapp
        assert serverapp is not None  # settings are initialized within a server
        index = KernelSessionIndex(root_dir=serverapp.root_dir)
        kernel_manager = serverapp.kernel_manager
        session_manager = serverapp.session_manager

        async def lookup(session_ids: list[int]) -> dict[int, dict[str, Any]]:
            index.refresh(set(kernel_manager.list_kernel_ids()))
            # A kernel records its notebook's path when it starts; the server knows renames.
            current = {
                s["kernel"]["id"]: s["path"]
                for s in await session_manager.list_sessions()
                if s.get("kernel") and s.get("type", "notebook") == "notebook"
            }
            found = {}
            livy_url = self.poller.config.livy_url  # may come from the EMR cluster at start
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
        fetcher.auth_headers = self._auth_headers(config)

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
        size = f"{config.worker_type} x {config.number_of_workers or 0}"
        try:
            rm = discovery.rm_url_on_host_of(config.livy_url)
            found = await discovery.probe_yarn_rm(
                rm, lambda url: self.poller.fetcher.get_json(url, authenticate=False)
            )
        except DiscoveryError as error:
            self.log.info(
                "glue-sessions: no YARN ResourceManager on the Livy host (%s); capacity from "
                "the configured size (%s)",
                error,
                size,
            )
            return
        self._use_endpoint(None, found.url)
        self.log.info(
            "glue-sessions: YARN ResourceManager %r at %s (on the Livy host): capacity from YARN",
            found.version,
            found.url,
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
        await self.poller.stop()

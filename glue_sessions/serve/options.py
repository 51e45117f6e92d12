"""The server's options (c.GlueSessions.*): every setting, its help and its checks, in one
Configurable that the extension (`app.GlueSessions`) inherits.

Owns: the options and their help, what a missing one defaults to (each default comes from the
module that uses it: `config.PollerConfig`, `http`, `endpoints`, `discovery`), and
`poller_config()`, each PollerConfig field from the option of the same name.
Never: acts on an option (`app` does), reads a file but sparkmagic's config for the default
Livy URL.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from traitlets import Bool, Enum, Float, HasTraits, Int, List, Unicode, default, validate
from traitlets.config import LoggingConfigurable

from ..client import http
from ..config import PollerConfig
from ..kernel.sparkmagic_config import (
    DEFAULT_LIVY_URL,
    SparkmagicEndpoint,
    read_sparkmagic_endpoint,
)
from ..observe.capacity import WORKER_TYPES
from . import discovery, endpoints

T = TypeVar("T", bound=type[HasTraits])


def options(cls: T) -> T:
    """Every trait the class itself declares is an option (c.<ClassName>.<trait>)."""
    for trait in cls.class_own_traits().values():
        trait.tag(config=True)
    return cls


@options
class GlueSessionsOptions(LoggingConfigurable):
    """The options of `app.GlueSessions`, configured as c.GlueSessions.<option>."""

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

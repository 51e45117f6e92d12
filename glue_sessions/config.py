"""What a poller is told: the endpoint's URLs, the cluster's size, the rates and the thresholds.

Owns: `PollerConfig`, the `AnalysisConfig` it gives the analysis, and the default of every
setting in them. The server's options (c.GlueSessions.*, `serve.options`) take their defaults
from here, option by option with the same names.
Never: reads a file, the environment or the command line (traitlets does, in `app`), and never
checks a value (the options validate what users write).
"""

from __future__ import annotations

from dataclasses import dataclass

from .snapshot import EndpointMode, ProblemSource


@dataclass(frozen=True)
class AnalysisConfig:
    starvation_seconds: float = 30.0
    idle_hoarding_seconds: float = 60.0  # Spark's default executorIdleTimeout
    poll_interval: float = 5.0


@dataclass
class PollerConfig:
    livy_url: str
    spark_master_url: str | None = None  # standalone master web UI, e.g. http://127.0.0.1:8080
    yarn_url: str | None = None  # YARN ResourceManager web address, e.g. http://host:8088
    # Glue's worker-type table sizes the cluster when no cluster manager can be read
    # (capacity.worker_type_cluster); None: no estimate.
    worker_type: str | None = "Standard"
    number_of_workers: int | None = 5
    executor_cores: int | None = None  # None: from the worker type or what Spark reports
    executor_memory_mb: int | None = None
    poll_interval: float = AnalysisConfig.poll_interval
    max_backoff: float = 60.0
    starvation_seconds: float = AnalysisConfig.starvation_seconds
    idle_hoarding_seconds: float = AnalysisConfig.idle_hoarding_seconds
    history_seconds: float = 3600.0
    allow_stop_sessions: bool = False  # the only action that changes the endpoint
    # Demand-driven polling (docs/polling.md): idle_poll_interval while nobody has read the API
    # for watch_seconds; 0 (or not above poll_interval): never slow down. A Poller whose loop
    # is not running (a caller drives poll_once) never slows down either.
    idle_poll_interval: float = 60.0
    watch_seconds: float = 60.0

    @property
    def slows_down(self) -> bool:
        return self.idle_poll_interval > self.poll_interval

    @property
    def gap_seconds(self) -> float:
        """Two observations further apart than this leave unobserved time between them."""
        return 2 * self.poll_interval

    @property
    def mode(self) -> EndpointMode:
        return "standalone" if self.spark_master_url else "yarn"

    @property
    def cluster_source(self) -> ProblemSource:
        """The `source` of problems with the cluster manager's API."""
        return "spark-master" if self.spark_master_url else "yarn"

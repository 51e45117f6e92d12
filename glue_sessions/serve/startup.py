"""What the server looks up when it starts, and how each answer changes the configured endpoint.

Owns: the order of the lookups (an EMR cluster's primary node, then a Glue dev endpoint's size,
then, when neither named a cluster manager, a YARN ResourceManager on the Livy host), which
setting wins over what is found (an option set by hand; a Livy URL of sparkmagic's config
other than its default), and one log line per lookup.
Never: calls the AWS CLI or reads an answer itself (`discovery` does), or looks anything up
again after the start (a restart of the Jupyter server picks up a switched endpoint).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..client.aio import within
from ..client.http import HostPolicy
from ..client.urls import host_of, strip_credentials
from ..kernel.sparkmagic_config import DEFAULT_LIVY_URL
from . import discovery
from .discovery import DiscoveryError
from .poller import Poller

if TYPE_CHECKING:  # options import their defaults from modules that import this one
    from .options import GlueSessionsOptions


class StartupLookups:
    """The start-up lookups of the configured endpoint, from the extension's options."""

    def __init__(
        self,
        options: GlueSessionsOptions,
        poller: Poller,
        use_endpoint: Callable[[str | None, str | None], None],
        log: logging.Logger,
    ):
        self.options = options
        self.poller = poller
        self.use_endpoint = use_endpoint  # (Livy URL, ResourceManager URL) found, or None
        self.log = log

    def by_hand(self, option: str) -> bool:
        return option in self.options.config.GlueSessions

    def livy_configured(self) -> bool:
        """livy_url set by hand, or sparkmagic's config naming another Livy than its default."""
        return self.by_hand("livy_url") or self.options.livy_url.rstrip("/") != DEFAULT_LIVY_URL

    def waits_for_emr(self) -> bool:
        """Whether the Livy URL is to come from the EMR cluster (no poll before it is known)."""
        return bool(self.options.emr_cluster_id) and not self.livy_configured()

    async def run(self, then: Callable[[], None]) -> None:
        """The lookups in order; `then` once the Livy URL is settled (after the EMR lookup)."""
        try:
            if self.options.emr_cluster_id:
                await self.read_emr_cluster()
        finally:
            then()
        glue = await self.read_dev_endpoint()
        config = self.poller.config
        if config.yarn_url or config.spark_master_url or glue:
            return
        if not await find_yarn_on_livy_host(self.poller, self.log):
            self.log.info(
                "glue-sessions: capacity from the configured size (%s x %d)",
                config.worker_type,
                config.number_of_workers or 0,
            )

    def _aws_cli_options(self) -> dict[str, Any]:
        return {
            "aws_cli": self.options.aws_cli,
            "metadata_path": self.options.notebook_instance_metadata,
            "timeout": self.options.aws_cli_timeout,
        }

    async def read_emr_cluster(self) -> None:
        cluster_id = self.options.emr_cluster_id
        config = self.poller.config
        try:
            cluster = await discovery.describe_emr_cluster(cluster_id, **self._aws_cli_options())
        except DiscoveryError as error:
            self.log.warning(
                "glue-sessions: EMR cluster %r not read (%s); watching %s",
                cluster_id,
                error,
                strip_credentials(config.livy_url),
            )
            return
        livy = None if self.livy_configured() else cluster.livy_url
        yarn = None if config.yarn_url or config.spark_master_url else cluster.yarn_url
        self.use_endpoint(livy, yarn)
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

    async def read_dev_endpoint(self) -> bool:
        """Whether a Glue dev endpoint is in play (named by hand, or found by the tag)."""
        name = self.options.dev_endpoint_name
        if not (name or self.options.discover_dev_endpoint):
            return False
        config = self.poller.config
        try:
            size = await discovery.discover(endpoint_name=name, **self._aws_cli_options())
        except DiscoveryError as error:
            self.log.warning(
                "glue-sessions: dev endpoint size not read (%s); using %s x %d",
                error,
                config.worker_type,
                config.number_of_workers or 0,
            )
            return bool(name)
        by_hand = [o for o in ("worker_type", "number_of_workers") if self.by_hand(o)]
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


async def find_yarn_on_livy_host(poller: Poller, log: logging.Logger) -> bool:
    """Point the poller at a YARN ResourceManager on its Livy host when one answers there
    (EMR's and Glue's layout); False when none does (the capacity stays as configured). For the
    configured endpoint at start, and for each other endpoint when it is first polled."""
    config = poller.config
    fetcher = poller.fetcher
    try:
        rm = discovery.rm_url_on_host_of(config.livy_url)
        found = await within(
            discovery.probe_yarn_rm(rm, lambda u: fetcher.get_json(u, authenticate=False)),
            fetcher.request_timeout * 2,
        )
    except (DiscoveryError, asyncio.TimeoutError) as error:
        log.info("glue-sessions: no YARN ResourceManager on the Livy host (%s)", error or "silent")
        return False
    config.yarn_url = found.url  # the poller reads it at each cycle
    hosts = fetcher.host_policy.hosts if fetcher.host_policy else set()
    fetcher.host_policy = HostPolicy(hosts | {host_of(found.url)})
    log.info(
        "glue-sessions: YARN ResourceManager %r at %s (on the Livy host): capacity from YARN",
        found.version,
        found.url,
    )
    return True

"""The GlueSessions options both conftests build (the emulated and the real endpoint)."""

from __future__ import annotations


def cluster_manager_option(topology: str, url: str) -> dict[str, str]:
    """The option that names the cluster manager of a topology ("yarn" or "standalone")."""
    return {"spark_master_url" if topology == "standalone" else "yarn_url": url}

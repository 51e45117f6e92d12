"""What run.py (the driver), worker.py (the measured server) and report.py (the tables) share:
small statistics, the latency of the wall-time rows, and a free port (servers.py uses it too).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

# the checkout beside bench/, last: a --package-root given first still wins for glue_sessions
sys.path.append(str(Path(__file__).resolve().parents[1]))
from emulator.loopback import free_port as free_port  # re-exported for worker and servers

LATENCY = 0.05  # seconds added to every endpoint answer for the wall-time rows


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

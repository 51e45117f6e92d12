"""The definitions the analysis applies (README.md, "How it decides"): need, max-min fair
share, the advised maxExecutors and its `%%configure` cell. Pure arithmetic.

Owns: those formulas. Never: time, state, or which session is short (analysis.py).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

# A session is short only when it misses at least this much of what it is due; smaller gaps
# are the rounding of a fractional fair share into whole executors (9 executors, 2 sessions:
# one holds 5, the other 4 of its 4.5, and nobody is being starved).
WHOLE_EXECUTOR = 1.0
EPSILON = 1e-9


def rounded(executors: float) -> float:
    """Executor counts as the snapshot and the advice write them: two decimals, never -0.0."""
    return round(executors + 0.0, 2)


def max_min_fair(capacity: float, needs: Mapping[str, float]) -> dict[str, float]:
    """Max-min fair shares of `capacity` over `needs` (water-filling).

    Sessions are served in increasing order of need; each gets the smaller of its need and an
    equal split of what is left, so one that needs less than an equal split keeps only what it
    needs and the rest is shared out among the others. The result depends only on the needs,
    never on the order of the mapping.
    """
    values = sorted(max(0.0, float(n)) for n in needs.values())
    remaining = max(0.0, float(capacity))
    level = values[-1] if values else 0.0  # enough for everyone, unless the loop finds less
    for served, need in enumerate(values):
        equal_split = remaining / (len(values) - served)
        if need >= equal_split:
            level = equal_split
            break
        remaining -= need
    # One water level for all: the result depends on the needs only, never on their order.
    return {key: min(max(0.0, float(need)), level) for key, need in needs.items()}


def executors_needed(running: int, pending: int, tasks_per_executor: int, cap: int | None) -> int:
    """Spark's ExecutorAllocationManager target: ceil(tasks / tasks per executor), capped."""
    per_executor = max(1, tasks_per_executor)
    need = math.ceil(max(0, running + pending) / per_executor)
    return need if cap is None else min(need, max(0, cap))


def suggested_max_executors(capacity: int, sessions_wanting: int) -> int:
    """The maxExecutors that lets every session that wants executors run side by side."""
    return max(1, capacity // max(1, sessions_wanting))


def configure_cell(max_executors: int) -> str:
    conf = {"conf": {"spark.dynamicAllocation.maxExecutors": str(max_executors)}}
    return "%%configure -f\n" + json.dumps(conf)

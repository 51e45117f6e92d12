"""Who holds what, needs what and is due what in one cycle, and who keeps whom waiting.

Owns: a cycle's held executors, needs, max-min fair shares, which sessions are short of what
they are due, and the sessions each short one waits on: those above their fair share when the
cluster is full, the drivers that take the queue's AM resources when YARN's AM-resource limit
keeps a session from starting. Never: time (how long a session has been short: `analysis`),
nor words (`advice`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..observe.model import STARTING_STATES, ClusterObservation, OutsideApp, SessionObservation
from .fairness import EPSILON, WHOLE_EXECUTOR, executors_needed, max_min_fair


@dataclass
class Shares:
    """Executor counts per session key (`SessionObservation.key`) in one cycle."""

    capacity: int
    by_key: dict[str, SessionObservation]
    held: dict[str, int]
    need: dict[str, float]
    fair: dict[str, float]
    due: dict[str, float]  # min(fair share, need)
    # Short of what it is due by a whole executor that the free slots cannot cover, or unable
    # to start while the queue's AM-resource limit holds (free slots do not help then).
    short: set[str]
    at_am_limit: set[str]  # the short ones whose driver waits for the AM-resource limit
    excess: dict[str, float]  # held above its fair share, for those above it
    holders: list[str]  # the keys of `excess`, most executors above their share first
    holder_ids: list[int]  # their session ids, in that order (built once, copied per entry)
    # Per queue: the sessions whose drivers take its AM resources, those running nothing first.
    am_holder_ids: dict[str | None, list[int]]
    # YARN applications outside Livy: their fair share (they take part as needing what they
    # hold), and those above it, most executors above it first (their app ids).
    outside_fair: dict[str, float]
    outside_holders: list[str]
    outside_by_queue: dict[str | None, list[str]]  # those that hold an AM container, per queue
    orphans: set[str]  # this server's sessions whose kernel no longer runs them

    @property
    def wanting(self) -> int:
        """How many sessions want executors (a driver waiting for its container counts)."""
        return sum(1 for k in self.need if self.need[k] > 0)

    @property
    def short_of_executors(self) -> set[str]:
        """The short sessions that more room in the cluster would serve."""
        return self.short - self.at_am_limit

    def waits_on(self, key: str) -> list[int]:
        """The ids of the sessions a short session waits on (its culprits; never itself: a
        driver that waits holds no AM resources)."""
        if key in self.at_am_limit:
            return self.am_holder_ids.get(self.by_key[key].queue, [])
        return self.holder_ids

    def waits_on_outside(self, key: str) -> list[str]:
        """The app ids of the YARN applications outside Livy a short session waits on."""
        if key in self.at_am_limit:
            return self.outside_by_queue.get(self.by_key[key].queue, [])
        return self.outside_holders

    def outside_victims(self, starving: set[str]) -> dict[str, list[str]]:
        """For each application outside Livy, the starving sessions that wait on it (their
        keys, by session id)."""
        victims: dict[str, list[str]] = {}
        for k in sorted(starving, key=lambda k: self.by_key[k].id):
            for app_id in self.waits_on_outside(k):
                victims.setdefault(app_id, []).append(k)
        return victims


def allocate(
    live: list[SessionObservation],
    cluster: ClusterObservation | None,
    outside: list[OutsideApp] | None = None,
    orphans: set[str] | None = None,
) -> Shares:
    """Held, need, max-min fair share; who is short of what it is due, who holds more.
    Applications outside Livy take part in the fair share as needing what they hold."""
    outside = outside or []
    orphans = orphans or set()
    capacity = cluster.max_executors if cluster else 0
    held: dict[str, int] = {}
    need: dict[str, float] = {}
    at_am_limit: set[str] = set()
    for s in live:
        held[s.key] = s.executors or 0
        if s.driver_waiting:
            # Its driver's container is what it needs first, as YARN asks for it.
            need[s.key] = s.driver_slots
            if s.am_limit_reached:
                at_am_limit.add(s.key)
        elif s.state in STARTING_STATES:
            need[s.key] = 0
        elif s.running_tasks is None or s.pending_tasks is None:
            # Tasks unknown (its Spark UI did not answer): assume it needs what it holds.
            need[s.key] = held[s.key]
        else:
            per_executor = s.tasks_per_executor or (cluster.executor_cores if cluster else 1)
            need[s.key] = executors_needed(
                s.running_tasks, s.pending_tasks, per_executor, s.max_executors
            )
    # A driver held back by the AM-resource limit takes nothing from the others' shares:
    # the cluster may have room, the queue's rule keeps it out.
    wanted = {k: v for k, v in need.items() if k not in at_am_limit}
    wanted.update({a.key: a.executors for a in outside})
    fair_all = max_min_fair(capacity, wanted)
    fair = {k: fair_all[k] for k in need if k not in at_am_limit}
    fair.update({k: need[k] for k in at_am_limit})
    # A session whose deficit still fits in the free slots is only ramping up (executors take
    # seconds to start). Held is what the cluster manager granted: executors still starting
    # are not missing.
    due = {k: min(fair[k], need[k]) for k in need}
    in_use = sum(held.values())
    if cluster is not None and cluster.executors_in_use is not None:
        in_use = max(in_use, cluster.executors_in_use)
    free = max(0, capacity - in_use)
    short = at_am_limit | {
        k
        for k in need
        if (due[k] - held[k] >= WHOLE_EXECUTOR - EPSILON or (held[k] == 0 and due[k] > EPSILON))
        and free < due[k] - held[k] - EPSILON
    }
    excess = {k: held[k] - fair[k] for k in need if held[k] - fair[k] > EPSILON}
    by_key = {s.key: s for s in live}
    holders = sorted(excess, key=lambda k: (-excess[k], by_key[k].id))
    holder_ids = [by_key[k].id for k in holders]
    outside_excess = {a.app_id: a.executors - fair_all[a.key] for a in outside}
    outside_holders = sorted(
        (i for i, x in outside_excess.items() if x > EPSILON),
        key=lambda i: (-outside_excess[i], i),
    )
    outside_by_queue: dict[str | None, list[str]] = {}
    for a in sorted(outside, key=lambda a: a.app_id):
        outside_by_queue.setdefault(a.yarn.queue, []).append(a.app_id)
    return Shares(
        capacity,
        by_key,
        held,
        need,
        fair,
        due,
        short,
        at_am_limit,
        excess,
        holders,
        holder_ids,
        _am_holders(live, need, orphans) if at_am_limit else {},
        {a.app_id: fair_all[a.key] for a in outside},
        outside_holders,
        outside_by_queue,
        orphans,
    )


def _am_holders(
    live: list[SessionObservation], need: dict[str, float], orphans: set[str]
) -> dict[str | None, list[int]]:
    """Per queue, the sessions whose application master (driver) runs: orphans first, then
    those that need no executor (nothing to run), then by id."""
    drivers = [s for s in live if not s.driver_waiting and (s.driver_cores or 0) > 0]
    drivers.sort(key=lambda s: (s.key not in orphans, need.get(s.key, 0) > 0, s.id))
    by_queue: dict[str | None, list[int]] = {}
    for s in drivers:
        by_queue.setdefault(s.queue, []).append(s.id)
    return by_queue

"""The advice of a snapshot: what to do about the starving and idle-hoarding sessions.

Owns: the words of each piece of advice and their order (the `%%configure` cell for the
sessions above their fair share when the cluster is full, the drivers to stop or the YARN
setting to raise when the queue's AM-resource limit keeps a session from starting, cached data
to release). Never: decides who is short or starving (`shares`, `analysis`).
"""

from __future__ import annotations

from ..observe.model import OutsideApp
from ..snapshot import Advice
from .fairness import configure_cell, rounded, suggested_max_executors
from .shares import Shares

# YARN's setting behind the AM-resource limit (a queue may override it with its own
# yarn.scheduler.capacity.<queue path>.maximum-am-resource-percent).
AM_RESOURCE_SETTING = "yarn.scheduler.capacity.maximum-am-resource-percent"
NAMED = 3  # names a sentence lists before "and N more"


def count(n: int | float, word: str) -> str:
    """'1 executor', '2 executors'."""
    return f"{n:g} {word}" if n == 1 else f"{n:g} {word}s"


def names(sessions: list[str]) -> str:
    """A few names: a reason naming every waiting session grows as holders x waiting."""
    more = len(sessions) - NAMED
    return ", ".join(sessions[:NAMED]) + (f" and {more} more" if more > 0 else "")


def piece(session: int | None, text: str, reason: str, configure: str | None = None) -> Advice:
    """One piece of advice: for a session (None: for every notebook), why, and the cell."""
    return {"session": session, "text": text, "reason": reason, "configure": configure}


def advise(
    starving: set[str], idle_hoarding: set[str], shares: Shares, outside: list[OutsideApp]
) -> list[Advice]:
    advice = _orphans_advice(starving, shares)
    advice += _executors_advice(starving - shares.at_am_limit, shares)
    advice += _outside_advice(starving, shares, outside)
    advice += _am_limit_advice(starving & shares.at_am_limit, shares)
    advice += _idle_hoarding_advice(idle_hoarding, shares)
    return advice


def _outside_advice(starving: set[str], shares: Shares, outside: list[OutsideApp]) -> list[Advice]:
    """Applications outside Livy that starving sessions wait on: who to ask (never stopped
    from here)."""
    waiting = {
        app_id: [shares.by_key[k].app_name for k in keys]
        for app_id, keys in shares.outside_victims(starving).items()
    }
    advice: list[Advice] = []
    for app in sorted((a for a in outside if a.app_id in waiting), key=lambda a: a.app_id):
        held_back = waiting[app.app_id]
        verb = "waits" if len(held_back) == 1 else "wait"
        who = "".join(
            f", {x}"
            for x in (
                app.yarn.user and f"user {app.yarn.user}",
                app.yarn.queue and f"queue {app.yarn.queue}",
            )
            if x
        )
        fair = rounded(shares.outside_fair.get(app.app_id, 0.0))
        page = f"; YARN's page: {app.url}" if app.url else ""
        advice.append(
            piece(
                None,
                (
                    f"Ask who runs {app.app_id} ({app.yarn.name}{who}) to release its "
                    f"{count(app.yarn.containers, 'container')}, or end it in YARN."
                ),
                (
                    f"{app.app_id} is none of Livy's sessions (a batch job, another user's "
                    f"work, or a session Livy lost) and holds {count(app.executors, 'executor')} "
                    f"and its AM, above its fair share of {fair}, while {names(held_back)} "
                    f"{verb}. glue-sessions never stops it{page}."
                ),
            )
        )
    return advice


def _orphans_advice(starving: set[str], shares: Shares) -> list[Advice]:
    """While someone starves, first: this server's sessions that nobody uses any more."""
    if not starving:
        return []
    by_key, held = shares.by_key, shares.held
    advice: list[Advice] = []
    for k in sorted(shares.orphans, key=lambda k: by_key[k].id):
        s = by_key[k]
        holds = [count(held[k], "executor")] if held.get(k) else []
        holds += ["its driver"] if (s.driver_cores or 0) > 0 else []
        if not holds:
            continue
        advice.append(
            piece(
                s.id,
                f"Stop {s.app_name}: nobody uses it, and it holds {' and '.join(holds)}.",
                (
                    f"The notebook kernel of this server that created {s.app_name} no longer "
                    f"runs it (the kernel died or was restarted, or the server restarted without "
                    f"it); Livy keeps it until its idle timeout."
                ),
            )
        )
    return advice


def _executors_advice(starving: set[str], shares: Shares) -> list[Advice]:
    """The cluster is full: cap the sessions above their fair share."""
    by_key, held, capacity, wanting = shares.by_key, shares.held, shares.capacity, shares.wanting
    if not starving or not capacity:
        return []
    cap = suggested_max_executors(capacity, max(2, wanting))
    cell = configure_cell(cap)
    short = sorted(starving, key=lambda k: by_key[k].id)
    waiting = names([by_key[k].app_name for k in short])
    cannot_start = all(by_key[k].driver_waiting for k in short)
    waiting += (" cannot start" if cannot_start else " waits") if len(short) == 1 else " wait"
    advice: list[Advice] = []
    for j in shares.holders:
        if j in shares.orphans:
            continue  # nobody would run the cell: it has the advice to stop it
        s = by_key[j]
        advice.append(
            piece(
                s.id,
                f"Restart {s.app_name} with at most {count(cap, 'executor')}.",
                (
                    f"{s.app_name} holds {held[j]} of {capacity} executors, above its fair "
                    f"share of {rounded(shares.fair[j])}, while {waiting}. With "
                    f"spark.dynamicAllocation.maxExecutors unset one session can take every "
                    f"executor; {cap} lets {max(2, wanting)} sessions run side by side."
                ),
                cell,
            )
        )
    advice.append(
        piece(
            None,
            (
                f"Start every notebook on this endpoint with maxExecutors {cap}: run this "
                f"cell first in each notebook."
            ),
            (
                f"{count(wanting, 'session')} {'wants' if wanting == 1 else 'want'} executors "
                f"and the endpoint has {capacity}; "
                f"Glue leaves spark.dynamicAllocation.maxExecutors unset."
            ),
            cell,
        )
    )
    return advice


def _am_limit_advice(starving: set[str], shares: Shares) -> list[Advice]:
    """The queue's AM-resource limit keeps drivers out: stop idle drivers, or raise it."""
    by_key = shares.by_key
    by_id = {s.id: s for s in by_key.values()}
    advice: list[Advice] = []
    for k in sorted(starving, key=lambda k: by_key[k].id):
        s = by_key[k]
        drivers = [by_id[i] for i in shares.waits_on(k)]
        idle = [d for d in drivers if not shares.need.get(d.key)]
        queue = f"queue {s.queue}" if s.queue else "its queue"
        if idle:
            text = (
                f"Stop {names([d.app_name for d in idle])} to let {s.app_name} start: "
                f"{'its driver holds' if len(idle) == 1 else 'their drivers hold'} part of "
                f"the AM resources of {queue} and {'runs' if len(idle) == 1 else 'run'} nothing."
            )
        else:
            text = f"Raise {AM_RESOURCE_SETTING} so that {s.app_name} can start."
        advice.append(
            piece(
                s.id,
                text,
                (
                    f"YARN keeps {s.app_name}'s driver out: the drivers of {queue} have reached "
                    f"its AM-resource limit ({AM_RESOURCE_SETTING}); "
                    f"{count(len(drivers), 'driver')} take it"
                    + (f": {names([d.app_name for d in drivers])}." if drivers else ".")
                    + " Room for executors would not help: the queue's rule keeps it out."
                ),
            )
        )
    return advice


def _idle_hoarding_advice(idle_hoarding: set[str], shares: Shares) -> list[Advice]:
    by_key, held = shares.by_key, shares.held
    return [
        piece(
            by_key[k].id,
            (
                f"{by_key[k].app_name} holds {count(held[k], 'executor')} with nothing to run: "
                f"unpersist its cached data, or stop the session when done."
            ),
            (
                "Executors that hold cached blocks or shuffle data are never released by "
                "dynamic allocation (cachedExecutorIdleTimeout is infinite by default)."
            ),
        )
        for k in sorted(idle_hoarding, key=lambda k: by_key[k].id)
    ]

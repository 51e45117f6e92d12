"""The history ring behind GET /glue-sessions/api/history: the last hour of polls, by column.

Owns: one sample per poll (each session's executors, the cluster's capacity, who was
starving), the gap markers where time went unobserved, dropping what is older than the
window, and the answer of /history: its shape (`HistoryAnswer`, from which
scripts/generate_types.py writes the panel's `IHistory`; docs/timeline.md) and its encoding.
Never: fetches or judges anything; it keeps what the snapshot already says.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict


class HistoryAnswer(TypedDict):
    """GET /glue-sessions/api/history"""

    poll_interval: float
    # Epoch seconds. Two times further apart than 2 x poll_interval are a gap (nothing observed
    # between them); the server also puts a time where every series is null into each gap.
    times: list[float]
    # Executors per session id, aligned with `times` (null: not alive or unknown).
    series: dict[str, list[int | None]]
    # The cluster's max_executors at each time, aligned with `times` (null: unknown, or a gap
    # marker). Absent from older servers.
    capacity: list[int | None]
    # Per session id, [start, end) index ranges of `times` in which the session was starving;
    # never across a gap. Absent from older servers.
    starving: dict[str, list[list[int]]]


@dataclass
class History:
    """A bounded ring of per-session executor counts, enough for an hour of sparklines.

    Kept by column, one deque per session aligned with `times` (None where the session was
    absent), so that answering a history request copies lists at C speed instead of looking up
    every (sample, session) pair; the encoded answer is kept until the next sample, so any
    number of tabs costs one encoding per cycle.
    """

    maxlen: int
    max_age: float | None = None  # seconds: samples older than the newest minus this go
    times: deque[float] = field(default_factory=deque)
    series: dict[int, deque[int | None]] = field(default_factory=dict)  # session id -> counts
    # For the cluster chart, aligned with `times`: the cluster's max_executors (None: unknown,
    # or a gap marker), and the ids of the sessions starving then (mostly an empty tuple).
    capacity: deque[int | None] = field(default_factory=deque)
    starving: deque[tuple[int, ...]] = field(default_factory=deque)
    _added: int = 0
    _last_seen: dict[int, int] = field(default_factory=dict)
    _body: tuple[tuple[int, float], bytes] | None = None

    @classmethod
    def for_window(cls, seconds: float, poll_interval: float) -> History:
        """Room for `seconds` of polls at `poll_interval`, and nothing older."""
        return cls(maxlen=int(seconds / poll_interval) + 1, max_age=seconds)

    def record(
        self, t: float, snapshot: Mapping[str, Any], after_gap: bool, poll_interval: float
    ) -> None:
        """The sample of one snapshot taken at `t`. `after_gap`: time went unobserved since
        the previous sample; the gap then starts one poll interval after it."""
        sessions = snapshot["sessions"]
        gap_after = None
        if after_gap and self.times:
            gap_after = self.times[-1] + poll_interval
        self.add(
            t,
            {s["id"]: s["executors"] for s in sessions},
            gap_after=gap_after,
            capacity=(snapshot["cluster"] or {}).get("max_executors") or None,
            starving=tuple(s["id"] for s in sessions if s["status"] == "starving"),
        )

    def add(
        self,
        t: float,
        executors: dict[int, int],
        gap_after: float | None = None,
        capacity: int | None = None,
        starving: tuple[int, ...] = (),
    ) -> None:
        """One sample. `gap_after`: the previous sample was followed by unobserved time (the
        poller slowed down, or Livy did not answer); a gap marker, a time where every series
        is null, goes first at `gap_after` (clamped between the two samples), so that no
        line joins the two sides of the gap."""
        if gap_after is not None and self.times:
            before = self.times[-1]
            marker = gap_after if before < gap_after < t else before + (t - before) / 2
            if before < marker < t:
                self._append(marker, {})
        self._append(t, executors, capacity, starving)

    def _append(
        self,
        t: float,
        executors: dict[int, int],
        capacity: int | None = None,
        starving: tuple[int, ...] = (),
    ) -> None:
        n = len(self.times)
        self._added += 1
        for i, counts in self.series.items():
            counts.append(executors.get(i))
        for i in executors.keys() - self.series.keys():
            self.series[i] = deque([None] * n + [executors[i]])
        for i in executors:
            self._last_seen[i] = self._added
        self.times.append(t)
        self.capacity.append(capacity)
        self.starving.append(starving)
        oldest = t - self.max_age if self.max_age is not None else None
        while len(self.times) > self.maxlen or (oldest is not None and self.times[0] < oldest):
            self.times.popleft()
            self.capacity.popleft()
            self.starving.popleft()
            for counts in self.series.values():
                counts.popleft()
        window = len(self.times)
        for i in [i for i, seen in self._last_seen.items() if self._added - seen >= window]:
            del self.series[i], self._last_seen[i]

    @property
    def samples(self) -> list[tuple[float, dict[int, int]]]:
        """The ring by row, (time, {session id: executors}), oldest first."""
        columns = {i: list(c) for i, c in self.series.items()}
        return [
            (t, {i: n for i, c in columns.items() if (n := c[k]) is not None})
            for k, t in enumerate(self.times)
        ]

    def as_json(self, poll_interval: float) -> HistoryAnswer:
        times = [round(t, 3) for t in self.times]
        series = {str(i): list(self.series[i]) for i in sorted(self.series)}
        return {
            "poll_interval": poll_interval,
            "times": times,
            "series": series,
            "capacity": list(self.capacity),
            "starving": self.starving_ranges(),
        }

    def starving_ranges(self) -> dict[str, list[list[int]]]:
        """Per session id, the [start, end) sample index ranges in which it was starving: one
        pass over the (mostly empty) per-sample tuples, a few short lists in the answer rather
        than a boolean per sample and session. A gap marker starves nobody, so a range never
        spans a gap."""
        ranges: dict[int, list[list[int]]] = {}
        for k, ids in enumerate(self.starving):
            for i in ids:
                runs = ranges.setdefault(i, [])
                if runs and runs[-1][1] == k:
                    runs[-1][1] = k + 1
                else:
                    runs.append([k, k + 1])
        return {str(i): ranges[i] for i in sorted(ranges)}

    async def body(self, poll_interval: float, chunk: int = 50) -> bytes:
        """as_json, encoded once per sample, `chunk` sessions at a time between which the
        event loop runs (an hour of 1000 sessions is 1.5 MB: one json.dumps would hold the loop
        for tens of milliseconds)."""
        key = (self._added, poll_interval)
        if self._body is not None and self._body[0] == key:
            return self._body[1]
        times = json.dumps([round(t, 3) for t in self.times], separators=(",", ":"))
        # Copied before the first await: a poll that adds a sample meanwhile changes nothing here.
        columns = [(i, list(self.series[i])) for i in sorted(self.series)]
        capacity = json.dumps(list(self.capacity), separators=(",", ":"))
        starving = json.dumps(self.starving_ranges(), separators=(",", ":"))
        parts: list[str] = []
        for start in range(0, len(columns), chunk):
            parts.append(
                ",".join(
                    f'"{i}":{json.dumps(counts, separators=(",", ":"))}'
                    for i, counts in columns[start : start + chunk]
                )
            )
            await asyncio.sleep(0)
        data = (
            f'{{"poll_interval":{json.dumps(poll_interval)},"times":{times},'
            f'"series":{{{",".join(parts)}}},"capacity":{capacity},"starving":{starving}}}'
        ).encode()
        self._body = (key, data)
        return data

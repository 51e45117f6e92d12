"""What the emulated endpoint holds: its sessions, size, latency and faults (a `Scenario`,
which tests change between polls), and the scenarios it starts with.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EmulatedSession:
    id: int
    state: str = "idle"
    owner: str | None = None
    kind: str = "pyspark"
    name: str | None = None
    executors: int = 0
    running_tasks: int = 0
    pending_tasks: int = 0
    max_executors: int | None = None
    conf: dict[str, str] = field(default_factory=dict)  # other Spark conf it was created with


@dataclass
class Fault:
    """What a path answers instead of the truth."""

    status: int = 500
    body: str | bytes | None = None  # None: a JSON error; a str/bytes: sent as is
    delay: float = 0.0


@dataclass
class Scenario:
    mode: str = "yarn"  # "yarn" | "standalone"
    sessions: list[EmulatedSession] = field(default_factory=list)
    workers: int = 10  # YARN: NodeManagers; standalone: workers
    executor_cores: int = 8
    executor_memory_mb: int = 10240
    latency: float = 0.0  # seconds added to every answer
    faults: dict[str, Fault] = field(default_factory=dict)  # path prefix -> fault
    livy_down: bool = False
    # The Authorization header Livy demands (None: open); Spark UIs behind the proxy never ask.
    livy_authorization: str | None = None
    spark_ui_base: str | None = None  # YARN: the host Livy names in sparkUiUrl (default: ours)
    livy_hides_conf: bool = False  # a Livy that does not echo sessions' conf (only Spark has it)

    def app_id(self, session_id: int) -> str:
        if self.mode == "yarn":
            return f"application_1764000000000_{session_id + 1:04d}"
        return f"app-20261124100000-{session_id:04d}"


def seed_scenario(mode: str = "yarn") -> Scenario:
    """The seed document's story: 10 G.1X workers, 9 executors, one notebook takes them all."""
    return Scenario(
        mode=mode,
        sessions=[
            EmulatedSession(0, "busy", "alice", executors=9, running_tasks=72, pending_tasks=428),
            EmulatedSession(1, "busy", "bob", executors=0, running_tasks=0, pending_tasks=40),
            EmulatedSession(2, "idle", "carol", executors=0),
        ],
    )


def scaled_scenario(count: int, mode: str = "yarn") -> Scenario:
    """`count` sessions on an endpoint sized so that a few hog and many wait."""
    sessions = []
    for i in range(count):
        if i % 10 == 0:
            sessions.append(
                EmulatedSession(
                    i, "busy", f"user{i}", executors=4, running_tasks=32, pending_tasks=300
                )
            )
        elif i % 3 == 0:
            sessions.append(EmulatedSession(i, "busy", f"user{i}", pending_tasks=16))
        else:
            sessions.append(EmulatedSession(i, "idle", f"user{i}", executors=i % 2))
    executors = sum(s.executors for s in sessions)
    return Scenario(mode=mode, sessions=sessions, workers=max(2, executors + 1))


SCENARIOS = {"seed": seed_scenario, "empty": lambda mode="yarn": Scenario(mode=mode)}

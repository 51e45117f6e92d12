"""The endpoint emulator: a deterministic Livy + YARN/standalone + Spark REST endpoint for the
tests, the ui-tests and the benchmarks (emulator/endpoint.py says what it answers).

It is not part of the installed package (the wheel holds glue_sessions/ only): import it from a
checkout, whose root pytest puts on sys.path, and run it from the root as a process:

    python -m emulator --scenario seed --port 18998
"""

from .endpoint import EndpointEmulator
from .scenario import EmulatedSession, Fault, Scenario, scaled_scenario, seed_scenario

__all__ = [
    "EmulatedSession",
    "EndpointEmulator",
    "Fault",
    "Scenario",
    "scaled_scenario",
    "seed_scenario",
]

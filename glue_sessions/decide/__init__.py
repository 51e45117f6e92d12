"""From an observation to a snapshot: fair shares, statuses, who starves whom, the advice.

Owns: every decision the panel shows; pure functions of an observation and the state kept
between polls. Never: does I/O.
"""

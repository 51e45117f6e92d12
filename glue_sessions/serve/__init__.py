"""The Jupyter server side: options, start-up lookups, pollers, the REST API, history, metrics.

Owns: when to poll and what the browser is answered. Never: computes a decision itself.
"""

"""One observation of the endpoint: Livy's sessions, Spark's executors, the cluster's capacity.

Owns: reading each API's answer (untrusted) into the typed model of one poll.
Never: decides who is short or hogging (`decide` does), or keeps state between polls.
"""

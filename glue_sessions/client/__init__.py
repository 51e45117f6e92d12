"""The HTTP client every request to the endpoint goes through.

Owns: connections, TLS, proxies, parsing answers (llhttp), credentials and the URL helpers.
Never: knows what Livy, Spark or YARN answer mean (`observe` does).
"""

"""glue-sessions: who holds the executors of a shared Livy/Spark endpoint, and who is starving."""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "glue-sessions"}]


def _jupyter_server_extension_points():
    from .app import GlueSessions

    return [{"module": "glue_sessions", "app": GlueSessions}]

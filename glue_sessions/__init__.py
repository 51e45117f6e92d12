"""glue-sessions: who holds the executors of a shared Livy/Spark endpoint, and who is starving.

Owns: the package's version and the entry points jupyter_server and JupyterLab look up.
Never: imports the server extension before jupyter_server asks for it (the kernel hook imports
this package inside every sparkmagic kernel). The modules and how data flows between them:
docs/architecture.md.
"""

from typing import Any

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "glue-sessions"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .serve.app import GlueSessions

    return [{"module": "glue_sessions", "app": GlueSessions}]

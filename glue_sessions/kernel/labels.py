"""Owner labels: who started a Livy session and from which notebook, readable by everyone.

Owns: the Spark conf keys of the labels, the opt-in settings in sparkmagic's config.json, the
labels a kernel adds to the sessions it creates, and reading them back as untrusted text.
Never: decides anything about a session, or reads labels from anywhere but a session's conf.

A kernel whose sparkmagic config holds ``"glue_sessions_labels": {"owner": "alice@nb-1",
"notebook": true}`` adds ``spark.glue_sessions.owner`` (and, when allowed, the notebook's path
as ``spark.glue_sessions.notebook``) to the ``conf`` of every session it creates, including
those a ``%%configure -f`` cell recreates. Livy echoes a session's ``conf`` in ``GET
/sessions`` and Spark lists it in the app's environment, so every glue-sessions server on the
endpoint reads them without credentials to the instance that created the session.
"""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass
from typing import Any

OWNER_KEY = "spark.glue_sessions.owner"
NOTEBOOK_KEY = "spark.glue_sessions.notebook"
CONFIG_KEY = "glue_sessions_labels"  # in sparkmagic's config.json
MAX_LABEL = 200  # characters kept of a label read from the endpoint


@dataclass(frozen=True)
class Labels:
    owner: str | None = None
    notebook: str | None = None


def default_owner() -> str:
    """user@host of this instance, the owner label when none is given."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def label_text(value: Any) -> str | None:
    """A label as shown: text without control characters, at most MAX_LABEL long."""
    if not isinstance(value, str):
        return None
    text = "".join(c for c in value if c.isprintable()).strip()[:MAX_LABEL]
    return text or None


def labels_from_conf(conf: Any) -> Labels:
    """The labels in a session's conf (Livy's answer or Spark's environment), untrusted."""
    if not isinstance(conf, dict):
        return Labels()
    return Labels(label_text(conf.get(OWNER_KEY)), label_text(conf.get(NOTEBOOK_KEY)))


def settings_for(owner: str | None, notebook: bool) -> dict[str, Any]:
    """The value of CONFIG_KEY that `configure-sparkmagic --owner-label` writes."""
    return {"owner": owner or default_owner(), "notebook": bool(notebook)}


def session_conf(settings: Any, notebook_path: str | None) -> dict[str, str]:
    """The conf entries a kernel adds to a session it creates, from CONFIG_KEY's value."""
    if not isinstance(settings, dict):
        return {}
    conf = {}
    owner = label_text(settings.get("owner"))
    if owner:
        conf[OWNER_KEY] = owner
    if settings.get("notebook") is True and notebook_path:
        conf[NOTEBOOK_KEY] = notebook_path[:MAX_LABEL]
    return conf

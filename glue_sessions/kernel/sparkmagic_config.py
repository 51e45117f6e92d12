"""Read and (un)install our hook in sparkmagic's config.json.

sparkmagic reads ``$SPARKMAGIC_CONF_DIR/$SPARKMAGIC_CONF_FILE`` (defaults ``~/.sparkmagic``
and ``config.json``; sparkmagic/utils/constants.py). ``configure_sparkmagic()`` sets
``events_handler_class`` to :data:`HANDLER_CLASS`, keeps every other key, and stores the
user's previous handler under :data:`CHAIN_KEY` (absent when there was none: the recorder
then chains to sparkmagic's default EventsHandler). The original bytes go to
``<config>.glue-sessions.bak``; ``undo_sparkmagic()`` restores them exactly when the file was
not edited since, and otherwise reverts just our two keys.

Owns: reading the Livy URL and credentials sparkmagic uses, and writing or reverting our keys
in its config. Never: logs or prints credentials, or touches a key of the config other than
``events_handler_class`` and our own ``glue_sessions_*`` keys.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..client.urls import credentials_of, normalize_livy_url, strip_credentials
from ..kernel_hook import CHAIN_KEY, HANDLER_CLASS
from . import labels

log = logging.getLogger(__name__)

HANDLER_KEY = "events_handler_class"
BACKUP_SUFFIX = ".glue-sessions.bak"
DEFAULT_LIVY_URL = "http://localhost:8998"
AUTH_NONE = "None"
AUTH_BASIC = "Basic_Access"

__all__ = [
    "BACKUP_SUFFIX",
    "CHAIN_KEY",
    "HANDLER_CLASS",
    "ConfigChange",
    "SparkmagicConfigError",
    "SparkmagicEndpoint",
    "configure_sparkmagic",
    "credentials_for",
    "read_sparkmagic_endpoint",
    "read_sparkmagic_endpoints",
    "sparkmagic_config_path",
    "undo_sparkmagic",
]


class SparkmagicConfigError(Exception):
    """The config file cannot be used (malformed JSON, not an object, unreadable)."""


@dataclass
class ConfigChange:
    path: Path
    changed: bool
    message: str
    before: str | None = None  # previous events_handler_class (None: unset)
    after: str | None = None
    backup: Path | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class SparkmagicEndpoint:
    """The Livy endpoint of one of sparkmagic's kernels. ``password`` stays out of repr."""

    url: str
    auth: str
    username: str = ""
    password: str = field(default="", repr=False)
    source: Path | None = None


def sparkmagic_config_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The config file sparkmagic reads: explicit ``path``, else
    ``$SPARKMAGIC_CONF_DIR/$SPARKMAGIC_CONF_FILE`` (``~/.sparkmagic/config.json``)."""
    if path is not None:
        return Path(os.path.expanduser(str(path)))
    conf_dir = os.environ.get("SPARKMAGIC_CONF_DIR") or "~/.sparkmagic"
    conf_file = os.environ.get("SPARKMAGIC_CONF_FILE") or "config.json"
    return Path(os.path.expanduser(os.path.join(conf_dir, conf_file)))


def backup_path(config: Path) -> Path:
    return config.with_name(config.name + BACKUP_SUFFIX)


def _read_text(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise SparkmagicConfigError(f"cannot read {path}: {e}") from e


def _parse(text: str | None, path: Path) -> dict[str, Any]:
    # sparkmagic itself treats a missing or blank file as {} (hdijupyterutils/configuration.py)
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as e:
        raise SparkmagicConfigError(f"{path} is not valid JSON: {e}") from e
    if not isinstance(data, dict):
        raise SparkmagicConfigError(f"{path} does not hold a JSON object")
    return data


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2) + "\n"


def _merged(data: dict[str, Any], owner_labels: dict[str, Any] | None = None) -> dict[str, Any]:
    """``data`` with our handler installed, and the owner labels' settings when given
    (``data`` is not modified)."""
    out = dict(data)
    if owner_labels is not None:
        out[labels.CONFIG_KEY] = owner_labels
    previous = data.get(HANDLER_KEY)
    out[HANDLER_KEY] = HANDLER_CLASS
    if isinstance(previous, str) and previous and previous != HANDLER_CLASS:
        out[CHAIN_KEY] = previous
    else:  # no previous handler: the recorder chains to sparkmagic's default
        out.pop(CHAIN_KEY, None)
    return out


def _reverted(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out.pop(labels.CONFIG_KEY, None)
    previous = out.pop(CHAIN_KEY, None)
    if isinstance(previous, str) and previous and previous != HANDLER_CLASS:
        out[HANDLER_KEY] = previous
    else:
        out.pop(HANDLER_KEY, None)
    return out


def _atomic_write(path: Path, text: str, mode: int | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def configure_sparkmagic(
    path: str | os.PathLike[str] | None = None,
    *,
    dry_run: bool = False,
    owner_labels: dict[str, Any] | None = None,
) -> ConfigChange:
    """Install our events handler in sparkmagic's config (idempotent); with `owner_labels`
    (see glue_sessions.kernel.labels.settings_for), also the labels the kernels add to sessions."""
    cfg = sparkmagic_config_path(path)
    text = _read_text(cfg)
    data = _parse(text, cfg)
    before = data.get(HANDLER_KEY)
    labelled = owner_labels is None or data.get(labels.CONFIG_KEY) == owner_labels
    if before == HANDLER_CLASS and labelled:
        return ConfigChange(cfg, False, f"{cfg}: already configured", before, before, None, dry_run)
    new_text = _dump(_merged(data, owner_labels))
    bak = backup_path(cfg) if text is not None else None
    chained = before if isinstance(before, str) else "sparkmagic's default handler"
    msg = f"{cfg}: events_handler_class -> {HANDLER_CLASS} (chaining to {chained})"
    if owner_labels is not None:
        msg += f"; sessions labelled {json.dumps(owner_labels)}"
    if dry_run:
        return ConfigChange(cfg, True, "would set " + msg, before, HANDLER_CLASS, bak, True)
    mode = _mode(cfg)
    if before == HANDLER_CLASS:
        pass  # only the labels change: the backup of the user's own config stays
    elif text is not None and bak is not None:
        _atomic_write(bak, text, mode)
    else:  # no previous file: a stale backup must not be restored by --undo
        with contextlib.suppress(FileNotFoundError):
            os.unlink(backup_path(cfg))
    _atomic_write(cfg, new_text, mode)
    return ConfigChange(cfg, True, "set " + msg, before, HANDLER_CLASS, bak, False)


def undo_sparkmagic(
    path: str | os.PathLike[str] | None = None, *, dry_run: bool = False
) -> ConfigChange:
    """Remove our events handler: restore the backup exactly if the config was not edited
    since ``configure_sparkmagic``; otherwise revert only our keys."""
    cfg = sparkmagic_config_path(path)
    text = _read_text(cfg)
    data = _parse(text, cfg)
    if data.get(HANDLER_KEY) != HANDLER_CLASS:
        return ConfigChange(cfg, False, f"{cfg}: not configured, nothing to undo", None, None)
    bak = backup_path(cfg)
    bak_text = _read_text(bak)
    restored = _reverted(data)
    after = restored.get(HANDLER_KEY)

    exact_text: str | None = None
    remove_file = False
    if bak_text is not None:
        try:
            if _dump(_merged(_parse(bak_text, bak))) == text:
                exact_text = bak_text
        except SparkmagicConfigError:
            pass
    elif text == _dump(_merged({})):
        remove_file = True  # we created the file

    if remove_file:
        msg = f"{cfg}: removed (it did not exist before configure-sparkmagic)"
    elif exact_text is not None:
        msg = f"{cfg}: restored from {bak}"
    else:
        msg = f"{cfg}: events_handler_class -> {after or 'unset (sparkmagic default)'}"
    if dry_run:
        return ConfigChange(cfg, True, "would be " + msg, HANDLER_CLASS, after, None, True)

    if remove_file:
        os.unlink(cfg)
    else:
        _atomic_write(cfg, exact_text if exact_text is not None else _dump(restored), _mode(cfg))
    if bak_text is not None:
        os.unlink(bak)
    return ConfigChange(cfg, True, msg, HANDLER_CLASS, after, None, False)


def _decode_password(creds: dict[str, Any]) -> str:
    b64 = creds.get("base64_password")
    if isinstance(b64, str) and b64:
        try:
            return base64.b64decode(b64).decode()
        except (binascii.Error, ValueError):
            log.warning("glue-sessions: base64_password in the sparkmagic config is not valid")
            return ""
    pw = creds.get("password")
    return pw if isinstance(pw, str) else ""


# sparkmagic's kernels each read their own entry: PySpark, Spark (Scala), SparkR.
CREDENTIALS_KEYS = ("kernel_python_credentials", "kernel_scala_credentials", "kernel_r_credentials")


def read_sparkmagic_endpoint(path: str | os.PathLike[str] | None = None) -> SparkmagicEndpoint:
    """Livy URL and credentials of sparkmagic's ``kernel_python_credentials``.

    Falls back to ``http://localhost:8998`` without auth when the file or key is missing or
    the file is malformed. Credentials embedded in the URL move to username/password.
    """
    return read_sparkmagic_endpoints(path)[0]


def read_sparkmagic_endpoints(
    path: str | os.PathLike[str] | None = None,
) -> list[SparkmagicEndpoint]:
    """The endpoints of sparkmagic's kernels, in the order of CREDENTIALS_KEYS (the PySpark
    kernel's first): one per key, ``http://localhost:8998`` without auth where one is missing."""
    cfg = sparkmagic_config_path(path)
    try:
        data = _parse(_read_text(cfg), cfg)
    except SparkmagicConfigError:
        log.warning("glue-sessions: ignoring malformed sparkmagic config %s", cfg)
        data = {}
    return [_endpoint(data.get(key), cfg) for key in CREDENTIALS_KEYS]


def credentials_for(
    livy_url: str, path: str | os.PathLike[str] | None = None
) -> SparkmagicEndpoint | None:
    """The credentials sparkmagic holds for this very Livy URL (the first kernel's entry that
    names it), or None: a URL never gets another endpoint's credentials."""
    wanted = normalize_livy_url(livy_url)
    for endpoint in read_sparkmagic_endpoints(path):
        if normalize_livy_url(endpoint.url) == wanted:
            return endpoint
    return None


def _endpoint(creds: Any, cfg: Path) -> SparkmagicEndpoint:
    if not isinstance(creds, dict):
        creds = {}
    url = creds.get("url") if isinstance(creds.get("url"), str) and creds.get("url") else None
    url = (url or DEFAULT_LIVY_URL).strip()
    username: str = creds["username"] if isinstance(creds.get("username"), str) else ""
    password = _decode_password(creds)
    in_url = credentials_of(url)
    if in_url is not None and not username and not password:
        username, password = in_url
    url = (strip_credentials(url) or DEFAULT_LIVY_URL).rstrip("/")
    auth = creds.get("auth")
    if not isinstance(auth, str) or not auth:
        # sparkmagic/utils/configuration.py get_auth_value()
        auth = AUTH_NONE if not username and not password else AUTH_BASIC
    return SparkmagicEndpoint(url, auth, username, password, cfg if cfg.exists() else None)

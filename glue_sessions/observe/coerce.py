"""Reading a peer's values: every field an endpoint sends is untrusted and may be missing,
null or of another type. Each reader returns what the value means or a default, never raises.

Owns: the coercions the parsers share. Never: knows which answer a value came from.
"""

from __future__ import annotations

import math
from typing import Any


def as_int(value: Any, default: int | None = None) -> int | None:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return default
    return default


def as_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def as_dict(value: Any) -> dict[str, Any]:
    """A peer's object, or an empty one when it sent anything else."""
    return value if isinstance(value, dict) else {}


def as_http_url(value: Any) -> str | None:
    """Only http(s) URLs are passed on; anything else from a peer is dropped."""
    text = as_str(value)
    if text and text.lower().startswith(("http://", "https://")):
        return text
    return None

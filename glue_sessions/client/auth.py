"""Livy credentials through sparkmagic's own authenticator classes.

sparkmagic's authenticators are `requests` auth objects (None, Basic_Access, Kerberos, or a
custom class named in its `authenticators` config). We apply one to a prepared request to learn
the headers it would send, and send those with tornado. Kerberos builds its token with GSSAPI,
which may block, so header generation runs in a worker thread.

Owns: the Authorization header a URL gets. Never: sends credentials to a host outside the
set it is given, logs a header, or blocks the event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ..kernel.sparkmagic_config import SparkmagicEndpoint
from .http import HeaderProvider, no_auth_headers
from .urls import host_of

NO_AUTH = "None"


def header_provider(credentials: SparkmagicEndpoint, hosts: set[str]) -> HeaderProvider:
    """Headers for a URL: credentials go only to the endpoint's own hosts."""
    if credentials.auth in (NO_AUTH, "", None):
        return no_auth_headers
    authenticator = _sparkmagic_authenticator(credentials)
    if hasattr(authenticator, "force_preemptive"):
        # Kerberos: send the token up front instead of answering a 401 challenge.
        authenticator.force_preemptive = True

    def headers_for(url: str) -> dict[str, str]:
        import requests

        request = requests.Request("GET", url).prepare()
        authenticator(request)
        value = request.headers.get("Authorization")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return {"Authorization": value} if value else {}

    async def provide(url: str) -> dict[str, str]:
        if host_of(url) not in hosts:
            return {}
        return await asyncio.get_running_loop().run_in_executor(None, headers_for, url)

    return provide


def _sparkmagic_authenticator(credentials: SparkmagicEndpoint) -> Any:
    """An instance of the class sparkmagic itself would use for this auth type."""
    from sparkmagic.utils.utils import Namespace, initialize_auth

    args = Namespace(
        auth=credentials.auth,
        url=credentials.url,
        user=credentials.username,
        password=credentials.password,
    )
    return initialize_auth(args)

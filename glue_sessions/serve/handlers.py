"""REST API under /glue-sessions/api/ (described in openapi.yaml). Every verb needs Jupyter auth."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from ..client.aio import within
from ..client.http import FetchError

FIRST_SNAPSHOT_WAIT_SECONDS = 15.0
OPENAPI = Path(__file__).with_name("openapi.yaml")


class BaseHandler(APIHandler):
    @property
    def endpoints(self):
        return self.settings["glue_sessions_endpoints"]

    @property
    def poller(self):
        """The poller of the endpoint ?endpoint= names (none: the configured one)."""
        poller = self.endpoints.get(self.get_query_argument("endpoint", None))
        if poller is None:
            raise tornado.web.HTTPError(404, "no such endpoint (GET /glue-sessions/api/endpoints)")
        return poller

    def write_error(self, status_code: int, **kwargs) -> None:
        """Errors as JSON {"code", "message"}, the message being the HTTPError's own words."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        message = self._reason
        if isinstance(error, tornado.web.HTTPError) and error.log_message:
            message = error.log_message % error.args if error.args else error.log_message
        self.finish(json.dumps({"code": status_code, "message": message}))


class SnapshotHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        poller = self.poller
        # Someone watches: full rate, and a fresh poll first if the poller was slow.
        await poller.read()
        if poller.snapshot is None:
            try:
                await within(poller.updated.wait(), FIRST_SNAPSHOT_WAIT_SECONDS)
            except asyncio.TimeoutError:
                raise tornado.web.HTTPError(
                    503, "the first poll of the endpoint has not finished"
                ) from None
        self.set_header("Cache-Control", "no-cache")
        # tornado answers 304 by itself when If-None-Match matches compute_etag().
        self.write(poller.snapshot_body)

    def compute_etag(self) -> str | None:
        return self.poller.etag or None


class HistoryHandler(BaseHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        self.set_header("Cache-Control", "no-cache")
        await self.poller.read()
        self.finish(await self.poller.history.body(self.poller.config.poll_interval))


class SessionHandler(BaseHandler):
    """Stopping a Livy session: off unless c.GlueSessions.allow_stop_sessions, and only for
    sessions that this server's own notebooks created. XSRF is checked by jupyter_server for
    every cookie-authenticated DELETE."""

    @tornado.web.authenticated
    async def delete(self, session_id: str) -> None:
        if not session_id.isdigit():
            raise tornado.web.HTTPError(404, "no such Livy session")
        if not self.poller.config.allow_stop_sessions:
            raise tornado.web.HTTPError(
                403, "stopping sessions is off (c.GlueSessions.allow_stop_sessions = False)"
            )
        poller = self.poller
        sessions = {s["id"]: s for s in (poller.snapshot or {}).get("sessions", [])}
        session = sessions.get(int(session_id))
        if session is None:
            raise tornado.web.HTTPError(404, "no such Livy session")
        if not session["mine"]:  # the analysis decided (snapshot.py): can_stop says the same
            raise tornado.web.HTTPError(
                403, "only sessions created by this server's notebooks can be stopped here"
            )
        try:
            await poller.stop_session(int(session_id))
        except FetchError as error:
            raise tornado.web.HTTPError(502, f"Livy refused: {error.message}") from None
        self.log.info("glue-sessions: stopped Livy session %s on request", session_id)
        self.finish(json.dumps({"stopped": int(session_id)}))


class EndpointsHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        self.set_header("Cache-Control", "no-cache")
        self.finish(json.dumps(self.endpoints.answer()))


class OpenAPIHandler(BaseHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        self.finish(OPENAPI.read_bytes(), set_content_type="application/yaml")


def handlers() -> list[tuple[str, type]]:
    """Routes relative to the server's base_url (ExtensionApp prepends it)."""
    api = "/glue-sessions/api"
    return [
        (url_path_join(api, "snapshot"), SnapshotHandler),
        (url_path_join(api, "history"), HistoryHandler),
        (url_path_join(api, "sessions", r"([^/]+)"), SessionHandler),
        (url_path_join(api, "endpoints"), EndpointsHandler),
        (url_path_join(api, "openapi.yaml"), OpenAPIHandler),
    ]

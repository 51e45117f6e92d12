"""schemathesis fuzzes the extension's API from its OpenAPI description: no 5xx, answers conform."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

import glue_sessions

SPEC = Path(glue_sessions.__file__).parent / "serve" / "openapi.yaml"


@pytest.fixture
def glue_config(glue_config):
    # Exercise the one action too; with no notebook of ours, it must refuse cleanly.
    return dict(glue_config, allow_stop_sessions=True)


async def test_schemathesis_finds_no_server_error(
    jp_serverapp, jp_base_url, http_server, http_server_port, poller, emulator, tmp_path
):
    await poller.poll_once()
    st = shutil.which("st") or shutil.which("schemathesis")
    assert st, "schemathesis is part of the test extras"
    token = jp_serverapp.identity_provider.token
    base = f"http://127.0.0.1:{http_server_port[1]}{jp_base_url.rstrip('/')}"
    process = await asyncio.create_subprocess_exec(
        st,
        "run",
        str(SPEC),
        "--url",
        base,
        "--header",
        f"Authorization: token {token}",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,"
        "response_schema_conformance",
        "--max-examples",
        "60",
        "--generation-deterministic",
        "--request-timeout",
        "20",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=tmp_path,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 600)
    text = output.decode(errors="replace")
    sys.stdout.write(text)
    assert process.returncode == 0, text[-4000:]
    assert "glue-sessions/api/snapshot" in text

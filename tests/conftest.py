from __future__ import annotations

import logging

import pytest
from glue_options import cluster_manager_option

from emulator import EndpointEmulator, seed_scenario
from glue_sessions.serve import poller as poller_module

pytest_plugins = ["pytest_jupyter.jupyter_server"]


class FakeClock:
    """Poll time under the test's control, so 'starving for 30 s' takes no 30 s."""

    def __init__(self, now: float = 1_764_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def enable_every_logger() -> None:
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture(autouse=True)
def loggers_enabled():
    """sparkmagic's logging.config.dictConfig, run in-process by the kernel-side tests,
    disables every logger that exists; no test then depends on which ran before it."""
    enable_every_logger()
    yield
    enable_every_logger()


@pytest.fixture
def ca():
    """A certificate authority made for the test (the TLS and proxy tests, real and not)."""
    return pytest.importorskip("trustme").CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def no_proxy_env(monkeypatch):
    """No proxy and no CA bundle from the environment: each test sets its own."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    return monkeypatch


@pytest.fixture(name="instance")
def sagemaker_notebook_instance():
    """A fresh simulated SageMaker notebook instance (the lifecycle tests; minutes to build)."""
    from sagemaker_instance import new_instance  # the install harness, only where asked for

    with new_instance() as fresh:
        yield fresh


@pytest.fixture
def scenario():
    return seed_scenario("yarn")


@pytest.fixture
def emulator(jp_asyncio_loop, scenario):
    em = EndpointEmulator(scenario)
    jp_asyncio_loop.run_until_complete(em.start())
    yield em
    em.stop()


@pytest.fixture
def glue_config(emulator, scenario):
    """GlueSessions options for the emulated endpoint, in the scenario's mode."""
    return {
        "livy_url": emulator.base_url,
        "worker_type": "G.1X",
        "number_of_workers": 10,
        "poll_interval": 1.0,
        "starvation_seconds": 30.0,
        "sparkmagic_config": "/nonexistent/config.json",
        **cluster_manager_option(scenario.mode, emulator.base_url),
    }


@pytest.fixture
def jp_server_config(glue_config):
    return {
        "ServerApp": {"jpserver_extensions": {"glue_sessions": True}},
        "GlueSessions": glue_config,
    }


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def poller(jp_serverapp, clock):
    """The server's own poller, driven cycle by cycle by the test."""
    poller = jp_serverapp.web_app.settings["glue_sessions_poller"]
    poller.clock = clock
    return poller


@pytest.fixture
def demand(poller, clock, monkeypatch):
    """The server's poller on the fake clock for both its times and its scheduling, no jitter."""
    monkeypatch.setattr(poller_module.random, "uniform", lambda a, b: 1.0)
    poller._jitter = 1.0
    poller.monotonic = clock
    yield poller
    task, poller._task = poller._task, None
    if task is not None:
        task.cancel()


@pytest.fixture
def no_aws_region(monkeypatch):
    """No AWS region from the environment: the AWS CLI stand-ins' tests set their own."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)

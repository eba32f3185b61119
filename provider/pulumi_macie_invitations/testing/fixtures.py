"""pytest fixtures for the Macie2 emulator (a plugin, loaded automatically once installed).

* ``macie_server`` (session): an emulator server on 127.0.0.1 and a free port, shared by
  the session; yields an :class:`~.client.EmulatorClient` (``.endpoint_url``).
* ``macie_emulator``: the same client, with the server's state reset (all accounts, faults,
  call log, the default decline mode, disabled regions, refused roles) before the test,
  every call answered after ``macie_latency_ms`` milliseconds, and the provider's cached
  clients dropped (their retry quotas with them), as in a new provider process.
* ``macie_latency_ms``: the delay before the emulator answers each call, 0 by default;
  a test sets it with ``@pytest.mark.parametrize("macie_latency_ms", [50])``.
* ``macie_env``: ``macie_emulator``, plus the environment boto3 needs to reach it from
  code that builds its own clients: ``AWS_ENDPOINT_URL_MACIE2``, ``AWS_ENDPOINT_URL_GUARDDUTY``,
  ``AWS_ENDPOINT_URL_SECURITYHUB``, ``AWS_ENDPOINT_URL_STS``, ``AWS_ENDPOINT_URL_ORGANIZATIONS``,
  dummy ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION=us-east-1``;
  ``AWS_PROFILE`` and ``AWS_SESSION_TOKEN`` removed.

Example::

    def test_cleanup(macie_env):
        macie_env.send_invitations("111122223333", ["123456789012"])
        macie_env.throttle("DeleteInvitations", times=2)
        run_code_under_test()            # its boto3 clients reach the emulator
        assert macie_env.received("123456789012") == []
        assert [c["status"] for c in macie_env.calls("DeleteInvitations")][:2] == [429, 429]

Plain keys act as moto's default account 123456789012; ``session_for(account)`` gives
any other account.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .client import EmulatorClient

__all__ = ["macie_emulator", "macie_env", "macie_latency_ms", "macie_server"]


@pytest.fixture(scope="session")
def macie_server() -> Iterator[EmulatorClient]:
    """An emulator server for the whole session; yields a client for it."""
    from .client import EmulatorClient
    from .server import EmulatorServer

    with EmulatorServer() as server:
        yield EmulatorClient(server.endpoint_url)


@pytest.fixture
def macie_latency_ms() -> float:
    """Milliseconds the emulator waits before answering each call (override to change)."""
    return 0.0


@pytest.fixture
def macie_emulator(macie_server: EmulatorClient, macie_latency_ms: float) -> EmulatorClient:
    """The session's emulator, reset: no account state, no faults, no calls, the default
    decline mode, every call answered after ``macie_latency_ms``; and the provider's
    cached clients dropped."""
    from ..aws import forget_clients

    macie_server.reset()
    macie_server.set_call_latency(macie_latency_ms)
    forget_clients()
    return macie_server


@pytest.fixture
def macie_env(macie_emulator: EmulatorClient, monkeypatch: pytest.MonkeyPatch) -> EmulatorClient:
    """The reset emulator, and an environment whose boto3 clients reach it."""
    from .environment import emulator_variables

    for name, value in emulator_variables(macie_emulator.endpoint_url).items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return macie_emulator

"""Shared fixtures. The emulator's own fixtures (macie_server, macie_emulator, macie_env)
come from the package's pytest plugin, pulumi_macie_invitations.testing.fixtures."""

from collections.abc import Iterator

import pytest
from moto import mock_aws
from pulumi_macie_invitations import testing


@pytest.fixture(params=["in-process", "http"])
def emulator(request: pytest.FixtureRequest) -> Iterator[testing.EmulatorControls]:
    """The emulator, fresh, once in this process under moto.mock_aws() and once over HTTP
    (the session's server): the same tests run against both."""
    if request.param == "http":
        yield request.getfixturevalue("macie_emulator")
        return
    testing.install()
    local = testing.LocalEmulator()
    with mock_aws():
        local.clear_faults()
        local.clear_calls()
        yield local
    local.clear_faults()
    local.clear_calls()

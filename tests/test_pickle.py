"""The provider Pulumi pickles into state: small, credential-free, loadable in a fresh process."""

from __future__ import annotations

import base64
import sys

import dill
import pytest
from pulumi.dynamic import ConfigureRequest, ResourceProvider
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_macie_invitations.organization_provider import MemberGuardProvider
from pulumi_macie_invitations.provider import DeclinedInvitationsProvider, InvitationGuardProvider
from pulumi_macie_invitations.testing import EmulatorClient

from .helpers import unpickle_provider

SENTINEL = "SENTINEL-secret-access-key-0042"
RELEASE_0_1_0_PROVIDER = (
    "gASVSAAAAAAAAACMIXB1bHVtaV9tYWNpZV9pbnZpdGF0aW9ucy5wcm92aWRlcpSMG0RlY2xpbmVkSW52aXRh"
    "dGlvbnNQcm92aWRlcpSTlCmBlC4="
)
"""``__provider`` as 0.1.0 wrote it into the state of every stack with the resource."""


def test_provider_pickle_is_small_and_holds_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIASENTINEL00000042")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SENTINEL)
    provider = DeclinedInvitationsProvider()
    provider.configure(ConfigureRequest(Config({"aws:region": "us-east-1"}, "p")))
    payload = base64.b64decode(serialize_provider(provider))
    assert len(payload) < 512, len(payload)
    for secret in (SENTINEL, "AKIASENTINEL00000042"):
        assert secret.encode() not in payload
    assert b"pulumi_macie_invitations.provider" in payload  # pickled by reference to its module


def test_provider_pickle_loads_in_a_fresh_process() -> None:
    encoded = serialize_provider(DeclinedInvitationsProvider())
    loaded = unpickle_provider(
        sys.executable,
        encoded,
        "print(type(provider).__module__, type(provider).__name__)\n"
        "print(provider.diff('id', {'accountIds': ['111122223333'], 'region': 'us-east-1'},"
        " {'accountIds': ['111122223333'], 'region': 'eu-west-1'}).replaces)\n",
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.splitlines() == [
        "pulumi_macie_invitations.provider DeclinedInvitationsProvider",
        "['region']",
    ]


def test_the_provider_pickled_by_0_1_0_loads_and_cleans(macie_env: EmulatorClient) -> None:
    provider = dill.loads(base64.b64decode(RELEASE_0_1_0_PROVIDER))  # noqa: S301 - our own bytes
    assert type(provider) is DeclinedInvitationsProvider
    a, me = "111122223333", "123456789012"
    macie_env.send_invitations(a, [me], "us-east-1")
    inputs = provider.check({}, {"accountIds": [a], "region": "us-east-1"}).inputs
    created = provider.create(inputs)
    assert created.outs is not None
    assert created.outs["deletedAccountIds"] == [a]
    macie_env.send_invitations(a, [me], "us-east-1")
    read = provider.read(created.id, created.outs)
    assert read.outs is not None
    assert read.outs["reappearedAccountIds"] == [a]
    assert provider.diff(created.id, read.outs, inputs).changes is True


@pytest.mark.parametrize(
    ("provider", "recorded"),
    [
        (DeclinedInvitationsProvider(), "pulumi_macie_invitations.provider"),
        (InvitationGuardProvider(), "pulumi_macie_invitations.provider"),
        (MemberGuardProvider(), "pulumi_macie_invitations.organization_provider"),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else "",
)
def test_every_provider_pickles_under_the_module_releases_recorded_and_unpickles(
    provider: ResourceProvider, recorded: str
) -> None:
    """The shim modules (provider.py, organization_provider.py) hold the names a state
    refers to; the classes live in providers/."""
    loaded = unpickle_provider(
        sys.executable,
        serialize_provider(provider),
        "print(type(provider).__module__, type(provider).__name__)\n"
        "import pulumi_macie_invitations.providers as providers\n"
        "print(type(provider).__mro__[1].__module__.startswith(providers.__name__))\n",
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.splitlines() == [f"{recorded} {type(provider).__name__}", "True"]

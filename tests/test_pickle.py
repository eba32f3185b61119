"""The provider Pulumi pickles into state: small, credential-free, loadable in a fresh process."""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_macie_invitations.provider import DeclinedInvitationsProvider

SENTINEL = "SENTINEL-secret-access-key-0042"


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
    program = (
        "import base64, sys, dill\n"
        "provider = dill.loads(base64.b64decode(sys.stdin.read()))\n"
        "print(type(provider).__module__, type(provider).__name__)\n"
        "print(provider.diff('id', {'accountIds': ['111122223333'], 'region': 'us-east-1'},"
        " {'accountIds': ['111122223333'], 'region': 'eu-west-1'}).replaces)\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", program], input=encoded, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.splitlines() == [
        "pulumi_macie_invitations.provider DeclinedInvitationsProvider",
        "['region']",
    ]

"""The provider against the emulator in this process (moto.mock_aws), as a user's unit
tests would run it: the same lifecycle as over HTTP, through the `emulator` fixture, which
runs each test both in-process and over HTTP."""

from __future__ import annotations

import pytest
from pulumi_macie_invitations import AdministratorInvitationError
from pulumi_macie_invitations.provider import DeclinedInvitationsProvider, InvitationGuardProvider
from pulumi_macie_invitations.testing import EmulatorControls

ME = "123456789012"
REGION = "us-east-1"
A, B, C = "111122223333", "444455556666", "777788889999"


@pytest.fixture
def aws_environment(
    emulator: EmulatorControls, monkeypatch: pytest.MonkeyPatch
) -> EmulatorControls:
    """Dummy keys; over HTTP, boto3's endpoint variables point at the server."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_MACIE2"):
        monkeypatch.delenv(name, raising=False)
    if emulator.endpoint_url:
        monkeypatch.setenv("AWS_ENDPOINT_URL_MACIE2", emulator.endpoint_url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", emulator.endpoint_url)
    return emulator


def test_create_read_update_delete(aws_environment: EmulatorControls) -> None:
    emulator = aws_environment
    for sender in (A, B, C):
        emulator.send_invitations(sender, [ME], REGION)
    provider = DeclinedInvitationsProvider()
    inputs = provider.check({}, {"accountIds": [A], "region": REGION}).inputs

    created = provider.create(inputs)
    assert created.outs is not None
    assert created.outs["deletedAccountIds"] == [A]

    emulator.send_invitations(A, [ME], REGION)
    read = provider.read(created.id, created.outs)
    assert read.outs is not None
    assert read.outs["reappearedAccountIds"] == [A]

    news = provider.check({}, {"accountIds": [A, B], "region": REGION}).inputs
    updated = provider.update(created.id, read.outs, news)
    assert updated.outs is not None
    assert updated.outs["deletedAccountIds"] == [A, B]

    emulator.clear_calls()
    provider.delete(created.id, updated.outs)
    assert emulator.calls() == []
    assert {i["accountId"] for i in emulator.received(ME, REGION)} == {C}


def test_the_administrator_is_refused(aws_environment: EmulatorControls) -> None:
    aws_environment.send_invitations(A, [ME], REGION)
    aws_environment.accept(ME, A, REGION)
    provider = DeclinedInvitationsProvider()
    with pytest.raises(AdministratorInvitationError, match=A):
        provider.create(provider.check({}, {"accountIds": [A], "region": REGION}).inputs)


def test_the_guard_cleans_every_sender_but_the_allowed(
    aws_environment: EmulatorControls,
) -> None:
    emulator = aws_environment
    for sender in (A, B, C):
        emulator.send_invitations(sender, [ME], REGION)
    emulator.accept(ME, C, REGION)
    guard = InvitationGuardProvider()
    inputs = guard.check({}, {"allowedAccountIds": [C], "region": REGION}).inputs

    created = guard.create(inputs)
    assert created.outs is not None
    assert created.outs["deletedAccountIds"] == [A, B]
    assert created.outs["keptAccountIds"] == [C]

    emulator.send_invitations(B, [ME], REGION)
    read = guard.read(created.id, created.outs)
    assert read.outs is not None
    assert read.outs["strayAccountIds"] == [B]
    assert guard.diff(created.id, read.outs, inputs).changes is True

    updated = guard.update(created.id, read.outs, inputs)
    assert updated.outs is not None
    assert updated.outs["deletedAccountIds"] == [B]
    assert {i["accountId"]: i["relationshipStatus"] for i in emulator.received(ME, REGION)} == {
        C: "Enabled"
    }

"""Clients: one per target and AWS environment in a provider process, renewed for roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pulumi_macie_invitations import AwsCallError, clients, invitations
from pulumi_macie_invitations.target import Target
from pulumi_macie_invitations.testing import EmulatorClient

from .reliability import assumed_roles

REGION = "us-east-1"
MEMBER = "999988887777"
ROLE = f"arn:aws:iam::{MEMBER}:role/macie-invitation-cleaner"


def target_of(emulator: EmulatorClient, **fields: str) -> Target:
    return Target(region=REGION, endpoint_url=emulator.endpoint_url, **fields)


def test_lifecycle_calls_on_one_target_share_a_client(macie_env: EmulatorClient) -> None:
    first = clients.macie2_client(target_of(macie_env))
    assert clients.macie2_client(target_of(macie_env)) is first
    assert clients.macie2_client(Target(region="eu-west-1")) is not first


def test_a_changed_environment_gets_a_new_client(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = clients.macie2_client(target_of(macie_env))
    monkeypatch.setenv(clients.READ_TIMEOUT_VARIABLE, "3")
    after = clients.macie2_client(target_of(macie_env))
    assert after is not before
    assert after.meta.config.read_timeout == 3.0  # type: ignore[attr-defined]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAROTATEDKEY000000")
    assert clients.macie2_client(target_of(macie_env)) is not after


def test_forget_clients_starts_over(macie_env: EmulatorClient) -> None:
    first = clients.macie2_client(target_of(macie_env))
    clients.forget_clients()
    assert clients.macie2_client(target_of(macie_env)) is not first


def test_a_role_client_is_replaced_before_its_credentials_expire(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    role = target_of(macie_env, role_arn=ROLE)
    first = clients.macie2_client(role)
    assert clients.macie2_client(role) is first  # the role's credentials last an hour
    assumed = len(assumed_roles())
    monkeypatch.setattr(clients, "ROLE_CREDENTIALS_MARGIN", timedelta(days=1))
    renewed = clients.macie2_client(role)
    assert renewed is not first
    assert len(assumed_roles()) == assumed + 1
    assert renewed.list_invitations()["invitations"] == []  # acts as the member account


def test_freshness_of_cached_clients() -> None:
    client = clients.macie2_client(Target(region=REGION))
    now = datetime.now(UTC)
    assert clients._CachedClient(client).fresh()  # the session's own credentials
    assert clients._CachedClient(client, now + timedelta(hours=1)).fresh()
    assert not clients._CachedClient(client, now + timedelta(minutes=4)).fresh()


def test_calls_on_one_target_share_a_retry_quota_and_say_so_when_it_is_used_up(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore's standard mode allows 500 units of retries per client (14 a retry after a
    5xx), refunded as calls succeed: with the client shared, a run of failures stops
    retrying after about 36 retries, and the error says why."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")  # one retry a call: the quota drains fast
    macie_env.fail("ListInvitations", times=1000)
    client = clients.macie2_client(target_of(macie_env))
    messages = []
    for _ in range(40):
        with pytest.raises(AwsCallError) as failed:
            invitations.list_received(client, "here")
        messages.append(str(failed.value))
        if "retry quota" in messages[-1]:
            break
    assert "AWS still answered this after 2 attempt(s)" in messages[0]
    assert 30 <= len(messages) <= 40
    assert "Retries stopped after 1 attempt(s): botocore's retry quota" in messages[-1]

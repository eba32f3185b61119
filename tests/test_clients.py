"""AWS access (aws/): one client per service, region, endpoint and AWS environment in a
provider process, shared by every account it acts for; credentials per thread; roles
assumed once and renewed by botocore; the STS region rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import botocore.credentials
import botocore.session
import pytest
from pulumi_macie_invitations import AwsCallError
from pulumi_macie_invitations.aws import clients, environment, regions
from pulumi_macie_invitations.aws.credentials import Identity, NotActingError, acting_as
from pulumi_macie_invitations.engine import inbox as engine
from pulumi_macie_invitations.engine.inbox import Inbox
from pulumi_macie_invitations.providers.member import MemberGuardProvider
from pulumi_macie_invitations.services import SERVICES
from pulumi_macie_invitations.testing import EmulatorClient

from .reliability import assumed_roles

REGION = "us-east-1"
MEMBER = "999988887777"
ROLE = f"arn:aws:iam::{MEMBER}:role/macie-invitation-cleaner"


def inbox_of(emulator: EmulatorClient, region: str = REGION, **identity: str) -> Inbox:
    return Inbox(
        region,
        Identity(**identity, sts_region=region) if identity else Identity(),
        emulator.endpoint_url,
    )


def test_lifecycle_calls_on_one_target_share_a_client(macie_env: EmulatorClient) -> None:
    first = inbox_of(macie_env).client()
    assert inbox_of(macie_env).client() is first
    assert Inbox("eu-west-1").client() is not first


def test_every_account_shares_the_client_of_a_region(macie_env: EmulatorClient) -> None:
    """The economy that makes 100 members x 22 regions cheap: the role is not in the key."""
    assert inbox_of(macie_env, role_arn=ROLE).client() is inbox_of(macie_env).client()


def test_a_changed_environment_gets_a_new_client(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = inbox_of(macie_env).client()
    monkeypatch.setenv(environment.READ_TIMEOUT_VARIABLE, "3")
    after = inbox_of(macie_env).client()
    assert after is not before
    assert after.meta.config.read_timeout == 3.0
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAROTATEDKEY000000")
    assert inbox_of(macie_env).client() is not after


def test_forget_clients_starts_over(macie_env: EmulatorClient) -> None:
    first = inbox_of(macie_env).client()
    clients.forget_clients()
    assert inbox_of(macie_env).client() is not first


def test_the_client_cache_is_bounded(macie_env: EmulatorClient) -> None:
    first = inbox_of(macie_env).client()
    for index in range(clients.CACHED_CLIENTS):
        Inbox(REGION, endpoint_url=f"{macie_env.endpoint_url}/other-{index}").client()
    assert inbox_of(macie_env).client() is not first  # the least recently used went first


def test_the_client_cache_holds_every_service_and_sts_in_every_region_of_a_partition() -> None:
    largest = max(
        len(regions.partition_regions(name, partition) or [])
        for name in (*SERVICES, "sts")
        for partition in ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b")
    )
    assert largest <= clients.REGIONS_OF_A_PARTITION
    assert (len(SERVICES) + 1) * largest <= clients.CACHED_CLIENTS


def test_a_member_of_three_services_in_22_regions_builds_no_client_twice(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """66 inboxes and STS: more clients than the cache held before (64). Two runs of the
    member (create, then a refresh) build each client once."""
    built: list[tuple[str, str]] = []
    create_client = botocore.session.Session.create_client

    def counted(self: botocore.session.Session, service: str, **keys: Any) -> Any:
        built.append((service, str(keys.get("region_name"))))
        return create_client(self, service, **keys)

    monkeypatch.setattr(botocore.session.Session, "create_client", counted)
    everywhere = [
        region
        for region in regions.partition_regions("macie2", "aws") or []
        if all(region in regions.service_regions(name) for name in SERVICES)
    ][:22]
    assert len(everywhere) == 22
    provider = MemberGuardProvider()
    news = {
        "roleArn": ROLE,
        "regions": everywhere,
        "allowedAccountIds": [],
        "services": list(SERVICES),
    }
    checked = provider.check({}, news)
    assert checked.failures == []
    created = provider.create(checked.inputs)
    assert created.outs is not None
    assert created.outs["failedInboxes"] == {}
    provider.read(created.id, created.outs)

    listed = {(c["service"], c["region"]) for c in macie_env.calls("ListInvitations", service=None)}
    assert len(listed) == 66
    inboxes = [b for b in built if b[0] != "sts"]
    assert len(inboxes) == len(set(inboxes)) == 66, sorted(inboxes)
    # STS: the shared client of the region, and the one botocore's role fetcher keeps for
    # the role it renews (assumed once).
    assert [b for b in built if b[0] == "sts"] == [("sts", REGION)] * 2


def test_a_shared_client_refuses_to_sign_outside_acting_as(macie_env: EmulatorClient) -> None:
    client = inbox_of(macie_env).client()

    with pytest.raises(NotActingError, match="outside acting_as"):
        client.list_invitations()
    assert macie_env.calls() == []


def test_a_role_is_assumed_once_and_renewed_by_botocore_before_it_expires(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The role's credentials last an hour: later calls reuse them, and once they are
    within botocore's refresh window they are renewed (one more AssumeRole), without a new
    client; the calls act as the member account."""
    inbox = inbox_of(macie_env, role_arn=ROLE)
    first = clients.credentials_of(inbox.identity, inbox.describe())
    assert clients.credentials_of(inbox.identity, inbox.describe()) is first
    assumed = len(assumed_roles())
    keys = first.get_frozen_credentials() if first else None
    later = datetime.now().astimezone() + timedelta(minutes=55)  # as botocore reads its clock
    monkeypatch.setattr(botocore.credentials, "_local_now", lambda: later)
    monkeypatch.setattr(first, "_time_fetcher", lambda: later)
    renewed = first.get_frozen_credentials() if first else None
    assert renewed != keys
    assert len(assumed_roles()) == assumed + 1
    with acting_as(first):
        assert inbox.client().list_invitations()["invitations"] == []  # acts as the member
    assert [c["account_id"] for c in macie_env.calls()] == [MEMBER]


def test_a_role_is_assumed_with_its_external_id_and_session_name(
    macie_env: EmulatorClient,
) -> None:
    identity = Identity(
        role_arn=ROLE, session_name="ci-run", external_id="ext-id-42", sts_region="eu-west-1"
    )
    clients.credentials_of(identity, "here")
    [role] = [r for r in assumed_roles() if r.role_arn == ROLE]
    assert (role.session_name, role.external_id) == ("ci-run", "ext-id-42")
    assert [c["region"] for c in macie_env.sts_calls("AssumeRole")] == ["eu-west-1"]


def test_the_sts_region_rule() -> None:
    assert regions.sts_region("eu-west-1", "us-west-2", "us-east-1") == "eu-west-1"
    assert regions.sts_region(None, "us-west-2", "us-east-1") == "us-west-2"
    assert regions.sts_region(None, None, "us-east-1") == "us-east-1"
    assert regions.sts_region(None, None, None) is None
    china = "arn:aws-cn:iam::123456789012:role/r"
    assert regions.partition_mismatch(china, "cn-north-1") is None
    mismatch = regions.partition_mismatch(china, "eu-west-1")
    assert mismatch is not None
    assert "'aws-cn'" in mismatch
    assert "eu-west-1 (partition 'aws')" in mismatch


def test_calls_on_one_target_share_a_retry_quota_and_say_so_when_it_is_used_up(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore's standard mode allows 500 units of retries per client (14 a retry after a
    5xx), refunded as calls succeed: with the client shared, a run of failures stops
    retrying after about 36 retries, and the error says why."""
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")  # one retry a call: the quota drains fast
    macie_env.fail("ListInvitations", times=1000)
    inbox = inbox_of(macie_env)
    messages = []
    with acting_as(clients.credentials_of(inbox.identity, "here")):
        for _ in range(40):
            with pytest.raises(AwsCallError) as failed:
                engine.list_received(inbox.client(), "here")
            messages.append(str(failed.value))
            if "retry quota" in messages[-1]:
                break
    assert "AWS still answered this after 2 attempt(s)" in messages[0]
    assert 30 <= len(messages) <= 40
    assert "Retries stopped after 1 attempt(s): botocore's retry quota" in messages[-1]

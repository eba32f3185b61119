"""InvitationGuard's provider: create, update, read and delete against the emulator (in this
process and over HTTP, like test_provider.py), and its check and diff (no AWS call)."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_macie_invitations import (
    AdministratorInvitationError,
    AwsCallError,
    CleanupIncompleteError,
)
from pulumi_macie_invitations.engine.inbox import Inbox, clean_inbox
from pulumi_macie_invitations.engine.outcomes import CleanupReport
from pulumi_macie_invitations.engine.selection import AllSendersBut
from pulumi_macie_invitations.providers.inbox import InvitationGuardProvider
from pulumi_macie_invitations.testing import EmulatorControls
from pulumi_macie_invitations.validation import UNKNOWN

from .helpers import ME, MUTATING, REGION, A, B, C, ServiceInboxes, outs_of, statuses

ADMIN = "210987654321"


@pytest.fixture
def guard() -> InvitationGuardProvider:
    return InvitationGuardProvider()


def checked(guard: InvitationGuardProvider, **news: Any) -> dict[str, Any]:
    result = guard.check({}, {"region": REGION} | news)
    assert not result.failures, [f.reason for f in result.failures]
    return result.inputs


def checked_for(
    inboxes: ServiceInboxes, guard: InvitationGuardProvider, **news: Any
) -> dict[str, Any]:
    """The inputs check gives for ``news`` naming the service of ``inboxes``."""
    return checked(guard, service=inboxes.service.name, **news)


def sent_to(inboxes: ServiceInboxes) -> set[str]:
    """Every account id a decline or delete call of the service carried."""
    return {
        a for c in inboxes.calls() if c["operation"] in MUTATING for a in c.get("account_ids") or []
    }


def invite(emulator: EmulatorControls, *senders: str, region: str = REGION) -> None:
    for sender in senders:
        emulator.send_invitations(sender, [ME], region)


def sent_to_aws(emulator: EmulatorControls) -> set[str]:
    """Every account id a decline or delete call carried."""
    return {
        a
        for c in emulator.calls()
        if c["operation"] in MUTATING
        for a in c.get("account_ids") or []
    }


def test_create_cleans_every_sender_but_the_allowed(
    inboxes: ServiceInboxes, guard: InvitationGuardProvider
) -> None:
    inboxes.invite(A, B, ADMIN)
    inboxes.decline(B)  # declined, still listed
    inboxes.emulator.clear_calls()

    outs = outs_of(guard.create(checked_for(inboxes, guard, allowedAccountIds=[ADMIN])))

    assert outs["declinedAccountIds"] == [A]
    assert outs["deletedAccountIds"] == [A, B]
    assert outs["keptAccountIds"] == [ADMIN]
    assert outs["strayAccountIds"] == []
    assert outs["allowedAccountIds"] == [ADMIN]
    assert outs["service"] == inboxes.service.name
    assert "absentAccountIds" not in outs
    assert sent_to(inboxes) == {A, B}
    assert inboxes.statuses() == {ADMIN: "Invited"}


def test_allowed_senders_are_never_touched_whatever_their_status(
    aws_emulator: EmulatorControls, guard: InvitationGuardProvider
) -> None:
    invite(aws_emulator, A, B, ADMIN)
    aws_emulator.accept(ME, ADMIN, REGION)
    aws_emulator.macie2(ME, REGION).decline_invitations(accountIds=[B])
    aws_emulator.clear_calls()

    outs = outs_of(guard.create(checked(guard, allowedAccountIds=[ADMIN, B])))

    assert outs["deletedAccountIds"] == [A]
    assert outs["keptAccountIds"] == [ADMIN, B]
    assert sent_to_aws(aws_emulator) == {A}
    assert statuses(aws_emulator) == {ADMIN: "Enabled", B: "Resigned"}


def test_an_empty_allowed_list_cleans_every_sender(
    aws_emulator: EmulatorControls, guard: InvitationGuardProvider
) -> None:
    invite(aws_emulator, A, ADMIN)
    inputs = checked(guard, allowedAccountIds=[])
    assert inputs["allowedAccountIds"] == []
    assert outs_of(guard.create(inputs))["deletedAccountIds"] == [A, ADMIN]
    assert statuses(aws_emulator) == {}


def test_an_accepted_invitation_not_allowed_is_refused_before_any_change(
    inboxes: ServiceInboxes, guard: InvitationGuardProvider
) -> None:
    inboxes.invite(A, ADMIN)
    inboxes.accept(ADMIN)
    inboxes.emulator.clear_calls()

    with pytest.raises(AdministratorInvitationError) as refused:
        guard.create(checked_for(inboxes, guard, allowedAccountIds=[B]))

    message = str(refused.value)
    assert ADMIN in message
    assert f"`{inboxes.service.leave_member_command}`" in message
    assert f"`{inboxes.service.leave_administrator_command}`" in message
    assert f"add {ADMIN} to allowedAccountIds" in message
    assert "Nothing was changed" in message
    assert not MUTATING & set(inboxes.operations())
    assert inboxes.statuses() == {A: "Invited", ADMIN: "Enabled"}


def test_no_invitation_makes_one_listing_and_no_change(
    aws_emulator: EmulatorControls, guard: InvitationGuardProvider
) -> None:
    invite(aws_emulator, ADMIN)
    aws_emulator.clear_calls()
    outs = outs_of(guard.create(checked(guard, allowedAccountIds=[ADMIN])))
    assert outs["deletedAccountIds"] == []
    assert [c["operation"] for c in aws_emulator.calls()] == ["ListInvitations"]


def test_a_sender_that_stays_fails_naming_it(
    aws_emulator: EmulatorControls, guard: InvitationGuardProvider
) -> None:
    invite(aws_emulator, A, B)
    aws_emulator.unprocessed("DeleteInvitations", [B], times=5, error_code="ClientError")
    with pytest.raises(CleanupIncompleteError) as failed:
        guard.create(checked(guard, allowedAccountIds=[]))
    assert set(failed.value.reasons) == {B}
    assert set(statuses(aws_emulator)) == {B}


def test_read_reports_senders_not_allowed_as_drift_and_update_heals(
    inboxes: ServiceInboxes, guard: InvitationGuardProvider
) -> None:
    inboxes.invite(A, ADMIN)
    created = guard.create(checked_for(inboxes, guard, allowedAccountIds=[ADMIN]))
    unchanged = guard.read(created.id, outs_of(created))
    assert outs_of(unchanged)["strayAccountIds"] == []
    endpoint = inboxes.emulator.endpoint_url
    recorded = {"allowedAccountIds": [ADMIN], "region": REGION, "secretInputs": []}
    recorded |= {"service": inboxes.service.name}
    assert unchanged.inputs == recorded | ({"endpointUrl": endpoint} if endpoint else {})

    inboxes.invite(C, B)
    inboxes.emulator.clear_calls()
    read = guard.read(created.id, outs_of(created))
    assert inboxes.operations() == ["ListInvitations"]
    assert outs_of(read)["strayAccountIds"] == [B, C]
    assert read.inputs is not None
    reason = InvitationGuardProvider.drift_reason
    assert read.inputs["__invitationsFoundByRefresh"] == {B: reason, C: reason}
    assert read.inputs["allowedAccountIds"] == [ADMIN]

    news = checked_for(inboxes, guard, allowedAccountIds=[ADMIN])
    assert guard.diff(created.id, outs_of(read), news).changes is True
    updated = outs_of(guard.update(created.id, outs_of(read), news))
    assert updated["deletedAccountIds"] == [A, B, C]  # every sender it has deleted
    assert updated["strayAccountIds"] == []
    assert guard.diff(created.id, updated, news).changes is False
    assert inboxes.statuses() == {ADMIN: "Invited"}


def test_delete_makes_no_call(
    aws_emulator: EmulatorControls, guard: InvitationGuardProvider
) -> None:
    invite(aws_emulator, A)
    created = guard.create(checked(guard, allowedAccountIds=[]))
    invite(aws_emulator, A)
    aws_emulator.clear_calls()
    guard.delete(created.id, outs_of(created))
    assert aws_emulator.calls() == []


OLD: dict[str, Any] = {
    "allowedAccountIds": [A, B],
    "region": REGION,
    "declinedAccountIds": [],
    "deletedAccountIds": [C],
    "keptAccountIds": [A],
    "strayAccountIds": [],
}
NEW: dict[str, Any] = {"allowedAccountIds": [A, B], "region": REGION}

DIFF_CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool, list[str]]] = [
    ("no change", {}, {}, False, []),
    ("order does not matter", {}, {"allowedAccountIds": [B, A]}, False, []),
    ("sender allowed", {}, {"allowedAccountIds": [A, B, C]}, True, []),
    ("sender no longer allowed", {}, {"allowedAccountIds": [A]}, True, []),
    ("allow none", {}, {"allowedAccountIds": []}, True, []),
    ("region replaces", {}, {"region": "eu-west-1"}, True, ["region"]),
    ("role replaces", {}, {"roleArn": "arn:aws:iam::999988887777:role/r"}, True, ["roleArn"]),
    ("stray senders found by refresh update", {"strayAccountIds": [C]}, {}, True, []),
    ("unknown senders at preview update", {}, {"allowedAccountIds": [UNKNOWN]}, True, []),
]


@pytest.mark.parametrize(
    ("old", "new", "changes", "replaces"),
    [c[1:] for c in DIFF_CASES],
    ids=[c[0] for c in DIFF_CASES],
)
def test_diff(old: dict[str, Any], new: dict[str, Any], changes: bool, replaces: list[str]) -> None:
    result = InvitationGuardProvider().diff("id", OLD | old, NEW | new)
    assert result.changes is changes
    assert result.replaces == replaces


CHECK_FAILURES: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing", {}, "allowedAccountIds", "is required: list the accounts whose invitations"),
    ("not a list", {"allowedAccountIds": A}, "allowedAccountIds", "must be a list"),
    ("short id", {"allowedAccountIds": ["1234"]}, "allowedAccountIds", "element 0 is '1234'"),
    (
        "integer id",
        {"allowedAccountIds": [111122223333]},
        "allowedAccountIds",
        "quoted 12-digit strings",
    ),
    ("the other resource's property", {"accountIds": [A]}, "accountIds", "not a property of Inv"),
    ("unknown region", {"allowedAccountIds": [], "region": "xx-east-9"}, "region", "xx-east-9"),
]


@pytest.mark.parametrize(
    ("news", "prop", "reason"),
    [c[1:] for c in CHECK_FAILURES],
    ids=[c[0] for c in CHECK_FAILURES],
)
def test_check_names_the_property_and_value(
    aws_emulator: EmulatorControls, news: dict[str, Any], prop: str, reason: str
) -> None:
    failures = InvitationGuardProvider().check({}, {"region": REGION} | news).failures
    assert any(f.property == prop and reason in f.reason for f in failures), failures
    assert aws_emulator.calls() == []


def test_check_sorts_and_deduplicates_allowed_senders(aws_emulator: EmulatorControls) -> None:
    inputs = checked(InvitationGuardProvider(), allowedAccountIds=[B, A, B])
    assert inputs["allowedAccountIds"] == [A, B]


def test_the_guard_provider_pickles_by_reference_and_small() -> None:
    payload = base64.b64decode(serialize_provider(InvitationGuardProvider()))
    assert len(payload) < 512, len(payload)
    assert b"pulumi_macie_invitations.provider" in payload
    assert b"InvitationGuardProvider" in payload


REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "sa-east-1", "eu-central-1"]


def test_clean_inbox_works_many_regions_from_threads(inboxes: ServiceInboxes) -> None:
    for region in REGIONS:
        inboxes.invite(A, ADMIN, region=region)
    inboxes.invite(B, region=REGIONS[0])

    def clean(region: str) -> CleanupReport:
        inbox = Inbox(region, endpoint_url=inboxes.emulator.endpoint_url, service=inboxes.service)
        return clean_inbox(inbox, AllSendersBut((ADMIN,)))

    with ThreadPoolExecutor(max_workers=len(REGIONS)) as pool:
        reports = dict(zip(REGIONS, pool.map(clean, REGIONS), strict=True))

    assert reports[REGIONS[0]] == CleanupReport(declined=[A, B], deleted=[A, B], kept=[ADMIN])
    for region in REGIONS[1:]:
        assert reports[region] == CleanupReport(declined=[A], deleted=[A], kept=[ADMIN])
        assert inboxes.statuses(ME, region) == {ADMIN: "Invited"}


def test_clean_inbox_reports_a_credential_error_by_its_code(aws_emulator: EmulatorControls) -> None:
    invite(aws_emulator, A)
    aws_emulator.reject_credentials("ListInvitations", "UnrecognizedClientException")
    with pytest.raises(AwsCallError) as rejected:
        clean_inbox(Inbox(REGION, endpoint_url=aws_emulator.endpoint_url), AllSendersBut(()))
    assert rejected.value.code == "UnrecognizedClientException"
    assert rejected.value.operation == "ListInvitations"
    aws_emulator.clear_faults()
    assert statuses(aws_emulator) == {A: "Invited"}

"""create, update, read and delete against the emulator: each test runs twice, in this
process under moto.mock_aws() (as a user's unit tests would) and over HTTP (real boto3)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pulumi_macie_invitations import (
    AdministratorInvitationError,
    AwsCallError,
    CleanupIncompleteError,
    InvalidInputError,
)
from pulumi_macie_invitations.engine import inbox as engine
from pulumi_macie_invitations.engine.inbox import _LISTINGS
from pulumi_macie_invitations.providers.inbox import DeclinedInvitationsProvider
from pulumi_macie_invitations.services import SERVICES
from pulumi_macie_invitations.testing import EmulatorControls

from .helpers import (
    ME,
    MUTATING,
    REGION,
    A,
    B,
    C,
    ServiceInboxes,
    checked,
    operations,
    outs_of,
    statuses,
)


@pytest.fixture
def provider() -> DeclinedInvitationsProvider:
    return DeclinedInvitationsProvider()


def checked_for(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider, **news: Any
) -> dict[str, Any]:
    """The inputs check gives for ``news`` naming the service of ``inboxes``."""
    return checked(provider, service=inboxes.service.name, **news)


def test_create_declines_pending_deletes_all_and_leaves_others(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(A, B, C)
    inboxes.decline(B)  # already declined
    inboxes.emulator.clear_calls()

    result = provider.create(checked_for(inboxes, provider, accountIds=[A, B, "012345678901"]))

    assert outs_of(result)["declinedAccountIds"] == [A]
    assert outs_of(result)["deletedAccountIds"] == [A, B]
    assert outs_of(result)["absentAccountIds"] == ["012345678901"]
    assert outs_of(result)["reappearedAccountIds"] == []
    assert outs_of(result)["region"] == REGION
    assert outs_of(result)["service"] == inboxes.service.name
    assert inboxes.operations() == [
        "ListInvitations",
        "DeclineInvitations",
        "DeleteInvitations",
        "ListInvitations",
    ]
    sent = [c for c in inboxes.calls() if c["operation"] in MUTATING]
    assert all(set(c.get("account_ids") or []) <= {A, B} for c in sent)
    assert inboxes.statuses() == {C: "Invited"}


def test_nothing_to_do_makes_one_listing(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(C)
    inboxes.emulator.clear_calls()
    result = provider.create(checked_for(inboxes, provider, accountIds=[A]))
    assert outs_of(result)["absentAccountIds"] == [A]
    assert inboxes.operations() == ["ListInvitations"]


def test_many_pages_and_batches(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    senders = [f"{200000000000 + n}" for n in range(130)]
    inboxes.invite(*senders)
    listed = senders[:120]
    inboxes.emulator.clear_calls()

    result = provider.create(checked_for(inboxes, provider, accountIds=listed))

    assert outs_of(result)["deletedAccountIds"] == listed
    counts = {op: inboxes.operations().count(op) for op in set(inboxes.operations())}
    # 130 invitations: pages of the service's largest (Macie 6 of 25, the others 3 of 50);
    # 10 left to verify: 1 page; 120 senders: batches of 50
    pages = {"macie2": 6, "guardduty": 3, "securityhub": 3}[inboxes.service.name]
    assert counts == {"ListInvitations": pages + 1, "DeclineInvitations": 3, "DeleteInvitations": 3}
    batch_sizes = [len(c.get("account_ids") or []) for c in inboxes.calls("DeleteInvitations")]
    assert batch_sizes == [50, 50, 20]
    assert sorted(inboxes.statuses()) == senders[120:]


def test_the_current_administrator_is_refused_before_any_change(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(A, B)
    inboxes.accept(B)
    inboxes.emulator.clear_calls()
    with pytest.raises(AdministratorInvitationError, match=B) as refused:
        provider.create(checked_for(inboxes, provider, accountIds=[A, B]))
    assert f"`{inboxes.service.leave_member_command}`" in str(refused.value)
    assert f"current {inboxes.service.short_name} administrator" in str(refused.value)
    assert not MUTATING & set(inboxes.operations())
    assert inboxes.statuses() == {A: "Invited", B: "Enabled"}


def test_a_former_administrator_can_be_cleaned_after_disassociating(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    aws_emulator.send_invitations(B, [ME], REGION)
    aws_emulator.accept(ME, B, REGION)
    aws_emulator.macie2(ME, REGION).disassociate_from_administrator_account()
    provider.create(checked(provider, accountIds=[B]))
    assert statuses(aws_emulator) == {}


def test_unprocessed_accounts_fail_with_every_account_named(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(A, B, C)
    inboxes.fault("unprocessed", "DeleteInvitations", [A, C], times=5, error_code="ClientError")
    with pytest.raises(CleanupIncompleteError) as failed:
        provider.create(checked_for(inboxes, provider, accountIds=[A, B, C]))
    assert set(failed.value.reasons) == {A, C}
    assert "re-running `pulumi up` is safe" in str(failed.value)
    assert f"the {inboxes.service.short_name} invitations of 2 account(s)" in str(failed.value)
    assert set(inboxes.statuses()) == {A, C}


def test_internal_errors_are_sent_again(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    """Macie's InternalError, and the others' free-text reasons (no code to tell)."""
    inboxes.invite(A, B)
    inboxes.fault("unprocessed", "DeleteInvitations", [A], times=1, error_code="InternalError")
    result = provider.create(checked_for(inboxes, provider, accountIds=[A, B]))
    assert outs_of(result)["deletedAccountIds"] == [A, B]
    assert [c.get("account_ids") for c in inboxes.calls("DeleteInvitations")] == [[A, B], [A]]
    assert inboxes.statuses() == {}


def test_a_decline_unprocessed_is_deleted_all_the_same_unless_macie_says_internal(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    """A decline that stays unprocessed after its resubmits: Macie's InternalError leaves
    the invitation pending (no delete sent); a free-text reason can't say, so the others
    delete it all the same and the listing afterwards decides."""
    inboxes.invite(A, B)
    inboxes.fault("unprocessed", "DeclineInvitations", [A], times=5, error_code="InternalError")
    with pytest.raises(CleanupIncompleteError) as failed:
        provider.create(checked_for(inboxes, provider, accountIds=[A, B]))
    assert list(failed.value.reasons) == [A]
    assert failed.value.reasons[A].startswith("DeclineInvitations: ")
    deleted = [c.get("account_ids") for c in inboxes.calls("DeleteInvitations")]
    if inboxes.service.unprocessed.code is not None:
        assert deleted == [[B]]
    else:  # deleted all the same; refused (still pending), so sent again like any free text
        assert deleted == [[A, B], [A], [A]]
    assert inboxes.statuses() == {A: "Invited"}


def test_access_denied_names_the_missing_iam_action(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(A)
    inboxes.fault("deny", "DeleteInvitations")
    with pytest.raises(AwsCallError) as denied:
        provider.create(checked_for(inboxes, provider, accountIds=[A]))
    assert denied.value.code == "AccessDeniedException"
    assert f"{inboxes.service.iam_prefix}:DeleteInvitations" in str(denied.value)
    assert A in str(denied.value)


def test_values_unknown_at_preview_are_validated_before_any_call(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    with pytest.raises(InvalidInputError, match="accountIds: element 0 is '1234'"):
        provider.create({"accountIds": ["1234"], "region": REGION})
    assert aws_emulator.calls() == []


def test_update_cleans_the_new_set(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(A, B)
    olds = outs_of(provider.create(checked_for(inboxes, provider, accountIds=[A, "012345678901"])))
    news = checked_for(inboxes, provider, accountIds=[A, B, "012345678901"])
    result = provider.update("id", olds, news)
    # A, cleaned by the create, is still reported as deleted: nothing was undone.
    assert outs_of(result)["declinedAccountIds"] == [A, B]
    assert outs_of(result)["deletedAccountIds"] == [A, B]
    assert outs_of(result)["absentAccountIds"] == ["012345678901"]
    assert outs_of(result)["outcomes"] == {
        A: "declined and deleted",
        B: "declined and deleted",
        "012345678901": "no invitation",
    }
    assert inboxes.statuses() == {}
    fewer = provider.update("id", outs_of(result), checked_for(inboxes, provider, accountIds=[B]))
    assert outs_of(fewer)["deletedAccountIds"] == [B]
    assert outs_of(fewer)["absentAccountIds"] == []


def test_read_reports_invitations_that_came_back(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(A, B, C)
    created = provider.create(checked_for(inboxes, provider, accountIds=[A, B]))
    assert outs_of(provider.read(created.id, outs_of(created)))["reappearedAccountIds"] == []

    inboxes.invite(B)
    read = provider.read(created.id, outs_of(created))
    assert outs_of(read)["reappearedAccountIds"] == [B]
    assert outs_of(read)["invitationsToCleanAgain"] == {B: DeclinedInvitationsProvider.drift_reason}
    assert read.inputs is not None
    assert read.inputs["accountIds"] == [A, B]  # the program's own list, as it was
    assert read.inputs["service"] == inboxes.service.name
    assert read.inputs["__invitationsFoundByRefresh"] == {
        B: DeclinedInvitationsProvider.drift_reason
    }
    assert not MUTATING & set(inboxes.operations()[-1:])


def test_drift_goes_from_refresh_to_preview_to_update_and_away(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    """The engine's order: read, then check with the recorded inputs as olds, then diff
    with the recorded outputs, then update; then the next preview's check and diff."""
    for sender in (A, B):
        aws_emulator.send_invitations(sender, [ME], REGION)
    program = {"accountIds": [B, A], "region": REGION}
    created = provider.create(provider.check({}, program).inputs)
    aws_emulator.send_invitations(B, [ME], REGION)
    read = provider.read(created.id, outs_of(created))
    assert read.inputs is not None

    news = provider.check(read.inputs, program).inputs
    assert news["accountIds"] == [A, B]
    assert news["invitationsToCleanAgain"] == {B: DeclinedInvitationsProvider.drift_reason}
    assert "__invitationsFoundByRefresh" not in news
    assert provider.diff(created.id, outs_of(read), news).changes is True

    updated = outs_of(provider.update(created.id, outs_of(read), news))
    assert statuses(aws_emulator) == {}
    assert "invitationsToCleanAgain" not in updated
    assert updated["reappearedAccountIds"] == []
    assert updated["deletedAccountIds"] == [A, B]
    assert updated["absentAccountIds"] == []

    after = provider.check(news, program).inputs  # the recorded inputs are now `news`
    assert "invitationsToCleanAgain" not in after
    assert provider.diff(created.id, updated, after).changes is False


def test_drift_is_named_only_for_accounts_still_listed(
    provider: DeclinedInvitationsProvider,
) -> None:
    recorded = {
        "accountIds": [A, B],
        "region": REGION,
        "__invitationsFoundByRefresh": {A: "back", B: "back"},
    }
    news = provider.check(recorded, {"accountIds": [B, C], "region": REGION}).inputs
    assert news["invitationsToCleanAgain"] == {B: "back"}
    alone = provider.check(recorded, {"accountIds": [C], "region": REGION}).inputs
    assert "invitationsToCleanAgain" not in alone


def test_a_0_1_0_refresh_still_updates_and_heals(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    """0.1.0's read recorded the reappeared accounts in outputs and dropped them from the
    inputs; such a state still previews an update, and the update heals."""
    for sender in (A, B):
        aws_emulator.send_invitations(sender, [ME], REGION)
    created = outs_of(provider.create(checked(provider, accountIds=[A, B])))
    aws_emulator.send_invitations(B, [ME], REGION)
    outputs = created | {"reappearedAccountIds": [B]}
    inputs = {"accountIds": [A], "region": REGION}
    news = provider.check(inputs, {"accountIds": [A, B], "region": REGION}).inputs
    assert "invitationsToCleanAgain" not in news
    assert provider.diff("id", outputs, news).changes is True
    updated = outs_of(provider.update("id", outputs, news))
    assert updated["reappearedAccountIds"] == []
    assert statuses(aws_emulator) == {}
    assert provider.diff("id", updated, news).changes is False


def test_delete_makes_no_aws_call(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    aws_emulator.send_invitations(A, [ME], REGION)
    created = provider.create(checked(provider, accountIds=[A]))
    aws_emulator.clear_calls()
    provider.delete(created.id, outs_of(created))
    assert aws_emulator.calls() == []


def test_an_assumed_role_cleans_that_account(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    member = "999988887777"
    inboxes.invite(A, recipients=(member, ME))
    role = f"arn:aws:iam::{member}:role/macie-invitation-cleaner"
    inputs = checked_for(inboxes, provider, accountIds=[A], roleArn=role, externalId="ext-id-1")
    result = provider.create(inputs)
    assert outs_of(result)["roleArn"] == role
    assert inboxes.statuses(member) == {}
    assert inboxes.statuses(ME) == {A: "Invited"}
    assert {c["account_id"] for c in inboxes.calls("DeleteInvitations")} == {member}


def test_regions_are_separate(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    inboxes.invite(A)
    inboxes.invite(A, region="eu-west-1")
    provider.create(checked_for(inboxes, provider, accountIds=[A], region="eu-west-1"))
    assert inboxes.statuses(ME, "eu-west-1") == {}
    assert inboxes.statuses(ME, REGION) == {A: "Invited"}


def test_one_services_inbox_is_cleaned_the_others_untouched(
    inboxes: ServiceInboxes, provider: DeclinedInvitationsProvider
) -> None:
    """Each service has its own inbox: a resource of one service never touches another's."""
    others = [
        ServiceInboxes(inboxes.emulator, other)
        for other in SERVICES.values()
        if other is not inboxes.service
    ]
    for each in (inboxes, *others):
        each.invite(A)
    provider.create(checked_for(inboxes, provider, accountIds=[A]))
    assert inboxes.statuses() == {}
    assert [other.statuses() for other in others] == [{A: "Invited"}, {A: "Invited"}]
    assert not any(MUTATING & set(other.operations()) for other in others)


def test_concurrent_creates_on_one_account_each_clean_their_own(
    aws_emulator: EmulatorControls,
) -> None:
    """Pulumi runs several creates at once in one provider process; listings they share
    (see sweeps.py) must never hide one resource's invitations from another."""
    senders = [f"1000000000{index:02d}" for index in range(12)]
    for sender in senders:
        aws_emulator.send_invitations(sender, [ME], REGION)
    aws_emulator.clear_calls()
    provider = DeclinedInvitationsProvider()
    inputs = [checked(provider, accountIds=[sender], region=REGION) for sender in senders]

    with ThreadPoolExecutor(max_workers=4) as pool:  # as many as Pulumi's provider server
        results = list(pool.map(provider.create, inputs))

    assert [outs_of(r)["deletedAccountIds"] for r in results] == [[s] for s in senders]
    assert [outs_of(r)["declinedAccountIds"] for r in results] == [[s] for s in senders]
    assert statuses(aws_emulator) == {}


def test_concurrent_creates_on_one_account_share_listings(
    aws_emulator: EmulatorControls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first listing is held until the three other creates wait for the next sweep: they
    share it, so four creates list fewer than twice each."""
    senders = [f"1000000000{index:02d}" for index in range(4)]
    for sender in senders:
        aws_emulator.send_invitations(sender, [ME], REGION)
    provider = DeclinedInvitationsProvider()
    inputs = [checked(provider, accountIds=[sender], region=REGION) for sender in senders]
    key = provider.inbox(inputs[0])
    list_received, held = engine.list_received, threading.Event()

    def first_held(client: Any, where: str, service: Any) -> dict[str, str]:
        if not held.is_set():
            held.set()
            deadline = time.monotonic() + 10
            while _LISTINGS.waiting(key) < len(senders) - 1 and time.monotonic() < deadline:
                time.sleep(0.01)
        return list_received(client, where, service)

    monkeypatch.setattr(engine, "list_received", first_held)
    aws_emulator.clear_calls()
    with ThreadPoolExecutor(max_workers=len(senders)) as pool:
        results = list(pool.map(provider.create, inputs))

    assert [outs_of(r)["deletedAccountIds"] for r in results] == [[s] for s in senders]
    assert statuses(aws_emulator) == {}
    assert operations(aws_emulator).count("ListInvitations") < 2 * len(senders)

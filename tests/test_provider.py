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
from pulumi_macie_invitations.testing import EmulatorControls

from .helpers import ME, MUTATING, REGION, A, B, C, checked, operations, outs_of, statuses


@pytest.fixture
def provider() -> DeclinedInvitationsProvider:
    return DeclinedInvitationsProvider()


def test_create_declines_pending_deletes_all_and_leaves_others(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B, C):
        aws_emulator.send_invitations(sender, [ME], REGION)
    aws_emulator.macie2(ME, REGION).decline_invitations(accountIds=[B])  # already declined
    aws_emulator.clear_calls()

    result = provider.create(checked(provider, accountIds=[A, B, "012345678901"]))

    assert outs_of(result)["declinedAccountIds"] == [A]
    assert outs_of(result)["deletedAccountIds"] == [A, B]
    assert outs_of(result)["absentAccountIds"] == ["012345678901"]
    assert outs_of(result)["reappearedAccountIds"] == []
    assert outs_of(result)["region"] == REGION
    assert operations(aws_emulator) == [
        "ListInvitations",
        "DeclineInvitations",
        "DeleteInvitations",
        "ListInvitations",
    ]
    sent = [c for c in aws_emulator.calls() if c["operation"] in MUTATING]
    assert all(set(c.get("account_ids") or []) <= {A, B} for c in sent)
    assert statuses(aws_emulator) == {C: "Invited"}


def test_nothing_to_do_makes_one_listing(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    aws_emulator.send_invitations(C, [ME], REGION)
    aws_emulator.clear_calls()
    result = provider.create(checked(provider, accountIds=[A]))
    assert outs_of(result)["absentAccountIds"] == [A]
    assert operations(aws_emulator) == ["ListInvitations"]


def test_many_pages_and_batches(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    senders = [f"{200000000000 + n}" for n in range(130)]
    for start in range(0, len(senders), 50):
        for sender in senders[start : start + 50]:
            aws_emulator.send_invitations(sender, [ME], REGION)
    listed = senders[:120]
    aws_emulator.clear_calls()

    result = provider.create(checked(provider, accountIds=listed))

    assert outs_of(result)["deletedAccountIds"] == listed
    counts = {op: operations(aws_emulator).count(op) for op in set(operations(aws_emulator))}
    # 130 invitations: 6 pages of 25; 10 left to verify: 1 page
    assert counts == {"ListInvitations": 6 + 1, "DeclineInvitations": 3, "DeleteInvitations": 3}
    batch_sizes = [len(c.get("account_ids") or []) for c in aws_emulator.calls("DeleteInvitations")]
    assert batch_sizes == [50, 50, 20]
    assert sorted(statuses(aws_emulator)) == senders[120:]


def test_the_current_administrator_is_refused_before_any_change(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B):
        aws_emulator.send_invitations(sender, [ME], REGION)
    aws_emulator.accept(ME, B, REGION)
    aws_emulator.clear_calls()
    with pytest.raises(AdministratorInvitationError, match=B) as refused:
        provider.create(checked(provider, accountIds=[A, B]))
    assert "disassociate-from-administrator-account" in str(refused.value)
    assert not MUTATING & set(operations(aws_emulator))
    assert statuses(aws_emulator) == {A: "Invited", B: "Enabled"}


def test_a_former_administrator_can_be_cleaned_after_disassociating(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    aws_emulator.send_invitations(B, [ME], REGION)
    aws_emulator.accept(ME, B, REGION)
    aws_emulator.macie2(ME, REGION).disassociate_from_administrator_account()
    provider.create(checked(provider, accountIds=[B]))
    assert statuses(aws_emulator) == {}


def test_unprocessed_accounts_fail_with_every_account_named(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B, C):
        aws_emulator.send_invitations(sender, [ME], REGION)
    aws_emulator.unprocessed("DeleteInvitations", [A, C], times=5, error_code="ClientError")
    with pytest.raises(CleanupIncompleteError) as failed:
        provider.create(checked(provider, accountIds=[A, B, C]))
    assert set(failed.value.reasons) == {A, C}
    assert "re-running `pulumi up` is safe" in str(failed.value)
    assert set(statuses(aws_emulator)) == {A, C}


def test_internal_errors_are_sent_again(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B):
        aws_emulator.send_invitations(sender, [ME], REGION)
    aws_emulator.unprocessed("DeleteInvitations", [A], times=1, error_code="InternalError")
    result = provider.create(checked(provider, accountIds=[A, B]))
    assert outs_of(result)["deletedAccountIds"] == [A, B]
    assert [c.get("account_ids") for c in aws_emulator.calls("DeleteInvitations")] == [[A, B], [A]]
    assert statuses(aws_emulator) == {}


def test_access_denied_names_the_missing_iam_action(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    aws_emulator.send_invitations(A, [ME], REGION)
    aws_emulator.deny("DeleteInvitations")
    with pytest.raises(AwsCallError) as denied:
        provider.create(checked(provider, accountIds=[A]))
    assert denied.value.code == "AccessDeniedException"
    assert "macie2:DeleteInvitations" in str(denied.value)
    assert A in str(denied.value)


def test_values_unknown_at_preview_are_validated_before_any_call(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    with pytest.raises(InvalidInputError, match="accountIds: element 0 is '1234'"):
        provider.create({"accountIds": ["1234"], "region": REGION})
    assert aws_emulator.calls() == []


def test_update_cleans_the_new_set(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B):
        aws_emulator.send_invitations(sender, [ME], REGION)
    olds = outs_of(provider.create(checked(provider, accountIds=[A, "012345678901"])))
    result = provider.update("id", olds, checked(provider, accountIds=[A, B, "012345678901"]))
    # A, cleaned by the create, is still reported as deleted: nothing was undone.
    assert outs_of(result)["declinedAccountIds"] == [A, B]
    assert outs_of(result)["deletedAccountIds"] == [A, B]
    assert outs_of(result)["absentAccountIds"] == ["012345678901"]
    assert outs_of(result)["outcomes"] == {
        A: "declined and deleted",
        B: "declined and deleted",
        "012345678901": "no invitation",
    }
    assert statuses(aws_emulator) == {}
    fewer = provider.update("id", outs_of(result), checked(provider, accountIds=[B]))
    assert outs_of(fewer)["deletedAccountIds"] == [B]
    assert outs_of(fewer)["absentAccountIds"] == []


def test_read_reports_invitations_that_came_back(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B, C):
        aws_emulator.send_invitations(sender, [ME], REGION)
    created = provider.create(checked(provider, accountIds=[A, B]))
    assert outs_of(provider.read(created.id, outs_of(created)))["reappearedAccountIds"] == []

    aws_emulator.send_invitations(B, [ME], REGION)
    read = provider.read(created.id, outs_of(created))
    assert outs_of(read)["reappearedAccountIds"] == [B]
    assert outs_of(read)["invitationsToCleanAgain"] == {B: DeclinedInvitationsProvider.drift_reason}
    assert read.inputs is not None
    assert read.inputs["accountIds"] == [A, B]  # the program's own list, as it was
    assert read.inputs["__invitationsFoundByRefresh"] == {
        B: DeclinedInvitationsProvider.drift_reason
    }
    assert not MUTATING & set(operations(aws_emulator)[-1:])


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
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    member = "999988887777"
    aws_emulator.send_invitations(A, [member, ME], REGION)
    role = f"arn:aws:iam::{member}:role/macie-invitation-cleaner"
    result = provider.create(checked(provider, accountIds=[A], roleArn=role, externalId="ext-id-1"))
    assert outs_of(result)["roleArn"] == role
    assert statuses(aws_emulator, member) == {}
    assert statuses(aws_emulator, ME) == {A: "Invited"}
    assert {c["account_id"] for c in aws_emulator.calls("DeleteInvitations")} == {member}


def test_regions_are_separate(
    aws_emulator: EmulatorControls, provider: DeclinedInvitationsProvider
) -> None:
    aws_emulator.send_invitations(A, [ME], REGION)
    aws_emulator.send_invitations(A, [ME], "eu-west-1")
    provider.create(checked(provider, accountIds=[A], region="eu-west-1"))
    assert statuses(aws_emulator, ME, "eu-west-1") == {}
    assert statuses(aws_emulator, ME, REGION) == {A: "Invited"}


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

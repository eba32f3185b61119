"""The resource through the real Pulumi CLI and engine: preview, up, refresh, destroy."""

from __future__ import annotations

import pytest
from pulumi import automation as auto

from ..cli import StackHarness
from ..helpers import ME, REGION

STALE = ["111122223333", "444455556666"]
BYSTANDER = "777788889999"  # sent an invitation but is not listed: must be left alone
ADMIN = "210987654321"  # this account's accepted administrator


def invite(harness: StackHarness, *senders: str) -> None:
    for sender in senders:
        harness.emulator.send_invitations(sender, [ME], REGION)


def test_preview_plans_a_create_and_changes_nothing(pulumi_stack: StackHarness) -> None:
    invite(pulumi_stack, *STALE)
    pulumi_stack.set_accounts(STALE)
    preview = pulumi_stack.stack.preview(diff=True)
    assert preview.change_summary == {auto.OpType.CREATE: 2}  # the stack and the resource
    assert "accountIds" in preview.stdout
    assert STALE[0] in preview.stdout
    assert pulumi_stack.mutating_calls() == []
    assert set(pulumi_stack.received()) == set(STALE)


def test_up_cleans_listed_accounts_only_and_converges(pulumi_stack: StackHarness) -> None:
    invite(pulumi_stack, *STALE, BYSTANDER, ADMIN)
    pulumi_stack.emulator.accept(ME, ADMIN, REGION)
    pulumi_stack.set_accounts(STALE)
    up = pulumi_stack.stack.up()
    assert up.outputs["deletedAccountIds"].value == STALE
    assert up.outputs["declinedAccountIds"].value == STALE
    assert pulumi_stack.received() == {BYSTANDER: "Invited", ADMIN: "Enabled"}
    again = pulumi_stack.stack.preview()
    assert again.change_summary == {auto.OpType.SAME: 2}


def test_adding_an_account_previews_an_update_naming_it(pulumi_stack: StackHarness) -> None:
    invite(pulumi_stack, *STALE, BYSTANDER)
    pulumi_stack.set_accounts(STALE)
    pulumi_stack.stack.up()
    pulumi_stack.set_accounts([*STALE, BYSTANDER])
    preview = pulumi_stack.stack.preview(diff=True)
    assert preview.change_summary.get(auto.OpType.UPDATE) == 1
    assert BYSTANDER in preview.stdout
    up = pulumi_stack.stack.up()
    assert up.outputs["deletedAccountIds"].value == [*STALE, BYSTANDER]  # what it has done
    assert pulumi_stack.received() == {}


def test_refresh_notices_an_invitation_that_came_back(pulumi_stack: StackHarness) -> None:
    invite(pulumi_stack, *STALE)
    pulumi_stack.set_accounts(STALE)
    pulumi_stack.stack.up()
    invite(pulumi_stack, STALE[1])
    pulumi_stack.stack.refresh()
    state = pulumi_stack.resource_state()
    assert state["outputs"]["reappearedAccountIds"] == [STALE[1]]
    assert list(state["outputs"]["invitationsToCleanAgain"]) == [STALE[1]]
    assert state["inputs"]["accountIds"] == STALE  # the program's own list, as it was
    preview = pulumi_stack.stack.preview(diff=True)
    assert preview.change_summary.get(auto.OpType.UPDATE) == 1
    assert STALE[1] in preview.stdout
    up = pulumi_stack.stack.up(refresh=True)
    assert up.outputs["deletedAccountIds"].value == STALE  # nothing reads as undone
    assert pulumi_stack.received() == {}
    assert "invitationsToCleanAgain" not in pulumi_stack.resource_state()["outputs"]
    assert pulumi_stack.stack.preview().change_summary == {auto.OpType.SAME: 2}


def test_throttling_and_a_server_error_are_survived(pulumi_stack: StackHarness) -> None:
    invite(pulumi_stack, *STALE)
    pulumi_stack.set_accounts(STALE)
    pulumi_stack.emulator.throttle("ListInvitations", times=3)
    pulumi_stack.emulator.throttle("DeleteInvitations", times=3)
    pulumi_stack.emulator.fail("DeclineInvitations", times=1, status=500)
    pulumi_stack.stack.up()
    assert pulumi_stack.received() == {}
    operations = [c["operation"] for c in pulumi_stack.emulator.calls()]
    assert operations.count("DeleteInvitations") == 4  # three 429s, then success


def test_listing_the_administrator_fails_and_changes_nothing(pulumi_stack: StackHarness) -> None:
    invite(pulumi_stack, STALE[0], ADMIN)
    pulumi_stack.emulator.accept(ME, ADMIN, REGION)
    pulumi_stack.set_accounts([STALE[0], ADMIN])
    pulumi_stack.emulator.clear_calls()
    with pytest.raises(auto.CommandError) as failure:
        pulumi_stack.stack.up()
    assert ADMIN in str(failure.value)
    assert "current Macie administrator" in str(failure.value)
    assert "disassociate-from-administrator-account" in str(failure.value)
    assert pulumi_stack.mutating_calls() == []
    assert pulumi_stack.received() == {STALE[0]: "Invited", ADMIN: "Enabled"}


def test_invalid_account_id_fails_preview_without_aws_call(pulumi_stack: StackHarness) -> None:
    pulumi_stack.set_accounts(["11112222333"])
    with pytest.raises(auto.CommandError) as failure:
        pulumi_stack.stack.preview()
    assert "accountIds" in str(failure.value)
    assert "11112222333" in str(failure.value)
    assert pulumi_stack.emulator.calls(service=None) == []


def test_120_accounts_are_cleaned_in_one_up(pulumi_stack: StackHarness) -> None:
    senders = [f"{100000000000 + n}" for n in range(120)]
    invite(pulumi_stack, *senders)
    pulumi_stack.set_accounts(senders)
    up = pulumi_stack.stack.up()
    assert up.outputs["deletedAccountIds"].value == senders
    operations = [c["operation"] for c in pulumi_stack.emulator.calls()]
    assert operations.count("DeclineInvitations") == 3  # 50 + 50 + 20
    assert operations.count("DeleteInvitations") == 3
    assert operations.count("ListInvitations") == 5 + 1  # 120 / 25 pages, then one to verify
    assert pulumi_stack.received() == {}


def test_destroy_makes_no_mutating_call(pulumi_stack: StackHarness) -> None:
    invite(pulumi_stack, *STALE)
    pulumi_stack.set_accounts(STALE)
    pulumi_stack.stack.up()
    pulumi_stack.emulator.clear_calls()
    invite(pulumi_stack, STALE[0])
    pulumi_stack.stack.destroy()
    assert pulumi_stack.mutating_calls() == []
    assert pulumi_stack.received() == {STALE[0]: "Invited"}

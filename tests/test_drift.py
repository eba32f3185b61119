"""Drift (providers/drift.py): one mechanism for every provider, reading what earlier
releases recorded."""

from __future__ import annotations

from pulumi_macie_invitations.engine.selection import AllSendersBut
from pulumi_macie_invitations.providers import drift

A, B, ADMIN = "111122223333", "444455556666", "210987654321"


def test_the_why_names_the_inboxes_where_a_sender_was_found() -> None:
    found = drift.in_inboxes({"us-east-1": [A], "eu-west-1": [A, B]}, drift.NOT_ALLOWED)
    assert found == {
        A: "not allowed, and it sent an invitation (found in eu-west-1, us-east-1)",
        B: "not allowed, and it sent an invitation (found in eu-west-1)",
    }


def test_a_0_2_0_members_stray_invitations_are_read_as_drift() -> None:
    recorded = drift.recorded({"strayInvitations": {"eu-west-1": [A]}})
    assert recorded == {A: "not allowed, and it sent an invitation (found in eu-west-1)"}
    assert drift.recorded({"strayInvitations": {}}) == {}
    assert drift.recorded({}) == {}


def test_check_carries_the_recorded_drift_still_to_clean() -> None:
    olds = {"__invitationsFoundByRefresh": {A: "why a", ADMIN: "why admin"}}
    carried = drift.carried(olds, {"allowedAccountIds": [ADMIN]}, AllSendersBut((ADMIN,)).to_clean)
    assert carried["invitationsToCleanAgain"] == {A: "why a"}
    legacy = {"strayInvitations": {"us-east-1": [A]}}
    carried = drift.carried(legacy, {"allowedAccountIds": []}, AllSendersBut(()).to_clean)
    assert list(carried["invitationsToCleanAgain"]) == [A]


def test_diff_sees_drift_wherever_it_was_recorded() -> None:
    assert drift.found({"invitationsToCleanAgain": {A: "why"}}, "reappearedAccountIds")
    assert drift.found({"reappearedAccountIds": [A]}, "reappearedAccountIds")  # 0.1.0
    assert drift.found({"strayInvitations": {"us-east-1": [A]}}, "strayInvitations")  # 0.2.0
    assert not drift.found({"strayInvitations": {}, "reappearedAccountIds": []}, "strayInvitations")

"""Which senders a cleanup chooses: the listed ones, or every one but the allowed. Pure."""

from __future__ import annotations

import pytest
from pulumi_macie_invitations.engine.outcomes import CleanupReport
from pulumi_macie_invitations.engine.selection import AllSendersBut, ListedSenders, Selection
from pulumi_macie_invitations.errors import AdministratorInvitationError
from pulumi_macie_invitations.services.macie2 import MACIE2

ADMIN, A, B, C = "210987654321", "111122223333", "444455556666", "777788889999"
RECEIVED = {B: "Invited", ADMIN: "Enabled", A: "Resigned"}


def test_listed_senders_chooses_the_listed_ones_that_have_an_invitation() -> None:
    listed = ListedSenders((C, A, B))
    assert listed.to_clean(RECEIVED) == [A, B]
    assert listed.report(RECEIVED) == CleanupReport(absent=[C])


def test_all_senders_but_chooses_every_other_sender_whatever_its_status() -> None:
    guard = AllSendersBut((ADMIN, C))
    assert guard.to_clean(RECEIVED) == [A, B]
    assert guard.report(RECEIVED) == CleanupReport(kept=[ADMIN])


def test_allowing_none_chooses_every_sender() -> None:
    assert AllSendersBut(()).to_clean(RECEIVED) == sorted(RECEIVED)
    assert AllSendersBut(()).report(RECEIVED) == CleanupReport()


def test_an_empty_inbox_chooses_nothing() -> None:
    assert ListedSenders((A,)).to_clean({}) == []
    assert AllSendersBut((ADMIN,)).to_clean({}) == []
    assert AllSendersBut((ADMIN,)).report({}) == CleanupReport()


@pytest.mark.parametrize(
    ("selection", "hint"),
    [
        (ListedSenders((ADMIN,)), f"or remove {ADMIN} from accountIds."),
        (AllSendersBut(()), f"or add {ADMIN} to allowedAccountIds to keep it."),
    ],
    ids=["listed", "all-but"],
)
def test_the_administrator_refusal_says_how_to_keep_it(selection: Selection, hint: str) -> None:
    error = AdministratorInvitationError(
        [ADMIN], "region us-east-1", service=MACIE2, keep_hint=selection.keep_hint(ADMIN)
    )
    assert hint in str(error)
    assert "disassociate-from-administrator-account" in str(error)

"""Errors (errors.py): messages built from what callers hand in (the service description),
and lifecycle methods without our frames."""

from __future__ import annotations

import traceback

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_macie_invitations import MemberFailedError
from pulumi_macie_invitations.errors import (
    AdministratorInvitationError,
    CleanupIncompleteError,
    InvalidInputError,
    iam_action,
)
from pulumi_macie_invitations.providers.member import MemberGuardProvider
from pulumi_macie_invitations.services.macie2 import MACIE2


def test_messages_take_the_services_words_from_its_description() -> None:
    refused = str(
        AdministratorInvitationError(["210987654321"], "here", service=MACIE2, keep_hint="x")
    )
    assert "accepted Macie invitation" in refused
    assert f"`{MACIE2.leave_member_command}`" in refused
    assert f"`{MACIE2.leave_administrator_command}`" in refused
    incomplete = str(CleanupIncompleteError({"210987654321": "why"}, "here", service=MACIE2))
    assert incomplete.startswith("could not clean the Macie invitations of 1 account(s) in here")
    assert iam_action("DeleteInvitations", MACIE2.iam_prefix) == "macie2:DeleteInvitations"
    assert iam_action("sts:AssumeRole", MACIE2.iam_prefix) == "sts:AssumeRole"


def test_a_member_failure_names_the_account_and_every_region() -> None:
    message = str(MemberFailedError("222222222222", {"region b": "y", "region a": "x"}, ["c"]))
    assert message.splitlines()[:3] == [
        "member account 222222222222: 2 failure(s):",
        "  - region a: x",
        "  - region b: y",
    ]


def test_the_member_provider_leaves_its_errors_without_our_frames(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    provider = MemberGuardProvider()
    provider.configure(ConfigureRequest(Config({}, "proj")))
    news = {"ownAccount": True, "regions": ["us-east-1"], "allowedAccountIds": []}
    with pytest.raises(InvalidInputError) as refused:
        provider.create(news)
    frames = traceback.extract_tb(refused.value.__traceback__)
    assert [frame.filename for frame in frames] == [__file__]
    assert "no region to call STS in" in str(refused.value)

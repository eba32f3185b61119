"""diff: local comparison of recorded outputs with checked inputs, table-driven."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_macie_invitations.provider import DeclinedInvitationsProvider
from pulumi_macie_invitations.validation import UNKNOWN

A, B = "111122223333", "444455556666"
OLD: dict[str, Any] = {
    "accountIds": [A, B],
    "region": "us-east-1",
    "declinedAccountIds": [A],
    "deletedAccountIds": [A],
    "absentAccountIds": [B],
    "reappearedAccountIds": [],
}
NEW: dict[str, Any] = {"accountIds": [A, B], "region": "us-east-1"}

CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool, list[str]]] = [
    ("no change", {}, {}, False, []),
    ("order does not matter", {}, {"accountIds": [B, A]}, False, []),
    ("account added", {}, {"accountIds": [A, B, "012345678901"]}, True, []),
    ("account removed", {}, {"accountIds": [A]}, True, []),
    ("region replaces", {}, {"region": "eu-west-1"}, True, ["region"]),
    ("endpoint replaces", {}, {"endpointUrl": "http://127.0.0.1:1"}, True, ["endpointUrl"]),
    ("profile replaces", {}, {"profile": "other"}, True, ["profile"]),
    ("role replaces", {}, {"roleArn": "arn:aws:iam::999988887777:role/r"}, True, ["roleArn"]),
    ("service replaces", {}, {"service": "guardduty"}, True, ["service"]),
    (
        "another service replaces",
        {"service": "guardduty"},
        {"service": "securityhub"},
        True,
        ["service"],
    ),
    (
        "back to the default service replaces",
        {"service": "guardduty"},
        {},
        True,
        ["service"],
    ),
    (
        "state before the service input, Macie named: no change",
        {},
        {"service": "macie2"},
        False,
        [],
    ),
    ("Macie named, then left out: no change", {"service": "macie2"}, {}, False, []),
    ("unknown service at preview replaces", {}, {"service": UNKNOWN}, True, ["service"]),
    (
        "session name updates",
        {"roleArn": "arn:aws:iam::999988887777:role/r"},
        {"roleArn": "arn:aws:iam::999988887777:role/r", "sessionName": "x1"},
        True,
        [],
    ),
    ("drift found by refresh updates", {"invitationsToCleanAgain": {B: "back"}}, {}, True, []),
    ("drift found by a 0.1.0 refresh updates", {"reappearedAccountIds": [B]}, {}, True, []),
    (
        "drift named in the new inputs alone does not",
        {},
        {"invitationsToCleanAgain": {B: "x"}},
        False,
        [],
    ),
    ("unknown accounts at preview update", {}, {"accountIds": [UNKNOWN]}, True, []),
    ("unknown region at preview replaces", {}, {"region": UNKNOWN}, True, ["region"]),
    ("accounts made secret update", {}, {"secretInputs": ["accountIds"]}, True, []),
    (
        "accounts made plain again update",
        {"secretInputs": ["accountIds"]},
        {"secretInputs": []},
        True,
        [],
    ),
    (
        "still secret: no change",
        {"secretInputs": ["accountIds"]},
        {"secretInputs": ["accountIds"]},
        False,
        [],
    ),
    (
        "state of 0.1.0 (no secretInputs), plain inputs: no change",
        {},
        {"secretInputs": []},
        False,
        [],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "changes", "replaces"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_diff(old: dict[str, Any], new: dict[str, Any], changes: bool, replaces: list[str]) -> None:
    result = DeclinedInvitationsProvider().diff("id", OLD | old, NEW | new)
    assert result.changes is changes
    assert result.replaces == replaces
    assert result.delete_before_replace is False

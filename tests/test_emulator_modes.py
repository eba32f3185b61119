"""The emulator's decline modes: each plausible reading of what a declined invitation looks
like afterwards, in-process and over HTTP (see the `emulator` and `decline_mode` fixtures)."""

from __future__ import annotations

import pytest
from botocore.config import Config
from pulumi_macie_invitations import testing

RECIPIENT = "222222222222"
SENDER = "111111111111"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


def unprocessed(reply: object) -> list[tuple[str, str, str]]:
    entries = reply["unprocessedAccounts"]  # type: ignore[index]
    return [(e["accountId"], e["errorCode"], e["errorMessage"]) for e in entries]


LISTED_AFTER_DECLINE = {
    "stays-listed": {SENDER: testing.DECLINED_STATUS},
    "leaves-listing": {},
    "not-pending": {SENDER: testing.DECLINED_STATUS},
}
"""What ListInvitations shows once the invitation is declined."""
SECOND_DECLINE = {
    "stays-listed": None,
    "leaves-listing": "doesn't exist",
    "not-pending": "isn't pending",
}
"""What declining it again answers: nothing unprocessed, or a ClientError saying this."""
DELETE = {"stays-listed": None, "leaves-listing": "doesn't exist", "not-pending": None}
"""What deleting it then answers."""


def assert_answer(entries: list[tuple[str, str, str]], expected: str | None) -> None:
    if expected is None:
        assert entries == []
        return
    [(account, code, message)] = entries
    assert (account, code) == (SENDER, "ClientError")
    assert expected in message


def test_each_decline_mode(emulator: testing.EmulatorControls, decline_mode: str) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    client = emulator.macie2(RECIPIENT, config=NO_RETRIES)
    assert emulator.decline_mode() == decline_mode

    assert unprocessed(client.decline_invitations(accountIds=[SENDER])) == []
    listed = {i["accountId"]: i["relationshipStatus"] for i in emulator.listed(RECIPIENT)}
    assert listed == LISTED_AFTER_DECLINE[decline_mode]
    assert client.get_invitations_count()["invitationsCount"] == 0

    assert_answer(
        unprocessed(client.decline_invitations(accountIds=[SENDER])), SECOND_DECLINE[decline_mode]
    )
    assert_answer(unprocessed(client.delete_invitations(accountIds=[SENDER])), DELETE[decline_mode])
    assert emulator.listed(RECIPIENT) == []


def test_reset_restores_the_default_mode(macie_emulator: testing.EmulatorClient) -> None:
    macie_emulator.set_decline_mode("leaves-listing")
    assert macie_emulator.decline_mode() == "leaves-listing"
    macie_emulator.reset()
    assert macie_emulator.decline_mode() == testing.DEFAULT_DECLINE_MODE == "stays-listed"


def test_an_unknown_mode_is_refused(emulator: testing.EmulatorControls) -> None:
    with pytest.raises((ValueError, testing.client.EmulatorControlError), match="stays-listed"):
        emulator.set_decline_mode("vanishes")
    assert emulator.decline_mode() == testing.DEFAULT_DECLINE_MODE

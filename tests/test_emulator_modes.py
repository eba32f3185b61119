"""The emulator's decline modes: each plausible reading of what a declined invitation looks
like afterwards (and, where the reference doesn't say, whether delete needs a decline
first), per service, in-process and over HTTP (see the `emulator` fixture)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.config import Config
from pulumi_macie_invitations import testing

from .emulator_api import Api, Entry

RECIPIENT = "222222222222"
SENDER = "111111111111"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})
MODES = [
    (name, mode) for name in testing.SERVICES for mode in testing.emulated(name).facts.decline_modes
]


LISTED_AFTER_DECLINE = {
    "stays-listed": {SENDER: testing.DECLINED_STATUS},
    "leaves-listing": {},
    "not-pending": {SENDER: testing.DECLINED_STATUS},
    "deletes-pending": {SENDER: testing.DECLINED_STATUS},
}
"""What ListInvitations shows once the invitation is declined."""
SECOND_DECLINE = {
    "stays-listed": None,
    "leaves-listing": "doesn't exist",
    "not-pending": "isn't pending",
    "deletes-pending": None,
}
"""What declining it again answers: nothing unprocessed, or a ClientError saying this."""
DELETE = {
    "stays-listed": None,
    "leaves-listing": "doesn't exist",
    "not-pending": None,
    "deletes-pending": None,
}
"""What deleting it then answers."""
DELETE_PENDING = {
    "stays-listed": "Decline it first",
    "leaves-listing": "Decline it first",
    "not-pending": "Decline it first",
    "deletes-pending": None,
}
"""What deleting a pending invitation, never declined, answers."""


@pytest.fixture(autouse=True)
def _default_modes_afterwards() -> Iterator[None]:
    """Every service back in its default mode after each test (the in-process emulator
    isn't reset by moto)."""
    yield
    for name in testing.SERVICES:
        testing.set_decline_mode(testing.DEFAULT_DECLINE_MODE, name)


def assert_answer(api: Api, entries: list[Entry], expected: str | None) -> None:
    if expected is None:
        assert entries == []
        return
    [entry] = entries
    assert (entry.account_id, entry.code) == (
        SENDER,
        "ClientError" if api.name == "macie2" else None,
    )
    assert expected in entry.message


def test_the_modes_each_service_is_offered() -> None:
    documented = ("stays-listed", "leaves-listing", "not-pending")
    assert documented == testing.DECLINE_MODES
    assert {name: testing.emulated(name).facts.decline_modes for name in testing.SERVICES} == {
        "macie2": documented,
        "guardduty": (*documented, "deletes-pending"),
        "securityhub": (*documented, "deletes-pending"),
    }


@pytest.mark.parametrize(("service", "mode"), MODES)
def test_each_decline_mode(emulator: testing.EmulatorControls, service: str, mode: str) -> None:
    api = Api(service)
    emulator.set_decline_mode(mode, service=service)
    emulator.send_invitations(SENDER, [RECIPIENT], service=service)
    client = api.client(emulator, RECIPIENT, config=NO_RETRIES)
    assert emulator.decline_mode(service=service) == mode
    others = [name for name in testing.SERVICES if name != service]
    assert {emulator.decline_mode(service=name) for name in others} == {"stays-listed"}

    assert api.decline(client, [SENDER]) == []
    listed = api.statuses(emulator.listed(RECIPIENT, service=service))
    assert listed == LISTED_AFTER_DECLINE[mode]
    assert api.pending_count(client) == 0

    assert_answer(api, api.decline(client, [SENDER]), SECOND_DECLINE[mode])
    assert_answer(api, api.delete(client, [SENDER]), DELETE[mode])
    assert emulator.listed(RECIPIENT, service=service) == []


@pytest.mark.parametrize(("service", "mode"), MODES)
def test_deleting_a_pending_invitation_in_each_mode(
    emulator: testing.EmulatorControls, service: str, mode: str
) -> None:
    api = Api(service)
    emulator.set_decline_mode(mode, service=service)
    emulator.send_invitations(SENDER, [RECIPIENT], service=service)
    emulator.send_invitations("333333333333", [RECIPIENT], service=service)
    emulator.accept(RECIPIENT, "333333333333", service=service)
    client = api.client(emulator, RECIPIENT, config=NO_RETRIES)

    assert_answer(api, api.delete(client, [SENDER]), DELETE_PENDING[mode])
    [accepted] = api.delete(client, ["333333333333"])  # the administrator's: never deleted

    assert "administrator" in accepted.message
    left = api.statuses(emulator.listed(RECIPIENT, service=service))
    assert left == (
        {"333333333333": "Enabled"}
        if mode == "deletes-pending"
        else {SENDER: "Invited", "333333333333": "Enabled"}
    )


def test_each_decline_mode_of_the_fixture(
    emulator: testing.EmulatorControls, decline_mode: str
) -> None:
    """The conftest's `decline_mode` fixture sets Macie's mode only."""
    assert emulator.decline_mode() == decline_mode
    assert emulator.decline_mode(service="guardduty") == testing.DEFAULT_DECLINE_MODE


def test_reset_restores_the_default_mode(macie_emulator: testing.EmulatorClient) -> None:
    macie_emulator.set_decline_mode("leaves-listing")
    macie_emulator.set_decline_mode("deletes-pending", service="securityhub")
    assert macie_emulator.decline_mode() == "leaves-listing"
    macie_emulator.reset()
    assert macie_emulator.decline_mode() == testing.DEFAULT_DECLINE_MODE == "stays-listed"
    assert macie_emulator.decline_mode(service="securityhub") == "stays-listed"


def test_an_unknown_mode_is_refused(emulator: testing.EmulatorControls) -> None:
    with pytest.raises((ValueError, testing.client.EmulatorControlError), match="stays-listed"):
        emulator.set_decline_mode("vanishes")
    with pytest.raises((ValueError, testing.client.EmulatorControlError), match="not-pending"):
        emulator.set_decline_mode("deletes-pending")  # not one of Macie's readings
    with pytest.raises((ValueError, testing.client.EmulatorControlError), match="service"):
        emulator.set_decline_mode("stays-listed", service="detective")
    assert emulator.decline_mode() == testing.DEFAULT_DECLINE_MODE

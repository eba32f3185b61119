"""Overlapping and retried cleanups of one inbox converge: the listing after the changes
decides (engine.inbox.clean, the machinery every resource shares). Each test runs in-process
and over HTTP (the `emulator` fixture), in each of the emulator's decline modes (the
`decline_mode` fixture); the CLI side is tests/e2e/test_overlap_cli.py. Rows go to
RELIABILITY.md's "Overlap and lost replies" (from the HTTP runs).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest
from pulumi_macie_invitations import (
    AdministratorInvitationError,
    CleanupIncompleteError,
    testing,
)
from pulumi_macie_invitations.engine import inbox as engine
from pulumi_macie_invitations.engine.outcomes import CleanupReport
from pulumi_macie_invitations.services import SERVICES
from pulumi_macie_invitations.testing import EmulatorControls

from .helpers import ME, REGION, A, B, C, Figures, ServiceInboxes, statuses

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client

WHERE = f"region {REGION}"
BYSTANDER = "999900001111"
MUTATING = ("DeclineInvitations", "DeleteInvitations")


def seed(emulator: EmulatorControls, *senders: str) -> None:
    for sender in senders:
        emulator.seed_invitation(ME, sender, REGION)


def answers(client: Macie2Client, operation: str) -> list[str]:
    """What each reply of ``operation`` to ``client`` said, as botocore parsed it: the HTTP
    status, and how many accounts came back unprocessed with which code and message."""
    seen: list[str] = []

    def record(http_response: Any, parsed: Mapping[str, Any], **_: Any) -> None:
        entries = Counter(
            f'{e["errorCode"]} "{re.sub(r"[0-9]{12}", "<sender>", e["errorMessage"])}"'
            for e in parsed.get("unprocessedAccounts", [])
        )
        said = ", ".join(f"{count} x {entry}" for entry, count in entries.items())
        seen.append(f"{http_response.status_code}" + (f", unprocessed: {said}" if said else ""))

    client.meta.events.register(f"after-call.macie2.{operation}", record)
    return seen


def before_first(client: Macie2Client, operation: str, action: Callable[[], object]) -> None:
    """Run ``action`` once, just before ``client`` first sends ``operation`` (botocore's event)."""
    done: list[object] = []

    def run(**_: Any) -> None:
        if not done:
            done.append(action())

    client.meta.events.register(f"before-call.{_event_name(client)}.{operation}", run)


def _event_name(client: Any) -> str:
    """The service's name in botocore's event names (``macie2``, ``guardduty``...)."""
    name: str = client.meta.service_model.service_id.hyphenize()
    return name


OTHER_READINGS = [
    (SERVICES[name], mode)
    for name in ("guardduty", "securityhub")
    for mode in testing.emulated(name).facts.decline_modes
]
"""GuardDuty's and Security Hub's decline modes (``deletes-pending`` among them: delete
needs no decline), each service's."""


@pytest.fixture(params=OTHER_READINGS, ids=lambda reading: f"{reading[0].name}-{reading[1]}")
def other_reading(
    request: pytest.FixtureRequest, emulator: EmulatorControls, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServiceInboxes]:
    """``emulator`` through GuardDuty or Security Hub in one of its decline modes (the
    default restored after); resubmits without their delay (this is no test of timing)."""
    service, mode = request.param
    monkeypatch.setattr(engine, "RESUBMIT_DELAY_SECONDS", 0)
    emulator.set_decline_mode(mode, service=service.name)
    yield ServiceInboxes(emulator, service)
    emulator.set_decline_mode(testing.DEFAULT_DECLINE_MODE, service=service.name)


@pytest.mark.parametrize("operation", MUTATING)
def test_a_lost_reply_converges_for_the_other_services(
    other_reading: ServiceInboxes, operation: str
) -> None:
    inboxes = other_reading
    for sender in (A, B, BYSTANDER):
        inboxes.seed(sender)
    inboxes.fault("lose_reply", operation)

    report = engine.clean(inboxes.client(), [A, B], WHERE, service=inboxes.service)

    assert report == CleanupReport(declined=[A, B], deleted=[A, B], absent=[])
    assert inboxes.statuses() == {BYSTANDER: "Invited"}
    assert [c["status"] for c in inboxes.calls(operation)][:2] == [500, 200]


@pytest.mark.parametrize("point", MUTATING)
def test_overlapping_cleanups_converge_for_the_other_services(
    other_reading: ServiceInboxes, point: str
) -> None:
    inboxes = other_reading
    for sender in (A, B, C, BYSTANDER):
        inboxes.seed(sender)
    client, other = inboxes.client(), inboxes.client()
    overlapping: list[CleanupReport] = []
    service = inboxes.service
    before_first(
        client,
        point,
        lambda: overlapping.append(engine.clean(other, [A, C], WHERE, service=service)),
    )

    report = engine.clean(client, [A, B], WHERE, service=service)

    assert report == CleanupReport(declined=[A, B], deleted=[A, B], absent=[])
    [first] = overlapping
    assert C in first.deleted
    assert inboxes.statuses() == {BYSTANDER: "Invited"}


@pytest.mark.parametrize("operation", MUTATING)
def test_a_lost_reply_converges(
    emulator: EmulatorControls, decline_mode: str, figures: Figures, operation: str
) -> None:
    seed(emulator, A, B, BYSTANDER)
    client = emulator.macie2(ME, REGION)
    replies = answers(client, operation)
    emulator.lose_reply(operation)

    report = engine.clean(client, [A, B], WHERE)

    assert report == CleanupReport(declined=[A, B], deleted=[A, B], absent=[])
    assert statuses(emulator) == {BYSTANDER: "Invited"}
    assert [c["status"] for c in emulator.calls(operation)] == [500, 200]
    if emulator.endpoint_url:
        figures.add(
            "overlap",
            f"{operation} applied, its reply lost (500); botocore's retry answered {replies[-1]}",
            decline_mode,
            "cleaned: both senders declined and deleted (outputs: declined and deleted both), "
            "nothing left of them in the listing after",
        )


@pytest.mark.parametrize("point", MUTATING)
def test_overlapping_cleanups_of_one_inbox_converge(
    emulator: EmulatorControls, decline_mode: str, figures: Figures, point: str
) -> None:
    seed(emulator, A, B, C, BYSTANDER)
    client, other = emulator.macie2(ME, REGION), emulator.macie2(ME, REGION)
    overlapping: list[CleanupReport] = []
    before_first(client, point, lambda: overlapping.append(engine.clean(other, [A, C], WHERE)))
    replies = answers(client, "DeleteInvitations")

    report = engine.clean(client, [A, B], WHERE)

    assert report == CleanupReport(declined=[A, B], deleted=[A, B], absent=[])
    [first] = overlapping
    assert C in first.deleted
    assert statuses(emulator) == {BYSTANDER: "Invited"}
    if emulator.endpoint_url:
        figures.add(
            "overlap",
            f"two cleanups naming one sender: the other ran whole just before this one's "
            f"{point} (this one's DeleteInvitations answered {replies[0]})",
            decline_mode,
            f"both cleaned; the other's outputs: declined {_names(first.declined)}, deleted "
            f"{_names(first.deleted)}, absent {_names(first.absent)}; this one's: declined and "
            "deleted both",
        )


def _names(accounts: list[str]) -> str:
    names = {A: "the shared sender", C: "its own"}
    return " and ".join(names[a] for a in accounts) or "none"


def test_a_sender_still_listed_is_named_and_the_administrator_refused(
    emulator: EmulatorControls, decline_mode: str, figures: Figures
) -> None:
    seed(emulator, A, B)
    emulator.unprocessed("DeclineInvitations", [A], error_code="ClientError")
    client = emulator.macie2(ME, REGION)

    with pytest.raises(CleanupIncompleteError) as failed:
        engine.clean(client, [A, B], WHERE)

    assert list(failed.value.reasons) == [A]
    assert failed.value.reasons[A].startswith("DeclineInvitations: ClientError")
    assert statuses(emulator) == {A: "Invited"}

    emulator.seed_invitation(ME, C, REGION, "Enabled")
    emulator.clear_calls()
    with pytest.raises(AdministratorInvitationError):
        engine.clean(client, [A, C], WHERE)
    assert not {c["operation"] for c in emulator.calls()} & set(MUTATING)
    if emulator.endpoint_url:
        figures.add(
            "overlap",
            "DeclineInvitations: 1 of 2 senders unprocessed (ClientError), its invitation "
            "still pending; then an accepted invitation listed",
            decline_mode,
            f"failed naming that sender (`{failed.value.reasons[A]}`), the other cleaned; "
            "the administrator refused before any change, as before",
        )


def test_the_calls_made_for_a_lost_reply(emulator: EmulatorControls) -> None:
    """The retry that finds its work done costs one call; nothing else is sent again."""
    seed(emulator, A)
    emulator.lose_reply("DeleteInvitations")
    client = emulator.macie2(ME, REGION)
    emulator.clear_calls()
    engine.clean(client, [A], WHERE)
    assert [(c["operation"], c["status"]) for c in emulator.calls()] == [
        ("ListInvitations", 200),
        ("DeclineInvitations", 200),
        ("DeleteInvitations", 500),
        ("DeleteInvitations", 200),
        ("ListInvitations", 200),
    ]

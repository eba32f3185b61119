"""Fault injection and the call log, driven in-process (FaultPlan) and over the HTTP
control API (EmulatorClient): see the `emulator` fixture."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from pulumi_macie_invitations import testing

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client

RECIPIENT = "222222222222"
SENDER = "111111111111"
OTHER_SENDER = "333333333333"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def statuses(emulator: testing.EmulatorControls, operation: str) -> list[int]:
    return [call["status"] for call in emulator.calls(operation)]


@pytest.fixture
def recipient(emulator: testing.EmulatorControls) -> Macie2Client:
    """The recipient's client, retries off, with invitations from two senders."""
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.send_invitations(OTHER_SENDER, [RECIPIENT])
    client = emulator.macie2(RECIPIENT, config=NO_RETRIES)
    emulator.clear_calls()
    return client


def test_throttle_n_times_then_success(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.throttle("DeleteInvitations", times=3)

    for _ in range(3):
        with pytest.raises(ClientError) as excinfo:
            recipient.delete_invitations(accountIds=[SENDER])
        assert error_of(excinfo) == ("ThrottlingException", 429)
    recipient.delete_invitations(accountIds=[SENDER])

    assert statuses(emulator, "DeleteInvitations") == [429, 429, 429, 200]
    assert emulator.faults() == []


def test_throttle_is_retried_by_botocore(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    client = emulator.macie2(
        RECIPIENT, config=Config(retries={"mode": "standard", "total_max_attempts": 3})
    )
    emulator.throttle("GetInvitationsCount", times=1)

    reply = client.get_invitations_count()

    assert reply["invitationsCount"] == 1
    assert reply["ResponseMetadata"]["RetryAttempts"] == 1
    assert statuses(emulator, "GetInvitationsCount") == [429, 200]


def test_fault_only_hits_its_operation(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.throttle("DeleteInvitations", times=1)

    recipient.list_invitations()
    recipient.decline_invitations(accountIds=[SENDER])

    assert [fault["times"] for fault in emulator.faults()] == [1]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (500, "InternalServerException"),
        (409, "ConflictException"),
        (404, "ResourceNotFoundException"),
        (402, "ServiceQuotaExceededException"),
    ],
)
def test_fail_answers_the_documented_error(
    emulator: testing.EmulatorControls, recipient: Macie2Client, status: int, code: str
) -> None:
    emulator.fail("DeclineInvitations", times=1, status=status)

    with pytest.raises(ClientError) as excinfo:
        recipient.decline_invitations(accountIds=[SENDER])

    assert error_of(excinfo) == (code, status)
    # Nothing was processed by the failed call.
    assert recipient.get_invitations_count()["invitationsCount"] == 2


def test_fail_defaults_to_internal_server_error(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.fail("ListInvitations", times=2)

    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            recipient.list_invitations()
        assert error_of(excinfo) == ("InternalServerException", 500)
    assert len(recipient.list_invitations()["invitations"]) == 2


def test_unprocessed_holds_back_the_listed_accounts(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.unprocessed("DeclineInvitations", [SENDER])

    reply = recipient.decline_invitations(accountIds=[SENDER, OTHER_SENDER])

    [entry] = reply["unprocessedAccounts"]
    assert (entry["accountId"], entry["errorCode"]) == (SENDER, "InternalError")
    status = {i["accountId"]: i["relationshipStatus"] for i in emulator.received(RECIPIENT)}
    assert status == {SENDER: "Invited", OTHER_SENDER: testing.DECLINED_STATUS}
    # Used up: the next call processes it.
    assert recipient.decline_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []


def test_unprocessed_on_delete_with_client_error_for_several_calls(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    recipient.decline_invitations(accountIds=[SENDER, OTHER_SENDER])
    emulator.unprocessed("DeleteInvitations", [OTHER_SENDER], times=2, error_code="ClientError")

    for batch in ([SENDER, OTHER_SENDER], [OTHER_SENDER]):
        reply = recipient.delete_invitations(accountIds=batch)
        assert [(e["accountId"], e["errorCode"]) for e in reply["unprocessedAccounts"]] == [
            (OTHER_SENDER, "ClientError")
        ]
    assert recipient.delete_invitations(accountIds=[OTHER_SENDER])["unprocessedAccounts"] == []
    assert emulator.received(RECIPIENT) == []


def test_unprocessed_is_not_used_up_by_calls_without_those_accounts(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.unprocessed("DeclineInvitations", [OTHER_SENDER])

    assert recipient.decline_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    reply = recipient.decline_invitations(accountIds=[OTHER_SENDER])

    assert reply["unprocessedAccounts"][0]["errorCode"] == "InternalError"


@pytest.mark.parametrize("operation", ["DeclineInvitations", "DeleteInvitations"])
def test_lose_reply_applies_the_call_then_answers_500(
    emulator: testing.EmulatorControls, recipient: Macie2Client, operation: str
) -> None:
    if operation == "DeleteInvitations":
        recipient.decline_invitations(accountIds=[SENDER, OTHER_SENDER])
    emulator.lose_reply(operation)
    call = getattr(recipient, xform_name(operation))

    with pytest.raises(ClientError) as excinfo:
        call(accountIds=[SENDER])

    assert error_of(excinfo) == ("InternalServerException", 500)
    assert "after it was applied" in str(excinfo.value)
    left = {i["accountId"]: i["relationshipStatus"] for i in emulator.received(RECIPIENT)}
    assert (
        left
        == {
            "DeclineInvitations": {SENDER: testing.DECLINED_STATUS, OTHER_SENDER: "Invited"},
            "DeleteInvitations": {OTHER_SENDER: testing.DECLINED_STATUS},
        }[operation]
    )
    assert emulator.faults() == []
    assert statuses(emulator, operation)[-1] == 500


def test_a_lost_reply_is_retried_by_botocore_and_the_retry_finds_it_done(
    emulator: testing.EmulatorControls,
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    client = emulator.macie2(RECIPIENT, config=Config(retries={"mode": "standard"}))
    client.decline_invitations(accountIds=[SENDER])
    emulator.lose_reply("DeleteInvitations", times=1)
    emulator.clear_calls()

    reply = client.delete_invitations(accountIds=[SENDER])

    assert statuses(emulator, "DeleteInvitations") == [500, 200]
    [entry] = reply["unprocessedAccounts"]
    assert (entry["accountId"], entry["errorCode"]) == (SENDER, "ClientError")
    assert "doesn't exist" in entry["errorMessage"]
    assert emulator.received(RECIPIENT) == []


def test_lose_reply_leaves_a_refused_call_alone(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.lose_reply("DeleteInvitations")
    with pytest.raises(ClientError):
        recipient.delete_invitations(accountIds=[])  # ValidationException: nothing applied
    assert emulator.faults() == [
        {"action": "lose_reply", "operation": "DeleteInvitations", "times": 1}
    ]


def test_deny_until_cleared(emulator: testing.EmulatorControls, recipient: Macie2Client) -> None:
    emulator.deny("ListInvitations")

    for _ in range(3):
        with pytest.raises(ClientError) as excinfo:
            recipient.list_invitations()
        assert error_of(excinfo) == ("AccessDeniedException", 403)
    emulator.clear_faults()

    assert len(recipient.list_invitations()["invitations"]) == 2


def test_deny_wins_over_throttle(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.throttle("*", times=5)
    emulator.deny("GetInvitationsCount")

    with pytest.raises(ClientError) as excinfo:
        recipient.get_invitations_count()

    assert error_of(excinfo) == ("AccessDeniedException", 403)


def test_wildcard_applies_to_every_operation(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.throttle("*", times=2)

    with pytest.raises(ClientError):
        recipient.list_invitations()
    with pytest.raises(ClientError):
        recipient.get_invitations_count()
    recipient.list_invitations()

    assert [call["status"] for call in emulator.calls()] == [429, 429, 200]


def test_latency_is_measurable_and_targeted(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    emulator.latency("GetInvitationsCount", 0.3)

    started = time.monotonic()
    recipient.get_invitations_count()
    slow = time.monotonic() - started
    started = time.monotonic()
    recipient.list_invitations()
    fast = time.monotonic() - started

    assert slow >= 0.3
    assert fast < 0.3


def test_calls_are_recorded_with_account_region_and_ids(
    emulator: testing.EmulatorControls, recipient: Macie2Client
) -> None:
    recipient.decline_invitations(accountIds=[SENDER])
    emulator.macie2(RECIPIENT, region="eu-west-1").get_invitations_count()
    emulator.send_invitations(SENDER, ["444444444444"])

    calls = emulator.calls()
    assert all(call.pop("user_agent").startswith("Boto3/") for call in calls)
    assert calls == [
        {
            "operation": "DeclineInvitations",
            "account_id": RECIPIENT,
            "region": "us-east-1",
            "status": 200,
            "account_ids": [SENDER],
        },
        {
            "operation": "GetInvitationsCount",
            "account_id": RECIPIENT,
            "region": "eu-west-1",
            "status": 200,
        },
        {
            "operation": "CreateInvitations",
            "account_id": SENDER,
            "region": "us-east-1",
            "status": 200,
            "account_ids": ["444444444444"],
        },
    ]
    assert [call["operation"] for call in emulator.calls("CreateInvitations")] == [
        "CreateInvitations"
    ]
    emulator.clear_calls()
    assert emulator.calls() == []


def test_faults_are_listed_with_what_is_left(emulator: testing.EmulatorControls) -> None:
    emulator.throttle("ListInvitations", times=2)
    emulator.fail("DeleteInvitations", times=1, status=409)
    emulator.unprocessed("DeclineInvitations", [SENDER], times=3)
    emulator.deny("AcceptInvitation")
    emulator.latency("*", 0.01)

    assert emulator.faults() == [
        {"action": "throttle", "operation": "ListInvitations", "times": 2},
        {"action": "fail", "operation": "DeleteInvitations", "times": 1, "status": 409},
        {
            "action": "unprocessed",
            "operation": "DeclineInvitations",
            "times": 3,
            "accountIds": [SENDER],
            "errorCode": "InternalError",
        },
        {"action": "deny", "operation": "AcceptInvitation"},
        {"action": "latency", "operation": "*", "seconds": 0.01},
    ]
    emulator.lose_reply("DeclineInvitations", times=2)
    assert emulator.faults()[-1] == {
        "action": "lose_reply",
        "operation": "DeclineInvitations",
        "times": 2,
    }


@pytest.mark.parametrize(
    "spec",
    [
        {"action": "throttle", "operation": "DeleteInvitation", "times": 1},
        {"action": "throttle", "operation": "DeleteInvitations", "times": 0},
        {"action": "fail", "operation": "ListInvitations", "times": 1, "status": 418},
        {"action": "unprocessed", "operation": "DeleteInvitations", "accountIds": []},
        {"action": "unprocessed", "operation": "*", "accountIds": [SENDER], "errorCode": "Oops"},
        {"action": "unprocessed", "operation": "ListInvitations", "accountIds": [SENDER]},
        {"action": "latency", "operation": "ListInvitations", "seconds": -1},
        {"action": "lose_reply", "operation": "DeleteInvitations", "times": 0},
        {"action": "explode", "operation": "ListInvitations"},
        {"operation": "ListInvitations"},
    ],
    ids=[
        "unknown-op",
        "zero-times",
        "bad-status",
        "no-accounts",
        "bad-code",
        "unprocessed-on-list",
        "negative-latency",
        "lose-reply-zero-times",
        "bad-action",
        "no-action",
    ],
)
def test_malformed_faults_are_refused(
    emulator: testing.EmulatorControls, spec: dict[str, object]
) -> None:
    with pytest.raises((ValueError, testing.client.EmulatorControlError)):
        emulator.add_fault(spec)

    assert emulator.faults() == []


def test_fault_plan_is_thread_safe_under_concurrent_calls() -> None:
    plan = testing.FaultPlan()
    plan.throttle("ListInvitations", times=50)
    raised: list[int] = []

    def call() -> None:
        for _ in range(20):
            try:
                plan.before_call("ListInvitations")
            except testing.exceptions.ThrottlingException:
                raised.append(1)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(raised) == 50

"""Fault injection and the call log, driven in-process (FaultPlan) and over the HTTP
control API (EmulatorClient): see the `emulator` fixture; what the three services share
runs for each (the `api` fixture), with each service's own errors and reply shapes."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, cast

import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from pulumi_macie_invitations import testing
from pulumi_macie_invitations.testing.macie2.exceptions import ThrottlingException

from .emulator_api import Api

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client

RECIPIENT = "222222222222"
SENDER = "111111111111"
OTHER_SENDER = "333333333333"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def statuses(
    emulator: testing.EmulatorControls, operation: str, service: str = "macie2"
) -> list[int]:
    return [call["status"] for call in emulator.calls(operation, service=service)]


@pytest.fixture
def recipient(emulator: testing.EmulatorControls) -> Macie2Client:
    """The recipient's client, retries off, with invitations from two senders."""
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.send_invitations(OTHER_SENDER, [RECIPIENT])
    client = emulator.macie2(RECIPIENT, config=NO_RETRIES)
    emulator.clear_calls()
    return client


@pytest.fixture
def inbox(emulator: testing.EmulatorControls, api: Api) -> Any:
    """The recipient's client of the `api`'s service, retries off, with invitations from
    two senders."""
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    emulator.send_invitations(OTHER_SENDER, [RECIPIENT], service=api.name)
    client = api.client(emulator, RECIPIENT, config=NO_RETRIES)
    emulator.clear_calls()
    return client


def test_throttle_n_times_then_success(
    emulator: testing.EmulatorControls, api: Api, inbox: Any
) -> None:
    emulator.throttle("DeleteInvitations", times=3, service=api.name)

    for _ in range(3):
        with pytest.raises(ClientError) as excinfo:
            api.delete(inbox, [SENDER])
        assert error_of(excinfo) == api.error("throttling")
    api.delete(inbox, [SENDER])

    assert statuses(emulator, "DeleteInvitations", api.name) == [429, 429, 429, 200]
    assert emulator.faults(service=api.name) == []


def test_throttle_one_call_in_every(
    emulator: testing.EmulatorControls, api: Api, inbox: Any
) -> None:
    emulator.throttle("*", times=2, every=3, service=api.name)
    assert emulator.faults(service=api.name) == [
        {"action": "throttle", "operation": "*", "times": 2, "every": 3}
        | ({"service": api.name} if api.name != "macie2" else {})
    ]

    answers = [200, 200, 429, 200, 200, 429, 200, 200]
    for answer in answers:
        if answer == 200:
            inbox.list_invitations()
            continue
        with pytest.raises(ClientError) as excinfo:
            inbox.list_invitations()
        assert error_of(excinfo) == api.error("throttling")

    assert statuses(emulator, "ListInvitations", api.name) == answers
    assert emulator.faults(service=api.name) == []


def test_throttle_is_retried_by_botocore(emulator: testing.EmulatorControls, api: Api) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    client = api.client(
        emulator, RECIPIENT, config=Config(retries={"mode": "standard", "total_max_attempts": 3})
    )
    emulator.throttle("GetInvitationsCount", times=1, service=api.name)

    reply = client.get_invitations_count()

    assert reply[api.count] == 1
    assert reply["ResponseMetadata"]["RetryAttempts"] == 1
    assert statuses(emulator, "GetInvitationsCount", api.name) == [429, 200]


def test_fault_only_hits_its_operation(
    emulator: testing.EmulatorControls, api: Api, inbox: Any
) -> None:
    emulator.throttle("DeleteInvitations", times=1, service=api.name)

    inbox.list_invitations()
    api.decline(inbox, [SENDER])

    assert [fault["times"] for fault in emulator.faults(service=api.name)] == [1]


def test_a_fault_only_hits_its_service(emulator: testing.EmulatorControls, api: Api) -> None:
    emulator.deny("ListInvitations", service=api.name)

    for other in testing.SERVICES:
        if other != api.name:
            assert emulator.listed(RECIPIENT, service=other) == []
            assert emulator.faults(service=other) == []
    with pytest.raises(ClientError) as excinfo:
        api.client(emulator, RECIPIENT, config=NO_RETRIES).list_invitations()

    assert error_of(excinfo) == ("AccessDeniedException", 403)
    emulator.clear_faults(service=api.name)
    assert emulator.faults(service=api.name) == []


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


FAILURES = [
    (name, error.name, error.metadata["error"]["httpStatusCode"])
    for name in testing.SERVICES
    for error in Api(name).model.operation_model("DeclineInvitations").error_shapes
]
"""Every error botocore's models give DeclineInvitations, with its status."""


@pytest.mark.parametrize(("service", "code", "status"), FAILURES)
def test_fail_answers_each_error_the_model_names(
    emulator: testing.EmulatorControls, service: str, code: str, status: int
) -> None:
    api = Api(service)
    emulator.send_invitations(SENDER, [RECIPIENT], service=service)
    client = api.client(emulator, RECIPIENT, config=NO_RETRIES)
    emulator.fail("DeclineInvitations", times=1, status=status, service=service)

    with pytest.raises(ClientError) as excinfo:
        api.decline(client, [SENDER])

    assert error_of(excinfo) == (code, status)
    assert isinstance(excinfo.value, getattr(client.exceptions, code))
    assert api.pending_count(client) == 1


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
    emulator: testing.EmulatorControls, api: Api, inbox: Any
) -> None:
    emulator.unprocessed("DeclineInvitations", [SENDER], service=api.name)

    [entry] = api.decline(inbox, [SENDER, OTHER_SENDER])

    assert (entry.account_id, entry.code) == (
        SENDER,
        "InternalError" if api.name == "macie2" else None,
    )
    assert "injected" in entry.message
    status = api.statuses(emulator.received(RECIPIENT, service=api.name))
    assert status == {SENDER: "Invited", OTHER_SENDER: testing.DECLINED_STATUS}
    # Used up: the next call processes it.
    assert api.decline(inbox, [SENDER]) == []


def test_unprocessed_on_delete_with_client_error_for_several_calls(
    emulator: testing.EmulatorControls, api: Api, inbox: Any
) -> None:
    api.decline(inbox, [SENDER, OTHER_SENDER])
    emulator.unprocessed(
        "DeleteInvitations", [OTHER_SENDER], times=2, error_code="ClientError", service=api.name
    )

    for batch in ([SENDER, OTHER_SENDER], [OTHER_SENDER]):
        entries = api.delete(inbox, batch)
        assert [(e.account_id, e.code) for e in entries] == [
            (OTHER_SENDER, "ClientError" if api.name == "macie2" else None)
        ]
    assert api.delete(inbox, [OTHER_SENDER]) == []
    assert emulator.received(RECIPIENT, service=api.name) == []


def test_unprocessed_is_not_used_up_by_calls_without_those_accounts(
    emulator: testing.EmulatorControls, api: Api, inbox: Any
) -> None:
    emulator.unprocessed("DeclineInvitations", [OTHER_SENDER], service=api.name)

    assert api.decline(inbox, [SENDER]) == []
    [entry] = api.decline(inbox, [OTHER_SENDER])

    assert entry.code == ("InternalError" if api.name == "macie2" else None)
    assert entry.account_id == OTHER_SENDER


def test_unprocessed_on_the_senders_call(emulator: testing.EmulatorControls, api: Api) -> None:
    invite = testing.emulated(api.name).facts.invite_operation
    emulator.unprocessed(invite, [RECIPIENT], service=api.name)

    sent = emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    [entry] = api.entries(cast("list[dict[str, str]]", sent))

    assert entry.account_id == RECIPIENT
    assert emulator.received(RECIPIENT, service=api.name) == []


@pytest.mark.parametrize("operation", ["DeclineInvitations", "DeleteInvitations"])
def test_lose_reply_applies_the_call_then_answers_500(
    emulator: testing.EmulatorControls, api: Api, inbox: Any, operation: str
) -> None:
    if operation == "DeleteInvitations":
        api.decline(inbox, [SENDER, OTHER_SENDER])
    emulator.lose_reply(operation, service=api.name)
    call = getattr(inbox, xform_name(operation))

    with pytest.raises(ClientError) as excinfo:
        call(**api.ids([SENDER]))

    assert error_of(excinfo) == api.error("internal")
    assert "after it was applied" in str(excinfo.value)
    left = api.statuses(emulator.received(RECIPIENT, service=api.name))
    assert (
        left
        == {
            "DeclineInvitations": {SENDER: testing.DECLINED_STATUS, OTHER_SENDER: "Invited"},
            "DeleteInvitations": {OTHER_SENDER: testing.DECLINED_STATUS},
        }[operation]
    )
    assert emulator.faults(service=api.name) == []
    assert statuses(emulator, operation, api.name)[-1] == 500


def test_a_lost_reply_is_retried_by_botocore_and_the_retry_finds_it_done(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    client = api.client(emulator, RECIPIENT, config=Config(retries={"mode": "standard"}))
    api.decline(client, [SENDER])
    emulator.lose_reply("DeleteInvitations", times=1, service=api.name)
    emulator.clear_calls()

    [entry] = api.delete(client, [SENDER])

    assert statuses(emulator, "DeleteInvitations", api.name) == [500, 200]
    assert (entry.account_id, entry.code) == (
        SENDER,
        "ClientError" if api.name == "macie2" else None,
    )
    assert "doesn't exist" in entry.message
    assert emulator.received(RECIPIENT, service=api.name) == []


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
            "service": "macie2",
            "account_ids": [SENDER],
        },
        {
            "operation": "GetInvitationsCount",
            "account_id": RECIPIENT,
            "region": "eu-west-1",
            "status": 200,
            "service": "macie2",
        },
        {
            "operation": "CreateInvitations",
            "account_id": SENDER,
            "region": "us-east-1",
            "status": 200,
            "service": "macie2",
            "account_ids": ["444444444444"],
        },
    ]
    assert [call["operation"] for call in emulator.calls("CreateInvitations")] == [
        "CreateInvitations"
    ]
    securityhub = Api("securityhub")
    securityhub.decline(securityhub.client(emulator, RECIPIENT), [SENDER])
    [other] = emulator.calls(service="securityhub")
    assert (other["operation"], other["service"], other["account_ids"]) == (
        "DeclineInvitations",
        "securityhub",
        [SENDER],
    )
    assert len(emulator.calls()) == 3  # Macie's
    assert [call["service"] for call in emulator.calls(service=None)] == [
        *(["macie2"] * 3),
        "securityhub",
    ]
    emulator.clear_calls()
    assert emulator.calls(service=None) == []


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
            except ThrottlingException:
                raised.append(1)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(raised) == 50


def test_barrier_holds_calls_until_enough_are_in_progress(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    emulator.barrier("GetInvitationsCount", calls=2, seconds=60, service=api.name)
    first = api.client(emulator, RECIPIENT, config=NO_RETRIES)
    second = api.client(emulator, OTHER_SENDER, config=NO_RETRIES)

    with ThreadPoolExecutor(max_workers=2) as pool:
        held = pool.submit(api.pending_count, first)
        while not emulator.calls_in_progress("GetInvitationsCount", service=api.name):
            assert not held.done()
        assert not held.done()
        assert emulator.calls("GetInvitationsCount", service=api.name) == []
        assert api.pending_count(second) == 0  # the second arrives: both go on
        assert held.result() == 0

    assert emulator.faults(service=api.name) == []  # used up: one group
    assert api.pending_count(first) == 0  # not held any more


def test_a_barrier_that_is_never_reached_fails_loudly(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    emulator.barrier("ListInvitations", calls=3, seconds=0.5, service=api.name)
    client = api.client(emulator, RECIPIENT, config=NO_RETRIES)

    started = time.monotonic()
    with pytest.raises(ClientError) as gave_up:
        client.list_invitations()
    waited = time.monotonic() - started
    with pytest.raises(ClientError) as later:
        client.list_invitations()

    assert waited >= 0.5
    assert error_of(gave_up) == error_of(later) == api.error("internal")
    assert "barrier on ListInvitations gave up: 1 of the 3 calls" in str(gave_up.value)
    [fault] = emulator.faults(service=api.name)
    assert fault["broken"] is True
    emulator.clear_faults()
    assert client.list_invitations()[api.invitations] == []


def test_a_barrier_lets_several_groups_through(emulator: testing.EmulatorControls) -> None:
    emulator.barrier("GetInvitationsCount", calls=2, seconds=60, times=2)
    clients = [emulator.macie2(f"{600000000000 + index:012d}") for index in range(4)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(lambda client: client.get_invitations_count(), clients))

    assert [count["invitationsCount"] for count in counts] == [0, 0, 0, 0]
    assert emulator.faults() == []


@pytest.mark.parametrize(
    "spec",
    [
        {"action": "barrier", "operation": "ListInvitations", "calls": 1},
        {"action": "barrier", "operation": "ListInvitations"},
        {"action": "barrier", "operation": "ListInvitations", "calls": 2, "seconds": 0},
        {"action": "barrier", "operation": "ListInvitations", "calls": 2, "seconds": 601},
        {"action": "throttle", "operation": "InviteMembers", "times": 1},
        {"action": "throttle", "operation": "ListInvitations", "times": 1, "service": "detective"},
        {
            "action": "unprocessed",
            "operation": "CreateInvitations",
            "accountIds": [SENDER],
            "service": "guardduty",
        },
        {
            "action": "fail",
            "operation": "ListInvitations",
            "times": 1,
            "status": 402,
            "service": "guardduty",
        },
    ],
    ids=[
        "barrier-of-one",
        "barrier-without-calls",
        "barrier-without-wait",
        "barrier-too-long",
        "another-services-operation",
        "unknown-service",
        "macie-sender-call-on-guardduty",
        "macie-status-on-guardduty",
    ],
)
def test_malformed_service_faults_are_refused(
    emulator: testing.EmulatorControls, spec: dict[str, object]
) -> None:
    with pytest.raises((ValueError, testing.client.EmulatorControlError)):
        emulator.add_fault(spec)

    assert [emulator.faults(service=name) for name in testing.SERVICES] == [[], [], []]


def test_service_faults_are_listed_with_their_service(emulator: testing.EmulatorControls) -> None:
    emulator.barrier("DeclineInvitations", calls=2, seconds=5, service="guardduty")
    emulator.unprocessed("InviteMembers", [SENDER], service="securityhub")

    assert emulator.faults() == []
    assert emulator.faults(service="guardduty") == [
        {
            "action": "barrier",
            "operation": "DeclineInvitations",
            "service": "guardduty",
            "times": 1,
            "calls": 2,
            "seconds": 5.0,
        }
    ]
    assert emulator.faults(service="securityhub") == [
        {
            "action": "unprocessed",
            "operation": "InviteMembers",
            "service": "securityhub",
            "times": 1,
            "accountIds": [SENDER],
            "errorCode": "InternalError",
        }
    ]
    emulator.clear_faults(service="guardduty")
    assert emulator.faults(service="guardduty") == []
    assert emulator.faults(service="securityhub") != []
    emulator.clear_faults()
    assert emulator.faults(service="securityhub") == []

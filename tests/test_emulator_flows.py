"""The receiving side of invitations, through real boto3 clients, in-process
(moto.mock_aws) and over HTTP (the emulator server): see the `emulator` fixture; what the
three services share runs for each (the `api` fixture), Macie's own flows for Macie."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from pulumi_macie_invitations import testing

from .emulator_api import Api

RECIPIENT = "222222222222"
SENDER = "111111111111"
OTHER_SENDER = "333333333333"
DEFAULT_ACCOUNT = "123456789012"
REGION = "us-east-1"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})
UNCHECKED = NO_RETRIES.merge(Config(parameter_validation=False))
"""Client-side validation off: botocore itself refuses some bad input."""


def sender_ids(count: int) -> list[str]:
    return [f"{400000000000 + index:012d}" for index in range(count)]


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def client_error_code(api: Api) -> str | None:
    """The ``errorCode`` of a refusal: Macie's replies carry one, the others' a message."""
    return "ClientError" if api.name == "macie2" else None


def test_recipient_lists_what_the_sender_sent(emulator: testing.EmulatorControls, api: Api) -> None:
    assert emulator.send_invitations(SENDER, [RECIPIENT], service=api.name) == []

    [invitation] = emulator.listed(RECIPIENT, service=api.name)
    assert invitation[api.account_id] == SENDER  # type: ignore[literal-required]
    assert invitation[api.status] == "Invited"  # type: ignore[literal-required]
    invited_at = invitation[api.invited_at]  # type: ignore[literal-required]
    if api.name == "guardduty":  # a string in GuardDuty's model, ISO 8601 on the wire
        invited_at = datetime.fromisoformat(invited_at)
    assert isinstance(invited_at, datetime)
    assert invited_at.tzinfo is not None
    assert len(invitation[api.invitation_id]) > 0  # type: ignore[literal-required]
    # the inbox, read without a call
    assert emulator.received(RECIPIENT, service=api.name) == [invitation]
    # The sender received nothing: ListInvitations is the recipient's view.
    assert emulator.listed(SENDER, service=api.name) == []
    assert api.pending_count(api.client(emulator, RECIPIENT)) == 1


def test_sixty_senders_come_in_pages_of_the_bound(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    senders = sender_ids(60)
    for sender in senders:
        emulator.seed_invitation(RECIPIENT, sender, service=api.name)
    client = api.client(emulator, RECIPIENT)

    pages: list[list[dict[str, Any]]] = []
    token = None
    while True:
        kwargs: dict[str, Any] = {api.next_token: token} if token else {}
        reply = client.list_invitations(**kwargs)
        pages.append(reply[api.invitations])
        token = reply.get(api.next_token)
        if not token:
            break

    bound = api.page_size
    assert bound == {"macie2": 25, "guardduty": 50, "securityhub": 50}[api.name]
    assert [len(page) for page in pages] == [bound, *([bound] if bound < 30 else []), 60 % bound]
    assert [invitation[api.account_id] for page in pages for invitation in page] == senders
    small = client.list_invitations(**{api.max_results: 7})
    assert len(small[api.invitations]) == 7
    assert api.next_token in small
    assert len(emulator.listed(RECIPIENT, service=api.name)) == 60


@pytest.mark.parametrize(
    "bad", ["bound+1", "0", "negative", "bad-token"], ids=["bound+1", "0", "negative", "bad-token"]
)
def test_list_rejects_bad_paging_input(
    emulator: testing.EmulatorControls, api: Api, bad: str
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    table: dict[str, dict[str, Any]] = {
        "bound+1": {api.max_results: api.page_size + 1},
        "0": {api.max_results: 0},
        "negative": {api.max_results: -1},
        "bad-token": {api.next_token: "not-a-token"},
    }
    kwargs = table[bad]
    client = api.client(emulator, RECIPIENT, config=UNCHECKED)

    with pytest.raises(ClientError) as excinfo:
        client.list_invitations(**kwargs)

    assert error_of(excinfo) == api.error("validation")


def test_decline_then_delete_removes_the_invitation(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    emulator.send_invitations(OTHER_SENDER, [RECIPIENT], service=api.name)
    client = api.client(emulator, RECIPIENT)

    assert api.decline(client, [SENDER]) == []
    declined = api.by_sender(emulator, RECIPIENT)
    assert declined[SENDER][api.status] == testing.DECLINED_STATUS
    assert declined[OTHER_SENDER][api.status] == "Invited"
    assert api.pending_count(client) == 1

    assert api.delete(client, [SENDER]) == []
    assert list(api.by_sender(emulator, RECIPIENT)) == [OTHER_SENDER]


def test_declining_twice_is_harmless(emulator: testing.EmulatorControls, api: Api) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    client = api.client(emulator, RECIPIENT)
    api.decline(client, [SENDER])

    assert api.decline(client, [SENDER]) == []
    assert api.by_sender(emulator, RECIPIENT)[SENDER][api.status] == testing.DECLINED_STATUS


@pytest.mark.parametrize("state", ["pending", "missing", "accepted"])
def test_delete_refuses_what_was_not_declined(
    emulator: testing.EmulatorControls, api: Api, state: str
) -> None:
    if state != "missing":
        emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    if state == "accepted":
        emulator.accept(RECIPIENT, SENDER, service=api.name)
    before = api.by_sender(emulator, RECIPIENT)

    [entry] = api.delete(api.client(emulator, RECIPIENT), [SENDER])

    assert entry.account_id == SENDER
    assert entry.code == client_error_code(api)
    assert entry.message
    assert api.by_sender(emulator, RECIPIENT) == before


@pytest.mark.parametrize("state", ["missing", "accepted"])
def test_decline_refuses_missing_and_accepted(
    emulator: testing.EmulatorControls, api: Api, state: str
) -> None:
    if state == "accepted":
        emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
        emulator.accept(RECIPIENT, SENDER, service=api.name)
    before = api.by_sender(emulator, RECIPIENT)

    entries = api.decline(api.client(emulator, RECIPIENT), [SENDER])

    assert [(e.account_id, e.code) for e in entries] == [(SENDER, client_error_code(api))]
    assert api.by_sender(emulator, RECIPIENT) == before


def test_accepted_invitation_message_says_how_to_leave(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    emulator.accept(RECIPIENT, SENDER, service=api.name)

    [entry] = api.delete(api.client(emulator, RECIPIENT), [SENDER])

    assert "administrator" in entry.message
    assert "Disassociate" in entry.message


def test_mixed_batch_processes_only_what_it_can(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    senders = sender_ids(3)
    for sender in senders:
        emulator.send_invitations(sender, [RECIPIENT], service=api.name)
    client = api.client(emulator, RECIPIENT)
    api.decline(client, senders[:2])

    entries = api.delete(client, [*senders, "999999999999"])

    assert sorted(e.account_id for e in entries) == [senders[2], "999999999999"]
    assert list(api.by_sender(emulator, RECIPIENT)) == [senders[2]]


def test_accept_then_disassociate(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.accept(RECIPIENT, SENDER)
    recipient, sender = emulator.macie2(RECIPIENT), emulator.macie2(SENDER)
    by_sender = Api("macie2").by_sender

    assert by_sender(emulator, RECIPIENT)[SENDER]["relationshipStatus"] == "Enabled"
    assert recipient.get_invitations_count()["invitationsCount"] == 0
    assert recipient.get_administrator_account()["administrator"]["accountId"] == SENDER
    [member] = sender.list_members()["members"]
    assert (member["accountId"], member["relationshipStatus"]) == (RECIPIENT, "Enabled")

    recipient.disassociate_from_administrator_account()

    assert by_sender(emulator, RECIPIENT)[SENDER]["relationshipStatus"] == testing.DECLINED_STATUS
    assert sender.list_members()["members"] == []
    assert "administrator" not in recipient.get_administrator_account()
    assert recipient.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    assert emulator.listed(RECIPIENT) == []


def test_the_others_accept_then_disassociate(emulator: testing.EmulatorControls, api: Api) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    emulator.accept(RECIPIENT, SENDER, service=api.name)
    client = api.client(emulator, RECIPIENT)
    detector = (
        {"DetectorId": client.list_detectors()["DetectorIds"][0]} if api.name == "guardduty" else {}
    )

    assert api.by_sender(emulator, RECIPIENT)[SENDER][api.status] == "Enabled"
    assert api.pending_count(client) == 0
    administrator = client.get_administrator_account(**detector)
    [key] = [key for key in administrator if key != "ResponseMetadata"]
    assert administrator[key][api.account_id] == SENDER

    client.disassociate_from_administrator_account(**detector)

    assert api.by_sender(emulator, RECIPIENT)[SENDER][api.status] == testing.DECLINED_STATUS
    assert api.delete(client, [SENDER]) == []
    assert emulator.listed(RECIPIENT, service=api.name) == []


def test_disassociating_without_administrator_is_not_found(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    client = api.client(emulator, RECIPIENT, config=NO_RETRIES)
    detector = (
        {"DetectorId": client.create_detector(Enable=True)["DetectorId"]}
        if api.name == "guardduty"
        else {}
    )

    with pytest.raises(ClientError) as excinfo:
        client.disassociate_from_administrator_account(**detector)

    assert error_of(excinfo) == api.error("not_found")


def test_administrator_removing_the_member_leaves_a_deletable_invitation(
    emulator: testing.EmulatorControls,
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.accept(RECIPIENT, SENDER)

    emulator.macie2(SENDER).disassociate_member(id=RECIPIENT)

    by_sender = Api("macie2").by_sender(emulator, RECIPIENT)
    assert by_sender[SENDER]["relationshipStatus"] == testing.REMOVED_STATUS
    recipient = emulator.macie2(RECIPIENT)
    assert "administrator" not in recipient.get_administrator_account()
    assert recipient.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []


def test_accept_needs_a_pending_invitation_with_its_id(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    client = api.client(emulator, RECIPIENT, config=NO_RETRIES)
    accept = testing.emulated(api.name).accept

    with pytest.raises(ClientError) as wrong_id:
        accept(client, SENDER, "nope")
    api.decline(client, [SENDER])
    invitation_id = api.by_sender(emulator, RECIPIENT)[SENDER][api.invitation_id]
    with pytest.raises(ClientError) as declined:
        accept(client, SENDER, invitation_id)

    assert error_of(wrong_id) == api.error("not_found")
    assert error_of(declined) == api.error("conflict")


def test_invitations_count_counts_pending_only(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    senders = sender_ids(5)
    for sender in senders:
        emulator.send_invitations(sender, [RECIPIENT], service=api.name)
    client = api.client(emulator, RECIPIENT)
    api.decline(client, senders[:2])
    emulator.accept(RECIPIENT, senders[2], service=api.name)

    assert api.pending_count(client) == 2


def test_invitations_are_regional(emulator: testing.EmulatorControls, api: Api) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], region="us-east-1", service=api.name)
    west = api.client(emulator, RECIPIENT, region="eu-west-1")

    assert emulator.listed(RECIPIENT, region="eu-west-1", service=api.name) == []
    assert api.pending_count(west) == 0
    [entry] = api.decline(west, [SENDER])
    assert entry.code == client_error_code(api)
    assert api.by_sender(emulator, RECIPIENT)[SENDER][api.status] == "Invited"


def test_invitations_are_per_service(emulator: testing.EmulatorControls, api: Api) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)

    for other in testing.SERVICES:
        listed = [i for i in emulator.received(RECIPIENT, service=other)]
        assert len(listed) == (1 if other == api.name else 0), other


def test_one_sender_invites_several_recipients(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    recipients = sender_ids(3)

    assert emulator.send_invitations(SENDER, recipients, service=api.name) == []

    for recipient in recipients:
        assert list(api.by_sender(emulator, recipient)) == [SENDER]


def test_sender_cannot_invite_itself_or_a_bad_id(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    sender = api.client(emulator, SENDER, config=UNCHECKED)
    reply = testing.emulated(api.name).send(sender, [SENDER, "12345", RECIPIENT])

    entries = api.entries(reply)
    assert sorted(entry.account_id for entry in entries) == sorted(["12345", SENDER])
    assert {entry.code for entry in entries} == {client_error_code(api)}
    assert list(api.by_sender(emulator, RECIPIENT)) == [SENDER]


def test_reinviting_after_decline_makes_it_pending_again(
    emulator: testing.EmulatorControls, api: Api
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)
    api.decline(api.client(emulator, RECIPIENT), [SENDER])

    emulator.send_invitations(SENDER, [RECIPIENT], service=api.name)

    assert api.by_sender(emulator, RECIPIENT)[SENDER][api.status] == "Invited"


@pytest.mark.parametrize("operation", ["decline_invitations", "delete_invitations"])
@pytest.mark.parametrize("account_ids", [[], None], ids=["empty", "missing"])
def test_account_ids_are_required(
    emulator: testing.EmulatorControls, api: Api, operation: str, account_ids: list[str] | None
) -> None:
    client = api.client(emulator, RECIPIENT, config=UNCHECKED)
    kwargs = {} if account_ids is None else api.ids(account_ids)

    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(**kwargs)

    assert error_of(excinfo) == api.error("validation")


@pytest.mark.parametrize("operation", ["decline_invitations", "delete_invitations"])
def test_guardduty_takes_at_most_50_accounts_a_call(
    emulator: testing.EmulatorControls, operation: str
) -> None:
    api = Api("guardduty")
    client = api.client(emulator, RECIPIENT, config=UNCHECKED)
    for sender in sender_ids(51):
        emulator.seed_invitation(RECIPIENT, sender, status="Resigned", service="guardduty")

    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(**api.ids(sender_ids(51)))
    assert getattr(client, operation)(**api.ids(sender_ids(50)))["UnprocessedAccounts"] == []

    assert error_of(excinfo) == api.error("validation")
    assert "less than or equal to 50" in str(excinfo.value)


def test_plain_keys_act_as_moto_default_account(emulator: testing.EmulatorControls) -> None:
    plain = boto3.client(
        "macie2",
        region_name=REGION,
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    plain.create_invitations(accountIds=[RECIPIENT])

    assert list(Api("macie2").by_sender(emulator, RECIPIENT)) == [DEFAULT_ACCOUNT]


@pytest.mark.parametrize("status", ["Paused", "Enabled"])
def test_seeded_accepted_statuses_cannot_be_declined_or_deleted(
    emulator: testing.EmulatorControls, status: str
) -> None:
    emulator.seed_invitation(RECIPIENT, SENDER, status=status)
    client = emulator.macie2(RECIPIENT)

    declined = client.decline_invitations(accountIds=[SENDER])["unprocessedAccounts"]
    deleted = client.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"]

    assert [e["errorCode"] for e in declined + deleted] == ["ClientError", "ClientError"]
    assert Api("macie2").by_sender(emulator, RECIPIENT)[SENDER]["relationshipStatus"] == status
    assert client.get_administrator_account()["administrator"]["accountId"] == SENDER


ACCEPTED = {"macie2": ["Enabled", "Paused"], "guardduty": ["Enabled", "Disabled"]}
ACCEPTED["securityhub"] = ["Enabled"]
PENDING = {
    "macie2": ["Created", "EmailVerificationInProgress"],
    "guardduty": ["Created", "EmailVerificationInProgress"],
    "securityhub": ["Created"],
}


def test_seeded_statuses_of_each_service(emulator: testing.EmulatorControls, api: Api) -> None:
    """Accepted statuses can't be declined nor deleted; the other pending ones are counted
    and declinable, as Invited is."""
    for index, status in enumerate(ACCEPTED[api.name]):
        recipient = f"{700000000000 + index:012d}"
        emulator.seed_invitation(recipient, SENDER, status=status, service=api.name)
        client = api.client(emulator, recipient)
        refused = api.decline(client, [SENDER]) + api.delete(client, [SENDER])
        assert [e.code for e in refused] == [client_error_code(api)] * 2
        assert api.by_sender(emulator, recipient)[SENDER][api.status] == status
    for index, status in enumerate(PENDING[api.name]):
        recipient = f"{800000000000 + index:012d}"
        emulator.seed_invitation(recipient, SENDER, status=status, service=api.name)
        client = api.client(emulator, recipient)
        assert api.pending_count(client) == 1
        assert api.decline(client, [SENDER]) == []
        assert api.delete(client, [SENDER]) == []
        assert emulator.listed(recipient, service=api.name) == []


def test_seeding_rejects_unknown_status(emulator: testing.EmulatorControls, api: Api) -> None:
    with pytest.raises((ValueError, RuntimeError)):
        emulator.seed_invitation(RECIPIENT, SENDER, status="Declined", service=api.name)


def test_seeding_rejects_another_services_status(emulator: testing.EmulatorControls) -> None:
    with pytest.raises((ValueError, RuntimeError)):
        emulator.seed_invitation(RECIPIENT, SENDER, status="Paused", service="securityhub")
    with pytest.raises((ValueError, RuntimeError)):
        emulator.seed_invitation(RECIPIENT, SENDER, status="Deleted", service="macie2")


def test_an_unknown_service_is_refused(emulator: testing.EmulatorControls) -> None:
    with pytest.raises((ValueError, RuntimeError), match="service must be one of"):
        emulator.seed_invitation(RECIPIENT, SENDER, service="detective")

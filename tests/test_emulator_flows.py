"""The receiving side of Macie invitations, through real boto3 clients, in-process
(moto.mock_aws) and over HTTP (the emulator server): see the `emulator` fixture."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from pulumi_macie_invitations import testing

if TYPE_CHECKING:
    from mypy_boto3_macie2.type_defs import InvitationTypeDef

RECIPIENT = "222222222222"
SENDER = "111111111111"
OTHER_SENDER = "333333333333"
DEFAULT_ACCOUNT = "123456789012"
REGION = "us-east-1"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


def sender_ids(count: int) -> list[str]:
    return [f"{400000000000 + index:012d}" for index in range(count)]


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def by_sender(
    emulator: testing.EmulatorControls, recipient: str = RECIPIENT
) -> dict[str, InvitationTypeDef]:
    return {invitation["accountId"]: invitation for invitation in emulator.listed(recipient)}


def test_recipient_lists_what_the_sender_sent(emulator: testing.EmulatorControls) -> None:
    assert emulator.send_invitations(SENDER, [RECIPIENT]) == []

    [invitation] = emulator.listed(RECIPIENT)
    assert invitation["accountId"] == SENDER
    assert invitation["relationshipStatus"] == "Invited"
    assert isinstance(invitation["invitedAt"], datetime)
    assert invitation["invitedAt"].tzinfo is not None
    assert len(invitation["invitationId"]) > 0
    assert emulator.received(RECIPIENT) == [invitation]  # the inbox, read without a call
    # The sender received nothing: ListInvitations is the recipient's view.
    assert emulator.listed(SENDER) == []
    assert emulator.macie2(RECIPIENT).get_invitations_count()["invitationsCount"] == 1


def test_sixty_senders_come_in_pages_of_25_25_10(emulator: testing.EmulatorControls) -> None:
    senders = sender_ids(60)
    for sender in senders:
        emulator.send_invitations(sender, [RECIPIENT])
    client = emulator.macie2(RECIPIENT)

    pages: list[list[InvitationTypeDef]] = []
    token = None
    while True:
        kwargs: dict[str, Any] = {"nextToken": token} if token else {}
        reply = client.list_invitations(**kwargs)
        pages.append(reply["invitations"])
        token = reply.get("nextToken")
        if not token:
            break

    assert [len(page) for page in pages] == [25, 25, 10]
    assert [invitation["accountId"] for page in pages for invitation in page] == senders
    small = client.list_invitations(maxResults=7)
    assert len(small["invitations"]) == 7
    assert "nextToken" in small
    assert len(emulator.listed(RECIPIENT)) == 60


@pytest.mark.parametrize(
    "kwargs",
    [{"maxResults": 26}, {"maxResults": 0}, {"maxResults": -1}, {"nextToken": "not-a-token"}],
    ids=["26", "0", "negative", "bad-token"],
)
def test_list_rejects_bad_paging_input(
    emulator: testing.EmulatorControls, kwargs: dict[str, Any]
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    # Client-side validation off: botocore itself refuses maxResults < 1.
    config = NO_RETRIES.merge(Config(parameter_validation=False))
    client = emulator.macie2(RECIPIENT, config=config)

    with pytest.raises(ClientError) as excinfo:
        client.list_invitations(**kwargs)

    assert error_of(excinfo) == ("ValidationException", 400)


def test_decline_then_delete_removes_the_invitation(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.send_invitations(OTHER_SENDER, [RECIPIENT])
    client = emulator.macie2(RECIPIENT)

    assert client.decline_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    declined = by_sender(emulator)
    assert declined[SENDER]["relationshipStatus"] == testing.DECLINED_STATUS
    assert declined[OTHER_SENDER]["relationshipStatus"] == "Invited"
    assert client.get_invitations_count()["invitationsCount"] == 1

    assert client.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    assert list(by_sender(emulator)) == [OTHER_SENDER]


def test_declining_twice_is_harmless(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    client = emulator.macie2(RECIPIENT)
    client.decline_invitations(accountIds=[SENDER])

    assert client.decline_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    assert by_sender(emulator)[SENDER]["relationshipStatus"] == testing.DECLINED_STATUS


@pytest.mark.parametrize("state", ["pending", "missing", "accepted"])
def test_delete_refuses_what_was_not_declined(
    emulator: testing.EmulatorControls, state: str
) -> None:
    if state != "missing":
        emulator.send_invitations(SENDER, [RECIPIENT])
    if state == "accepted":
        emulator.accept(RECIPIENT, SENDER)
    before = by_sender(emulator)

    reply = emulator.macie2(RECIPIENT).delete_invitations(accountIds=[SENDER])

    [entry] = reply["unprocessedAccounts"]
    assert entry["accountId"] == SENDER
    assert entry["errorCode"] == "ClientError"
    assert entry["errorMessage"]
    assert by_sender(emulator) == before


@pytest.mark.parametrize("state", ["missing", "accepted"])
def test_decline_refuses_missing_and_accepted(
    emulator: testing.EmulatorControls, state: str
) -> None:
    if state == "accepted":
        emulator.send_invitations(SENDER, [RECIPIENT])
        emulator.accept(RECIPIENT, SENDER)
    before = by_sender(emulator)

    reply = emulator.macie2(RECIPIENT).decline_invitations(accountIds=[SENDER])

    assert [(e["accountId"], e["errorCode"]) for e in reply["unprocessedAccounts"]] == [
        (SENDER, "ClientError")
    ]
    assert by_sender(emulator) == before


def test_accepted_invitation_message_says_how_to_leave(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.accept(RECIPIENT, SENDER)

    reply = emulator.macie2(RECIPIENT).delete_invitations(accountIds=[SENDER])

    message = reply["unprocessedAccounts"][0]["errorMessage"]
    assert "administrator" in message
    assert "Disassociate" in message


def test_mixed_batch_processes_only_what_it_can(emulator: testing.EmulatorControls) -> None:
    senders = sender_ids(3)
    for sender in senders:
        emulator.send_invitations(sender, [RECIPIENT])
    client = emulator.macie2(RECIPIENT)
    client.decline_invitations(accountIds=senders[:2])

    reply = client.delete_invitations(accountIds=[*senders, "999999999999"])

    assert sorted(e["accountId"] for e in reply["unprocessedAccounts"]) == [
        senders[2],
        "999999999999",
    ]
    assert list(by_sender(emulator)) == [senders[2]]


def test_accept_then_disassociate(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.accept(RECIPIENT, SENDER)
    recipient, sender = emulator.macie2(RECIPIENT), emulator.macie2(SENDER)

    assert by_sender(emulator)[SENDER]["relationshipStatus"] == "Enabled"
    assert recipient.get_invitations_count()["invitationsCount"] == 0
    assert recipient.get_administrator_account()["administrator"]["accountId"] == SENDER
    [member] = sender.list_members()["members"]
    assert (member["accountId"], member["relationshipStatus"]) == (RECIPIENT, "Enabled")

    recipient.disassociate_from_administrator_account()

    assert by_sender(emulator)[SENDER]["relationshipStatus"] == testing.DECLINED_STATUS
    assert sender.list_members()["members"] == []
    assert "administrator" not in recipient.get_administrator_account()
    assert recipient.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    assert emulator.listed(RECIPIENT) == []


def test_disassociating_without_administrator_is_not_found(
    emulator: testing.EmulatorControls,
) -> None:
    with pytest.raises(ClientError) as excinfo:
        emulator.macie2(RECIPIENT, config=NO_RETRIES).disassociate_from_administrator_account()

    assert error_of(excinfo) == ("ResourceNotFoundException", 404)


def test_administrator_removing_the_member_leaves_a_deletable_invitation(
    emulator: testing.EmulatorControls,
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.accept(RECIPIENT, SENDER)

    emulator.macie2(SENDER).disassociate_member(id=RECIPIENT)

    assert by_sender(emulator)[SENDER]["relationshipStatus"] == testing.REMOVED_STATUS
    recipient = emulator.macie2(RECIPIENT)
    assert "administrator" not in recipient.get_administrator_account()
    assert recipient.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []


def test_accept_needs_a_pending_invitation_with_its_id(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    client = emulator.macie2(RECIPIENT, config=NO_RETRIES)

    with pytest.raises(ClientError) as wrong_id:
        client.accept_invitation(administratorAccountId=SENDER, invitationId="nope")
    client.decline_invitations(accountIds=[SENDER])
    invitation_id = by_sender(emulator)[SENDER]["invitationId"]
    with pytest.raises(ClientError) as declined:
        client.accept_invitation(administratorAccountId=SENDER, invitationId=invitation_id)

    assert error_of(wrong_id) == ("ResourceNotFoundException", 404)
    assert error_of(declined) == ("ConflictException", 409)


def test_invitations_count_counts_pending_only(emulator: testing.EmulatorControls) -> None:
    senders = sender_ids(5)
    for sender in senders:
        emulator.send_invitations(sender, [RECIPIENT])
    client = emulator.macie2(RECIPIENT)
    client.decline_invitations(accountIds=senders[:2])
    emulator.accept(RECIPIENT, senders[2])

    assert client.get_invitations_count()["invitationsCount"] == 2


def test_invitations_are_regional(emulator: testing.EmulatorControls) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT], region="us-east-1")
    west = emulator.macie2(RECIPIENT, region="eu-west-1")

    assert emulator.listed(RECIPIENT, region="eu-west-1") == []
    assert west.get_invitations_count()["invitationsCount"] == 0
    reply = west.decline_invitations(accountIds=[SENDER])
    assert reply["unprocessedAccounts"][0]["errorCode"] == "ClientError"
    assert by_sender(emulator)[SENDER]["relationshipStatus"] == "Invited"


def test_one_sender_invites_several_recipients(emulator: testing.EmulatorControls) -> None:
    recipients = sender_ids(3)

    assert emulator.send_invitations(SENDER, recipients) == []

    for recipient in recipients:
        assert list(by_sender(emulator, recipient)) == [SENDER]


def test_sender_cannot_invite_itself_or_a_bad_id(emulator: testing.EmulatorControls) -> None:
    reply = emulator.send_invitations(SENDER, [SENDER, "12345", RECIPIENT])

    assert sorted(entry["accountId"] for entry in reply) == sorted(["12345", SENDER])
    assert {entry["errorCode"] for entry in reply} == {"ClientError"}
    assert list(by_sender(emulator)) == [SENDER]


def test_reinviting_after_decline_makes_it_pending_again(
    emulator: testing.EmulatorControls,
) -> None:
    emulator.send_invitations(SENDER, [RECIPIENT])
    emulator.macie2(RECIPIENT).decline_invitations(accountIds=[SENDER])

    emulator.send_invitations(SENDER, [RECIPIENT])

    assert by_sender(emulator)[SENDER]["relationshipStatus"] == "Invited"


@pytest.mark.parametrize("operation", ["decline_invitations", "delete_invitations"])
@pytest.mark.parametrize("account_ids", [[], None], ids=["empty", "missing"])
def test_account_ids_are_required(
    emulator: testing.EmulatorControls, operation: str, account_ids: list[str] | None
) -> None:
    config = NO_RETRIES.merge(Config(parameter_validation=False))
    client = emulator.macie2(RECIPIENT, config=config)
    kwargs = {} if account_ids is None else {"accountIds": account_ids}

    with pytest.raises(ClientError) as excinfo:
        getattr(client, operation)(**kwargs)

    assert error_of(excinfo) == ("ValidationException", 400)


def test_plain_keys_act_as_moto_default_account(emulator: testing.EmulatorControls) -> None:
    plain = boto3.client(
        "macie2",
        region_name=REGION,
        endpoint_url=emulator.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    plain.create_invitations(accountIds=[RECIPIENT])

    assert list(by_sender(emulator)) == [DEFAULT_ACCOUNT]


@pytest.mark.parametrize("status", ["Paused", "Enabled"])
def test_seeded_accepted_statuses_cannot_be_declined_or_deleted(
    emulator: testing.EmulatorControls, status: str
) -> None:
    emulator.seed_invitation(RECIPIENT, SENDER, status=status)
    client = emulator.macie2(RECIPIENT)

    declined = client.decline_invitations(accountIds=[SENDER])["unprocessedAccounts"]
    deleted = client.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"]

    assert [e["errorCode"] for e in declined + deleted] == ["ClientError", "ClientError"]
    assert by_sender(emulator)[SENDER]["relationshipStatus"] == status
    assert client.get_administrator_account()["administrator"]["accountId"] == SENDER


@pytest.mark.parametrize("status", ["Created", "EmailVerificationInProgress"])
def test_seeded_pending_statuses_are_counted_and_declinable(
    emulator: testing.EmulatorControls, status: str
) -> None:
    emulator.seed_invitation(RECIPIENT, SENDER, status=status)
    client = emulator.macie2(RECIPIENT)

    assert client.get_invitations_count()["invitationsCount"] == 1
    assert client.decline_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    assert client.delete_invitations(accountIds=[SENDER])["unprocessedAccounts"] == []
    assert emulator.listed(RECIPIENT) == []


def test_seeding_rejects_unknown_status(emulator: testing.EmulatorControls) -> None:
    with pytest.raises((ValueError, RuntimeError)):
        emulator.seed_invitation(RECIPIENT, SENDER, status="Declined")

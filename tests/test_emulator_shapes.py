"""The emulator's replies match botocore's output shapes of each service (macie2,
guardduty, securityhub): the raw JSON on the wire (types, required members, no unknown
keys) and the reply boto3 parses from it; botocore's paginator pages at each bound."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape
from pulumi_macie_invitations import testing

from .emulator_api import Api

MODEL = botocore.session.get_session().get_service_model("macie2")
RECIPIENT = "222222222222"
SENDER = "111111111111"

WIRE_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "long": int,
    "boolean": bool,
    "double": (int, float),
    "float": (int, float),
    "timestamp": (str, int, float),
}
PARSED_TYPES: dict[str, type | tuple[type, ...]] = {**WIRE_TYPES, "timestamp": datetime}


class ShapeMismatchError(AssertionError):
    """The value differs from the shape."""


def check_shape(shape: Shape, value: object, *, wire: bool, path: str = "$") -> None:
    """Walk `value` along `shape`; raise ShapeMismatchError at the first difference."""
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            raise ShapeMismatchError(f"{path}: expected an object, got {value!r}")
        names = {
            (member.serialization.get("name", name) if wire else name): member
            for name, member in shape.members.items()
        }
        unknown = set(value) - set(names) - ({"ResponseMetadata"} if path == "$" else set())
        if unknown:
            raise ShapeMismatchError(f"{path}: unknown members {sorted(unknown)}")
        required = {
            shape.members[name].serialization.get("name", name) if wire else name
            for name in shape.required_members
        }
        missing = required - set(value)
        if missing:
            raise ShapeMismatchError(f"{path}: missing required members {sorted(missing)}")
        for name, member in names.items():
            if name in value:
                check_shape(member, value[name], wire=wire, path=f"{path}.{name}")
    elif isinstance(shape, ListShape):
        if not isinstance(value, list):
            raise ShapeMismatchError(f"{path}: expected a list, got {value!r}")
        for index, item in enumerate(value):
            check_shape(shape.member, item, wire=wire, path=f"{path}[{index}]")
    elif isinstance(shape, MapShape):
        if not isinstance(value, dict):
            raise ShapeMismatchError(f"{path}: expected a map, got {value!r}")
        for key, item in value.items():
            check_shape(shape.key, key, wire=wire, path=f"{path}<key>")
            check_shape(shape.value, item, wire=wire, path=f"{path}[{key!r}]")
    else:
        expected = (WIRE_TYPES if wire else PARSED_TYPES)[shape.type_name]
        if isinstance(value, bool) and shape.type_name != "boolean":
            raise ShapeMismatchError(f"{path}: expected {shape.type_name}, got a boolean")
        if not isinstance(value, expected):
            raise ShapeMismatchError(f"{path}: expected {shape.type_name}, got {value!r}")
        if isinstance(shape, StringShape) and shape.enum and value not in shape.enum:
            raise ShapeMismatchError(f"{path}: {value!r} is not one of {shape.enum}")
        if wire and shape.type_name == "timestamp" and isinstance(value, str):
            datetime.fromisoformat(value.replace("Z", "+00:00"))


def output_shape(operation: str, service: str = "macie2") -> StructureShape:
    model = MODEL if service == "macie2" else Api(service).model
    shape = model.operation_model(operation).output_shape
    assert shape is not None
    return shape


class WireCapture:
    """Keeps the raw body of each reply a client receives, by operation name."""

    def __init__(self, client: Any) -> None:
        self.bodies: dict[str, Any] = {}
        self.service = client.meta.service_model.service_name
        client.meta.events.register(f"before-parse.{self.service}.*", self._keep)

    def _keep(self, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        body = response_dict["body"]
        self.bodies[operation_model.name] = json.loads(body) if body else {}


def check_reply(operation: str, reply: Any, capture: WireCapture) -> None:
    shape = output_shape(operation, capture.service)
    check_shape(shape, capture.bodies[operation], wire=True)
    check_shape(shape, reply, wire=False)


# -- the checker can fail ------------------------------------------------------------


INVITATION = {
    "accountId": SENDER,
    "invitationId": "abc",
    "invitedAt": "2024-05-01T10:00:00.000Z",
    "relationshipStatus": "Invited",
}


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ({"invitations": [{**INVITATION, "extra": 1}]}, "unknown members"),
        ({"invitations": [{**INVITATION, "relationshipStatus": "Declined"}]}, "is not one of"),
        ({"invitations": [{**INVITATION, "accountId": 111}]}, "expected string"),
        ({"invitations": {"a": 1}}, "expected a list"),
        ({"invitations": [], "nextToken": True}, "got a boolean"),
    ],
)
def test_checker_rejects_wrong_replies(value: object, complaint: str) -> None:
    with pytest.raises(ShapeMismatchError, match=complaint):
        check_shape(output_shape("ListInvitations"), value, wire=True)


def test_checker_rejects_missing_required_member() -> None:
    shape = MODEL.operation_model("DeleteInvitations").input_shape
    assert shape is not None

    with pytest.raises(ShapeMismatchError, match="missing required"):
        check_shape(shape, {}, wire=True)


def test_checker_rejects_unparsed_timestamp_and_bad_count() -> None:
    with pytest.raises(ShapeMismatchError, match="expected timestamp"):
        check_shape(output_shape("ListInvitations"), {"invitations": [INVITATION]}, wire=False)
    with pytest.raises(ShapeMismatchError, match="expected long"):
        check_shape(output_shape("GetInvitationsCount"), {"invitationsCount": "1"}, wire=True)


def test_checker_accepts_a_valid_reply() -> None:
    check_shape(output_shape("ListInvitations"), {"invitations": [INVITATION]}, wire=True)


# -- the emulator's replies ----------------------------------------------------------


def test_every_invitation_operation_replies_in_shape(emulator: testing.EmulatorControls) -> None:
    sender, recipient = emulator.macie2(SENDER), emulator.macie2(RECIPIENT)
    sent, received = WireCapture(sender), WireCapture(recipient)
    other = "333333333333"

    check_reply(
        "CreateInvitations",
        sender.create_invitations(accountIds=[RECIPIENT, SENDER]),
        sent,
    )
    emulator.send_invitations(other, [RECIPIENT])
    listed = recipient.list_invitations(maxResults=1)
    assert "nextToken" in listed
    check_reply("ListInvitations", listed, received)
    check_reply("GetInvitationsCount", recipient.get_invitations_count(), received)
    invitation_id = {
        invitation["accountId"]: invitation["invitationId"]
        for invitation in emulator.listed(RECIPIENT)
    }[SENDER]
    check_reply(
        "AcceptInvitation",
        recipient.accept_invitation(administratorAccountId=SENDER, invitationId=invitation_id),
        received,
    )
    check_reply("GetAdministratorAccount", recipient.get_administrator_account(), received)
    check_reply("ListMembers", sender.list_members(), sent)
    declined = recipient.decline_invitations(accountIds=[other, SENDER, "999999999999"])
    assert len(declined["unprocessedAccounts"]) == 2
    check_reply("DeclineInvitations", declined, received)
    deleted = recipient.delete_invitations(accountIds=[other, SENDER])
    assert len(deleted["unprocessedAccounts"]) == 1
    check_reply("DeleteInvitations", deleted, received)
    check_reply(
        "DisassociateFromAdministratorAccount",
        recipient.disassociate_from_administrator_account(),
        received,
    )
    check_reply("ListInvitations", recipient.list_invitations(), received)
    assert received.bodies["ListInvitations"]["invitations"][0]["relationshipStatus"] == (
        "Resigned"
    )


WIRE_LISTING = {
    "guardduty": ("invitations", "relationshipStatus"),
    "securityhub": ("Invitations", "MemberStatus"),
}
"""ListInvitations' list and an invitation's status, as each service writes them."""


@pytest.mark.parametrize("service", ["guardduty", "securityhub"])
def test_the_others_invitation_operations_reply_in_shape(
    emulator: testing.EmulatorControls, service: str
) -> None:
    api, other = Api(service), "333333333333"
    sender, recipient = api.client(emulator, SENDER), api.client(emulator, RECIPIENT)
    sent, received = WireCapture(sender), WireCapture(recipient)
    detector: dict[str, str] = {}
    if api.name == "guardduty":
        detector = {"DetectorId": sender.create_detector(Enable=True)["DetectorId"]}
    invited = sender.invite_members(**detector, AccountIds=[RECIPIENT, SENDER])
    check_reply("InviteMembers", invited, sent)
    assert [e.account_id for e in api.unprocessed(invited)] == [SENDER]
    emulator.send_invitations(other, [RECIPIENT], service=api.name)
    listed = recipient.list_invitations(**{api.max_results: 1})
    assert api.next_token in listed
    check_reply("ListInvitations", listed, received)
    check_reply("GetInvitationsCount", recipient.get_invitations_count(), received)
    declined = recipient.decline_invitations(**api.ids([other, "999999999999"]))
    assert len(api.unprocessed(declined)) == 1
    check_reply("DeclineInvitations", declined, received)
    deleted = recipient.delete_invitations(**api.ids([other, SENDER]))
    assert len(api.unprocessed(deleted)) == 1
    check_reply("DeleteInvitations", deleted, received)
    emulator.accept(RECIPIENT, SENDER, service=api.name)
    if api.name == "guardduty":
        detector = {"DetectorId": recipient.list_detectors()["DetectorIds"][0]}
    check_reply(
        "GetAdministratorAccount", recipient.get_administrator_account(**detector), received
    )
    check_reply(
        "DisassociateFromAdministratorAccount",
        recipient.disassociate_from_administrator_account(**detector),
        received,
    )
    check_reply("ListInvitations", recipient.list_invitations(), received)
    listing, status = WIRE_LISTING[service]
    [invitation] = received.bodies["ListInvitations"][listing]
    assert invitation[status] == "Resigned"


def test_the_paginator_pages_at_the_bound(emulator: testing.EmulatorControls, api: Api) -> None:
    senders = [f"{400000000000 + index:012d}" for index in range(api.page_size * 2 + 1)]
    for sender in senders:
        emulator.seed_invitation(RECIPIENT, sender, service=api.name)
    client = api.client(emulator, RECIPIENT)
    capture = WireCapture(client)
    emulator.clear_calls()

    pages = list(client.get_paginator("list_invitations").paginate())

    assert [len(page[api.invitations]) for page in pages] == [api.page_size, api.page_size, 1]
    for page in pages:
        check_shape(output_shape("ListInvitations", api.name), page, wire=False)
    check_reply("ListInvitations", pages[-1], capture)
    listed = [invitation[api.account_id] for page in pages for invitation in page[api.invitations]]
    assert listed == senders
    assert len(emulator.calls("ListInvitations", service=api.name)) == 3

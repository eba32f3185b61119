"""What the emulator tests need to know of each service's invitation API, read from
botocore's models (not from the emulator's own facts): boto3's member names, the page
bound, and the errors each service answers."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.model import ListShape, ServiceModel, StructureShape
from pulumi_macie_invitations import testing

SERVICES = testing.SERVICES


@dataclass(frozen=True)
class Entry:
    """One unprocessed account of a reply; ``code`` only where the service has one."""

    account_id: str
    message: str
    code: str | None


@dataclass(frozen=True)
class Error:
    code: str
    status: int


ERRORS: dict[str, dict[str, Error]] = {
    "macie2": {
        "validation": Error("ValidationException", 400),
        "not_found": Error("ResourceNotFoundException", 404),
        "conflict": Error("ConflictException", 409),
        "throttling": Error("ThrottlingException", 429),
        "internal": Error("InternalServerException", 500),
    },
    "guardduty": {
        "validation": Error("BadRequestException", 400),
        "not_found": Error("BadRequestException", 400),
        "conflict": Error("BadRequestException", 400),
        "throttling": Error("ThrottlingException", 429),
        "internal": Error("InternalServerErrorException", 500),
    },
    "securityhub": {
        "validation": Error("InvalidInputException", 400),
        "not_found": Error("ResourceNotFoundException", 404),
        "conflict": Error("InvalidInputException", 400),
        "throttling": Error("LimitExceededException", 429),
        "internal": Error("InternalException", 500),
    },
}
"""What each service answers: the model's errors where it names them (GuardDuty names no
throttling error: AWS's common ThrottlingException)."""


def _only(shape: StructureShape, type_name: str) -> str:
    [name] = [name for name, member in shape.members.items() if member.type_name == type_name]
    return name


def _named(shape: StructureShape, lowered: str) -> str:
    return next(name for name in shape.members if name.lower() == lowered)


@dataclass(frozen=True)
class Api:
    """One service's invitation API as boto3 spells it."""

    name: str

    @functools.cached_property
    def model(self) -> ServiceModel:
        return botocore.session.get_session().get_service_model(self.name)

    def _output(self, operation: str) -> StructureShape:
        shape = self.model.operation_model(operation).output_shape
        assert isinstance(shape, StructureShape)
        return shape

    def _input(self, operation: str) -> StructureShape:
        shape = self.model.operation_model(operation).input_shape
        assert isinstance(shape, StructureShape)
        return shape

    @property
    def invitations(self) -> str:
        """ListInvitations' list."""
        return _only(self._output("ListInvitations"), "list")

    @property
    def _item(self) -> StructureShape:
        items = self._output("ListInvitations").members[self.invitations]
        assert isinstance(items, ListShape)
        assert isinstance(items.member, StructureShape)
        return items.member

    @property
    def account_id(self) -> str:
        return _named(self._item, "accountid")

    @property
    def invitation_id(self) -> str:
        return _named(self._item, "invitationid")

    @property
    def invited_at(self) -> str:
        return _named(self._item, "invitedat")

    @property
    def status(self) -> str:
        return next(name for name in self._item.members if name.lower().endswith("status"))

    @property
    def account_ids(self) -> str:
        """DeclineInvitations' (and DeleteInvitations') list of senders."""
        return _only(self._input("DeclineInvitations"), "list")

    @property
    def max_results(self) -> str:
        return _named(self._input("ListInvitations"), "maxresults")

    @property
    def next_token(self) -> str:
        return _named(self._input("ListInvitations"), "nexttoken")

    @property
    def page_size(self) -> int:
        bound: int = self._input("ListInvitations").members[self.max_results].metadata["max"]
        return bound

    @property
    def count(self) -> str:
        return _only(self._output("GetInvitationsCount"), self._count_type)

    @property
    def _count_type(self) -> str:
        [member] = self._output("GetInvitationsCount").members.values()
        return member.type_name

    def error(self, kind: str) -> tuple[str, int]:
        error = ERRORS[self.name][kind]
        return error.code, error.status

    def client(self, emulator: testing.EmulatorControls, account: str, **kwargs: Any) -> Any:
        return emulator.client(self.name, account, **kwargs)

    def ids(self, account_ids: list[str]) -> dict[str, list[str]]:
        """The keyword arguments of DeclineInvitations/DeleteInvitations for these senders."""
        return {self.account_ids: account_ids}

    def unprocessed(self, reply: dict[str, Any]) -> list[Entry]:
        """The reply's unprocessed accounts."""
        name = _only(self._output("DeclineInvitations"), "list")
        return self.entries(reply.get(name, []))

    @staticmethod
    def entries(entries: list[dict[str, str]]) -> list[Entry]:
        """Unprocessed accounts, in any service's shape."""
        return [
            Entry(
                entry[_named_in(entry, "accountid")],
                next(
                    v
                    for k, v in entry.items()
                    if k.lower() in ("errormessage", "result", "processingresult")
                ),
                entry.get("errorCode"),
            )
            for entry in entries
        ]

    def decline(self, client: Any, account_ids: list[str]) -> list[Entry]:
        return self.unprocessed(client.decline_invitations(**self.ids(account_ids)))

    def delete(self, client: Any, account_ids: list[str]) -> list[Entry]:
        return self.unprocessed(client.delete_invitations(**self.ids(account_ids)))

    def pending_count(self, client: Any) -> int:
        count: int = client.get_invitations_count()[self.count]
        return count

    def by_sender(
        self, emulator: testing.EmulatorControls, recipient: str, region: str = "us-east-1"
    ) -> dict[str, dict[str, Any]]:
        """What ``recipient`` lists (ListInvitations), by sender."""
        listed = emulator.listed(recipient, region, service=self.name)
        return {i[self.account_id]: dict(i) for i in listed}  # type: ignore[literal-required]

    def statuses(self, invitations: list[Any], key: str | None = None) -> dict[str, str]:
        """Sender -> status of listed (or received) invitations."""
        return {i[self.account_id]: i[key or self.status] for i in invitations}

    def __str__(self) -> str:
        return self.name


def _named_in(entry: dict[str, str], lowered: str) -> str:
    return next(name for name in entry if name.lower() == lowered)


APIS = [Api(name) for name in SERVICES]

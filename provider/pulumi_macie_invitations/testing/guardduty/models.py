"""moto's GuardDuty backend with invitations, and GuardDuty's facts.

moto models GuardDuty's detectors, filters and organization administrators, no
invitations: here a sender invites with ``InviteMembers`` on one of its detectors (the
emulator doesn't require ``CreateMembers`` first) and the recipient lists, declines,
deletes, counts and accepts (on one of its detectors) them. GuardDuty doesn't say whether
delete needs a decline first: it is offered in every decline mode, ``deletes-pending``
included (see :mod:`..core.inbox`).
"""

from __future__ import annotations

from typing import Any, Final

from moto.guardduty.models import GuardDutyBackend

from ..core.inbox import ReceivingBackend, invitation_backends
from ..core.registry import EmulatedService
from ..core.service import (
    DECLINE_MODES_UNDOCUMENTED,
    InvitationService,
    ServiceErrors,
    Unprocessed,
    wire_names,
)
from ..exceptions import AccessDeniedException
from .exceptions import BadRequestException, InternalServerErrorException, ThrottlingException

__all__ = ["EMULATED", "GUARDDUTY", "GuardDutyInvitationsBackend"]

PENDING: Final = frozenset({"Invited", "Created", "EmailVerificationInProgress"})
ACCEPTED: Final = frozenset({"Enabled", "Disabled"})


def _unprocessed(entry: Unprocessed) -> dict[str, str]:
    return {"accountId": entry.account_id, "result": entry.error_message}


GUARDDUTY: Final = InvitationService(
    name="guardduty",
    title="GuardDuty",
    page_size=50,
    account_ids_bound=50,
    wire=wire_names("relationshipStatus"),
    statuses=frozenset({*PENDING, *ACCEPTED, "Removed", "Resigned", "EmailVerificationFailed"}),
    pending=PENDING,
    accepted=ACCEPTED,
    errors=ServiceErrors(
        validation=BadRequestException,
        not_found=BadRequestException,
        conflict=BadRequestException,
        throttling=ThrottlingException,
        internal=InternalServerErrorException,
        denied=AccessDeniedException,
        by_status={400: BadRequestException, 500: InternalServerErrorException},
    ),
    unprocessed=_unprocessed,
    invite_operation="InviteMembers",
    decline_modes=DECLINE_MODES_UNDOCUMENTED,
)
"""GuardDuty's facts (botocore's guardduty model)."""


class GuardDutyInvitationsBackend(ReceivingBackend, GuardDutyBackend):
    """moto's GuardDuty backend for one (account, region), plus invitations."""

    service = GUARDDUTY


guardduty_invitation_backends = invitation_backends(GuardDutyInvitationsBackend)


def _detector_id(client: Any) -> str:  # noqa: ANN401
    """The account's detector (one made if it has none): invitations are sent and accepted
    on one."""
    detectors: list[str] = client.list_detectors()["DetectorIds"]
    return detectors[0] if detectors else str(client.create_detector(Enable=True)["DetectorId"])


def _send(client: Any, recipients: list[str]) -> list[dict[str, str]]:  # noqa: ANN401
    reply = client.invite_members(DetectorId=_detector_id(client), AccountIds=recipients)
    unprocessed: list[dict[str, str]] = reply["UnprocessedAccounts"]
    return unprocessed


def _accept(client: Any, sender: str, invitation_id: str) -> None:  # noqa: ANN401
    client.accept_administrator_invitation(
        DetectorId=_detector_id(client), AdministratorId=sender, InvitationId=invitation_id
    )


EMULATED: Final = EmulatedService.of(
    GUARDDUTY, guardduty_invitation_backends, send=_send, accept=_accept
)

"""moto's Security Hub backend with invitations, and Security Hub's facts.

moto models Security Hub's hub, findings, organization administrator and members
(``CreateMembers`` makes them ``ENABLED`` at once), no invitations: here a sender invites
with ``InviteMembers`` (the emulator doesn't require ``CreateMembers`` first) and the
recipient lists, declines, deletes, counts and accepts them. Security Hub says accounts of
an AWS organization don't receive invitations (the organization manages them); the calls
work for accounts managed by invitation, which is what is emulated. Security Hub doesn't
say whether delete needs a decline first: it is offered in every decline mode,
``deletes-pending`` included (see :mod:`..core.inbox`).
"""

from __future__ import annotations

from typing import Any, Final

from moto.securityhub.models import SecurityHubBackend

from ..core.inbox import ReceivingBackend, invitation_backends
from ..core.registry import EmulatedService
from ..core.service import (
    DECLINE_MODES_UNDOCUMENTED,
    InvitationService,
    ServiceErrors,
    Unprocessed,
    wire_names,
)
from .exceptions import (
    AccessDeniedException,
    InternalException,
    InvalidAccessException,
    InvalidInputException,
    LimitExceededException,
    ResourceConflictException,
    ResourceNotFoundException,
)

__all__ = ["EMULATED", "SECURITYHUB", "SecurityHubInvitationsBackend"]

PENDING: Final = frozenset({"Invited", "Created"})
ACCEPTED: Final = frozenset({"Enabled"})


def _unprocessed(entry: Unprocessed) -> dict[str, str]:
    return {"AccountId": entry.account_id, "ProcessingResult": entry.error_message}


SECURITYHUB: Final = InvitationService(
    name="securityhub",
    title="Security Hub",
    page_size=50,
    account_ids_bound=None,
    wire=wire_names("MemberStatus", capitalized=True),
    statuses=frozenset({*PENDING, *ACCEPTED, "Removed", "Resigned", "Deleted", "AccountSuspended"}),
    pending=PENDING,
    accepted=ACCEPTED,
    errors=ServiceErrors(
        validation=InvalidInputException,
        not_found=ResourceNotFoundException,
        conflict=InvalidInputException,
        throttling=LimitExceededException,
        internal=InternalException,
        denied=AccessDeniedException,
        by_status={
            error.code: error
            for error in (
                InvalidInputException,
                InvalidAccessException,
                AccessDeniedException,
                ResourceNotFoundException,
                ResourceConflictException,
                LimitExceededException,
                InternalException,
            )
        },
    ),
    unprocessed=_unprocessed,
    invite_operation="InviteMembers",
    decline_modes=DECLINE_MODES_UNDOCUMENTED,
)
"""Security Hub's facts (botocore's securityhub model)."""


class SecurityHubInvitationsBackend(ReceivingBackend, SecurityHubBackend):
    """moto's Security Hub backend for one (account, region), plus invitations."""

    service = SECURITYHUB


securityhub_invitation_backends = invitation_backends(SecurityHubInvitationsBackend)


def _send(client: Any, recipients: list[str]) -> list[dict[str, str]]:  # noqa: ANN401
    unprocessed: list[dict[str, str]] = client.invite_members(AccountIds=recipients).get(
        "UnprocessedAccounts", []
    )
    return unprocessed


def _accept(client: Any, sender: str, invitation_id: str) -> None:  # noqa: ANN401
    client.accept_administrator_invitation(AdministratorId=sender, InvitationId=invitation_id)


EMULATED: Final = EmulatedService.of(
    SECURITYHUB, securityhub_invitation_backends, send=_send, accept=_accept
)

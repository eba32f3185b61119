"""moto's Macie2 backend with the receiving side of invitations, and Macie's facts.

moto stores an invitation only on the sender's backend, keyed by recipient, and its
``ListInvitations`` shows the sender's view. :class:`InvitationsBackend` keeps all of that
(``CreateInvitations``, ``ListMembers``, ``DeleteMember``... behave as in moto) and also
delivers each invitation to the recipient's inbox (see :mod:`..core.inbox`). Macie
documents "only a declined invitation can be deleted": its decline modes are the three
readings of what a declined invitation looks like afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from moto.macie2.models import Invitation, MacieBackend, Member

from ..core.inbox import ReceivedInvitation, ReceivingBackend, invitation_backends
from ..core.registry import EmulatedService
from ..core.service import InvitationService, ServiceErrors, Unprocessed, wire_names
from ..exceptions import AccessDeniedException
from .exceptions import (
    ConflictException,
    InternalServerException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ThrottlingException,
    ValidationException,
)

__all__ = ["EMULATED", "MACIE2", "InvitationsBackend", "macie2_invitation_backends"]

PENDING: Final = frozenset({"Invited", "Created", "EmailVerificationInProgress"})
ACCEPTED: Final = frozenset({"Enabled", "Paused"})


def _unprocessed(entry: Unprocessed) -> dict[str, str]:
    return {
        "accountId": entry.account_id,
        "errorCode": entry.error_code,
        "errorMessage": entry.error_message,
    }


MACIE2: Final = InvitationService(
    name="macie2",
    title="Macie",
    page_size=25,
    account_ids_bound=None,
    wire=wire_names("relationshipStatus"),
    statuses=frozenset(
        {
            *PENDING,
            *ACCEPTED,
            "Resigned",
            "Removed",
            "EmailVerificationFailed",
            "RegionDisabled",
            "AccountSuspended",
        }
    ),
    pending=PENDING,
    accepted=ACCEPTED,
    errors=ServiceErrors(
        validation=ValidationException,
        not_found=ResourceNotFoundException,
        conflict=ConflictException,
        throttling=ThrottlingException,
        internal=InternalServerException,
        denied=AccessDeniedException,
        by_status={
            error.code: error
            for error in (
                ValidationException,
                ServiceQuotaExceededException,
                AccessDeniedException,
                ResourceNotFoundException,
                ConflictException,
                ThrottlingException,
                InternalServerException,
            )
        },
    ),
    unprocessed=_unprocessed,
    invite_operation="CreateInvitations",
)
"""Macie's facts (botocore's macie2 model)."""


class InvitationsBackend(ReceivingBackend, MacieBackend):
    """moto's Macie2 backend for one (account, region), plus the invitations it received.

    moto's own records stay true: the sender keeps its ``Invitation`` until the recipient
    answers it, accepting makes a ``Member`` on the sender and the recipient's
    ``administrator_account``.
    """

    service = MACIE2

    def _record_sent(self, recipient: str) -> tuple[str, datetime]:
        sent = Invitation(recipient, self.region_name, self.account_id)
        self.invitations[recipient] = sent
        return sent.invitation_id, sent.invited_at

    def _answered(self, sender: str, invitation: ReceivedInvitation) -> None:
        """Drop the sender's own record of an invitation that was answered (as moto does)."""
        sent = self._peer(sender).invitations  # type: ignore[attr-defined]
        if self.account_id in sent and sent[self.account_id].invitation_id == (
            invitation.invitation_id
        ):
            del sent[self.account_id]

    def _administrator(self) -> str | None:
        administrator = self.administrator_account
        return None if administrator is None else str(administrator.administrator_account_id)

    def _associate(self, invitation: ReceivedInvitation) -> None:
        sender = invitation.sender_account_id
        member = Member(self.account_id, self.region_name, sender, invitation)  # type: ignore[arg-type]
        self._peer(sender).members[self.account_id] = member  # type: ignore[attr-defined]
        self.administrator_account = member

    def _dissociate(self, administrator_id: str) -> None:
        self._peer(administrator_id).members.pop(self.account_id, None)  # type: ignore[attr-defined]
        self.administrator_account = None

    def _cannot_invite(self, recipient: str) -> str | None:
        if recipient in self.members:
            return f"Account {recipient} is already a member of this organization."
        return super()._cannot_invite(recipient)

    # moto's own entry points, answered from the inbox

    def create_invitations(self, account_ids: list[str]) -> None:
        """moto's signature; the invitations are delivered as ``send_invitations`` does."""
        self.send_invitations(account_ids)

    def list_invitations(self) -> list[Any]:
        """The received invitations (moto lists the sent ones)."""
        return list(self.list_received_invitations())

    def get_invitations_count(self) -> int:
        """How many received invitations are pending."""
        return self.count_pending_invitations()

    def decline_invitations(self, account_ids: list[str]) -> None:
        """moto's signature; see ``decline_received_invitations``."""
        self.decline_received_invitations(account_ids)

    def accept_invitation(self, administrator_account_id: str, invitation_id: str) -> None:
        """moto's signature; see ``accept_received_invitation``."""
        self.accept_received_invitation(administrator_account_id, invitation_id)

    def delete_member(self, member_account_id: str) -> None:
        """moto's DeleteMember; the member's invitation becomes ``Removed``."""
        super().delete_member(member_account_id)
        self.end_membership(member_account_id)

    def disassociate_member(self, member_account_id: str) -> None:
        """moto's DisassociateMember; the member's invitation becomes ``Removed``."""
        super().disassociate_member(member_account_id)
        self.end_membership(member_account_id)

    def disable_macie(self) -> None:
        """moto's DisableMacie; received invitations are dropped too."""
        super().disable_macie()
        self.received.clear()


macie2_invitation_backends = invitation_backends(InvitationsBackend)


def _send(client: Any, recipients: list[str]) -> list[dict[str, str]]:  # noqa: ANN401
    reply = client.create_invitations(accountIds=recipients)
    unprocessed: list[dict[str, str]] = reply.get("unprocessedAccounts", [])
    return unprocessed


def _accept(client: Any, sender: str, invitation_id: str) -> None:  # noqa: ANN401
    client.accept_invitation(administratorAccountId=sender, invitationId=invitation_id)


EMULATED: Final = EmulatedService.of(MACIE2, macie2_invitation_backends, send=_send, accept=_accept)

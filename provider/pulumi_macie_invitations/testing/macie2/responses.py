"""Macie's request handlers: moto's ``MacieResponse`` with the shared receiving side."""

from __future__ import annotations

from moto.macie2.responses import MacieResponse

from ..core.responses import InboxResponse
from .models import MACIE2, InvitationsBackend, macie2_invitation_backends

__all__ = ["InvitationsResponse"]


class InvitationsResponse(InboxResponse, MacieResponse):
    """moto's Macie2 handlers on :class:`~.models.InvitationsBackend`, with faults and a log."""

    service = MACIE2
    backends = macie2_invitation_backends

    @property
    def macie_backend(self) -> InvitationsBackend:
        """moto's name for the calling account's backend."""
        return self.backends[self.current_account][self.region]

    def create_invitations(self) -> str:
        """CreateInvitations, reporting the accounts that can't be invited."""
        return self.send_reply()

    def accept_invitation(self) -> str:
        """AcceptInvitation (``administratorAccountId``, or the deprecated ``masterAccount``)."""
        return self.accept_reply(("administratorAccountId", "masterAccount"), "invitationId")

    def get_administrator_account(self) -> str:
        """GetAdministratorAccount, with the invitation that made the association."""
        return self.administrator_reply(super().get_administrator_account)

    def disassociate_from_administrator_account(self) -> str:
        """DisassociateFromAdministratorAccount: leave the current administrator."""
        return self.leave_reply()

    def disassociate_from_master_account(self) -> str:
        """DisassociateFromMasterAccount, the deprecated name of the same operation."""
        return self.leave_reply()

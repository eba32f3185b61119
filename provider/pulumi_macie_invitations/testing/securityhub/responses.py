"""Security Hub's request handlers: moto's ``SecurityHubResponse`` with invitations."""

from __future__ import annotations

from moto.securityhub.responses import SecurityHubResponse

from ..core.responses import InboxResponse
from .models import SECURITYHUB, SecurityHubInvitationsBackend, securityhub_invitation_backends

__all__ = ["SecurityHubInvitationsResponse"]


class SecurityHubInvitationsResponse(InboxResponse, SecurityHubResponse):
    """moto's Security Hub handlers on :class:`~.models.SecurityHubInvitationsBackend`."""

    service = SECURITYHUB
    backends = securityhub_invitation_backends

    @property
    def securityhub_backend(self) -> SecurityHubInvitationsBackend:
        """moto's name for the calling account's backend."""
        return self.backends[self.current_account][self.region]

    def invite_members(self) -> str:
        """InviteMembers: the sender invites accounts (no CreateMembers needed first)."""
        return self.send_reply()

    def accept_administrator_invitation(self) -> str:
        """AcceptAdministratorInvitation."""
        return self.accept_reply(("AdministratorId",), "InvitationId")

    def accept_invitation(self) -> str:
        """AcceptInvitation, the deprecated name (``MasterId``)."""
        return self.accept_reply(("MasterId",), "InvitationId")

    def get_administrator_account(self) -> str:
        """GetAdministratorAccount: the invitation that made the association, else moto's."""
        return self.administrator_reply(super().get_administrator_account)

    def disassociate_from_administrator_account(self) -> str:
        """DisassociateFromAdministratorAccount: leave the current administrator."""
        return self.leave_reply()

    def disassociate_from_master_account(self) -> str:
        """DisassociateFromMasterAccount, the deprecated name of the same operation."""
        return self.leave_reply()

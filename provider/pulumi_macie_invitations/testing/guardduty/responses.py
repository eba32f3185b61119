"""GuardDuty's request handlers: moto's ``GuardDutyResponse`` with invitations."""

from __future__ import annotations

from moto.guardduty.responses import GuardDutyResponse

from ..core.responses import InboxResponse
from .models import GUARDDUTY, GuardDutyInvitationsBackend, guardduty_invitation_backends

__all__ = ["GuardDutyInvitationsResponse"]


class GuardDutyInvitationsResponse(InboxResponse, GuardDutyResponse):
    """moto's GuardDuty handlers on :class:`~.models.GuardDutyInvitationsBackend`."""

    service = GUARDDUTY
    backends = guardduty_invitation_backends

    @property
    def guardduty_backend(self) -> GuardDutyInvitationsBackend:
        """moto's name for the calling account's backend."""
        return self.backends[self.current_account][self.region]

    def _on_detector(self) -> None:
        """The request's ``/detector/{DetectorId}/...`` is the caller's (moto's check)."""
        self.guardduty_backend.get_detector(self.path.split("/")[2])

    def invite_members(self) -> str:
        """InviteMembers: the sender invites accounts (no CreateMembers needed first)."""
        self._on_detector()
        return self.send_reply()

    def accept_administrator_invitation(self) -> str:
        """AcceptAdministratorInvitation, on one of the recipient's detectors."""
        self._on_detector()
        return self.accept_reply(("administratorId",), "invitationId")

    def accept_invitation(self) -> str:
        """AcceptInvitation, the deprecated name (``masterId``)."""
        self._on_detector()
        return self.accept_reply(("masterId",), "invitationId")

    def get_administrator_account(self) -> str:
        """GetAdministratorAccount: the invitation that made the association, else moto's."""
        self._on_detector()
        return self.administrator_reply(super().get_administrator_account)

    def disassociate_from_administrator_account(self) -> str:
        """DisassociateFromAdministratorAccount: leave the current administrator."""
        self._on_detector()
        return self.leave_reply()

    def disassociate_from_master_account(self) -> str:
        """DisassociateFromMasterAccount, the deprecated name of the same operation."""
        return self.disassociate_from_administrator_account()

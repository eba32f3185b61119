"""GuardDuty's request handlers: moto's ``GuardDutyResponse`` with invitations; the
sender's and the member's calls name one of the caller's detectors."""

from __future__ import annotations

from typing import ClassVar

from moto.guardduty.responses import GuardDutyResponse

from ..core.responses import Accepting, InboxResponse
from .models import GUARDDUTY, guardduty_invitation_backends

__all__ = ["GuardDutyInvitationsResponse"]


class GuardDutyInvitationsResponse(InboxResponse, GuardDutyResponse):
    """moto's GuardDuty handlers on :class:`~.models.GuardDutyInvitationsBackend`."""

    service = GUARDDUTY
    backends = guardduty_invitation_backends
    accepting: ClassVar[Accepting] = {
        "AcceptAdministratorInvitation": (("administratorId",), "invitationId"),
        "AcceptInvitation": (("masterId",), "invitationId"),
    }

    def _on_detector(self) -> None:
        """The request's ``/detector/{DetectorId}/...`` is the caller's (moto's check)."""
        self.guardduty_backend.get_detector(self.path.split("/")[2])

    def invite_members(self) -> str:
        """InviteMembers, from one of the sender's detectors."""
        self._on_detector()
        return super().invite_members()

    def _accept(self) -> str:
        self._on_detector()
        return super()._accept()

    def get_administrator_account(self) -> str:
        """GetAdministratorAccount, on one of the member's detectors."""
        self._on_detector()
        return super().get_administrator_account()

    def disassociate_from_administrator_account(self) -> str:
        """DisassociateFromAdministratorAccount, on one of the member's detectors."""
        self._on_detector()
        return super().disassociate_from_administrator_account()

"""Macie's request handlers: moto's ``MacieResponse`` with the shared receiving side."""

from __future__ import annotations

from typing import ClassVar

from moto.macie2.responses import MacieResponse

from ..core.responses import Accepting, InboxResponse
from .models import MACIE2, macie2_invitation_backends

__all__ = ["InvitationsResponse"]


class InvitationsResponse(InboxResponse, MacieResponse):
    """moto's Macie2 handlers on :class:`~.models.InvitationsBackend`, with faults and a log."""

    service = MACIE2
    backends = macie2_invitation_backends
    accepting: ClassVar[Accepting] = {
        "AcceptInvitation": (("administratorAccountId", "masterAccount"), "invitationId")
    }

    def create_invitations(self) -> str:
        """CreateInvitations, reporting the accounts that can't be invited."""
        return self.send_reply()

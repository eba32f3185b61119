"""Security Hub's request handlers: moto's ``SecurityHubResponse`` with invitations."""

from __future__ import annotations

from typing import ClassVar

from moto.securityhub.responses import SecurityHubResponse

from ..core.responses import Accepting, InboxResponse
from .models import SECURITYHUB, securityhub_invitation_backends

__all__ = ["SecurityHubInvitationsResponse"]


class SecurityHubInvitationsResponse(InboxResponse, SecurityHubResponse):
    """moto's Security Hub handlers on :class:`~.models.SecurityHubInvitationsBackend`."""

    service = SECURITYHUB
    backends = securityhub_invitation_backends
    accepting: ClassVar[Accepting] = {
        "AcceptAdministratorInvitation": (("AdministratorId",), "InvitationId"),
        "AcceptInvitation": (("MasterId",), "InvitationId"),
    }

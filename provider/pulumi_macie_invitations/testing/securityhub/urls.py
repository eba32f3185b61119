"""URL routes: moto's Security Hub routes, plus the invitations', all to our handlers."""

from __future__ import annotations

import moto.securityhub.urls

from ..core.urls import routes
from .responses import SecurityHubInvitationsResponse

__all__ = ["url_bases", "url_paths"]

url_bases, url_paths = routes(
    moto.securityhub.urls,
    SecurityHubInvitationsResponse,
    "{0}/invitations$",
    "{0}/invitations/decline$",
    "{0}/invitations/delete$",
    "{0}/invitations/count$",
    "{0}/members/invite$",
    "{0}/administrator/disassociate$",
    "{0}/master/disassociate$",
)

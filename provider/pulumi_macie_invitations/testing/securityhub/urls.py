"""URL routes: moto's Security Hub routes, plus the invitations', all to our handlers."""

from __future__ import annotations

from moto.securityhub.urls import url_bases as moto_url_bases
from moto.securityhub.urls import url_paths as moto_url_paths

from ..core.urls import routes
from .responses import SecurityHubInvitationsResponse

__all__ = ["url_bases", "url_paths"]

url_bases: list[str] = list(moto_url_bases)
url_paths = routes(
    SecurityHubInvitationsResponse,
    moto_url_paths,
    "{0}/invitations$",
    "{0}/invitations/decline$",
    "{0}/invitations/delete$",
    "{0}/invitations/count$",
    "{0}/members/invite$",
    "{0}/administrator/disassociate$",
    "{0}/master/disassociate$",
)

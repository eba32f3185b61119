"""URL routes: moto's Macie2 routes, plus the invitations', all to our handlers."""

from __future__ import annotations

import moto.macie2.urls

from ..core.urls import routes
from .responses import InvitationsResponse

__all__ = ["url_bases", "url_paths"]

url_bases, url_paths = routes(
    moto.macie2.urls,
    InvitationsResponse,
    "{0}/invitations/delete$",
    "{0}/invitations/count$",
    "{0}/administrator/disassociate$",
    "{0}/master/disassociate$",
)

"""URL routes: moto's GuardDuty routes, plus the invitations', all to our handlers."""

from __future__ import annotations

import moto.guardduty.urls

from ..core.urls import routes
from .responses import GuardDutyInvitationsResponse

__all__ = ["url_bases", "url_paths"]

url_bases, url_paths = routes(
    moto.guardduty.urls,
    GuardDutyInvitationsResponse,
    "{0}/invitation$",
    "{0}/invitation/decline$",
    "{0}/invitation/delete$",
    "{0}/invitation/count$",
    "{0}/detector/(?P<detector_id>[^/]+)/member/invite$",
    "{0}/detector/(?P<detector_id>[^/]+)/master$",
    "{0}/detector/(?P<detector_id>[^/]+)/administrator/disassociate$",
    "{0}/detector/(?P<detector_id>[^/]+)/master/disassociate$",
)

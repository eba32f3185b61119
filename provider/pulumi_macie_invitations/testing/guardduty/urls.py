"""URL routes: moto's GuardDuty routes, plus the invitations', all to our handlers."""

from __future__ import annotations

from moto.guardduty.urls import url_bases as moto_url_bases
from moto.guardduty.urls import url_paths as moto_url_paths

from ..core.urls import routes
from .responses import GuardDutyInvitationsResponse

__all__ = ["url_bases", "url_paths"]

url_bases: list[str] = list(moto_url_bases)
url_paths = routes(
    GuardDutyInvitationsResponse,
    moto_url_paths,
    "{0}/invitation$",
    "{0}/invitation/decline$",
    "{0}/invitation/delete$",
    "{0}/invitation/count$",
    "{0}/detector/(?P<detector_id>[^/]+)/member/invite$",
    "{0}/detector/(?P<detector_id>[^/]+)/master$",
    "{0}/detector/(?P<detector_id>[^/]+)/administrator/disassociate$",
    "{0}/detector/(?P<detector_id>[^/]+)/master/disassociate$",
)

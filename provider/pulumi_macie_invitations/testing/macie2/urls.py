"""URL routes: moto's Macie2 routes, plus the receiving side's, all to our handlers.

moto finds this module from the backend class's module name (``models`` -> ``urls``).
"""

from __future__ import annotations

from moto.macie2.urls import url_bases as moto_url_bases
from moto.macie2.urls import url_paths as moto_url_paths

from ..core.urls import routes
from .responses import InvitationsResponse

__all__ = ["url_bases", "url_paths"]

url_bases: list[str] = list(moto_url_bases)
url_paths = routes(
    InvitationsResponse,
    moto_url_paths,
    "{0}/invitations/delete$",
    "{0}/invitations/count$",
    "{0}/administrator/disassociate$",
    "{0}/master/disassociate$",
)

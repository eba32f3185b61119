"""URL routes: moto's Macie2 routes, plus the receiving side's, all to our handlers.

moto finds this module from the backend class's module name (``models`` -> ``urls``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.macie2.urls import url_bases as moto_url_bases
from moto.macie2.urls import url_paths as moto_url_paths

from .responses import InvitationsResponse

__all__ = ["url_bases", "url_paths"]

url_bases: list[str] = list(moto_url_bases)

_NEW_PATHS = (
    "{0}/invitations/delete$",
    "{0}/invitations/count$",
    "{0}/administrator/disassociate$",
    "{0}/master/disassociate$",
)

url_paths: dict[str, Callable[..., Any]] = {
    path: InvitationsResponse.dispatch for path in (*moto_url_paths, *_NEW_PATHS)
}

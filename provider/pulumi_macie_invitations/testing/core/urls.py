"""URL routes of a service: moto's, plus the receiving side's, all to one handler class.

moto finds a service's routes from its backend class's module name (``models`` ->
``urls``): each service package's ``urls`` module is one call of :func:`routes`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from moto.core.responses import BaseResponse

__all__ = ["routes"]


def routes(
    moto_urls: ModuleType, response: type[BaseResponse], *paths: str
) -> tuple[list[str], dict[str, Callable[..., Any]]]:
    """``url_bases`` and ``url_paths`` of a service: moto's (``moto_urls``), plus
    ``paths``, every path to ``response``'s dispatcher."""
    url_paths = dict.fromkeys((*moto_urls.url_paths, *paths), response.dispatch)
    return list(moto_urls.url_bases), url_paths

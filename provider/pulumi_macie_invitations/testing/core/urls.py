"""URL routes of a service: moto's, plus the receiving side's, all to one handler class."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from moto.core.responses import BaseResponse

__all__ = ["routes"]


def routes(
    response: type[BaseResponse], moto_paths: Iterable[str], *paths: str
) -> dict[str, Callable[..., Any]]:
    """moto's ``url_paths`` of a service: each of ``moto_paths`` and ``paths`` to
    ``response``'s dispatcher."""
    return dict.fromkeys((*moto_paths, *paths), response.dispatch)

"""GuardDuty's errors: botocore's guardduty model gives every invitation operation
``BadRequestException`` (400) and ``InternalServerErrorException`` (500), each with
``message`` and ``__type``; throttling is AWS's common ``ThrottlingException``."""

# ruff: noqa: N818  (the class names are the error codes GuardDuty answers)
from __future__ import annotations

from ..exceptions import ServiceError

__all__ = ["BadRequestException", "InternalServerErrorException", "ThrottlingException"]


class BadRequestException(ServiceError):
    """400: a bad request, or one naming something that doesn't exist."""

    code = 400


class ThrottlingException(ServiceError):
    """429: too many requests (AWS's common error; GuardDuty's model names none)."""

    code = 429


class InternalServerErrorException(ServiceError):
    """500: an internal failure."""

    code = 500

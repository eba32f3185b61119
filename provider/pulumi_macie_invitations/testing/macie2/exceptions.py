"""The errors Amazon Macie documents for every operation (botocore's macie2 model)."""

# ruff: noqa: N818  (the class names are the error codes Macie documents)
from __future__ import annotations

from ..exceptions import AccessDeniedException, ServiceError

__all__ = [
    "AccessDeniedException",
    "ConflictException",
    "InternalServerException",
    "MacieError",
    "ResourceNotFoundException",
    "ServiceQuotaExceededException",
    "ThrottlingException",
    "ValidationException",
]


class MacieError(ServiceError):
    """Base of the Macie errors."""


class ValidationException(MacieError):
    """400: the input doesn't satisfy the operation's constraints."""

    code = 400


class ServiceQuotaExceededException(MacieError):
    """402: the request would exceed a service quota."""

    code = 402


class ResourceNotFoundException(MacieError):
    """404: the resource the request names doesn't exist."""

    code = 404


class ConflictException(MacieError):
    """409: the request conflicts with the resource's current state."""

    code = 409


class ThrottlingException(MacieError):
    """429: too many requests."""

    code = 429


class InternalServerException(MacieError):
    """500: an internal failure."""

    code = 500

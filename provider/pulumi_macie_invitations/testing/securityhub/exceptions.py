"""Security Hub's errors (botocore's securityhub model): each with ``Code`` and
``Message``."""

# ruff: noqa: N818  (the class names are the error codes Security Hub answers)
from __future__ import annotations

from ..exceptions import ServiceError

__all__ = [
    "AccessDeniedException",
    "InternalException",
    "InvalidAccessException",
    "InvalidInputException",
    "LimitExceededException",
    "ResourceConflictException",
    "ResourceNotFoundException",
    "SecurityHubError",
]


class SecurityHubError(ServiceError):
    """Base of Security Hub's errors: ``{"Code", "Message"}``."""

    type_key = "Code"
    message_key = "Message"


class InvalidInputException(SecurityHubError):
    """400: the request is invalid."""

    code = 400


class InvalidAccessException(SecurityHubError):
    """401: the account isn't subscribed to Security Hub."""

    code = 401


class AccessDeniedException(SecurityHubError):
    """403: the caller may not perform the operation."""

    code = 403


class ResourceNotFoundException(SecurityHubError):
    """404: the request names something that doesn't exist."""

    code = 404


class ResourceConflictException(SecurityHubError):
    """409: the resource already exists."""

    code = 409


class LimitExceededException(SecurityHubError):
    """429: a limit was exceeded (throttling, too)."""

    code = 429


class InternalException(SecurityHubError):
    """500: an internal failure."""

    code = 500

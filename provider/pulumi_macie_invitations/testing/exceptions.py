"""The errors Amazon Macie documents for every operation, in moto's JSON REST style.

Each one carries its HTTP status and an ``x-amzn-ErrorType`` header naming the error,
so botocore raises a ``ClientError`` whose ``Error.Code`` is the class name.
"""

# ruff: noqa: N818  (the class names are the error codes Macie documents)
from __future__ import annotations

from moto.core.exceptions import JsonRESTError

__all__ = [
    "CREDENTIAL_ERRORS",
    "AccessDeniedException",
    "ConflictException",
    "CredentialsRejected",
    "InternalServerException",
    "MacieError",
    "ResourceNotFoundException",
    "ServiceQuotaExceededException",
    "ThrottlingException",
    "ValidationException",
    "error_for_status",
]


class MacieError(JsonRESTError):
    """Base of the Macie errors: the error code is the class name, ``code`` the status."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__(type(self).__name__, message)


class ValidationException(MacieError):
    """400: the input doesn't satisfy the operation's constraints."""

    code = 400


class ServiceQuotaExceededException(MacieError):
    """402: the request would exceed a service quota."""

    code = 402


class AccessDeniedException(MacieError):
    """403: the caller may not perform the operation."""

    code = 403


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


CREDENTIAL_ERRORS: dict[str, str] = {
    "UnrecognizedClientException": "The security token included in the request is invalid.",
    "ExpiredTokenException": "The security token included in the request is expired",
    "InvalidSignatureException": (
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service "
        "documentation for details."
    ),
}
"""How AWS's REST-JSON front door answers bad credentials (403, before any Macie code runs):
an unknown access key or session token, an expired session token, a wrong secret key."""


class CredentialsRejected(MacieError):
    """403: AWS rejected the request's credentials; ``error_code`` is one of
    :data:`CREDENTIAL_ERRORS`, with AWS's own message."""

    code = 403

    def __init__(self, error_code: str) -> None:
        super(MacieError, self).__init__(error_code, CREDENTIAL_ERRORS[error_code])


_BY_STATUS: dict[int, type[MacieError]] = {
    cls.code: cls
    for cls in (
        ValidationException,
        ServiceQuotaExceededException,
        AccessDeniedException,
        ResourceNotFoundException,
        ConflictException,
        ThrottlingException,
        InternalServerException,
    )
}


def error_for_status(status: int) -> type[MacieError]:
    """The documented Macie error with this HTTP status; ValueError for any other status."""
    error = _BY_STATUS.get(status) if isinstance(status, int) else None
    if error is None:
        known = ", ".join(str(code) for code in sorted(_BY_STATUS))
        raise ValueError(f"Macie documents no error with status {status!r} (known: {known})")
    return error

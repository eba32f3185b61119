"""The errors every emulated service shares, in moto's JSON REST style; each service's own
errors are in its package (``macie2.exceptions``, ``guardduty.exceptions``...).

Each error carries its HTTP status and an ``x-amzn-ErrorType`` header naming it, so
botocore raises a ``ClientError`` whose ``Error.Code`` is the class name.
"""

# ruff: noqa: N818  (the class names are the error codes AWS answers)
from __future__ import annotations

import json
from typing import ClassVar

from moto.core.exceptions import JsonRESTError

__all__ = [
    "CREDENTIAL_ERRORS",
    "AccessDeniedException",
    "CredentialsRejected",
    "ServiceError",
]


class ServiceError(JsonRESTError):
    """Base of the emulated errors: the error code is the class name, ``code`` the status.

    The body is ``{type_key: <code>, message_key: <message>}``: moto's ``__type`` and
    ``message`` by default; a service whose error shapes name their members otherwise
    (Security Hub's ``Code``/``Message``) sets both keys.
    """

    code = 400
    type_key: ClassVar[str] = "__type"
    message_key: ClassVar[str] = "message"

    def __init__(self, message: str, error_code: str | None = None) -> None:
        super().__init__(error_code or type(self).__name__, message)
        self.description = json.dumps({self.type_key: self.error_type, self.message_key: message})


class AccessDeniedException(ServiceError):
    """403: IAM denies the caller the operation (the same answer from every service)."""

    code = 403


CREDENTIAL_ERRORS: dict[str, str] = {
    "UnrecognizedClientException": "The security token included in the request is invalid.",
    "ExpiredTokenException": "The security token included in the request is expired",
    "InvalidSignatureException": (
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service "
        "documentation for details."
    ),
}
"""How AWS's REST-JSON front door answers bad credentials (403, before any service code
runs): an unknown access key or session token, an expired session token, a wrong secret
key."""


class CredentialsRejected(ServiceError):
    """403: AWS rejected the request's credentials; ``error_code`` is one of
    :data:`CREDENTIAL_ERRORS`, with AWS's own message."""

    code = 403

    def __init__(self, error_code: str) -> None:
        super().__init__(CREDENTIAL_ERRORS[error_code], error_code)

"""Errors the provider raises, each one message a user can act on.

Every AWS failure becomes one message that names the operation, the accounts, AWS's
error code and message, and what to do next. Nothing secret is ever included: messages
are passed through :func:`redact` before they leave this module.

botocore is imported only when an AWS error is handled: a Pulumi program that merely
declares resources (and a preview) never loads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from .target import MAX_ATTEMPTS_VARIABLE, network_settings

IAM_PREFIX: Final = "macie2:"
ACCESS_KEY_PATTERN: Final = re.compile(
    r"(?<![A-Z0-9])(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}(?![A-Z0-9])"
)

CREDENTIAL_ERROR_CODES: Final = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
    }
)
THROTTLING_ERROR_CODES: Final = frozenset(
    {"ThrottlingException", "TooManyRequestsException", "Throttling", "RequestLimitExceeded"}
)
RETRYABLE_ERROR_CODES: Final = THROTTLING_ERROR_CODES | frozenset(
    {
        "InternalServerException",
        "ServiceUnavailableException",
        "ConflictException",
    }
)
SAFE_TO_RERUN: Final = (
    "Nothing was recorded in the stack's state, so re-running `pulumi up` is safe."
)


class MacieInvitationsError(Exception):
    """Base class of every error this package raises."""


class AwsCallError(MacieInvitationsError):
    """An AWS call failed; the message says which, for which accounts, and what to do."""

    def __init__(self, operation: str, account_ids: Iterable[str], code: str, detail: str) -> None:
        self.operation = operation
        self.account_ids = sorted(account_ids)
        self.code = code
        accounts = f" for accounts {', '.join(self.account_ids)}" if self.account_ids else ""
        super().__init__(redact(f"{operation}{accounts} failed: {code}: {detail}"))


class AdministratorInvitationError(MacieInvitationsError):
    """A sender to clean is this account's current Macie administrator."""

    def __init__(
        self, account_ids: Iterable[str], where: str, *, keep_hint: str | None = None
    ) -> None:
        self.account_ids = sorted(account_ids)
        names = ", ".join(self.account_ids)
        super().__init__(
            f"refusing to touch the accepted Macie invitation from {names} in {where}: that "
            "account is this account's current Macie administrator, and an accepted invitation "
            "cannot be declined or deleted. To leave that administrator first, run "
            "`aws macie2 disassociate-from-administrator-account` in this account (or have the "
            "administrator run `aws macie2 disassociate-member`), then run `pulumi up` again; "
            f"or {keep_hint or f'remove {names} from accountIds'}. Nothing was changed."
        )


class CleanupIncompleteError(MacieInvitationsError):
    """Some listed accounts still have an invitation after the cleanup ran."""

    def __init__(self, reasons: Mapping[str, str], where: str) -> None:
        self.reasons = dict(sorted(reasons.items()))
        lines = "\n".join(f"  - {account}: {reason}" for account, reason in self.reasons.items())
        super().__init__(
            redact(
                f"could not clean the Macie invitations of {len(self.reasons)} account(s) in "
                f"{where}:\n{lines}\n{SAFE_TO_RERUN}"
            )
        )


def redact(text: str) -> str:
    """Hide anything shaped like an AWS access key id."""
    return ACCESS_KEY_PATTERN.sub("(access key id hidden)", text)


def iam_action(operation: str) -> str:
    """The IAM action of an operation: ``macie2:<operation>``, or ``sts:AssumeRole`` as given."""
    return operation if ":" in operation else f"{IAM_PREFIX}{operation}"


def _hint(operation: str, code: str, attempts: int, quota_used_up: bool) -> str:
    if code in {"AccessDeniedException", "AccessDenied"}:
        return (
            f"The identity running Pulumi needs the IAM action {iam_action(operation)} "
            "(see the policy in the README)."
        )
    if code in CREDENTIAL_ERROR_CODES:
        return (
            "AWS rejected the credentials: check that they are current (for SSO, run "
            "`aws sso login`), and that AWS_PROFILE or the resource's profile points at the "
            "right account."
        )
    if quota_used_up and code in RETRYABLE_ERROR_CODES:
        return (
            f"Retries stopped after {attempts} attempt(s): botocore's retry quota for this "
            "account and region, shared by this run's calls, was used up by earlier failures; "
            f"give AWS a minute. {SAFE_TO_RERUN}"
        )
    if code in THROTTLING_ERROR_CODES:
        return (
            f"AWS throttled {operation} on all {attempts} attempt(s) of the retry budget "
            f"({MAX_ATTEMPTS_VARIABLE} raises it); give its rate limit a minute. {SAFE_TO_RERUN}"
        )
    if code in RETRYABLE_ERROR_CODES:
        return f"AWS still answered this after {attempts} attempt(s). {SAFE_TO_RERUN}"
    if code == "ResourceNotFoundException":
        return "Check that Amazon Macie is available and enabled for this account in this region."
    if code == "ServiceQuotaExceededException":
        return "A Macie quota was exceeded; see Service Quotas for Amazon Macie."
    return SAFE_TO_RERUN


def aws_errors() -> tuple[type[Exception], ...]:
    """The exceptions a botocore call raises for AWS and transport failures.

    Used as ``except aws_errors() as error:``, which Python evaluates only when an
    exception is raised, so the happy path never pays for the import.
    """
    import botocore.exceptions

    return (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError)


def from_botocore(
    error: Exception, *, operation: str, account_ids: Iterable[str], where: str
) -> MacieInvitationsError:
    """Translate a botocore/boto3 exception raised by ``operation`` into one clear error."""
    import botocore.exceptions

    accounts = list(account_ids)
    if isinstance(error, botocore.exceptions.ClientError):
        info = error.response.get("Error", {})
        code = info.get("Code", "Unknown")
        message = info.get("Message", "")
        metadata = error.response.get("ResponseMetadata", {})
        attempts = 1 + int(metadata.get("RetryAttempts", 0))
        quota_used_up = bool(metadata.get("RetryQuotaReached"))
        detail = f"{message} ({where}). {_hint(operation, code, attempts, quota_used_up)}"
        return AwsCallError(operation, accounts, code, detail)
    return AwsCallError(operation, accounts, type(error).__name__, _explain(error, where))


def _explain(error: Exception, where: str) -> str:
    """What a botocore error (not an AWS reply) means for the user, and what to do."""
    import botocore.exceptions

    if isinstance(
        error, botocore.exceptions.ConnectTimeoutError | botocore.exceptions.ReadTimeoutError
    ):
        return (
            f"no answer from {where} in any attempt ({error}; {network_settings().describe()})."
            f" Check the network path to the endpoint. {SAFE_TO_RERUN}"
        )
    if isinstance(
        error,
        botocore.exceptions.EndpointConnectionError | botocore.exceptions.ConnectionClosedError,
    ):
        return (
            f"could not connect to {where} in any attempt ({error}; "
            f"{network_settings().describe()}). {SAFE_TO_RERUN}"
        )
    if isinstance(
        error, botocore.exceptions.NoCredentialsError | botocore.exceptions.PartialCredentialsError
    ):
        return (
            f"no AWS credentials were found for {where}: set AWS_PROFILE, the resource's "
            "profile, or the standard AWS credential variables for the account to clean."
        )
    return f"{error} ({where})."

"""Every exception this package raises, under one base class, :class:`MacieInvitationsError`.

Each is one message a user can act on. Every AWS failure names the operation, the
accounts, AWS's error code and message, and what to do next. Messages are built only from
what callers pass in (this module reads no environment), and every message, of every
class, is passed through :func:`redact` by the base class.

botocore is imported only when an AWS error is handled: a Pulumi program that merely
declares resources (and a preview) never loads it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from .validation import Failure

P = ParamSpec("P")
R = TypeVar("R")

ACCESS_KEY_PATTERN: Final = re.compile(
    r"(?<![A-Z0-9])(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}(?![A-Z0-9])"
)
URL_USERINFO_PATTERN: Final = re.compile(r"(?<=://)[^/\s@'\"]+@")
"""The ``user:password@`` of a URL."""

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
    {
        "ThrottlingException",
        "TooManyRequestsException",
        "Throttling",
        "RequestLimitExceeded",
        "LimitExceededException",  # Security Hub's 429
    }
)
RETRYABLE_ERROR_CODES: Final = THROTTLING_ERROR_CODES | frozenset(
    {
        "InternalServerException",
        "InternalServerErrorException",  # GuardDuty's 500
        "InternalException",  # Security Hub's 500
        "ServiceUnavailableException",
        "ConflictException",
    }
)
NOT_ENABLED_ERROR_CODES: Final = frozenset(
    {"ResourceNotFoundException", "InvalidAccessException"}  # Security Hub's: not subscribed
)
"""What a service answers an account that has not enabled it in the region."""
SAFE_TO_RERUN: Final = (
    "Nothing was recorded in the stack's state, so re-running `pulumi up` is safe."
)


class Service(Protocol):
    """What a message says of the service a call went to (a service description)."""

    @property
    def display_name(self) -> str:
        """``Amazon Macie``."""
        ...

    @property
    def short_name(self) -> str:
        """``Macie``."""
        ...

    @property
    def iam_prefix(self) -> str:
        """``macie2``."""
        ...

    @property
    def leave_member_command(self) -> str:
        """The CLI command a member runs to leave its administrator."""
        ...

    @property
    def named_in_call_errors(self) -> bool:
        """Whether a failed call's message names the service before where it was called."""
        ...

    @property
    def leave_administrator_command(self) -> str:
        """The CLI command an administrator runs to let a member go."""
        ...


class MacieInvitationsError(Exception):
    """Base class of every error this package raises; its message is redacted."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))


class InvalidInputError(MacieInvitationsError, ValueError):
    """Inputs or the provider's environment are invalid; raised before any AWS call."""

    def __init__(self, failures: Sequence[Failure], resource: str = "DeclinedInvitations") -> None:
        self.failures = list(failures)
        lines = "\n".join(
            f"  - {f.property}: {f.reason}" if f.property else f"  - {f.reason}"
            for f in self.failures
        )
        named = sum(1 for f in self.failures if f.property)
        what = {len(self.failures): "inputs", 0: "environment"}.get(named, "inputs and environment")
        super().__init__(f"invalid {resource} {what}:\n{lines}")


class EnvironmentSettingError(MacieInvitationsError):
    """A variable or file of the provider's environment is invalid; found before any AWS call."""

    def __init__(self, setting: str, problem: str) -> None:
        self.setting = setting
        super().__init__(f"{setting} {problem}")


class ClientSetupError(MacieInvitationsError):
    """boto3 could not set up a client (profile, credentials, configuration): no Macie call made."""

    def __init__(self, step: str, code: str, detail: str) -> None:
        self.step = step
        self.code = code
        super().__init__(f"{step} failed: {code}: {detail}")


class AwsCallError(MacieInvitationsError):
    """An AWS call failed; the message says which, for which accounts, and what to do."""

    def __init__(self, operation: str, account_ids: Iterable[str], code: str, detail: str) -> None:
        self.operation = operation
        self.account_ids = sorted(account_ids)
        self.code = code
        accounts = f" for accounts {', '.join(self.account_ids)}" if self.account_ids else ""
        super().__init__(f"{operation}{accounts} failed: {code}: {detail}")


class AdministratorInvitationError(MacieInvitationsError):
    """A sender to clean is this account's current Macie administrator."""

    def __init__(
        self, account_ids: Iterable[str], where: str, *, service: Service, keep_hint: str
    ) -> None:
        self.account_ids = sorted(account_ids)
        names = ", ".join(self.account_ids)
        short = service.short_name
        super().__init__(
            f"refusing to touch the accepted {short} invitation from {names} in {where}: that "
            f"account is this account's current {short} administrator, and an accepted "
            "invitation cannot be declined or deleted. To leave that administrator first, run "
            f"`{service.leave_member_command}` in this account (or have the administrator run "
            f"`{service.leave_administrator_command}`), then run `pulumi up` again; "
            f"or {keep_hint}. Nothing was changed."
        )


class CleanupIncompleteError(MacieInvitationsError):
    """Some listed accounts still have an invitation after the cleanup ran."""

    def __init__(self, reasons: Mapping[str, str], where: str, *, service: Service) -> None:
        self.reasons = dict(sorted(reasons.items()))
        lines = "\n".join(f"  - {account}: {reason}" for account, reason in self.reasons.items())
        super().__init__(
            f"could not clean the {service.short_name} invitations of {len(self.reasons)} "
            f"account(s) in {where}:\n{lines}\n{SAFE_TO_RERUN}"
        )


class MemberFailedError(MacieInvitationsError):
    """A member account could not be guarded; the message names it and every failure. The
    component reports it once every member is done (a member's failure is recorded, never
    raised from its step)."""

    def __init__(
        self,
        account: str,
        failures: Mapping[str, str],
        done: Iterable[str],
        unit: str = "region(s)",
    ) -> None:
        self.account = account
        self.failures = dict(sorted(failures.items()))
        lines = "\n".join(f"  - {where}: {reason}" for where, reason in self.failures.items())
        finished = sorted(done)
        tail = f"Its {len(finished)} other {unit} were guarded all the same. " if finished else ""
        super().__init__(
            f"member account {account}: {len(self.failures)} failure(s):\n{lines}\n{tail}"
            "Its failure is recorded, so the next `pulumi up` guards it again; the other "
            "members are not affected."
        )


class ProjectVirtualenvError(MacieInvitationsError):
    """The project's Pulumi.yaml names a virtualenv that doesn't exist (a copied project)."""

    def __init__(self, project_file: str, written: str, resolved: str, running: str) -> None:
        super().__init__(
            f"{project_file} sets runtime.options.virtualenv to {written!r}, but {resolved} "
            "doesn't exist (was this project copied from elsewhere?). Pulumi runs the "
            "resource's provider with that virtualenv's python. Set the option to a "
            "virtualenv where pulumi-macie-invitations is installed, for example the one "
            f"running this program: `virtualenv: {running}`."
        )


def redact(text: str) -> str:
    """Hide anything shaped like an AWS access key id, and the credentials of a URL."""
    text = URL_USERINFO_PATTERN.sub("(credentials hidden)@", text)
    return ACCESS_KEY_PATTERN.sub("(access key id hidden)", text)


def iam_action(operation: str, prefix: str) -> str:
    """The IAM action of an operation: ``<prefix>:<operation>``, or ``sts:AssumeRole`` as
    given."""
    return operation if ":" in operation else f"{prefix}:{operation}"


def _hint(
    operation: str, code: str, attempts: int, quota_used_up: bool, service: Service | None
) -> str:
    if code in {"AccessDeniedException", "AccessDenied"}:
        action = iam_action(operation, service.iam_prefix if service else "")
        return (
            f"The identity running Pulumi needs the IAM action {action} "
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
            f"(AWS_MAX_ATTEMPTS raises it); give its rate limit a minute. {SAFE_TO_RERUN}"
        )
    if code in RETRYABLE_ERROR_CODES:
        return f"AWS still answered this after {attempts} attempt(s). {SAFE_TO_RERUN}"
    if service is not None and code in NOT_ENABLED_ERROR_CODES:
        return (
            f"Check that {service.display_name} is available and enabled for this account in "
            "this region."
        )
    if service is not None and code == "ServiceQuotaExceededException":
        return (
            f"A {service.short_name} quota was exceeded; see Service Quotas for "
            f"{service.display_name}."
        )
    return SAFE_TO_RERUN


def aws_errors() -> tuple[type[Exception], ...]:
    """The exceptions a botocore call raises for AWS and transport failures.

    Used as ``except aws_errors() as error:``, which Python evaluates only when an
    exception is raised, so the happy path never pays for the import.
    """
    import botocore.exceptions

    return (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError)


def from_botocore(
    error: Exception,
    *,
    operation: str,
    account_ids: Iterable[str],
    where: str,
    network: str,
    service: Service | None,
) -> MacieInvitationsError:
    """Translate a botocore/boto3 exception raised by ``operation`` into one clear error.

    ``where`` describes the account and region, ``network`` the timeouts and attempts,
    ``service`` the service called (None for an operation named with its prefix, such as
    ``sts:AssumeRole``).
    """
    import botocore.exceptions

    accounts = list(account_ids)
    if isinstance(error, botocore.exceptions.ClientError):
        info = error.response.get("Error", {})
        code = info.get("Code", "Unknown")
        message = info.get("Message", "")
        metadata = error.response.get("ResponseMetadata", {})
        attempts = 1 + int(metadata.get("RetryAttempts", 0))
        quota_used_up = bool(metadata.get("RetryQuotaReached"))
        hint = _hint(operation, code, attempts, quota_used_up, service)
        if service is not None and service.named_in_call_errors:
            where = f"{service.short_name} {where}"
        detail = f"{message} ({where}). {hint}"
        return AwsCallError(operation, accounts, code, detail)
    return AwsCallError(operation, accounts, type(error).__name__, _explain(error, where, network))


def _explain(error: Exception, where: str, network: str) -> str:
    """What a botocore error (not an AWS reply) means for the user, and what to do."""
    import botocore.exceptions

    if isinstance(
        error, botocore.exceptions.ConnectTimeoutError | botocore.exceptions.ReadTimeoutError
    ):
        return (
            f"no answer from {where} in any attempt ({error}; {network})."
            f" Check the network path to the endpoint. {SAFE_TO_RERUN}"
        )
    if isinstance(
        error,
        botocore.exceptions.EndpointConnectionError | botocore.exceptions.ConnectionClosedError,
    ):
        return f"could not connect to {where} in any attempt ({error}; {network}). {SAFE_TO_RERUN}"
    if isinstance(
        error, botocore.exceptions.NoCredentialsError | botocore.exceptions.PartialCredentialsError
    ):
        return (
            f"no AWS credentials were found for {where}: set AWS_PROFILE, the resource's "
            "profile, or the standard AWS credential variables for the account to clean."
        )
    return f"{error} ({where})."


def brief_traceback(method: Callable[P, R]) -> Callable[P, R]:
    """A lifecycle method whose errors (ours) leave it without the frames below it.

    Pulumi's dynamic-provider server prints ``traceback.format_exc()`` above every error;
    without our frames, the message stands right under the server's own few lines. Other
    exceptions (bugs) keep their whole traceback.
    """

    @functools.wraps(method)
    def lifecycle(*args: P.args, **kwargs: P.kwargs) -> R:
        with _WithoutOurFrames():
            return method(*args, **kwargs)

    return lifecycle


class _WithoutOurFrames:
    """Drops the traceback of our error as it leaves the block: the frame holding the
    block, and the frames below it, are then left out of what is printed."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if isinstance(error, MacieInvitationsError):
            error.with_traceback(None)
            error.__cause__, error.__suppress_context__ = None, True

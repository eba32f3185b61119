"""Whose credentials sign a call: one mechanism for every resource.

Clients are shared (:mod:`.clients`): one per service, region, endpoint and profile,
whatever account it acts for. A client's credentials are read at every signing, and the
shared clients read them from a context variable that :func:`acting_as` sets for the
calling thread; a call made outside it fails rather than sign with anyone's keys. So an
organization of 100 members x 22 regions builds 22 clients, not 2,200 (a client costs
~11 ms of CPU and ~200 KiB to build: bench/RESULTS.md).

An assumed role's credentials are botocore's own refreshing ones
(``AssumeRoleCredentialFetcher`` with ``DeferredRefreshableCredentials``, what boto3 uses
for role profiles), with ``ExternalId`` and ``RoleSessionName``: botocore renews them
before they expire, so a long run never holds expired credentials, and we keep no STS
code of our own. Nothing here reaches the stack's state.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ..errors import MacieInvitationsError

if TYPE_CHECKING:
    from botocore.credentials import CredentialResolver, Credentials, ReadOnlyCredentials

__all__ = [
    "DEFAULT_SESSION_NAME",
    "Identity",
    "NotActingError",
    "acting_as",
    "assumed_role",
    "context_resolver",
]

DEFAULT_SESSION_NAME: Final = "pulumi-macie-invitations"
"""The session name of an assumed role when none is given (CloudTrail shows it)."""


@dataclass(frozen=True)
class Identity:
    """Who a call acts as: a profile's credentials (None: boto3's default chain), or a
    role assumed with them, through STS in ``sts_region``."""

    profile: str | None = None
    role_arn: str | None = None
    session_name: str | None = None
    external_id: str | None = None
    sts_region: str | None = None
    """Where STS is called to assume the role (:func:`.regions.sts_region`)."""

    def describe(self) -> str:
        """For messages: the role, when one is assumed."""
        return f" as {self.role_arn}" if self.role_arn else ""


class NotActingError(MacieInvitationsError):
    """A shared client was called outside :func:`acting_as`."""


class _Nobody:
    """No credentials were found: botocore answers NoCredentialsError at signing."""


NOBODY: Final = _Nobody()
_ACTING: contextvars.ContextVar[Credentials | _Nobody | None] = contextvars.ContextVar(
    "macie_invitations_credentials", default=None
)


@contextmanager
def acting_as(credentials: Credentials | None) -> Iterator[None]:
    """Sign the calls this thread makes with shared clients as ``credentials`` (None: no
    credentials were found, and each call fails with botocore's NoCredentialsError)."""
    token = _ACTING.set(NOBODY if credentials is None else credentials)
    try:
        yield
    finally:
        _ACTING.reset(token)


def context_resolver() -> CredentialResolver:
    """A botocore credential resolver whose credentials are those :func:`acting_as` set
    for the calling thread: a session that has it makes shared clients."""
    from botocore.credentials import CredentialProvider, CredentialResolver, Credentials

    class ContextCredentials(Credentials):
        """The credentials of whoever the current thread acts as."""

        def __init__(self) -> None:
            super().__init__("context", "context", method="context")

        def get_frozen_credentials(self) -> ReadOnlyCredentials:
            acting = _ACTING.get()
            if acting is None:
                raise NotActingError("a shared client was called outside acting_as()")
            if isinstance(acting, _Nobody):
                return None  # type: ignore[return-value]  # botocore: NoCredentialsError
            return acting.get_frozen_credentials()

    class ContextProvider(CredentialProvider):
        METHOD = "context"

        def load(self) -> Credentials:
            return ContextCredentials()

    return CredentialResolver([ContextProvider()])


def assumed_role(
    identity: Identity, source: Credentials, client_creator: Callable[..., Any]
) -> Credentials:
    """``identity``'s role assumed now with ``source`` credentials (one STS AssumeRole,
    renewed by botocore before expiry); ``client_creator`` makes the STS client.

    Raises botocore's error when the role can't be assumed.
    """
    from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

    assert identity.role_arn is not None
    extra: dict[str, str] = {"RoleSessionName": identity.session_name or DEFAULT_SESSION_NAME}
    if identity.external_id:
        extra["ExternalId"] = identity.external_id
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=client_creator,
        source_credentials=source,
        role_arn=identity.role_arn,
        extra_args=extra,
    )
    credentials = DeferredRefreshableCredentials(
        refresh_using=fetcher.fetch_credentials, method="assume-role"
    )
    credentials.get_frozen_credentials()  # assume it now: a refusal fails at once
    return credentials

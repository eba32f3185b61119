"""Clients for many member accounts at once: one macie2 client per region, whose calls
are signed with the credentials of the member the calling thread works for.

An organization of 100 members x 22 regions would need 2,200 botocore clients if each
(member, region) had its own, and a client costs ~11 ms of CPU and ~200 KiB to build
(bench/RESULTS.md). A client's credentials are read at every signing, so the clients
here are shared by every member and read the member from a context variable set by
:func:`acting_as`: a call made outside it fails rather than sign with anyone's keys.

A member's role is assumed once per provider process and refreshed by botocore before
it expires (``AssumeRoleCredentialFetcher`` with ``DeferredRefreshableCredentials``,
what boto3 uses for role profiles). Nothing here reaches the stack's state.
"""

from __future__ import annotations

import contextvars
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from . import clients
from .errors import MacieInvitationsError

if TYPE_CHECKING:
    from botocore.credentials import Credentials, ReadOnlyCredentials
    from mypy_boto3_macie2 import Macie2Client

__all__ = ["acting_as", "member_credentials", "own_account_id", "regional_client"]

DEFAULT_SESSION_NAME: Final = clients.DEFAULT_ROLE_SESSION_NAME

_MEMBER: contextvars.ContextVar[Credentials | None] = contextvars.ContextVar(
    "macie_member_credentials", default=None
)


class NoMemberError(MacieInvitationsError):
    """A member-account client was called outside :func:`acting_as`."""


def _member_session() -> Any:  # noqa: ANN401 (botocore.session.Session)
    """A botocore session whose credentials are those of the member the thread acts as;
    it shares the data loader (botocore's parsed data files) of the shared session."""
    from botocore.credentials import CredentialProvider, CredentialResolver, Credentials
    from botocore.session import Session

    class MemberCredentials(Credentials):
        """The credentials of the member the current thread acts as."""

        def __init__(self) -> None:
            super().__init__("member", "member", method="member-context")

        def get_frozen_credentials(self) -> ReadOnlyCredentials:
            member = _MEMBER.get()
            if member is None:
                raise NoMemberError("a member-account client was called outside acting_as()")
            return member.get_frozen_credentials()

    class MemberProvider(CredentialProvider):
        METHOD = "member-context"

        def load(self) -> Credentials:
            return MemberCredentials()

    shared = clients.shared_session(None)._session
    session = Session()
    session.register_component("data_loader", shared.get_component("data_loader"))
    session.register_component("credential_provider", CredentialResolver([MemberProvider()]))
    parsers = session.get_component("response_parser_factory")
    parsers.set_parser_defaults(timestamp_parser=str)  # as the shared session: none are read
    return session


@contextmanager
def acting_as(credentials: Credentials) -> Iterator[None]:
    """Sign the calls this thread makes with :func:`regional_client` as ``credentials``."""
    token = _MEMBER.set(credentials)
    try:
        yield
    finally:
        _MEMBER.reset(token)


_CLIENTS: dict[tuple[str, str | None, str], Macie2Client] = {}
_SESSIONS: dict[str, Any] = {}
_CLIENTS_LOCK = threading.Lock()


def regional_client(region: str, endpoint_url: str | None) -> Macie2Client:
    """The shared macie2 client of ``region`` (call it inside :func:`acting_as`).

    One per region, endpoint and AWS environment (as :func:`.clients.macie2_client`)."""
    environment = clients.environment_key(None)
    key = (region, endpoint_url, environment)
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(key)
        if client is None:
            if environment not in _SESSIONS:
                _SESSIONS[environment] = _member_session()
            client = _SESSIONS[environment].create_client(
                "macie2",
                region_name=region,
                endpoint_url=endpoint_url,
                config=clients.client_config(),
            )
            _CLIENTS[key] = client
        return client


def member_credentials(
    role_arn: str | None, sts_region: str, session_name: str = DEFAULT_SESSION_NAME
) -> Credentials:
    """The credentials of a member: its role assumed now (one STS AssumeRole, refreshed
    before expiry), or the caller's own credentials when ``role_arn`` is None.

    Raises botocore's error when the role can't be assumed or no credentials are found.
    """
    from botocore.credentials import (
        AssumeRoleCredentialFetcher,
        DeferredRefreshableCredentials,
    )

    session = clients.shared_session(None)
    own = session.get_credentials()
    if own is None:
        from botocore.exceptions import NoCredentialsError

        raise NoCredentialsError
    if role_arn is None:
        return own
    creator = functools.partial(_sts_client_creator, region=sts_region, core=session._session)
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=creator,
        source_credentials=own,
        role_arn=role_arn,
        extra_args={"RoleSessionName": session_name},
    )
    credentials = DeferredRefreshableCredentials(
        refresh_using=fetcher.fetch_credentials, method="assume-role"
    )
    credentials.get_frozen_credentials()  # assume it now: a refusal fails this member at once
    return credentials


def _sts_client_creator(service: str, *, region: str, core: Any, **kwargs: Any) -> Any:  # noqa: ANN401
    with clients.SESSIONS_LOCK:
        return core.create_client(
            service, region_name=region, config=clients.client_config(), **kwargs
        )


def own_account_id(sts_region: str) -> str:
    """The caller's own account id (one STS GetCallerIdentity)."""
    session = clients.shared_session(None)
    with clients.SESSIONS_LOCK:
        sts = session.client("sts", region_name=sts_region, config=clients.client_config())
    return sts.get_caller_identity()["Account"]

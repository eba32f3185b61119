"""How every call reaches AWS: sessions, one bounded client cache, credentials, settings.

Nothing here is kept on a provider object, because Pulumi pickles that object into the
stack's state: sessions, clients and credentials live in this module's caches, for the
life of the provider process, each keyed by the AWS environment
(:func:`.environment.environment_key`), so a changed environment gets new ones. Every
cache is bounded, the least recently used entry dropped first.

Clients are shared by every account they act for (:mod:`.credentials`): one per service,
region, endpoint and profile. botocore clients are thread-safe, and a client per call
would cost CPU and, against AWS, a TLS connection each. botocore's standard retry mode
keeps a retry quota per client, so calls to one service and region share it, as AWS's
SDKs intend: under sustained failures retries stop early instead of piling up.

boto3 and botocore are imported on first use: a Pulumi program that only declares
resources, and the provider during a preview, never load them.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from .._version import __version__
from ..errors import ClientSetupError, MacieInvitationsError, Service, aws_errors, from_botocore
from ..services import SERVICES
from . import environment
from .credentials import Identity, acting_as, assumed_role, context_resolver

if TYPE_CHECKING:
    import botocore.config
    import botocore.session
    from botocore.client import BaseClient
    from botocore.credentials import Credentials

V = TypeVar("V")

RETRY_MODE: Final = "standard"
USER_AGENT: Final = f"pulumi-macie-invitations/{__version__}"
"""Added to every client's User-Agent, so AWS (and CloudTrail) can tell this provider's calls."""
REGIONS_OF_A_PARTITION: Final = 64
"""More regions than any partition has for any service (botocore's endpoint data lists
at most 37 today; a unit test keeps this bound above it)."""
CACHED_CLIENTS: Final = (len(SERVICES) + 1) * REGIONS_OF_A_PARTITION
"""Clients kept per provider process: a member guarding every service in every region of
its partition, and STS in each of those regions, never builds a client twice."""
CACHED_CREDENTIALS: Final = 1024
"""Credentials kept per provider process: one per profile, and one per role assumed."""
CACHED_SESSIONS: Final = 8
"""botocore sessions kept per provider process: one per profile and AWS environment."""


class _Cache(Generic[V]):
    """A bounded least-recently-used cache whose values are built once per key: the
    other callers of a key being built wait for it and share it."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            value = build()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self._size:
                    self._values.popitem(last=False)
                self._building.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_SESSIONS: _Cache[botocore.session.Session] = _Cache(CACHED_SESSIONS)
_CLIENTS: _Cache[BaseClient] = _Cache(CACHED_CLIENTS)
_CREDENTIALS: _Cache[Credentials | None] = _Cache(CACHED_CREDENTIALS)
_BUILD_LOCK = threading.Lock()
"""Building a client from a shared session is not thread-safe."""


def forget_clients() -> None:
    """Drop every cached session, client and credential, as if this were a new process
    (tests use it)."""
    for cache in (_SESSIONS, _CLIENTS, _CREDENTIALS):
        cache.clear()


def client_config() -> botocore.config.Config:
    """Bounded timeouts, and botocore's standard retry mode unless the user chose one."""
    import botocore.config

    settings = environment.network_settings()
    retries: dict[str, Any] = {}
    if environment.RETRY_MODE_VARIABLE not in os.environ:
        retries["mode"] = RETRY_MODE
    if environment.MAX_ATTEMPTS_VARIABLE not in os.environ:
        retries["total_max_attempts"] = settings.max_attempts
    return botocore.config.Config(
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries=retries,  # type: ignore[arg-type]
        user_agent_extra=USER_AGENT,
    )


def aws_failure(
    error: Exception,
    operation: str,
    account_ids: Sequence[str],
    where: str,
    service: Service | None = None,
) -> MacieInvitationsError:
    """The error to raise for a failed AWS call, with the network settings it was made with
    (``service`` None for an operation named with its prefix, such as ``sts:AssumeRole``)."""
    return from_botocore(
        error,
        operation=operation,
        account_ids=account_ids,
        where=where,
        network=environment.network_settings().describe(),
        service=service,
    )


@contextmanager
def setting_up(step: str, where: str) -> Iterator[None]:
    """A failure of ``step`` (botocore's, or its ValueError) as one error that names it."""
    failures: tuple[type[Exception], ...] = (*aws_errors(), ValueError)
    try:
        yield
    except failures as error:
        raise ClientSetupError(step, type(error).__name__, f"{error} ({where})") from None


def _configuration(profile: str | None) -> str:
    return f"profile {profile!r}" if profile else "the AWS configuration"


def session(profile: str | None, where: str) -> botocore.session.Session:
    """The botocore session of ``profile`` (None: the default) in this AWS environment.

    Its clients sign as whoever the calling thread acts as (:func:`.credentials.acting_as`).
    Every session shares one data loader (botocore's parsed data files, which cost far
    more to load than a small cleanup's calls). Its clients leave timestamps in responses
    as the strings AWS sent: nothing reads them, and parsing them costs CPU on every call.
    """
    return _SESSIONS.get(environment.environment_key(profile), lambda: _new_session(profile, where))


@functools.cache
def _data_loader() -> Any:  # noqa: ANN401 (botocore.loaders.Loader)
    import botocore.session

    return botocore.session.get_session().get_component("data_loader")


def _new_session(profile: str | None, where: str) -> botocore.session.Session:
    import botocore.session

    with setting_up(f"loading {_configuration(profile)}", where):
        core = botocore.session.Session(profile=profile)
        core.register_component("data_loader", _data_loader())
        core.get_scoped_config()  # a profile that doesn't exist fails here
    core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
    core.register_component("credential_provider", context_resolver())
    return core


def client(service: str, region: str, endpoint_url: str | None, profile: str | None) -> Any:  # noqa: ANN401
    """The shared client of ``service`` in ``region`` (call it inside
    :func:`.credentials.acting_as`): one per service, region, endpoint, profile and AWS
    environment."""
    where = f"region {region}" + (f" at {endpoint_url}" if endpoint_url else "")
    key = (service, region, endpoint_url, profile, environment.environment_key(profile))

    def build() -> BaseClient:
        core = session(profile, where)
        with setting_up(f"setting up the {service} client", where), _BUILD_LOCK:
            return core.create_client(
                service, region_name=region, endpoint_url=endpoint_url, config=client_config()
            )

    return _CLIENTS.get(key, build)


def credentials_of(identity: Identity, where: str) -> Credentials | None:
    """The credentials ``identity`` signs with: its profile's (None when none are found:
    the calls then fail with NoCredentialsError), or its role assumed with them (one STS
    AssumeRole per process, renewed by botocore before expiry).

    A failure names its step: loading the profile, resolving its credentials, assuming
    the role (``sts:AssumeRole``, where STS was called).
    """
    profile = identity.profile
    source = _CREDENTIALS.get(
        (environment.environment_key(profile), profile), lambda: _source(profile, where)
    )
    if identity.role_arn is None:
        return source
    key = (environment.environment_key(profile), identity)
    return _CREDENTIALS.get(key, lambda: _assumed(identity, source, where))


def _source(profile: str | None, where: str) -> Credentials | None:
    from botocore.credentials import create_credential_resolver

    core = session(profile, where)
    with setting_up(f"resolving the AWS credentials of {_configuration(profile)}", where):
        found: Credentials | None = create_credential_resolver(core).load_credentials()
        return found


def _assumed(identity: Identity, source: Credentials | None, where: str) -> Credentials | None:
    assert identity.sts_region is not None
    sts = client("sts", identity.sts_region, None, identity.profile)
    # Where it failed: STS, assuming the role (the service's endpoint was never reached).
    at = (
        f"STS in region {identity.sts_region}, assuming {identity.role_arn}, "
        f"at {sts.meta.endpoint_url}"
    )
    core = session(identity.profile, where)

    def sts_client(service: str, **keys: Any) -> BaseClient:  # noqa: ANN401
        with setting_up("setting up the STS client", where), _BUILD_LOCK:
            return core.create_client(
                service, region_name=identity.sts_region, config=client_config(), **keys
            )

    try:
        if source is None:
            from botocore.exceptions import NoCredentialsError

            raise NoCredentialsError
        return assumed_role(identity, source, sts_client)
    except aws_errors() as error:
        raise aws_failure(error, "sts:AssumeRole", (), at) from None


def own_account_id(identity: Identity, where: str) -> str:
    """The account of ``identity``'s credentials (one STS GetCallerIdentity)."""
    assert identity.sts_region is not None
    credentials = credentials_of(identity, where)
    sts = client("sts", identity.sts_region, None, identity.profile)
    with acting_as(credentials):
        account: str = sts.get_caller_identity()["Account"]
    return account

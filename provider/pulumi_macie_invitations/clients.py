"""How the cleanup reaches AWS: sessions, the client cache, the assumed role, timeouts and
retries, and the check of every setting a client is built from.

Nothing here is kept on the provider object, because Pulumi pickles that object into the
stack's state. Sessions and clients are cached in this module instead, for the life of
the provider process (see :func:`macie2_client`).

boto3 is imported on first use: a Pulumi program that only declares resources, and the
provider during a preview, never load it.

Network bounds: Macie's invitation calls send and receive a few kilobytes and answer in
well under a second, so a 5 s connect timeout and a 10 s read timeout leave a wide margin,
and an endpoint that never answers is reported in under a minute and a half (8 attempts,
:meth:`NetworkSettings.worst_case_seconds`). The 8 attempts give throttling up to ~70 s of
botocore's backoff to clear. Users change them with ``MACIE_INVITATIONS_CONNECT_TIMEOUT`` /
``MACIE_INVITATIONS_READ_TIMEOUT`` (seconds) and botocore's own ``AWS_MAX_ATTEMPTS`` /
``AWS_RETRY_MODE``.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeVar

from . import environment
from ._version import __version__
from .errors import (
    ClientSetupError,
    EnvironmentSettingError,
    MacieInvitationsError,
    aws_errors,
    from_botocore,
)
from .target import Target, endpoint_from_environment

if TYPE_CHECKING:
    import boto3
    import botocore.config
    from mypy_boto3_macie2 import Macie2Client

T = TypeVar("T")
CONNECT_TIMEOUT_SECONDS: Final = 5.0
READ_TIMEOUT_SECONDS: Final = 10.0
RETRY_MODE: Final = "standard"
MAX_ATTEMPTS: Final = 8
CONNECT_TIMEOUT_VARIABLE: Final = "MACIE_INVITATIONS_CONNECT_TIMEOUT"
READ_TIMEOUT_VARIABLE: Final = "MACIE_INVITATIONS_READ_TIMEOUT"
MAX_ATTEMPTS_VARIABLE: Final = "AWS_MAX_ATTEMPTS"
RETRY_BACKOFF_BASE_SECONDS: Final = 0.05
"""botocore's standard-mode backoff after a timeout or a 5xx: up to 50 ms, doubling each retry."""
RETRY_BACKOFF_MAX_SECONDS: Final = 20.0
DEFAULT_ROLE_SESSION_NAME: Final = "pulumi-macie-invitations"
USER_AGENT: Final = f"pulumi-macie-invitations/{__version__}"
"""Added to every client's User-Agent, so AWS (and CloudTrail) can tell this provider's calls."""
CACHED_CLIENTS: Final = 32
"""Clients kept per provider process, the least recently used dropped first."""
ROLE_CREDENTIALS_MARGIN: Final = timedelta(minutes=5)
"""A client on an assumed role is replaced this long before the role's credentials expire."""
RETRY_MODE_VARIABLE: Final = "AWS_RETRY_MODE"
RETRY_MODES: Final = ("legacy", "standard", "adaptive")
DEFAULTS_MODE_VARIABLE: Final = "AWS_DEFAULTS_MODE"
DEFAULTS_MODES: Final = ("legacy", "standard", "in-region", "cross-region", "mobile", "auto")
STS_ENDPOINTS_VARIABLE: Final = "AWS_STS_REGIONAL_ENDPOINTS"
STS_ENDPOINTS: Final = ("legacy", "regional")
ENVIRONMENT: Final = ("AWS_", "MACIE_INVITATIONS_")
"""Prefixes of the variables sessions and clients depend on: a change gets new ones."""


@dataclass(frozen=True)
class NetworkSettings:
    """How long a call may take: the timeouts of one attempt, and the attempts of one call."""

    connect_timeout: float = CONNECT_TIMEOUT_SECONDS
    read_timeout: float = READ_TIMEOUT_SECONDS
    max_attempts: int = MAX_ATTEMPTS

    def describe(self) -> str:
        """For messages: the settings and the variables that change them."""
        return (
            f"connect timeout {self.connect_timeout:g} s ({CONNECT_TIMEOUT_VARIABLE}), "
            f"read timeout {self.read_timeout:g} s ({READ_TIMEOUT_VARIABLE}), "
            f"{self.max_attempts} attempt(s) ({MAX_ATTEMPTS_VARIABLE})"
        )

    def worst_case_seconds(self, timeout: float) -> int:
        """The longest one call can take when every attempt waits ``timeout`` (the read
        timeout for an endpoint that never answers, the connect timeout for one that never
        accepts), with botocore's largest backoff between attempts; rounded up."""
        backoff = sum(
            min(RETRY_BACKOFF_BASE_SECONDS * 2.0**retry, RETRY_BACKOFF_MAX_SECONDS)
            for retry in range(self.max_attempts - 1)
        )
        return math.ceil(self.max_attempts * timeout + backoff)


def network_settings() -> NetworkSettings:
    """This run's settings: the defaults, or the environment's overrides (each checked)."""
    return NetworkSettings(
        connect_timeout=environment.positive_seconds(
            CONNECT_TIMEOUT_VARIABLE, CONNECT_TIMEOUT_SECONDS
        ),
        read_timeout=environment.positive_seconds(READ_TIMEOUT_VARIABLE, READ_TIMEOUT_SECONDS),
        max_attempts=environment.whole_number(MAX_ATTEMPTS_VARIABLE, 1) or MAX_ATTEMPTS,
    )


@dataclass(frozen=True)
class AwsEnvironment:
    """What the environment gives the clients of one resource, and what is wrong with it."""

    problems: list[EnvironmentSettingError] = field(default_factory=list)
    """Every mistake found, each naming its variable or file."""
    profiles: frozenset[str] = frozenset()
    """The profiles the AWS config and credentials files define."""
    region: str | None = None
    """The region the environment gives, if any."""
    region_source: str = ""
    """Where :attr:`region` comes from, for messages (a variable, or the profile's config)."""
    endpoint_url: str | None = None
    """The macie2 endpoint boto3's variables give, if any."""


def aws_failure(
    error: Exception, operation: str, account_ids: Sequence[str], where: str
) -> MacieInvitationsError:
    """The error to raise for a failed AWS call, with the network settings it was made with."""
    return from_botocore(
        error,
        operation=operation,
        account_ids=account_ids,
        where=where,
        network=network_settings().describe(),
    )


def read_environment(*, profile: str | None, assumes_role: bool) -> AwsEnvironment:
    """Check every variable and file a client will be built from; no AWS call, no boto3.

    ``profile`` is the resource's own profile, which takes the place of AWS_PROFILE;
    ``assumes_role`` says whether STS's settings matter.
    """
    problems: list[EnvironmentSettingError] = []

    def checked(read: Callable[[], T], default: T) -> T:
        try:
            return read()
        except EnvironmentSettingError as problem:
            problems.append(problem)
            return default

    files = checked(environment.aws_files, environment.AwsFiles())
    if profile is None:
        profile = checked(lambda: environment.profile_variable(files), None)
        checked(environment.credential_variables, None)
    region, source = environment.region(files, profile)
    endpoint = checked(lambda: endpoint_from_environment(files, profile), None)
    checked(network_settings, None)
    checked(lambda: environment.one_of(RETRY_MODE_VARIABLE, RETRY_MODES), None)
    checked(lambda: environment.one_of(DEFAULTS_MODE_VARIABLE, DEFAULTS_MODES), None)
    checked(lambda: environment.existing_file(environment.CA_BUNDLE_VARIABLE), None)
    if assumes_role:
        checked(lambda: endpoint_from_environment(files, profile, "sts"), None)
        checked(lambda: environment.one_of(STS_ENDPOINTS_VARIABLE, STS_ENDPOINTS), None)
    return AwsEnvironment(problems, frozenset(files.profiles), region, source, endpoint)


def client_config() -> botocore.config.Config:
    """Bounded timeouts, and botocore's standard retry mode unless the user chose one."""
    import botocore.config

    settings = network_settings()
    retries: dict[str, Any] = {}
    if RETRY_MODE_VARIABLE not in os.environ:
        retries["mode"] = RETRY_MODE
    if MAX_ATTEMPTS_VARIABLE not in os.environ:
        retries["total_max_attempts"] = settings.max_attempts
    return botocore.config.Config(
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        retries=retries,  # type: ignore[arg-type]
        user_agent_extra=USER_AGENT,
    )


def macie2_client(target: Target) -> Macie2Client:
    """The macie2 client of the target, assuming its role first when it has one.

    One client per target and AWS environment, shared by every lifecycle call of this
    process (botocore clients are thread-safe, and a client per call would cost CPU and,
    against AWS, a TLS connection each). botocore's standard retry mode keeps a retry quota
    per client, so calls on one target share it, as AWS's SDKs intend: under sustained
    failures retries stop early instead of piling up. A client on an assumed role is
    replaced :data:`ROLE_CREDENTIALS_MARGIN` before the role's credentials expire.
    Clients live in this module's memory only; nothing of them reaches the stack's state.
    """
    key = (environment_key(target.profile), target)
    with _CLIENTS_LOCK:
        cached = _CLIENTS.get(key)
        if cached is not None and cached.fresh():
            _CLIENTS.move_to_end(key)
            return cached.client
        building = _BUILDING.setdefault(key, threading.Lock())
    with building:  # one build per key: the other callers wait for it and share it
        with _CLIENTS_LOCK:
            cached = _CLIENTS.get(key)
        if cached is None or not cached.fresh():
            cached = _new_client(target)
            with _CLIENTS_LOCK:
                _CLIENTS[key] = cached
                _CLIENTS.move_to_end(key)
                while len(_CLIENTS) > CACHED_CLIENTS:
                    _CLIENTS.popitem(last=False)
    return cached.client


def forget_clients() -> None:
    """Drop every cached client, as if this were a new process (tests use it)."""
    with _CLIENTS_LOCK:
        _CLIENTS.clear()


@dataclass(frozen=True)
class _CachedClient:
    client: Macie2Client
    expires: datetime | None = None
    """When the assumed role's credentials expire; None for the session's own credentials."""

    def fresh(self) -> bool:
        return self.expires is None or datetime.now(UTC) + ROLE_CREDENTIALS_MARGIN < self.expires


_CLIENTS: OrderedDict[tuple[str, Target], _CachedClient] = OrderedDict()
_BUILDING: dict[tuple[str, Target], threading.Lock] = {}
_CLIENTS_LOCK = threading.Lock()


def _new_client(target: Target) -> _CachedClient:
    """A client for ``target``; a failure names the step that failed: loading the profile,
    resolving its credentials, assuming the role (sts:AssumeRole), setting up the client."""
    where = target.describe()
    configuration = f"profile {target.profile!r}" if target.profile else "the AWS configuration"
    with _setting_up(f"loading {configuration}", where):
        session = shared_session(target.profile)
    with _setting_up(f"resolving the AWS credentials of {configuration}", where):
        session.get_credentials()  # resolved once per session; None is reported by the call
    key_id: str | None = None
    secret: str | None = None
    token: str | None = None
    expires: datetime | None = None
    if target.role_arn:
        key_id, secret, token, expires = _assume_role(session, target)
    with _setting_up("setting up the macie2 client", where), SESSIONS_LOCK:
        # building a client from a shared session is not thread-safe
        client = session.client(
            "macie2",
            region_name=target.region,
            endpoint_url=target.endpoint_url,
            config=client_config(),
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            aws_session_token=token,
        )
    return _CachedClient(client, expires)


@contextmanager
def _setting_up(step: str, where: str) -> Iterator[None]:
    """A failure of ``step`` (botocore's, or its ValueError) as one error that names it."""
    failures: tuple[type[Exception], ...] = (*aws_errors(), ValueError)
    try:
        yield
    except failures as error:
        raise ClientSetupError(step, type(error).__name__, f"{error} ({where})") from None


def environment_key(profile: str | None) -> str:
    """A digest of the profile and of every variable a session or a client depends on."""
    variables = sorted(
        (name, value) for name, value in os.environ.items() if name.startswith(ENVIRONMENT)
    )
    return hashlib.sha256(repr((profile, variables)).encode()).hexdigest()


_SESSIONS: dict[str, boto3.Session] = {}
SESSIONS_LOCK = threading.Lock()


def shared_session(profile: str | None) -> boto3.Session:
    """One boto3 session per profile and AWS environment, for the life of this process.

    Creating a session loads botocore's data files, which costs far more than the calls a
    small cleanup makes; sharing it makes a client cheap. Sessions live in this module,
    never on the provider object, so nothing of them reaches the stack's state. The key is
    :func:`environment_key`, so a changed environment (in a long-lived process) gets a
    new session.

    Its clients leave timestamps in responses as the strings AWS sent: the provider reads
    none, and parsing them costs CPU on every call.
    """
    import boto3
    import botocore.session

    key = environment_key(profile)
    with SESSIONS_LOCK:
        session = _SESSIONS.get(key)
        if session is None:
            core = botocore.session.get_session()
            core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
            session = _SESSIONS[key] = boto3.Session(botocore_session=core, profile_name=profile)
        return session


def _assume_role(session: boto3.Session, target: Target) -> tuple[str, str, str, datetime]:
    """Temporary credentials of the target's role: key id, secret key, session token, and
    when they expire."""
    assert target.role_arn is not None
    request: dict[str, Any] = {
        "RoleArn": target.role_arn,
        "RoleSessionName": target.session_name or DEFAULT_ROLE_SESSION_NAME,
    }
    if target.external_id:
        request["ExternalId"] = target.external_id
    with _setting_up("setting up the STS client", target.describe()), SESSIONS_LOCK:
        sts = session.client("sts", region_name=target.region, config=client_config())
    # Where it failed: STS, assuming the role (the macie2 endpoint was never reached).
    where = f"STS in region {target.region}, assuming {target.role_arn}, at {sts.meta.endpoint_url}"
    try:
        credentials = sts.assume_role(**request)["Credentials"]
    except aws_errors() as error:
        raise aws_failure(error, "sts:AssumeRole", (), where) from None
    expiration: datetime | str = credentials["Expiration"]  # a string: see shared_session
    if isinstance(expiration, str):
        from botocore.utils import parse_timestamp

        expiration = parse_timestamp(expiration)
    return (
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
        expiration,
    )

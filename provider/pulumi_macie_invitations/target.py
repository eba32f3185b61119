"""Where the cleanup happens: the account and region, and how to reach them.

Nothing here is kept on the provider object, because Pulumi pickles that object into the
stack's state. Sessions and clients are cached in this module instead, for the life of
the provider process (see :func:`macie2_client`).

boto3 is imported on first use: a Pulumi program that only declares resources, and the
provider during a preview, never load it.

Network bounds: Macie's invitation calls send and receive a few kilobytes and answer in
well under a second, so a 5 s connect timeout and a 10 s read timeout leave a wide margin,
and an endpoint that never answers is reported in under a minute and a half (8 attempts,
:meth:`NetworkSettings.worst_case_seconds`) instead of the four minutes 30 s x 8 took. The
8 attempts give throttling up to ~70 s of botocore's backoff to clear. Users change them
with ``MACIE_INVITATIONS_CONNECT_TIMEOUT`` / ``MACIE_INVITATIONS_READ_TIMEOUT`` (seconds)
and botocore's own ``AWS_MAX_ATTEMPTS`` / ``AWS_RETRY_MODE``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from . import properties as p
from ._version import __version__

if TYPE_CHECKING:
    import boto3
    import botocore.config
    from mypy_boto3_macie2 import Macie2Client

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
ENVIRONMENT: Final = ("AWS_", "MACIE_INVITATIONS_")
"""Prefixes of the variables sessions and clients depend on: a change gets new ones."""


@dataclass(frozen=True)
class Target:
    """The Macie account and region a resource cleans, as recorded in its state."""

    region: str
    endpoint_url: str | None = None
    profile: str | None = None
    role_arn: str | None = None
    role_session_name: str | None = None
    external_id: str | None = None

    @classmethod
    def from_properties(cls, props: Mapping[str, Any]) -> Target:
        """Read a target from checked inputs or from recorded outputs."""
        return cls(
            region=props[p.REGION],
            endpoint_url=props.get(p.ENDPOINT_URL),
            profile=props.get(p.PROFILE),
            role_arn=props.get(p.ROLE_ARN),
            role_session_name=props.get(p.ROLE_SESSION_NAME),
            external_id=props.get(p.EXTERNAL_ID),
        )

    def describe(self) -> str:
        """Where, for messages: region, and the role when one is assumed."""
        where = f"region {self.region}"
        if self.role_arn:
            where += f" as {self.role_arn}"
        if self.endpoint_url:
            where += f" at {self.endpoint_url}"
        return where


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


def _positive_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number of seconds, got {raw!r}")
    return value


def network_settings() -> NetworkSettings:
    """This run's settings: the defaults, or the environment's overrides."""
    attempts = os.environ.get(MAX_ATTEMPTS_VARIABLE, "").strip()
    return NetworkSettings(
        connect_timeout=_positive_seconds(CONNECT_TIMEOUT_VARIABLE, CONNECT_TIMEOUT_SECONDS),
        read_timeout=_positive_seconds(READ_TIMEOUT_VARIABLE, READ_TIMEOUT_SECONDS),
        max_attempts=int(attempts) if attempts.isdigit() and int(attempts) > 0 else MAX_ATTEMPTS,
    )


def endpoint_from_environment(service: str = "macie2") -> str | None:
    """The endpoint boto3 would use for ``service`` from its own variables, or None for
    AWS's default."""
    if os.environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    specific = f"AWS_ENDPOINT_URL_{service.upper()}"
    return os.environ.get(specific) or os.environ.get("AWS_ENDPOINT_URL") or None


def environment_region(profile: str | None) -> str | None:
    """The region from the AWS environment: AWS_REGION, AWS_DEFAULT_REGION or the profile.

    AWS_REGION comes first, as in the AWS CLI v2 (botocore itself reads only the others);
    the variables are read directly, so the profile's config file is read (by a boto3
    session) only when neither is set.
    """
    return (
        os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or _session(profile).region_name
    )


def known_profiles() -> list[str]:
    """Profiles defined in the local AWS config and credentials files."""
    import botocore.session

    return list(botocore.session.Session().available_profiles)


@functools.cache
def macie_regions() -> frozenset[str]:
    """Regions where botocore's endpoint data lists Amazon Macie, across all partitions.

    The same set as boto3's ``get_available_regions("macie2", partition)`` over every
    partition (the service's endpoints that are regions of their partition), read from
    botocore's endpoint data without building a session, which would cost half a second
    in every preview; read once per process.
    """
    regions: set[str] = set()
    for partition in _endpoint_data()["partitions"]:
        endpoints = partition.get("services", {}).get("macie2", {}).get("endpoints", {})
        regions.update(name for name in endpoints if name in partition.get("regions", {}))
    return frozenset(regions)


def _endpoint_data() -> dict[str, Any]:
    """botocore's ``endpoints.json``: the file it ships, else through its data loader."""
    shipped = importlib.resources.files("botocore").joinpath("data", "endpoints.json")
    if shipped.is_file():
        data: dict[str, Any] = json.loads(shipped.read_bytes())
        return data
    import botocore.loaders

    loaded: dict[str, Any] = botocore.loaders.create_loader().load_data("endpoints")
    return loaded


def client_config() -> botocore.config.Config:
    """Bounded timeouts, and botocore's standard retry mode unless the user chose one."""
    import botocore.config

    settings = network_settings()
    retries: dict[str, Any] = {}
    if "AWS_RETRY_MODE" not in os.environ:
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
    process (botocore clients are thread-safe): a client costs milliseconds of CPU and,
    against AWS, a TLS connection; building one per resource was a third of the provider
    process's CPU in a 50-resource ``pulumi up``. botocore's standard retry mode keeps a
    retry quota per client, so calls on one target share it, as AWS's SDKs intend: under
    sustained failures retries stop early instead of piling up. A client on an assumed
    role is replaced :data:`ROLE_CREDENTIALS_MARGIN` before the role's credentials expire.
    Clients live in this module's memory only; nothing of them reaches the stack's state.
    """
    key = (_environment_key(target.profile), target)
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
    session = _session(target.profile)
    key_id: str | None = None
    secret: str | None = None
    token: str | None = None
    expires: datetime | None = None
    if target.role_arn:
        key_id, secret, token, expires = _assume_role(session, target)
    with _SESSIONS_LOCK:  # building a client from a shared session is not thread-safe
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


def _environment_key(profile: str | None) -> str:
    """A digest of the profile and of every variable a session or a client depends on."""
    environment = sorted(
        (name, value) for name, value in os.environ.items() if name.startswith(ENVIRONMENT)
    )
    return hashlib.sha256(repr((profile, environment)).encode()).hexdigest()


_SESSIONS: dict[str, boto3.Session] = {}
_SESSIONS_LOCK = threading.Lock()


def _session(profile: str | None) -> boto3.Session:
    """One boto3 session per profile and AWS environment, for the life of this process.

    Creating a session loads botocore's data files, which costs far more than the calls a
    small cleanup makes; sharing it makes a client cheap. Sessions live in this module,
    never on the provider object, so nothing of them reaches the stack's state. The key is
    :func:`_environment_key`, so a changed environment (in a long-lived process) gets a
    new session.

    Its clients leave timestamps in responses as the strings AWS sent: the provider reads
    none, and parsing them (botocore uses dateutil) was a tenth of the provider's CPU in
    a 50-resource ``pulumi up`` (bench/RESULTS.md).
    """
    import boto3
    import botocore.session

    key = _environment_key(profile)
    with _SESSIONS_LOCK:
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
        "RoleSessionName": target.role_session_name or DEFAULT_ROLE_SESSION_NAME,
    }
    if target.external_id:
        request["ExternalId"] = target.external_id
    with _SESSIONS_LOCK:
        sts = session.client("sts", region_name=target.region, config=client_config())
    credentials = sts.assume_role(**request)["Credentials"]
    expiration: datetime | str = credentials["Expiration"]  # a string: see _session
    if isinstance(expiration, str):
        from botocore.utils import parse_timestamp

        expiration = parse_timestamp(expiration)
    return (
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
        expiration,
    )

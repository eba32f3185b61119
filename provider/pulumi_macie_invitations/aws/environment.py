"""The provider's process environment, read in one place: variables and AWS config files.

:func:`read_environment` checks every variable and file a client will be built from and
returns what they give (:class:`AwsEnvironment`): the region, the endpoint, the profiles,
and every mistake. Each reader below returns what boto3 will use, or raises
:class:`EnvironmentSettingError` naming the variable (or file), its value (never a
secret) and what is expected, so that a mistake is reported by ``check`` at preview
instead of deep inside botocore at apply time. Nothing here makes an AWS call or builds a
boto3 session: the config files are parsed with botocore's own parser, and only when they
exist.

Network bounds: the invitation calls send and receive a few kilobytes and answer in well
under a second, so a 5 s connect timeout and a 10 s read timeout leave a wide margin, and
an endpoint that never answers is reported in under a minute and a half (8 attempts,
:meth:`NetworkSettings.worst_case_seconds`). The 8 attempts give throttling up to ~70 s of
botocore's backoff to clear. Users change them with ``MACIE_INVITATIONS_CONNECT_TIMEOUT`` /
``MACIE_INVITATIONS_READ_TIMEOUT`` (seconds) and botocore's own ``AWS_MAX_ATTEMPTS`` /
``AWS_RETRY_MODE``.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

from ..errors import EnvironmentSettingError

T = TypeVar("T")

CONFIG_FILE_VARIABLE: Final = "AWS_CONFIG_FILE"
CREDENTIALS_FILE_VARIABLE: Final = "AWS_SHARED_CREDENTIALS_FILE"
PROFILE_VARIABLES: Final = ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")
"""The variables botocore reads a profile name from, the first one set winning."""
REGION_VARIABLES: Final = ("AWS_REGION", "AWS_DEFAULT_REGION")
"""AWS_REGION first, as in the AWS CLI v2 (botocore itself reads only the second)."""
ACCESS_KEY_VARIABLE: Final = "AWS_ACCESS_KEY_ID"
SECRET_KEY_VARIABLE: Final = "AWS_SECRET_ACCESS_KEY"  # noqa: S105 - a variable's name
CA_BUNDLE_VARIABLE: Final = "AWS_CA_BUNDLE"
_HOST_LABELS: Final = re.compile(r"((?!-)[A-Z\d-]{1,63}(?<!-)\.)*((?!-)[A-Z\d-]{1,63}(?<!-))", re.I)
"""botocore's rule for an endpoint's host name (``botocore.utils.is_valid_endpoint_url``)."""


def raw(name: str) -> str | None:
    """The variable's value, or None when it is unset or blank."""
    value = os.environ.get(name)
    return value if value is not None and value.strip() else None


def _given(name: str) -> str | None:
    """The variable's value, blank included: botocore refuses a blank one of these."""
    return os.environ.get(name)


def _invalid(name: str, value: str, expected: str) -> EnvironmentSettingError:
    return EnvironmentSettingError(name, f"is {value!r}: expected {expected}")


def positive_seconds(name: str, default: float) -> float:
    """A number of seconds greater than zero, or ``default`` when the variable is unset."""
    value = raw(name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise _invalid(name, value, "a number of seconds greater than 0, such as 10")
    return seconds


def whole_number(name: str, minimum: int) -> int | None:
    """A whole number of at least ``minimum``, or None when the variable is unset."""
    value = _given(name)
    if value is None:
        return None
    if not (value.strip().isdigit() and int(value) >= minimum):
        raise _invalid(name, value, f"a whole number, {minimum} or more")
    return int(value)


def one_of(name: str, choices: tuple[str, ...]) -> str | None:
    """One of ``choices``, or None when the variable is unset."""
    value = _given(name)
    if value is not None and value not in choices:
        raise _invalid(name, value, f"one of {', '.join(choices)}")
    return value


def endpoint_url(name: str, example: str) -> str | None:
    """The variable's endpoint URL (see :func:`checked_endpoint`); None when unset."""
    return checked_endpoint(name, raw(name), example)


def checked_endpoint(setting: str, value: object, example: str) -> str | None:
    """``value`` when it is an endpoint URL boto3 accepts, without credentials in it;
    None when it is unset. ``setting`` names it and ``example`` is a valid one, for the
    message."""
    if value is None or value == "":
        return None
    expected = f"an http:// or https:// URL with a host name, such as {example}"
    if not isinstance(value, str):
        raise EnvironmentSettingError(setting, f"is not a URL: expected {expected}")
    try:
        parts = urlsplit(value)
        host, _port = parts.hostname, parts.port  # the port raises when it is not a number
    except ValueError:  # such as an unclosed [ of an IPv6 address
        raise _invalid(setting, value, expected) from None
    if parts.username is not None or parts.password is not None:
        raise EnvironmentSettingError(
            setting,
            f"is {value!r}: an endpoint URL must not hold credentials (user:password@): "
            "they would be recorded in the stack's state; give AWS credentials the usual way",
        )
    if parts.scheme not in {"http", "https"} or not host or not _valid_host(host):
        raise _invalid(setting, value, expected)
    return value


def _valid_host(host: str) -> bool:
    if ":" in host:  # an IPv6 address, which urlsplit takes from inside [...]
        return re.fullmatch(r"[0-9a-f:.]+", host, re.I) is not None
    return len(host) <= 255 and _HOST_LABELS.fullmatch(host.removesuffix(".")) is not None


def existing_file(name: str) -> str | None:
    """The path of a file that exists, or None when the variable is unset."""
    value = _given(name)
    if value is not None and not os.path.isfile(os.path.expanduser(value)):
        raise _invalid(name, value, "the path of an existing file")
    return value


def credential_variables() -> None:
    """An access key id needs its secret key, as botocore's environment credentials do."""
    if raw(ACCESS_KEY_VARIABLE) and not raw(SECRET_KEY_VARIABLE):
        raise EnvironmentSettingError(
            ACCESS_KEY_VARIABLE,
            f"is set but {SECRET_KEY_VARIABLE} is not: set both (or neither, to use a profile)",
        )


@dataclass(frozen=True)
class AwsFiles:
    """What the AWS config and credentials files hold, as botocore reads them."""

    profiles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Profile name -> settings, from both files."""
    config_file: str = "~/.aws/config"
    """The config file, as a message names it (the variable, or the default path)."""
    services: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """The config file's ``[services name]`` sections: name -> service -> settings."""

    def profile(self, name: str | None) -> Mapping[str, Any]:
        """A profile's settings; the default profile's for None; {} when absent."""
        return self.profiles.get(name or "default", {})


def aws_files() -> AwsFiles:
    """Parse the config and credentials files, with botocore's parser, when they exist.

    Raises :class:`EnvironmentSettingError` for a file that exists but cannot be read or
    parsed (botocore would raise at apply time). No line of a file is ever quoted: the
    credentials file holds secret keys.
    """
    config, config_name = _parse(CONFIG_FILE_VARIABLE, "~/.aws/config")
    credentials, _ = _parse(CREDENTIALS_FILE_VARIABLE, "~/.aws/credentials")
    if not (config or credentials):
        return AwsFiles(config_file=config_name)
    import botocore.configloader

    sections = botocore.configloader.build_profile_map(config)
    profiles: dict[str, dict[str, Any]] = sections["profiles"]
    for name, settings in credentials.items():
        profiles.setdefault(name, {}).update(settings)
    return AwsFiles(profiles, config_name, sections.get("services", {}))


def _parse(variable: str, default: str) -> tuple[dict[str, Any], str]:
    """A file's sections, and how a message names the file."""
    given = raw(variable)
    path = os.path.expanduser(os.path.expandvars(given or default))
    name = f"{variable}={given!r}" if given else f"the AWS file {default}"
    if not os.path.exists(path):
        return {}, name  # botocore reads a missing file as an empty one
    if not os.path.isfile(path):
        raise EnvironmentSettingError(name, "is not a file: expected an AWS config file")
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        raise EnvironmentSettingError(name, f"cannot be read: {error.strerror}") from None
    import botocore.configloader
    import botocore.exceptions

    try:
        sections: dict[str, Any] = botocore.configloader.raw_config_parse(path)
    except botocore.exceptions.ConfigParseError as error:
        problem = _parse_problem(error.kwargs.get("error"))
        raise EnvironmentSettingError(name, f"cannot be parsed: {problem}") from None
    return sections, name


def _parse_problem(error: object) -> str:
    """What is wrong with an INI file, by line number: never the line itself."""
    import configparser

    if isinstance(error, configparser.MissingSectionHeaderError):
        return f"line {error.lineno} comes before any [section] header"
    if isinstance(error, configparser.ParsingError):
        lines = ", ".join(str(number) for number, _ in error.errors)
        return f"line(s) {lines}: not 'name = value' lines"
    if isinstance(error, configparser.DuplicateSectionError):
        return f"section [{error.section}] appears twice (line {error.lineno})"
    if isinstance(error, configparser.DuplicateOptionError):
        return f"{error.option} appears twice in [{error.section}] (line {error.lineno})"
    if isinstance(error, UnicodeDecodeError):
        return f"it is not UTF-8 text (byte {error.start})"
    return "an indented block of settings is not `name = value` lines"


def profile_variable(files: AwsFiles) -> str | None:
    """The profile the environment selects (AWS_DEFAULT_PROFILE, else AWS_PROFILE), which
    must exist in the files, as botocore requires of a profile named explicitly."""
    for variable in PROFILE_VARIABLES:
        name = os.environ.get(variable)
        if name is None:
            continue
        if name not in files.profiles:
            known = ", ".join(sorted(files.profiles)) or "none"
            raise EnvironmentSettingError(
                variable,
                f"is {name!r}: not a profile in your AWS config or credentials file "
                f"(known: {known})",
            )
        return name
    return None


def region(files: AwsFiles, profile: str | None) -> tuple[str | None, str]:
    """The region the environment gives, and where it comes from, for messages:
    AWS_REGION, AWS_DEFAULT_REGION, then the profile's ``region`` in the config file."""
    for variable in REGION_VARIABLES:
        value = raw(variable)
        if value is not None:
            return value, variable
    value = files.profile(profile).get("region")
    source = f"the region of profile {profile or 'default'!r} in {files.config_file}"
    return (value if isinstance(value, str) and value else None), source


GLOBAL_ENDPOINT_VARIABLE: Final = "AWS_ENDPOINT_URL"
"""boto3's endpoint for every service that has no ``AWS_ENDPOINT_URL_<SERVICE>`` of its own."""
IGNORE_ENDPOINTS_VARIABLE: Final = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
IGNORE_ENDPOINTS_SETTING: Final = "ignore_configured_endpoint_urls"


def endpoint_from_environment(files: AwsFiles, profile: str | None, service: str) -> str | None:
    """The endpoint boto3 takes for ``service`` from the environment, in botocore's order:
    ``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_ENDPOINT_URL``, the ``endpoint_url`` of the service
    in the profile's ``services`` section, the profile's ``endpoint_url``; None for AWS's
    own. Raises :class:`~pulumi_macie_invitations.errors.EnvironmentSettingError` for a value
    boto3 refuses."""
    settings = files.profile(profile)
    ignore = raw(IGNORE_ENDPOINTS_VARIABLE) or settings.get(IGNORE_ENDPOINTS_SETTING)
    if str(ignore).lower() == "true":
        return None
    example = f"https://{service}.us-east-1.amazonaws.com"
    for variable in (f"AWS_ENDPOINT_URL_{service.upper()}", GLOBAL_ENDPOINT_VARIABLE):
        url = endpoint_url(variable, example)
        if url is not None:
            return url
    where = f"of profile {profile or 'default'!r} in {files.config_file}"
    section = settings.get("services")
    in_section = files.services.get(section, {}).get(service, {}) if section else {}
    return checked_endpoint(
        f"endpoint_url of {service} in [services {section}] {where}",
        in_section.get("endpoint_url"),
        example,
    ) or checked_endpoint(f"endpoint_url {where}", settings.get("endpoint_url"), example)


CONNECT_TIMEOUT_SECONDS: Final = 5.0
READ_TIMEOUT_SECONDS: Final = 10.0
MAX_ATTEMPTS: Final = 8
CONNECT_TIMEOUT_VARIABLE: Final = "MACIE_INVITATIONS_CONNECT_TIMEOUT"
READ_TIMEOUT_VARIABLE: Final = "MACIE_INVITATIONS_READ_TIMEOUT"
MAX_ATTEMPTS_VARIABLE: Final = "AWS_MAX_ATTEMPTS"
RETRY_BACKOFF_BASE_SECONDS: Final = 0.05
"""botocore's standard-mode backoff after a timeout or a 5xx: up to 50 ms, doubling each retry."""
RETRY_BACKOFF_MAX_SECONDS: Final = 20.0
RETRY_MODE_VARIABLE: Final = "AWS_RETRY_MODE"
RETRY_MODES: Final = ("legacy", "standard", "adaptive")
DEFAULTS_MODE_VARIABLE: Final = "AWS_DEFAULTS_MODE"
DEFAULTS_MODES: Final = ("legacy", "standard", "in-region", "cross-region", "mobile", "auto")
STS_ENDPOINTS_VARIABLE: Final = "AWS_STS_REGIONAL_ENDPOINTS"
STS_ENDPOINTS: Final = ("legacy", "regional")
PREFIXES: Final = ("AWS_", "MACIE_INVITATIONS_")
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
        connect_timeout=positive_seconds(CONNECT_TIMEOUT_VARIABLE, CONNECT_TIMEOUT_SECONDS),
        read_timeout=positive_seconds(READ_TIMEOUT_VARIABLE, READ_TIMEOUT_SECONDS),
        max_attempts=whole_number(MAX_ATTEMPTS_VARIABLE, 1) or MAX_ATTEMPTS,
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
    """The endpoint of the service boto3's variables give, if any."""


def read_environment(*, profile: str | None, assumes_role: bool, service: str) -> AwsEnvironment:
    """Check every variable and file a client of ``service`` will be built from; no AWS
    call, no boto3.

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

    files = checked(aws_files, AwsFiles())
    if profile is None:
        profile = checked(lambda: profile_variable(files), None)
        checked(credential_variables, None)
    given_region, source = region(files, profile)
    endpoint = checked(lambda: endpoint_from_environment(files, profile, service), None)
    checked(network_settings, None)
    checked(lambda: one_of(RETRY_MODE_VARIABLE, RETRY_MODES), None)
    checked(lambda: one_of(DEFAULTS_MODE_VARIABLE, DEFAULTS_MODES), None)
    checked(lambda: existing_file(CA_BUNDLE_VARIABLE), None)
    if assumes_role:
        checked(lambda: endpoint_from_environment(files, profile, "sts"), None)
        checked(lambda: one_of(STS_ENDPOINTS_VARIABLE, STS_ENDPOINTS), None)
    return AwsEnvironment(problems, frozenset(files.profiles), given_region, source, endpoint)


def environment_key(profile: str | None) -> str:
    """A digest of the profile and of every variable a session or a client depends on."""
    variables = sorted(
        (name, value) for name, value in os.environ.items() if name.startswith(PREFIXES)
    )
    return hashlib.sha256(repr((profile, variables)).encode()).hexdigest()

"""Validation and normalisation of the resources' inputs.

Pure functions: no AWS call, no I/O. Used by the providers' ``check`` (where values are
known at preview) and again by ``create``/``update`` (for values that were unknown at
preview), and by the organization's component in the program, so bad input never reaches
AWS. What a check compares with (the regions a service is available in, the profiles of
the AWS files) is handed in by the caller.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from . import properties as p

UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The value Pulumi sends for an input that is not known yet (during preview)."""

ACCOUNT_ID_PATTERN: Final = re.compile(r"[0-9]{12}")
REGION_PATTERN: Final = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")
PARTITION_PATTERN: Final = re.compile(r"aws(-[a-z]+)*")
ROLE_NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9+=,.@_/-]{1,512}")
ROLE_ARN_EXAMPLE: Final = "arn:aws:iam::123456789012:role/name"
ROLE_SESSION_NAME_PATTERN: Final = re.compile(r"[A-Za-z0-9+=,.@_-]{2,64}")
EXTERNAL_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9+=,.@:/_-]{2,1224}")
PROFILE_PATTERN: Final = re.compile(r"\S(.*\S)?")
REGION_EXPECTED: Final = 'an AWS region name such as "us-east-1"'
NEAR: Final = 0.8
"""How alike (difflib's ratio) a mistyped name and a known one must be to suggest it."""
ALWAYS_SECRET: Final = frozenset({p.EXTERNAL_ID})
"""Inputs whose value never appears in a message, whether or not the program made it secret."""


@dataclass(frozen=True)
class InputSchema:
    """What a resource takes: its name, its properties, and the one that lists senders."""

    resource: str
    inputs: tuple[str, ...]
    senders: str
    """The property listing sender account ids (the accounts that sent invitations)."""
    required_hint: str
    """What to write when the senders property is missing."""
    empty_refused: str | None
    """Why an empty list of senders is refused; None when it is allowed."""


DECLINED_INVITATIONS: Final = InputSchema(
    resource="DeclinedInvitations",
    inputs=p.INPUTS,
    senders=p.ACCOUNT_IDS,
    required_hint="list the AWS account ids that sent the invitations",
    empty_refused="must list at least one account id; an empty list would do nothing",
)
INVITATION_GUARD: Final = InputSchema(
    resource="InvitationGuard",
    inputs=p.GUARD_INPUTS,
    senders=p.ALLOWED_ACCOUNT_IDS,
    required_hint=(
        "list the accounts whose invitations are kept (such as your Macie administrator), "
        "or [] to keep none"
    ),
    empty_refused=None,
)
MEMBER: Final = InputSchema(
    resource="OrganizationInvitationGuard member",
    inputs=p.MEMBER_INPUTS,
    senders=p.ALLOWED_ACCOUNT_IDS,
    required_hint=INVITATION_GUARD.required_hint,
    empty_refused=None,
)


@dataclass(frozen=True)
class Failure:
    """One invalid input: the property (camelCase, as in state) and why; the property is
    empty for a mistake in the provider's environment (the reason names the variable)."""

    property: str
    reason: str


def is_unknown(value: object) -> bool:
    """True for a value Pulumi does not know yet (an unresolved Output during preview)."""
    return isinstance(value, str) and value == UNKNOWN


def describe(value: object) -> str:
    """A short, unambiguous rendering of a bad value for an error message."""
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value)
    )
    if value is None:
        return "None"
    if kind is None:
        kind = "a list" if isinstance(value, list | tuple) else f"a {type(value).__name__}"
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{shown} ({kind})"


def normalise_account_ids(
    value: object, schema: InputSchema = DECLINED_INVITATIONS
) -> tuple[list[str], list[Failure]]:
    """Validate the senders property of ``schema`` (``accountIds`` by default): a list of
    12-digit strings (non-empty unless the schema allows it), de-duplicated and sorted.

    Unknown elements (preview) are kept as they are and checked again at apply time.
    """
    prop = schema.senders
    if is_unknown(value):
        return [UNKNOWN], []
    if value is None:
        return [], [Failure(prop, f"is required: {schema.required_hint}")]
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        return [], [
            Failure(prop, f"must be a list of 12-digit account id strings, got {describe(value)}")
        ]
    if not value:
        return [], [Failure(prop, schema.empty_refused)] if schema.empty_refused else []
    failures = []
    ids: set[str] = set()
    unknown = False
    for index, item in enumerate(value):
        if is_unknown(item):
            unknown = True
        elif isinstance(item, str) and ACCOUNT_ID_PATTERN.fullmatch(item):
            ids.add(item)
        else:
            failures.append(Failure(prop, f"element {index} is {describe(item)}: {_id_hint(item)}"))
    return sorted(ids) + ([UNKNOWN] if unknown else []), failures


def _id_hint(item: object) -> str:
    if isinstance(item, bool):
        return "an account id is a string of exactly 12 digits"
    if isinstance(item, int):
        return (
            'write account ids as quoted 12-digit strings (e.g. "012345678901"): '
            "an integer loses leading zeros"
        )
    if isinstance(item, str) and item.strip() != item:
        return "remove the surrounding spaces; an account id is exactly 12 digits"
    if isinstance(item, str) and item.isdigit():
        return f"an account id has exactly 12 digits, this one has {len(item)}"
    return "an account id is a string of exactly 12 digits"


def _optional_string(
    news: Mapping[str, Any], prop: str, pattern: re.Pattern[str], expected: str
) -> tuple[str | None, list[Failure]]:
    value = news.get(prop)
    if value is None or is_unknown(value):
        return value, []
    # The external id is treated as a secret: its value never appears in a message.
    shown = "the value given" if prop in ALWAYS_SECRET else describe(value)
    if not isinstance(value, str):
        return None, [Failure(prop, f"must be a string ({expected}), got {shown}")]
    if not pattern.fullmatch(value):
        return None, [Failure(prop, f"{shown} is not valid: expected {expected}")]
    return value, []


def environment_failures(problems: Iterable[Exception]) -> list[Failure]:
    """The environment's problems (each names its variable or file) as check failures."""
    return [Failure("", str(problem)) for problem in problems]


def _known(
    prop: str,
    value: str | None,
    failures: list[Failure],
    known: Collection[str],
    what: str,
    shown: str | None = None,
) -> str | None:
    """Keep ``value`` when it is unset, unknown or in ``known``; else record a failure
    (showing the value as ``shown``, by default :func:`describe`)."""
    if value is None or failures or is_unknown(value) or value in known:
        return value
    listed = ", ".join(sorted(known)) or "none"
    failures.append(
        Failure(
            prop,
            f"{shown or describe(value)} is not {what}{did_you_mean(value, known)} "
            f"(known: {listed})",
        )
    )
    return None


def did_you_mean(value: object, known: Collection[str]) -> str:
    """``; did you mean 'eu-west-1'?`` for the known name nearest to a mistyped ``value``
    (``eu-west1``), or nothing when none is near or two are as near (``us-east-9``)."""
    if not isinstance(value, str):
        return ""
    typed = value.strip()
    scores = sorted(
        ((difflib.SequenceMatcher(None, typed, name).ratio(), name) for name in known),
        reverse=True,
    )
    best, second = [*scores, (0.0, ""), (0.0, "")][:2]
    return f"; did you mean {best[1]!r}?" if best[0] >= NEAR and best[0] > second[0] else ""


def check_region(
    region: str, source: str | None, regions: Regions | None
) -> tuple[str | None, list[Failure]]:
    """The one check of a region, given (``source`` None) or a default from ``source``:
    one of ``regions`` (where the service is available), or unknown at preview. With
    ``regions`` None (the service is not known yet, or not valid) it is kept as it is:
    checked again once the service is known."""
    failures: list[Failure] = []
    if regions is None:
        return region, failures
    shown = f"{region!r} (from {source})" if source else None
    what = f"a region where {regions.service} is available"
    return _known(p.REGION, region, failures, regions.names, what, shown), failures


@dataclass(frozen=True)
class Regions:
    """The regions a service is available in, and the service's name, for messages."""

    service: str
    names: Collection[str]


def normalise_service(value: object, choices: Collection[str]) -> tuple[str | None, list[Failure]]:
    """The service input: unset (None: the resource's default), one of ``choices``
    (boto3's service names), or unknown at preview; else None and a failure naming the
    value and the choices."""
    if value is None:
        return None, []
    if isinstance(value, str) and (is_unknown(value) or value in choices):
        return value, []
    return None, [Failure(p.SERVICE, _not_a_service(value, choices))]


def _not_a_service(value: object, choices: Collection[str]) -> str:
    expected = ", ".join(f'"{choice}"' for choice in choices)
    spelled = value.strip().lower().replace(" ", "") if isinstance(value, str) else None
    hint = f" (boto3's name: {spelled!r})" if spelled in choices else ""
    return (
        f"{describe(value)} is not a service this resource covers: expected one of {expected}{hint}"
    )


def normalise_services(
    value: object, choices: Collection[str], prop: str = p.SERVICES
) -> tuple[list[str] | None, list[Failure]]:
    """A list of services (``prop``: ``services``): unset (None: Macie's only), or a
    non-empty list of ``choices`` (boto3's names), de-duplicated, in the order of
    ``choices``; elements unknown at preview are kept (checked again at apply time).
    Failures name the property, the element and its value."""
    if value is None:
        return None, []
    if is_unknown(value):
        return [UNKNOWN], []
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        expected = ", ".join(f'"{choice}"' for choice in choices)
        return None, [
            Failure(
                prop, f"must be a non-empty list of services ({expected}), got {describe(value)}"
            )
        ]
    failures = [
        Failure(prop, f"element {index}: {_not_a_service(item, choices)}")
        for index, item in enumerate(value)
        if not (isinstance(item, str) and (is_unknown(item) or item in choices))
    ]
    given = {item for item in value if isinstance(item, str)}
    named = [choice for choice in choices if choice in given]
    return named + ([UNKNOWN] if UNKNOWN in given else []), failures


def normalise_regions(value: object, regions: Regions) -> tuple[list[str], list[Failure]]:
    """A non-empty list of regions where the service is available, de-duplicated and sorted."""
    if is_unknown(value):
        return [UNKNOWN], []
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        return [], [
            Failure(p.REGIONS, f"must be a non-empty list of region names, got {describe(value)}")
        ]
    failures = [
        Failure(
            p.REGIONS,
            f"element {index} is {describe(item)}: not a region where {regions.service} is "
            f"available{did_you_mean(item, regions.names)}",
        )
        for index, item in enumerate(value)
        if not is_unknown(item) and item not in regions.names
    ]
    return sorted(set(value)), failures


def role_arn_problem(value: object) -> str | None:
    """What is wrong with ``value`` as an IAM role ARN, naming the part that is wrong
    (the account part, the partition, not a role...), after the value as a message shows
    it; None for a role ARN. The one check of a role ARN, for every resource."""
    expected = f"an IAM role ARN such as {ROLE_ARN_EXAMPLE}"
    parts = value.split(":", 5) if isinstance(value, str) else []
    if len(parts) != 6 or parts[0] != "arn":
        return f"is not {expected}"
    _, partition, service, region, account, resource = parts
    if not PARTITION_PATTERN.fullmatch(partition):
        why = f"the partition {partition!r} is not an AWS partition (aws, aws-cn, aws-us-gov...)"
    elif service != "iam":
        why = f"the service part is {service!r}, not 'iam'"
    elif region:
        why = f"the region part is {region!r}: an IAM ARN has none"
    elif not ACCOUNT_ID_PATTERN.fullmatch(account):
        digits = f"has {len(account)} digits" if account.isdigit() else f"is {account!r}"
        why = f"the account part {digits}: an account id is exactly 12 digits"
    elif not resource.startswith("role/"):
        why = f"not a role: the resource part is {resource!r}, expected role/<name>"
    elif not ROLE_NAME_PATTERN.fullmatch(resource.removeprefix("role/")):
        why = "the role name must be 1-512 characters of [A-Za-z0-9+=,.@_/-]"
    else:
        return None
    return f"is not valid: {why} (expected {expected})"


def _role_arn(news: Mapping[str, Any], failures: list[Failure]) -> object:
    """The role ARN input, checked (recording a failure); unset or unknown as it is."""
    value = news.get(p.ROLE_ARN)
    if value is None or is_unknown(value):
        return value
    if not isinstance(value, str):
        failures.append(
            Failure(p.ROLE_ARN, f"must be a string (an IAM role ARN), got {describe(value)}")
        )
        return None
    problem = role_arn_problem(value)
    if problem is not None:
        failures.append(Failure(p.ROLE_ARN, f"{describe(value)} {problem}"))
        return None
    return value


ROLE_SETTINGS: Final = (
    (p.SESSION_NAME, ROLE_SESSION_NAME_PATTERN, "2-64 characters of [A-Za-z0-9+=,.@_-]"),
    (p.EXTERNAL_ID, EXTERNAL_ID_PATTERN, "2-1224 characters of [A-Za-z0-9+=,.@:/_-]"),
)
"""How a role is assumed: pulumi-aws's names for them."""


def _role(news: Mapping[str, Any], inputs: dict[str, Any], failures: list[Failure]) -> None:
    """The role ARN and how it is assumed, into ``inputs``; each mistake into ``failures``."""
    inputs[p.ROLE_ARN] = _role_arn(news, failures)
    for prop, pattern, expected_value in ROLE_SETTINGS:
        inputs[prop], value_failures = _optional_string(news, prop, pattern, expected_value)
        failures += value_failures
    for prop, _, _ in ROLE_SETTINGS:
        if inputs[prop] is not None and news.get(p.ROLE_ARN) is None:
            failures.append(
                Failure(prop, f"is set but {p.ROLE_ARN} is not: it only applies to a role")
            )


def _unexpected(news: Mapping[str, Any], schema: InputSchema) -> list[Failure]:
    expected = ", ".join(schema.inputs)
    return [
        Failure(key, f"is not a property of {schema.resource} (expected one of {expected})")
        for key in news
        if key not in schema.inputs and not key.startswith("__")
    ]


def normalise(
    news: Mapping[str, Any],
    *,
    known_profiles: Collection[str],
    regions: Regions | None,
    schema: InputSchema = DECLINED_INVITATIONS,
) -> tuple[dict[str, Any], list[Failure]]:
    """Validate every input of a ``schema`` resource (an inbox resource) but its service
    (:func:`normalise_service`, which the caller checks first) and return (normalised
    inputs, failures).

    ``known_profiles`` are the profiles in the local AWS config files; ``regions`` the
    regions where botocore knows the service's endpoint (None while the service is not
    known). Neither needs AWS.
    """
    failures = _unexpected(news, schema)
    account_ids, account_failures = normalise_account_ids(news.get(schema.senders), schema)
    failures += account_failures
    inputs: dict[str, Any] = {schema.senders: account_ids}

    if news.get(p.REGION) == "":
        region_failures = [Failure(p.REGION, "must not be empty: leave it out to use aws:region")]
        region = None
    else:
        region, region_failures = _optional_string(news, p.REGION, REGION_PATTERN, REGION_EXPECTED)
        region_failures = [
            Failure(f.property, f.reason + did_you_mean(news.get(p.REGION), regions.names))
            if regions is not None
            else f
            for f in region_failures
        ]
        if region is not None and not region_failures:
            region, region_failures = check_region(region, None, regions)
    inputs[p.REGION] = region

    profile, profile_failures = _optional_string(
        news, p.PROFILE, PROFILE_PATTERN, "the name of a profile in your AWS config"
    )
    inputs[p.PROFILE] = _known(
        p.PROFILE,
        profile,
        profile_failures,
        known_profiles,
        "a profile in your AWS config or credentials file",
    )
    failures += region_failures + profile_failures
    _role(news, inputs, failures)
    return inputs, failures


def normalise_member(
    news: Mapping[str, Any], *, regions: Regions
) -> tuple[dict[str, Any], list[Failure]]:
    """Validate every input of an organization's member and return (normalised inputs,
    failures): its role (or ``ownAccount``), regions, allowed senders, and how the role
    is assumed."""
    failures = _unexpected(news, MEMBER)
    own = news.get(p.OWN_ACCOUNT) is True
    inputs: dict[str, Any] = {}
    if own and news.get(p.ROLE_ARN) is not None:
        failures.append(Failure(p.ROLE_ARN, "is set for the caller's own account: leave it out"))
    elif not own and news.get(p.ROLE_ARN) is None:
        failures.append(
            Failure(p.ROLE_ARN, "is required for a member that is not the caller's own account")
        )
    _role(news, inputs, failures)
    if own:
        inputs[p.OWN_ACCOUNT] = True
    inputs[p.REGIONS], region_failures = normalise_regions(news.get(p.REGIONS), regions)
    inputs[p.ALLOWED_ACCOUNT_IDS], allowed_failures = normalise_account_ids(
        news.get(p.ALLOWED_ACCOUNT_IDS), MEMBER
    )
    inputs = {key: value for key, value in inputs.items() if value is not None}
    return inputs, failures + region_failures + allowed_failures


PARENT_ID_PATTERN: Final = re.compile(r"r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}")
"""An organization's root (``r-...``) or OU (``ou-...-...``) id, as Organizations takes it."""


def discovery_failures(
    *,
    parent_ids: object,
    profile: object,
    role_arn: object,
    region: object,
    session_name: object,
    external_id: object,
    known_profiles: Collection[str],
) -> list[Failure]:
    """What is wrong with the arguments of ``organization_accounts`` (each named by its
    Python name), before any AWS call."""
    failures: list[Failure] = []
    if parent_ids is not None:
        if isinstance(parent_ids, str) or not isinstance(parent_ids, list | tuple):
            failures.append(
                Failure(
                    "parent_ids", f"must be a list of root or OU ids, got {describe(parent_ids)}"
                )
            )
        elif not parent_ids:
            failures.append(Failure("parent_ids", "is empty: leave it out to read every account"))
        failures += [
            Failure(
                "parent_ids",
                f"element {index}: {describe(parent)} is not a root id (r-...) or an OU id "
                "(ou-...-...)",
            )
            for index, parent in enumerate(
                parent_ids if isinstance(parent_ids, list | tuple) else []
            )
            if not (isinstance(parent, str) and PARENT_ID_PATTERN.fullmatch(parent))
        ]
    checks = (
        ("profile", profile, PROFILE_PATTERN, "the name of a profile in your AWS config"),
        ("region", region, REGION_PATTERN, REGION_EXPECTED),
        *(
            (prop, value, pattern, expected)
            for (_, pattern, expected), (prop, value) in zip(
                ROLE_SETTINGS,
                (("session_name", session_name), ("external_id", external_id)),
                strict=True,
            )
        ),
    )
    for prop, value, pattern, expected in checks:
        shown = "the value given" if prop == "external_id" else describe(value)
        if value is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
            failures.append(Failure(prop, f"{shown} is not valid: expected {expected}"))
    if (
        isinstance(profile, str)
        and PROFILE_PATTERN.fullmatch(profile)
        and profile not in known_profiles
    ):
        failures.append(
            Failure(
                "profile",
                f"{profile!r} is not a profile in your AWS config or credentials file",
            )
        )
    if role_arn is not None and (problem := role_arn_problem(role_arn)) is not None:
        failures.append(Failure("role_arn", f"{describe(role_arn)} {problem}"))
    if role_arn is None:
        failures += [
            Failure(prop, "is set but role_arn is not: it only applies to a role")
            for prop, value in (("session_name", session_name), ("external_id", external_id))
            if value is not None
        ]
    return failures

"""Property names of the resources (DeclinedInvitations, InvitationGuard, the members of
OrganizationInvitationGuard).

State and preview use camelCase names, like pulumi-aws; the Python API uses snake_case.
This module is the one place that knows both spellings.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final, TypeVar, dataclass_transform

import pulumi

ACCOUNT_IDS: Final = "accountIds"
ALLOWED_ACCOUNT_IDS: Final = "allowedAccountIds"
REGION: Final = "region"
SERVICE: Final = "service"
"""The service whose invitations an inbox resource cleans (boto3's name: ``macie2``...)."""
PROFILE: Final = "profile"
ROLE_ARN: Final = "roleArn"
SESSION_NAME: Final = "sessionName"
EXTERNAL_ID: Final = "externalId"
ENDPOINT_URL: Final = "endpointUrl"
ENDPOINT_URLS: Final = "endpointUrls"
"""A member guarding other services than Macie: service -> the endpoint boto3's settings
give it (recorded by check, like ``endpointUrl``, which stays Macie's; only the services
that have one)."""
SERVICES: Final = "services"
"""The services whose inboxes a member guards (absent: Macie's only, as every release did)."""

DECLINED_ACCOUNT_IDS: Final = "declinedAccountIds"
DELETED_ACCOUNT_IDS: Final = "deletedAccountIds"
ABSENT_ACCOUNT_IDS: Final = "absentAccountIds"
REAPPEARED_ACCOUNT_IDS: Final = "reappearedAccountIds"
KEPT_ACCOUNT_IDS: Final = "keptAccountIds"
STRAY_ACCOUNT_IDS: Final = "strayAccountIds"
OUTCOMES: Final = "outcomes"

INVITATIONS_TO_CLEAN_AGAIN: Final = "invitationsToCleanAgain"
"""Sender account id -> why its invitation is cleaned again: the drift the last refresh
found, which the next preview shows and the next update removes (:mod:`.drift`)."""
FOUND_BY_REFRESH: Final = "__invitationsFoundByRefresh"
"""The same, recorded among the inputs by refresh; hidden by the CLI like every ``__`` name."""

SECRET_INPUTS: Final = "secretInputs"  # noqa: S105 - a property's name
"""The input (and output) that lists the names of the inputs given as secrets."""

OWN_ACCOUNT: Final = "ownAccount"
REGIONS: Final = "regions"
ACCOUNT_ID: Final = "accountId"
INBOXES: Final = "inboxes"
"""The member resource of OrganizationInvitationGuard: its own inputs and outputs."""
STRAY_INVITATIONS: Final = "strayInvitations"
"""A member's output of what the last refresh found: region -> senders not allowed (0.2.0
also recorded it among the inputs: read as drift, :mod:`.providers.drift`)."""

FAILED_INBOXES: Final = "failedInboxes"
"""A member's output of the inboxes its last step could not guard: region -> why (the next
``pulumi up`` retries them; nothing there is claimed clean)."""

TARGETING: Final = (REGION, PROFILE, ROLE_ARN, SESSION_NAME, EXTERNAL_ID, SERVICE)
"""Properties a program may set on every inbox resource: where to clean, and as whom."""

INPUTS: Final = (ACCOUNT_IDS, *TARGETING)
"""Properties a program may set on DeclinedInvitations."""

GUARD_INPUTS: Final = (ALLOWED_ACCOUNT_IDS, *TARGETING)
"""Properties a program may set on InvitationGuard."""

MEMBER_INPUTS: Final = (
    ROLE_ARN,
    OWN_ACCOUNT,
    REGIONS,
    ALLOWED_ACCOUNT_IDS,
    SESSION_NAME,
    EXTERNAL_ID,
    SERVICES,
)
"""Properties of an OrganizationInvitationGuard member (set by the component)."""

REPLACE_ON_CHANGE: Final = (REGION, ENDPOINT_URL, PROFILE, ROLE_ARN, SERVICE)
"""Properties that say which inbox is cleaned (account, region, service): changing one
replaces."""

RESULTS: Final = (
    DECLINED_ACCOUNT_IDS,
    DELETED_ACCOUNT_IDS,
    ABSENT_ACCOUNT_IDS,
    REAPPEARED_ACCOUNT_IDS,
    OUTCOMES,
)
"""Output-only properties of DeclinedInvitations, written by create, update and read."""

GUARD_RESULTS: Final = (
    DECLINED_ACCOUNT_IDS,
    DELETED_ACCOUNT_IDS,
    KEPT_ACCOUNT_IDS,
    STRAY_ACCOUNT_IDS,
)
"""Output-only properties of InvitationGuard, written by create, update and read."""


RENAMED: Final = {"roleSessionName": SESSION_NAME}
"""State names of earlier releases (0.1.0) -> today's, read by :func:`current`; their
Python argument names are still accepted, with a warning (:func:`renamed_arguments`)."""


def current(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties recorded by any release, under today's names."""
    return _renamed(props, RENAMED)


def _renamed(
    values: Mapping[str, Any], names: Mapping[str, str], owner: str | None = None
) -> dict[str, Any]:
    """``values`` with each old name of ``names`` made the new one (a value given under the
    new name wins); with ``owner``, a warning for each old name used."""
    renamed = dict(values)
    for old, new in names.items():
        if old in renamed:
            if owner is not None:
                pulumi.log.warn(f"{owner}: {old} is deprecated, use {new}")
            renamed.setdefault(new, renamed.pop(old))
    return renamed


@functools.cache  # the SDK translates every property of every resource, by the thousand
def to_camel(snake: str) -> str:
    """``session_name`` -> ``sessionName``; other names pass through unchanged."""
    head, *rest = snake.split("_")
    if not head:  # reserved names such as ``__provider``
        return snake
    return head + "".join(word.capitalize() for word in rest)


@functools.cache
def to_snake(camel: str) -> str:
    """``sessionName`` -> ``session_name``."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


T = TypeVar("T")


@dataclass_transform(kw_only_default=True, field_specifiers=(pulumi.property,))
def input_type(cls: type[T]) -> type[T]:
    """``pulumi.input_type``, with the properties of the :func:`shared_properties` it derives
    from. Typed for checkers, which then see the keyword-only ``__init__`` it adds."""
    decorated = pulumi.input_type(shared_properties(cls))
    init = decorated.__init__

    def initialise(self: T, **arguments: object) -> None:
        init(self, **renamed_arguments(decorated.__name__, arguments))

    decorated.__init__ = initialise  # type: ignore[assignment]
    return decorated


def renamed_arguments(owner: str, arguments: Mapping[str, object]) -> dict[str, object]:
    """``arguments`` with earlier releases' names (:data:`RENAMED`, in Python's spelling)
    made today's, each with a warning that says the new name."""
    names = {to_snake(old): to_snake(new) for old, new in RENAMED.items()}
    return _renamed(arguments, names, owner)


@dataclass_transform(kw_only_default=True, field_specifiers=(pulumi.property,))
def shared_properties(cls: type[T]) -> type[T]:
    """Properties declared once for several input types (a base class, not an input type).

    The class's own properties come first: pulumi wants required ones before defaults.
    """
    own = {name: (kind, cls.__dict__.get(name, _REQUIRED)) for name, kind in _annotations(cls)}
    properties = own | {
        name: spec
        for base in cls.__mro__[1:]
        for name, spec in base.__dict__.get(_PROPERTIES, {}).items()
        if name not in own
    }
    cls.__annotations__ = {name: kind for name, (kind, _) in properties.items()}
    for name, (_, declared) in properties.items():
        if declared is not _REQUIRED:
            setattr(cls, name, declared)
    setattr(cls, _PROPERTIES, properties)
    return cls


def _annotations(cls: type) -> list[tuple[str, Any]]:
    return list(cls.__dict__.get("__annotations__", {}).items())


_REQUIRED: Final = object()
"""A property declared without ``pulumi.property(...)``: no default."""
_PROPERTIES: Final = "_pulumi_properties"
"""Where :func:`input_type` keeps a class's properties, for the input types derived from it."""


def values_of(args: object) -> dict[str, Any]:
    """The values of an input type's properties, by their snake_case names."""
    return {name: pulumi.get(args, name) for name in getattr(type(args), _PROPERTIES)}

"""Property names of the resources (DeclinedInvitations, InvitationGuard).

State and preview use camelCase names, like pulumi-aws; the Python API uses snake_case.
This module is the one place that knows both spellings.
"""

from __future__ import annotations

from typing import Final

ACCOUNT_IDS: Final = "accountIds"
ALLOWED_ACCOUNT_IDS: Final = "allowedAccountIds"
REGION: Final = "region"
PROFILE: Final = "profile"
ROLE_ARN: Final = "roleArn"
ROLE_SESSION_NAME: Final = "roleSessionName"
EXTERNAL_ID: Final = "externalId"
ENDPOINT_URL: Final = "endpointUrl"

DECLINED_ACCOUNT_IDS: Final = "declinedAccountIds"
DELETED_ACCOUNT_IDS: Final = "deletedAccountIds"
ABSENT_ACCOUNT_IDS: Final = "absentAccountIds"
REAPPEARED_ACCOUNT_IDS: Final = "reappearedAccountIds"
KEPT_ACCOUNT_IDS: Final = "keptAccountIds"
STRAY_ACCOUNT_IDS: Final = "strayAccountIds"

TARGETING: Final = (REGION, PROFILE, ROLE_ARN, ROLE_SESSION_NAME, EXTERNAL_ID)
"""Properties a program may set on every resource: where to clean, and as whom."""

INPUTS: Final = (ACCOUNT_IDS, *TARGETING)
"""Properties a program may set on DeclinedInvitations."""

GUARD_INPUTS: Final = (ALLOWED_ACCOUNT_IDS, *TARGETING)
"""Properties a program may set on InvitationGuard."""

TARGET: Final = (REGION, ENDPOINT_URL, PROFILE, ROLE_ARN)
"""Properties that say which account and region are cleaned: changing one replaces."""

RESULTS: Final = (
    DECLINED_ACCOUNT_IDS,
    DELETED_ACCOUNT_IDS,
    ABSENT_ACCOUNT_IDS,
    REAPPEARED_ACCOUNT_IDS,
)
"""Output-only properties of DeclinedInvitations, written by create, update and read."""

GUARD_RESULTS: Final = (
    DECLINED_ACCOUNT_IDS,
    DELETED_ACCOUNT_IDS,
    KEPT_ACCOUNT_IDS,
    STRAY_ACCOUNT_IDS,
)
"""Output-only properties of InvitationGuard, written by create, update and read."""


def to_camel(snake: str) -> str:
    """``role_session_name`` -> ``roleSessionName``; other names pass through unchanged."""
    head, *rest = snake.split("_")
    if not head:  # reserved names such as ``__provider``
        return snake
    return head + "".join(word.capitalize() for word in rest)


def to_snake(camel: str) -> str:
    """``roleSessionName`` -> ``role_session_name``."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)

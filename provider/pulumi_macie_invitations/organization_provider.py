"""The dynamic provider behind each member of an
:class:`~pulumi_macie_invitations.OrganizationInvitationGuard`: one account, many regions.

Lifecycle glue only: check and diff are local; create, update and read call
:func:`.member_guard.guard_member`; delete makes no AWS call. Like every provider here
it holds nothing (Pulumi pickles it into state).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from . import clients, target, validation
from . import properties as p
from .errors import InvalidInputError
from .member_guard import MemberRun, guard_member
from .validation import UNKNOWN, Failure, is_unknown

__all__ = ["MEMBER_INPUTS", "MemberGuardProvider", "check_member", "normalise_regions"]

ROLE_ARN: Final = p.ROLE_ARN
OWN_ACCOUNT: Final = p.OWN_ACCOUNT
REGIONS: Final = p.REGIONS
ALLOWED: Final = p.ALLOWED_ACCOUNT_IDS
ENDPOINT_URL: Final = p.ENDPOINT_URL
ACCOUNT_ID: Final = p.ACCOUNT_ID
INBOXES: Final = p.INBOXES
STRAY: Final = p.STRAY_INVITATIONS
"""Refresh's drift: region -> senders not allowed found there (the next up removes them)."""
MEMBER_INPUTS: Final = (ROLE_ARN, OWN_ACCOUNT, REGIONS, ALLOWED)
RESOURCE: Final = "OrganizationInvitationGuard member"
DEFAULT_STS_REGION: Final = "us-east-1"


def normalise_regions(value: object) -> tuple[list[str], list[Failure]]:
    if is_unknown(value):
        return [UNKNOWN], []
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        return [], [
            Failure(
                REGIONS,
                f"must be a non-empty list of region names, got {validation.describe(value)}",
            )
        ]
    known = target.macie_regions()
    failures = [
        Failure(
            REGIONS,
            f"element {index} is {validation.describe(item)}: not a region where Amazon Macie is "
            "available",
        )
        for index, item in enumerate(value)
        if not is_unknown(item) and item not in known
    ]
    return sorted(set(value)), failures


def check_member(
    news: Mapping[str, Any],
) -> tuple[dict[str, Any], list[Failure], clients.AwsEnvironment]:
    """Validate and normalise a member's inputs (no AWS call); the environment it read."""
    failures = [
        Failure(key, f"is not a property of a member (expected one of {', '.join(MEMBER_INPUTS)})")
        for key in news
        if key not in MEMBER_INPUTS and key != STRAY and not key.startswith("__")
    ]
    role_arn = news.get(ROLE_ARN)
    own = news.get(OWN_ACCOUNT) is True
    if own and role_arn is not None:
        failures.append(Failure(ROLE_ARN, "is set for the caller's own account: leave it out"))
    if not own and role_arn is None:
        failures.append(
            Failure(ROLE_ARN, "is required for a member that is not the caller's own account")
        )
    elif (
        role_arn is not None
        and not is_unknown(role_arn)
        and not (isinstance(role_arn, str) and validation.ROLE_ARN_PATTERN.fullmatch(role_arn))
    ):
        failures.append(
            Failure(
                ROLE_ARN,
                f"{validation.describe(role_arn)} is not an IAM role ARN such as "
                "arn:aws:iam::123456789012:role/name",
            )
        )
    regions, region_failures = normalise_regions(news.get(REGIONS))
    allowed, allowed_failures = validation.normalise_account_ids(
        news.get(ALLOWED), validation.INVITATION_GUARD
    )
    inputs: dict[str, Any] = {REGIONS: regions, ALLOWED: allowed}
    if own:
        inputs[OWN_ACCOUNT] = True
    else:
        inputs[ROLE_ARN] = role_arn
    environment = clients.read_environment(profile=None, assumes_role=not own)
    if environment.endpoint_url:
        inputs[ENDPOINT_URL] = environment.endpoint_url
    environment_failures = validation.environment_failures(environment.problems)
    return inputs, failures + region_failures + allowed_failures + environment_failures, environment


def account_of(role_arn: str) -> str:
    """The account a role ARN belongs to."""
    return role_arn.split(":")[4]


class MemberGuardProvider(ResourceProvider):
    """No Macie invitation but from the allowed senders, in every listed region of one
    member account (its role assumed once; regions worked at once)."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise. No AWS call."""
        inputs, failures, _ = check_member(news)
        return CheckResult(inputs, [CheckFailure(f.property, f.reason) for f in failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A different account or endpoint replaces; different regions or allowed senders,
        or invitations refresh found, update. No AWS call."""
        replaces = [
            key for key in (ROLE_ARN, OWN_ACCOUNT, ENDPOINT_URL) if olds.get(key) != news.get(key)
        ]
        changed = [
            key
            for key in (REGIONS, ALLOWED)
            if sorted(olds.get(key) or []) != sorted(news.get(key) or [])
        ]
        if olds.get(STRAY):
            changed.append(STRAY)
        return DiffResult(
            changes=bool(replaces or changed), replaces=replaces, delete_before_replace=False
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Clean every region of the member; record what was done."""
        inputs, environment = _applied(props)
        run = _run(inputs, environment, change=True)
        return CreateResult(run.account_id, _outputs(inputs, run))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Clean again: idempotent, and removes what refresh found."""
        inputs, environment = _applied(news)
        return UpdateResult(_outputs(inputs, _run(inputs, environment, change=True)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: list every region; senders not allowed are drift (``strayInvitations``),
        recorded as an input so the next preview shows an update that removes them."""
        inputs = {key: props[key] for key in (*MEMBER_INPUTS, ENDPOINT_URL) if key in props}
        if REGIONS not in inputs or ALLOWED not in inputs:
            raise InvalidInputError(
                [Failure(REGIONS, "import is not supported: declare the organization guard")],
                RESOURCE,
            )
        environment = clients.read_environment(profile=None, assumes_role=True)
        run = _run(inputs, environment, change=False)
        stray = {inbox.region: inbox.stray for inbox in run.inboxes if inbox.stray}
        outputs = _outputs(inputs, run) | {STRAY: stray}
        return ReadResult(id_, outputs, inputs | ({STRAY: stray} if stray else {}))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Forget the member. No AWS call: a deleted invitation cannot be restored."""


def _applied(props: Mapping[str, Any]) -> tuple[dict[str, Any], clients.AwsEnvironment]:
    """The checked inputs, and the environment the check read (the clients' settings)."""
    inputs, failures, environment = check_member(
        {k: v for k, v in props.items() if k in MEMBER_INPUTS}
    )
    failures += [
        Failure(key, "is not known at apply time")
        for key, value in inputs.items()
        if is_unknown(value) or (isinstance(value, list) and any(map(is_unknown, value)))
    ]
    if failures:
        raise InvalidInputError(failures, RESOURCE)
    if props.get(ENDPOINT_URL):
        inputs[ENDPOINT_URL] = props[ENDPOINT_URL]
    return inputs, environment


def _run(
    inputs: Mapping[str, Any], environment: clients.AwsEnvironment, *, change: bool
) -> MemberRun:
    role_arn: str | None = inputs.get(ROLE_ARN)
    regions: Sequence[str] = inputs[REGIONS]
    return guard_member(
        account_of(role_arn) if role_arn else None,
        role_arn,
        regions,
        inputs[ALLOWED],
        endpoint_url=inputs.get(ENDPOINT_URL),
        sts_region=environment.region or DEFAULT_STS_REGION,
        change=change,
    )


def _outputs(inputs: Mapping[str, Any], run: MemberRun) -> dict[str, Any]:
    return dict(inputs) | {
        ACCOUNT_ID: run.account_id,
        # Only the regions with something to say: 2,200 entries of "clean" made Pulumi's
        # program and engine slower for every later command (bench/RESULTS.md).
        INBOXES: [inbox.to_json() for inbox in run.inboxes if inbox.notable],
        STRAY: {},
    }

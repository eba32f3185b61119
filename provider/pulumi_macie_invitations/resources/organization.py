"""``OrganizationInvitationGuard``: no Macie invitation but from the allowed senders, in
every region of every member account."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, overload

import pulumi
import pulumi.dynamic

from .. import properties as p
from .. import validation
from ..aws import regions as aws_regions
from ..engine import outcomes
from ..errors import InvalidInputError
from ..providers.member import MemberGuardProvider
from ..services.macie2 import MACIE2
from ..validation import Failure
from .inbox import CamelCaseResource, args_and_opts

__all__ = [
    "MemberInvitationGuard",
    "OrganizationInvitationGuard",
    "OrganizationInvitationGuardArgs",
    "macie_regions",
    "render_summary",
]

COMPONENT_TYPE: Final = "pulumi-macie-invitations:index:OrganizationInvitationGuard"
OWN_ACCOUNT_NAME: Final = "own-account"


def macie_regions(partition: str = "aws") -> list[str]:
    """Every region of ``partition`` where Amazon Macie is available, sorted (from
    botocore's endpoint data: no AWS call)."""
    regions = aws_regions.partition_regions(MACIE2.name, partition)
    if regions is not None:
        return regions
    raise InvalidInputError(
        [Failure("partition", f"{partition!r} is not an AWS partition")],
        "OrganizationInvitationGuard",
    )


@dataclass(frozen=True, kw_only=True)
class OrganizationInvitationGuardArgs:
    """The arguments of an :class:`OrganizationInvitationGuard`."""

    allowed_account_ids: Sequence[str]
    """The senders whose invitations are kept everywhere (your Macie administrator):
    12-digit strings; ``[]`` keeps none."""

    member_role_arns: Sequence[str] = ()
    """A role to assume in each member account (``arn:aws:iam::<account>:role/<name>``),
    trusted by the identity running Pulumi, allowed the Macie invitation calls."""

    include_own_account: bool = False
    """Also guard the account of the credentials running Pulumi, without a role."""

    regions: Sequence[str] | None = None
    """The regions to guard; default every region of the ``aws`` partition where Macie is
    available (:func:`macie_regions`)."""

    session_name: str | None = None
    """The session name when assuming each member's role (pulumi-aws's name for it).
    Defaults to ``pulumi-macie-invitations``."""

    external_id: pulumi.Input[str] | None = None
    """The external id the members' roles' trust policies require. Stored as a secret."""


class MemberInvitationGuard(CamelCaseResource, module="macie2", name="MemberInvitationGuard"):
    """One member account of an :class:`OrganizationInvitationGuard`: every listed region,
    its role assumed once, the regions worked at once."""

    account_id: pulumi.Output[str]
    """The member account."""
    inboxes: pulumi.Output[list[dict[str, Any]]]
    """The regions with something to say (the others had nothing to remove): ``region``,
    ``outcome`` (clean, cleaned or skipped), and where they apply
    ``declined_account_ids``, ``deleted_account_ids``, ``kept_account_ids``,
    ``stray_account_ids`` (found by refresh), ``reason`` (why skipped)."""
    stray_invitations: pulumi.Output[dict[str, list[str]]]
    """Region -> senders not allowed that the last refresh found (the next up removes them;
    ``pulumi preview --diff`` names them in ``invitationsToCleanAgain``)."""

    def __init__(
        self,
        resource_name: str,
        *,
        role_arn: str | None,
        regions: Sequence[str],
        allowed_account_ids: Sequence[str],
        session_name: str | None = None,
        external_id: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare one member (``role_arn`` None: the caller's own account)."""
        props: dict[str, Any] = {
            "regions": list(regions),
            "allowed_account_ids": list(allowed_account_ids),
            "session_name": session_name,
            "external_id": external_id,
        }
        if role_arn is None:
            props["own_account"] = True
        else:
            props["role_arn"] = role_arn
        results = (p.ACCOUNT_ID, p.INBOXES, p.STRAY_INVITATIONS)
        super().__init__(MemberGuardProvider(), resource_name, props, results, opts)


class OrganizationInvitationGuard(pulumi.ComponentResource):
    """No Amazon Macie invitation but from the allowed senders, in every region of every
    member account: one :class:`MemberInvitationGuard` child per account.

    A region the member has not enabled (an opt-in region) is reported as skipped; a
    member that fails (its role can't be assumed, access denied) fails alone, with a
    message naming the account, and the next ``pulumi up`` guards it again.

    ## Example

    ```python
    from pulumi_macie_invitations import OrganizationInvitationGuard

    org = OrganizationInvitationGuard(
        "org",
        member_role_arns=["arn:aws:iam::111122223333:role/MacieInvitationsGuard"],
        allowed_account_ids=["210987654321"],
        include_own_account=True,
    )
    pulumi.export("summary", org.summary)
    ```
    """

    members: pulumi.Output[list[dict[str, Any]]]
    """Per member: ``account_id``, ``role_arn`` (absent for the own account), ``inboxes``
    (as :attr:`MemberInvitationGuard.inboxes`) and ``quiet_regions``, how many regions
    had nothing to remove. Export it to keep it; the component's state records only
    ``summary``."""
    summary: pulumi.Output[str]
    """What the last run did, per account and region, for a person to read."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: OrganizationInvitationGuardArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        allowed_account_ids: Sequence[str],
        member_role_arns: Sequence[str] = (),
        include_own_account: bool = False,
        regions: Sequence[str] | None = None,
        session_name: str | None = None,
        external_id: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare the organization's guard. Pass the Args or keyword arguments.

        Raises :class:`InvalidInputError` (before any AWS call) for bad input.
        """
        guard_args, opts = args_and_opts(
            "OrganizationInvitationGuard", OrganizationInvitationGuardArgs, args, kwargs
        )
        members, regions, allowed = _checked(guard_args)
        super().__init__(COMPONENT_TYPE, resource_name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        guards = [
            MemberInvitationGuard(
                f"{resource_name}-{aws_regions.account_of_arn(role) if role else OWN_ACCOUNT_NAME}",
                role_arn=role,
                regions=regions,
                allowed_account_ids=allowed,
                session_name=guard_args.session_name if role else None,
                external_id=guard_args.external_id if role else None,
                opts=child,
            )
            for role in members
        ]
        self.members = pulumi.Output.all(
            *[guard.account_id for guard in guards], *[guard.inboxes for guard in guards]
        ).apply(lambda values: _members(members, values, len(regions)))
        self.summary = self.members.apply(render_summary)
        # Each child records its own inboxes: state holds them once, not twice.
        self.register_outputs({"summary": self.summary})


def _members(
    roles: Sequence[str | None], values: Sequence[Any], regions: int
) -> list[dict[str, Any]]:
    """The ``members`` output from every child's account (first half of ``values``) and
    inboxes (second half): one gathered Output, not one per child, keeps the program's
    event loop small at hundreds of members."""
    accounts, all_inboxes = values[: len(roles)], values[len(roles) :]
    entries = []
    for role_arn, account, recorded in zip(roles, accounts, all_inboxes, strict=True):
        inboxes = recorded or []
        member: dict[str, Any] = {
            "account_id": account,
            "inboxes": inboxes,
            "quiet_regions": regions - len(inboxes),
        }
        if role_arn:
            member["role_arn"] = role_arn
        entries.append(member)
    return entries


def _checked(
    args: OrganizationInvitationGuardArgs,
) -> tuple[list[str | None], list[str], list[str]]:
    """The members (None: own account), regions and allowed senders; InvalidInputError
    naming every bad value."""
    failures: list[Failure] = []
    roles = args.member_role_arns
    members: list[str | None] = []
    if isinstance(roles, str) or not isinstance(roles, Sequence):
        failures.append(
            Failure(
                "member_role_arns",
                f"must be a list of IAM role ARNs, got {validation.describe(roles)}",
            )
        )
        roles = ()
    seen: dict[str, str] = {}
    for index, role in enumerate(roles):
        problem = validation.role_arn_problem(role)
        if not isinstance(role, str) or problem is not None:
            failures.append(
                Failure(
                    "member_role_arns",
                    f"element {index}: {validation.describe(role)} {problem}; each must be "
                    "known when the program runs (each member's child is named after its "
                    "account)",
                )
            )
        elif (account := aws_regions.account_of_arn(role)) in seen:
            failures.append(
                Failure(
                    "member_role_arns",
                    f"element {index} ({role}) is a second role in account {account} "
                    f"(already {seen[account]}): list each member account once",
                )
            )
        else:
            seen[account] = role
            members.append(role)
    if args.include_own_account:
        members.append(None)
    if not members and not failures:
        failures.append(
            Failure(
                "member_role_arns", "is empty and include_own_account is False: nothing to guard"
            )
        )
    given = args.regions if args.regions is not None else macie_regions()
    known = validation.Regions(MACIE2.display_name, aws_regions.service_regions(MACIE2.name))
    regions, region_failures = validation.normalise_regions(_as_list(given), known)
    allowed, allowed_failures = validation.normalise_account_ids(
        _as_list(args.allowed_account_ids), validation.INVITATION_GUARD
    )
    failures += [Failure("regions", f.reason) for f in region_failures]
    failures += [Failure("allowed_account_ids", f.reason) for f in allowed_failures]
    if failures:
        raise InvalidInputError(failures, "OrganizationInvitationGuard")
    return members, regions, allowed


def _as_list(value: object) -> object:
    """A tuple as a list (the checks take lists); anything else as it is."""
    return list(value) if isinstance(value, tuple) else value


def render_summary(members: Sequence[Mapping[str, Any]]) -> str:
    """What the last run did, per account and region (``members`` as the component's
    output): one line per region where something was removed, kept, found or skipped,
    and how many regions had nothing to remove."""
    lines: list[str] = []
    for member in sorted(members, key=lambda m: str(m.get("account_id"))):
        inboxes = member.get("inboxes") or []
        via = f" (as {member['role_arn']})" if member.get("role_arn") else " (own account)"
        lines.append(f"account {member.get('account_id')}{via}:")
        for inbox in inboxes:
            lines.append(f"  {inbox['region']}: {_inbox_text(inbox)}")
        quiet = member.get("quiet_regions", 0)
        if quiet:
            other = " other" if inboxes else ""
            lines.append(f"  nothing to remove in the {quiet}{other} region(s)")
    return "\n".join(lines)


def _inbox_text(inbox: Mapping[str, Any]) -> str:
    """One inbox's line (the program sees the provider's names in snake_case)."""

    def senders(name: str) -> list[str]:
        return list(inbox.get(p.to_snake(name)) or [])

    if inbox.get("outcome") == outcomes.SKIPPED:
        return f"{outcomes.SKIPPED}: {inbox.get('reason', '')}"
    parts = []
    deleted, declined = senders(p.DELETED_ACCOUNT_IDS), senders(p.DECLINED_ACCOUNT_IDS)
    if deleted:
        parts.append(
            f"{outcomes.DELETED} {', '.join(deleted)}"
            + (f" (declined first: {', '.join(declined)})" if declined else "")
        )
    if found := senders(p.STRAY_ACCOUNT_IDS):
        parts.append(f"{outcomes.FOUND} {', '.join(found)} (the next `pulumi up` removes them)")
    if kept := senders(p.KEPT_ACCOUNT_IDS):
        parts.append(f"{outcomes.KEPT} {', '.join(kept)} (allowed)")
    return "; ".join(parts) or "nothing to remove"

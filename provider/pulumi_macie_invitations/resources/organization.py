"""``OrganizationInvitationGuard``: no invitation but from the allowed senders, in every
region of every member account, for each service guarded (Macie's by default)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeGuard, overload

import pulumi
import pulumi.dynamic

from .. import properties as p
from .. import validation
from ..aws import environment as aws_environment
from ..aws import regions as aws_regions
from ..engine import outcomes
from ..engine.member import member_inboxes
from ..errors import InvalidInputError, MemberFailedError
from ..providers.member import MemberGuardProvider
from ..services import DEFAULT_SERVICE, SERVICES, ServiceDescription
from ..services.macie2 import MACIE2
from ..validation import Failure
from .inbox import CamelCaseResource, args_and_opts

__all__ = [
    "MemberInvitationGuard",
    "OrganizationInvitationGuard",
    "OrganizationInvitationGuardArgs",
    "macie_regions",
    "render_summary",
    "service_regions",
]

COMPONENT = "OrganizationInvitationGuard"
COMPONENT_TYPE: Final = f"pulumi-macie-invitations:index:{COMPONENT}"
OWN_ACCOUNT_NAME: Final = "own-account"
FAILED: Final = "failed"
"""The summary's word for an inbox the last step could not guard."""
MEMBER_ROLE_ARNS: Final = "memberRoleArns"
MEMBER_ACCOUNT_IDS: Final = "memberAccountIds"
MEMBER_ROLE_NAME: Final = "memberRoleName"
INCLUDE_OWN_ACCOUNT: Final = "includeOwnAccount"


def service_regions(service: str, partition: str = "aws") -> list[str]:
    """Every region of ``partition`` where ``service`` (boto3's name: ``macie2``,
    ``guardduty``, ``securityhub``) is available, sorted (from botocore's endpoint data: no
    AWS call)."""
    failures: list[Failure] = []
    if service not in SERVICES:
        failures += validation.normalise_service(service, SERVICES)[1]
    regions = aws_regions.partition_regions(service, partition)
    if regions is None:
        failures.append(Failure("partition", f"{partition!r} is not an AWS partition"))
    if failures or regions is None:
        raise InvalidInputError(failures, COMPONENT)
    return regions


def macie_regions(partition: str = "aws") -> list[str]:
    """Every region of ``partition`` where Amazon Macie is available, sorted (from
    botocore's endpoint data: no AWS call)."""
    return service_regions(MACIE2.name, partition)


@p.input_type
class OrganizationInvitationGuardArgs:
    """The arguments of an :class:`OrganizationInvitationGuard`, like pulumi-aws's: every
    value but the member list may be a ``pulumi.Input`` (plain, an Output, a secret)."""

    allowed_account_ids: pulumi.Input[Sequence[pulumi.Input[str]]] = pulumi.property(
        p.ALLOWED_ACCOUNT_IDS
    )
    """The senders whose invitations are kept everywhere (your administrator):
    12-digit strings; ``[]`` keeps none. A secret stays secret in every member's state, in
    ``summary``, ``members`` and messages."""

    member_role_arns: Sequence[str] = pulumi.property(MEMBER_ROLE_ARNS, default=())
    """A role to assume in each member account (``arn:aws:iam::<account>:role/<name>``),
    trusted by the identity running Pulumi, allowed the Macie invitation calls. A plain
    list, known when the program runs: it decides which children exist. Or give
    ``member_account_ids`` and ``member_role_name`` instead (not both forms)."""

    member_account_ids: Sequence[str] = pulumi.property(MEMBER_ACCOUNT_IDS, default=())
    """The member accounts (12-digit strings), such as :func:`organization_accounts`
    returns, each reached through its role ``member_role_name``. A plain list, known when
    the program runs: an account that joins gets a child on the next ``pulumi up``, one
    that leaves loses its child (no AWS call)."""

    member_role_name: str | None = pulumi.property(MEMBER_ROLE_NAME, default=None)
    """The role to assume in each of ``member_account_ids``:
    ``arn:<partition>:iam::<account>:role/<name>``, in the partition of the organization
    (:attr:`OrganizationAccounts.partition`), else of the stack's ``aws:region`` (or the
    environment's region), else ``aws``."""

    include_own_account: bool = pulumi.property(INCLUDE_OWN_ACCOUNT, default=False)
    """Also guard the account of the credentials running Pulumi, without a role."""

    regions: pulumi.Input[Sequence[pulumi.Input[str]]] | None = pulumi.property(
        p.REGIONS, default=None
    )
    """The regions to guard; default every region where one of the services is available
    in the partition of the members' role ARNs (``aws`` without roles;
    :func:`service_regions`). Each service is guarded in the regions where botocore lists
    it."""

    services: pulumi.Input[Sequence[pulumi.Input[str]]] | None = pulumi.property(
        p.SERVICES, default=None
    )
    """The services whose inboxes are guarded, by boto3's name: ``macie2`` (the default,
    ``["macie2"]``), ``guardduty``, ``securityhub``. Each member works every inbox (region
    and service) of its account at once; changing the list updates the members."""

    session_name: pulumi.Input[str] | None = pulumi.property(p.SESSION_NAME, default=None)
    """The session name when assuming each member's role (pulumi-aws's name for it).
    Defaults to ``pulumi-macie-invitations``."""

    external_id: pulumi.Input[str] | None = pulumi.property(p.EXTERNAL_ID, default=None)
    """The external id the members' roles' trust policies require. Stored as a secret."""


class MemberInvitationGuard(CamelCaseResource, module="macie2", name="MemberInvitationGuard"):
    """One member account of an :class:`OrganizationInvitationGuard`: every listed region
    of every service, its role assumed once, the inboxes worked at once.

    Its outputs name an inbox by its region for Macie, ``<service>:<region>`` for another
    service (``guardduty:us-east-1``)."""

    # For type checkers and readers only: the SDK reads a resource class's annotations
    # again for every resource it registers (about 1 ms each), and a member is declared by
    # the thousand; none of these types changes what it does with the values.
    if TYPE_CHECKING:
        account_id: pulumi.Output[str]
        """The member account."""
        regions: pulumi.Output[list[str]]
        """The regions guarded."""
        services: pulumi.Output[list[str] | None]
        """The services guarded, when not Macie's alone (None: ``["macie2"]``)."""
        inboxes: pulumi.Output[list[dict[str, Any]]]
        """The inboxes with something to say (the others had nothing to remove): ``region``,
        ``service`` (absent for Macie), ``outcome`` (clean, cleaned or skipped), and where
        they apply ``declined_account_ids``, ``deleted_account_ids`` (every sender removed so
        far: a refresh or a later update never erases them), ``kept_account_ids``,
        ``stray_account_ids`` (found by refresh), ``reason`` (why skipped)."""
        stray_invitations: pulumi.Output[dict[str, list[str]]]
        """Inbox -> senders not allowed that the last refresh found (the next up removes them;
        ``pulumi preview --diff`` names them in ``invitationsToCleanAgain``)."""
        failed_inboxes: pulumi.Output[dict[str, str]]
        """Inbox -> why it could not be guarded by the last step (empty when every inbox was):
        the next ``pulumi up`` retries the member."""

    def __init__(
        self,
        resource_name: str,
        *,
        role_arn: str | None,
        regions: pulumi.Input[Sequence[pulumi.Input[str]]],
        allowed_account_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        session_name: pulumi.Input[str] | None = None,
        external_id: pulumi.Input[str] | None = None,
        services: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare one member (``role_arn`` None: the caller's own account; ``services``
        None: Macie's alone, sent only otherwise, so a member made before the input
        previews no change)."""
        # Only what the component reads or the provider needs becomes an Output attribute:
        # each costs the SDK work for every member (an unset input is sent as nothing either
        # way, so state is the same).
        props: dict[str, Any] = {
            "regions": regions,
            "allowed_account_ids": allowed_account_ids,
            "services": services,  # None is not sent
        }
        if session_name is not None:
            props["session_name"] = session_name
        if external_id is not None:
            props["external_id"] = external_id
        if role_arn is None:
            props["own_account"] = True
        else:
            props["role_arn"] = role_arn
        results = (p.ACCOUNT_ID, p.INBOXES, p.STRAY_INVITATIONS, p.FAILED_INBOXES)
        super().__init__(MemberGuardProvider(), resource_name, props, results, opts)


class OrganizationInvitationGuard(pulumi.ComponentResource):
    """No invitation but from the allowed senders, in every region of every member account,
    for each service of ``services`` (Amazon Macie's by default): one
    :class:`MemberInvitationGuard` child per account.

    A region the member has not enabled (an opt-in region) is reported as skipped. A
    member that fails (its role can't be assumed, access denied) does not stop the others:
    every member is guarded, the failed ones are reported with their account and reason
    once all are done, ``pulumi up`` exits non-zero, and the next ``pulumi up`` retries
    only them.

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
    (as :attr:`MemberInvitationGuard.inboxes`), ``failed_inboxes`` (inbox -> why, where
    the last step failed) and ``quiet_regions``, how many regions had nothing to remove;
    for a guard of other services than Macie alone, ``services`` and ``quiet_inboxes``
    (how many inboxes had nothing to remove) instead of ``quiet_regions``. Export it to
    keep it; the component's state records only ``summary``."""
    summary: pulumi.Output[str]
    """What the members' records say, per account and inbox, for a person to read."""

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
        allowed_account_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        member_role_arns: Sequence[str] = (),
        member_account_ids: Sequence[str] = (),
        member_role_name: str | None = None,
        include_own_account: bool = False,
        regions: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        session_name: pulumi.Input[str] | None = None,
        external_id: pulumi.Input[str] | None = None,
        services: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare the organization's guard. Pass the Args or keyword arguments.

        Raises :class:`InvalidInputError` (before any AWS call) for bad input known when
        the program runs; values known later are checked by each member before any call.
        """
        guard_args, opts = args_and_opts(COMPONENT, OrganizationInvitationGuardArgs, args, kwargs)
        members, regions, allowed, services = _checked(guard_args)
        super().__init__(COMPONENT_TYPE, resource_name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        session_name = pulumi.get(guard_args, "session_name")
        external_id = pulumi.get(guard_args, "external_id")
        guards = [
            MemberInvitationGuard(
                f"{resource_name}-{aws_regions.account_of_arn(role) if role else OWN_ACCOUNT_NAME}",
                role_arn=role,
                regions=regions,
                allowed_account_ids=allowed,
                session_name=session_name if role else None,
                external_id=external_id if role else None,
                services=services,
                opts=child,
            )
            for role in members
        ]
        rows = _gathered(
            (
                guard.account_id,
                guard.regions,
                guard.inboxes,
                guard.stray_invitations,
                guard.services,
                guard.failed_inboxes,
            )
            for guard in guards
        )
        self.members = rows.apply(lambda held: _members(members, *_split(held.value)))
        self.summary = self.members.apply(render_summary)
        # Reported once every member is done: a failed member is a recorded result, not a
        # failed step, so Pulumi's ordering never decides how many members are guarded.
        reported: pulumi.Output[int] = rows.apply(
            lambda held: _report_failures(guards, _split(held.value)[1])
        )
        del reported  # awaited by the SDK before the program ends
        # Each child records its own inboxes: state holds them once, not twice.
        self.register_outputs({"summary": self.summary})


class _Held:
    """A value an Output carries as it is: the SDK walks every list and dict an Output
    holds (looking for unknowns and Outputs) each time one is made of it."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value: Any = value


def _gathered(rows: Iterable[tuple[pulumi.Output[Any], ...]]) -> pulumi.Output[_Held]:
    """One Output of every row's values (a list of tuples), known, secret and depending on
    what its Outputs are, as ``Output.all`` would give them.

    Made from the Outputs' own values rather than with ``Output.all``, which copies each
    list and dict they hold into Outputs of their own: at hundreds of members, that cost
    more than the members' own work."""
    rows = list(rows)
    outputs = [output for row in rows for output in row]

    async def values() -> _Held:
        flat = iter([await output.future() for output in outputs])
        return _Held([tuple(next(flat) for _ in row) for row in rows])

    async def resources() -> set[pulumi.Resource]:
        return set().union(*[await output.resources() for output in outputs])

    async def known() -> bool:
        return all([await output.is_known() for output in outputs])

    async def secret() -> bool:
        return any([await output.is_secret() for output in outputs])

    return pulumi.Output(resources(), values(), known(), secret())


def _split(rows: Sequence[tuple[Any, ...]]) -> tuple[list[Any], list[Any]]:
    """Each child's record (account, regions, inboxes, senders found, services) and
    failures (account, every inbox, failed inboxes), from its gathered row."""
    keys: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    failures = []
    for account, regions, _, _, services, failed in rows:
        shape = (tuple(regions or ()), tuple(services or ()))
        if shape not in keys:  # members share their regions and services: list them once
            keys[shape] = inbox_keys(regions, services)
        failures.append((account, keys[shape], failed))
    return [row[:5] for row in rows], failures


def inbox_keys(regions: Sequence[str] | None, services: Sequence[str] | None) -> list[str]:
    """Every inbox of a member guarding ``services`` (None: Macie's) in ``regions``, as
    its outputs name them."""
    described = [SERVICES[name] for name in services or [] if name in SERVICES]
    return [
        outcomes.inbox_key(service.name, region)
        for service, region in member_inboxes(described or [DEFAULT_SERVICE], regions or [])
    ]


def _members(
    roles: Sequence[str | None], records: Sequence[Any], failures: Sequence[Any]
) -> list[dict[str, Any]]:
    """The ``members`` output from every child's record (account, regions, inboxes,
    senders found by refresh, services) and failures (account, inboxes, failed inboxes)."""
    entries = []
    for role_arn, record, (_, keys, failed) in zip(roles, records, failures, strict=True):
        account, _, recorded, found, services = record
        inboxes = _with_found(recorded or [], found or {})
        failed = dict(failed or {})
        said = {outcomes.key_of(inbox) for inbox in inboxes} | set(failed)
        quiet = len([key for key in keys if key not in said])
        member: dict[str, Any] = {"account_id": account, "inboxes": inboxes}
        if services:
            member |= {"services": list(services), "quiet_inboxes": quiet}
        else:
            member["quiet_regions"] = quiet
        if failed:
            member["failed_inboxes"] = failed
        if role_arn:
            member["role_arn"] = role_arn
        entries.append(member)
    return entries


def _with_found(
    inboxes: Sequence[Mapping[str, Any]], found: Mapping[str, Sequence[str]]
) -> list[dict[str, Any]]:
    """The recorded inboxes, each naming the senders refresh found there (from the child's
    ``stray_invitations``, where a release recorded them only): no inbox whose record
    found senders reads as having nothing to remove."""
    stray = p.to_snake(p.STRAY_ACCOUNT_IDS)
    entries = {outcomes.key_of(inbox): dict(inbox) for inbox in inboxes}
    for key, senders in found.items():
        service, region = outcomes.split_key(key)
        named = {} if service == DEFAULT_SERVICE.name else {p.SERVICE: service}
        entry = entries.setdefault(key, {p.REGION: region, **named, "outcome": outcomes.CLEAN})
        entry[stray] = sorted({*entry.get(stray, []), *senders})
    return list(entries.values())


async def _report_failures(guards: Sequence[pulumi.Resource], failures: Sequence[Any]) -> int:
    """Report every member whose record says an inbox failed, as an error on its child, then
    fail the program (so ``pulumi up`` exits non-zero) once every member is done; 0 when
    none failed."""
    failed = [
        (guard, str(account), member_failure(str(account), regions or [], inboxes))
        for guard, (account, regions, inboxes) in zip(guards, failures, strict=True)
        if inboxes
    ]
    if not failed:
        return 0
    for guard, _, message in failed:
        pulumi.log.error(message, resource=guard)
    # The SDK fails the program at the first Output that raises, whatever is still in flight:
    # first let the errors reach the engine (each is sent once its child's URN is awaited)
    # and every call to the engine finish (the stack's outputs among them), so the stack
    # records `summary` however Pulumi orders the rest.
    for guard, _, _ in failed:
        await guard.urn.future()
    await asyncio.sleep(0)
    await _engine_calls_done()
    accounts = ", ".join(account for _, account, _ in failed)
    raise pulumi.RunError(
        f"{len(failed)} member account(s) could not be guarded: {accounts} (each is named "
        "above with its reason). Every other member was guarded and recorded; the next "
        "`pulumi up` retries only the failed ones."
    )


async def _engine_calls_done() -> None:
    """Wait, without taking them from the SDK's list, for every call to the engine in
    flight (registrations, the stack's outputs) to finish.

    The SDK's list of calls is private (pulumi 3.216 to 3.272 have it): an SDK without it
    gets no wait, and the program still fails, only with its outputs perhaps unrecorded."""
    from pulumi.runtime import settings

    manager = getattr(settings, "_get_rpc_manager", None)
    if manager is None:
        return
    calls = manager().rpcs  # asyncio futures, typed as awaitables by the SDK
    while pending := [c for c in list(calls) if isinstance(c, asyncio.Future) and not c.done()]:
        await asyncio.wait(pending)


def member_failure(account: str, inboxes: Sequence[str], failed: Mapping[str, str]) -> str:
    """The error naming a member's account and why its inboxes failed (``failed``: inbox
    -> why, of ``inboxes``, named as the outputs name them): one line for a reason every
    inbox shares (a refused role). A member of Macie alone says regions, as it always has."""
    named = _names_services(inboxes)
    reasons = set(failed.values())
    every = len(reasons) == 1 and set(inboxes) <= set(failed)
    by_where = (
        {f"every {'inbox' if named else 'region'}": reasons.pop()}
        if every
        else {
            outcomes.inbox_label(key, named=True) if named else f"region {key}": why
            for key, why in failed.items()
        }
    )
    done = [key for key in inboxes if key not in failed]
    return str(MemberFailedError(account, by_where, done, "inbox(es)" if named else "region(s)"))


def _names_services(keys: Sequence[str]) -> bool:
    """Whether a member's inboxes ``keys`` are of other services than Macie alone."""
    return any(outcomes.split_key(key)[0] != DEFAULT_SERVICE.name for key in keys)


def _checked(
    args: OrganizationInvitationGuardArgs,
) -> tuple[list[str | None], pulumi.Input[Any], pulumi.Input[Any], pulumi.Input[Any] | None]:
    """The members (None: own account), regions, allowed senders and services (None:
    Macie's alone); InvalidInputError naming every bad value known when the program runs.
    Values given as Outputs are passed on to the members, whose check validates them."""
    failures: list[Failure] = []
    services, described = _services(args, failures)
    members = _members_of(_member_roles(args, failures), failures)
    roles = [role for role in members if role]
    if pulumi.get(args, "include_own_account"):
        members.append(None)
    if not members and not failures:
        form = "member_account_ids" if pulumi.get(args, "member_role_name") else "member_role_arns"
        failures.append(
            Failure(form, "is empty and include_own_account is False: nothing to guard")
        )
    partitions = sorted({aws_regions.partition_of_arn(role) for role in roles})
    if len(partitions) > 1:
        failures.append(
            Failure(
                "member_role_arns",
                f"mixes the partitions {', '.join(partitions)}: one guard works in one "
                "partition (one AWS organization); declare one guard per partition",
            )
        )
    given = pulumi.get(args, "regions")
    names = " or ".join(service.display_name for service in described)
    if given is None:
        partition = partitions[0] if len(partitions) == 1 else "aws"
        given = sorted({region for s in described for region in service_regions(s.name, partition)})
        if not given:
            failures.append(
                Failure(
                    "regions",
                    f"is not set, and {names} is available in no region of the partition "
                    f"{partition!r} of the members' roles (botocore's endpoint data)",
                )
            )
    regions: pulumi.Input[Any] = given
    if _known(given) and given:
        known = validation.Regions(
            names, frozenset().union(*(aws_regions.service_regions(s.name) for s in described))
        )
        regions, region_failures = validation.normalise_regions(_as_list(given), known)
        failures += [Failure("regions", f.reason) for f in region_failures]
    allowed: pulumi.Input[Any] = pulumi.get(args, "allowed_account_ids")
    if _known(allowed):
        allowed, allowed_failures = validation.normalise_account_ids(
            _as_list(allowed), validation.INVITATION_GUARD
        )
        failures += [Failure("allowed_account_ids", f.reason) for f in allowed_failures]
    if failures:
        raise InvalidInputError(failures, COMPONENT)
    return members, regions, allowed, services


def _services(
    args: OrganizationInvitationGuardArgs, failures: list[Failure]
) -> tuple[pulumi.Input[Any] | None, list[ServiceDescription]]:
    """The ``services`` to send the members (None: Macie's alone, the default, never sent)
    and the services described (every one when the list is not known yet: the members
    guard only theirs); every mistake into ``failures``."""
    given = pulumi.get(args, "services")
    if not _known(given):
        return given, list(SERVICES.values())
    names, service_failures = validation.normalise_services(_as_list(given), SERVICES)
    failures += [Failure("services", f.reason) for f in service_failures]
    if not names or service_failures or names == [DEFAULT_SERVICE.name]:
        return None, [DEFAULT_SERVICE]
    return names, [SERVICES[name] for name in names]


def _member_roles(args: OrganizationInvitationGuardArgs, failures: list[Failure]) -> object:
    """The member roles as given (``member_role_arns``), or made from ``member_account_ids``
    and ``member_role_name``; every mistake in the latter into ``failures``."""
    roles = pulumi.get(args, "member_role_arns")
    accounts = pulumi.get(args, "member_account_ids")
    name = pulumi.get(args, "member_role_name")
    if not _known(accounts):
        failures.append(Failure("member_account_ids", _OUTPUT_REFUSED.format(what="account ids")))
        return []
    if (accounts or name is not None) and roles:
        failures.append(
            Failure(
                "member_role_arns",
                "is given with member_account_ids/member_role_name: give one form, either the "
                "role ARNs or the account ids with the role name",
            )
        )
        return []
    if not accounts and name is None:
        return roles
    if name is None or not (isinstance(name, str) and validation.ROLE_NAME_PATTERN.fullmatch(name)):
        why = "is required with member_account_ids" if name is None else "is not a role name"
        failures.append(
            Failure(
                "member_role_name",
                f"{validation.describe(name)} {why}: expected 1-512 characters of "
                "[A-Za-z0-9+=,.@_/-], such as MacieInvitationsGuard",
            )
        )
        return []
    if not _is_list(accounts, "member_account_ids", "12-digit account ids", failures):
        return []
    partition = getattr(accounts, "partition", None) or _caller_partition()
    made: dict[str, str] = {}
    for index, account in enumerate(accounts):
        problem = (
            "is not an account id (exactly 12 digits, as a string)"
            if not (isinstance(account, str) and validation.ACCOUNT_ID_PATTERN.fullmatch(account))
            else "is listed twice: list each member account once"
            if account in made
            else None
        )
        if problem or not isinstance(account, str):
            failures.append(
                Failure(
                    "member_account_ids",
                    f"element {index}: {validation.describe(account)} {problem}",
                )
            )
        else:
            made[account] = f"arn:{partition}:iam::{account}:role/{name}"
    return list(made.values())


def _caller_partition() -> str:
    """The partition of the region the stack (``aws:region``) or the environment names;
    ``aws`` when none does."""
    region = pulumi.Config("aws").get("region") or next(
        filter(None, map(aws_environment.raw, aws_environment.REGION_VARIABLES)), None
    )
    return (aws_regions.partition_of_region(region) if region else None) or "aws"


_OUTPUT_REFUSED: Final = (
    "is a pulumi Output (or holds one): the member list decides which children exist (each "
    "is named after its account), so it must be known when the program runs. Pass a plain "
    "list of {what}, for example from `organization_accounts()` or "
    "`pulumi.Config().require_object(...)`"
)


def _is_list(
    value: object, prop: str, what: str, failures: list[Failure]
) -> TypeGuard[Sequence[object]]:
    """Whether ``value`` is a list (not a string); a failure naming ``prop`` when not."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        failures.append(
            Failure(prop, f"must be a list of {what}, got {validation.describe(value)}")
        )
        return False
    return True


def _members_of(roles: object, failures: list[Failure]) -> list[str | None]:
    """The member roles, each checked; every mistake into ``failures``."""
    if not _known(roles):
        failures.append(Failure("member_role_arns", _OUTPUT_REFUSED.format(what="role ARNs")))
        return []
    if not _is_list(roles, "member_role_arns", "IAM role ARNs", failures):
        return []
    members: list[str | None] = []
    seen: dict[str, str] = {}
    for index, role in enumerate(roles):
        problem = validation.role_arn_problem(role)
        if not isinstance(role, str) or problem is not None:
            failures.append(
                Failure(
                    "member_role_arns", f"element {index}: {validation.describe(role)} {problem}"
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
    return members


def _known(value: object) -> bool:
    """Whether ``value`` is plain (no Output or awaitable in it): known when the program
    runs."""
    if isinstance(value, pulumi.Output | Awaitable):
        return False
    if isinstance(value, list | tuple):
        return all(map(_known, value))
    return True


def _as_list(value: object) -> object:
    """A tuple as a list (the checks take lists); anything else as it is."""
    return list(value) if isinstance(value, tuple) else value


def render_summary(members: Sequence[Mapping[str, Any]]) -> str:
    """What the members' records say, per account and inbox (``members`` as the
    component's output): one line per inbox where something was removed, kept, found,
    skipped or failed, and how many inboxes had nothing to remove. A member of other
    services than Macie alone names each line's service (``GuardDuty us-east-1``); one of
    Macie alone, only the region."""
    lines: list[str] = []
    for member in sorted(members, key=lambda m: str(m.get("account_id"))):
        inboxes = member.get("inboxes") or []
        named = bool(member.get("services"))
        via = f" (as {member['role_arn']})" if member.get("role_arn") else " (own account)"
        lines.append(f"account {member.get('account_id')}{via}:")
        for inbox in inboxes:
            where = outcomes.inbox_label(outcomes.key_of(inbox), named=named)
            lines.append(f"  {where}: {_inbox_text(inbox)}")
        failed: Mapping[str, str] = member.get("failed_inboxes") or {}
        quiet = member.get("quiet_inboxes" if named else "quiet_regions", 0)
        every = quiet + len({outcomes.key_of(inbox) for inbox in inboxes} | set(failed))
        by_reason: dict[str, list[str]] = {}
        for key, why in sorted(failed.items()):
            by_reason.setdefault(why, []).append(outcomes.inbox_label(key, named=named))
        unit = ("inbox", "inbox(es)") if named else ("region", "region(s)")
        for why, where_failed in by_reason.items():
            where = (
                f"every {unit[0]}" if len(where_failed) == every > 1 else ", ".join(where_failed)
            )
            lines.append(f"  {where}: {FAILED} (the next `pulumi up` retries it): {why}")
        if quiet:
            other = " other" if inboxes or failed else ""
            lines.append(f"  nothing to remove in the {quiet}{other} {unit[1]}")
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

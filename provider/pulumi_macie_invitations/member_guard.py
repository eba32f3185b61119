"""One member account's inboxes in every region at once: the work behind each child of
:class:`~pulumi_macie_invitations.OrganizationInvitationGuard`.

:func:`guard_member` assumes the member's role once, then cleans (or, for refresh, lists)
each region's inbox on its own thread with the single-inbox cleanup
(:func:`.invitations.clean`, every sender but the allowed ones), and sorts the outcomes:

* a region whose calls all succeeded is ``clean`` (nothing to remove) or ``cleaned``;
* a region that answered with a credentials error (``UnrecognizedClientException``,
  ``InvalidClientTokenId``) while the *same credentials worked in another region of the
  same member in the same run* is ``skipped``: an opt-in region the member has not
  enabled. When no region of the member worked, the credentials are bad: the member
  fails;
* anything else (the role can't be assumed, access denied, throttled past the retries,
  the current administrator not allowed) fails the member, with a message naming the
  account and every region that failed. The regions that worked were cleaned all the
  same; nothing is recorded for a failed member, so the next run does it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from . import clients, invitations, member_clients
from .errors import AwsCallError, MacieInvitationsError, aws_errors
from .invitations import AllSendersBut, CleanupReport

if TYPE_CHECKING:
    from botocore.credentials import Credentials

__all__ = [
    "NOT_ENABLED_CODES",
    "InboxOutcome",
    "MemberFailedError",
    "MemberRun",
    "guard_member",
]

NOT_ENABLED_CODES: Final = frozenset({"UnrecognizedClientException", "InvalidClientTokenId"})
"""What AWS answers, in a region the account has not enabled, to credentials that are
good elsewhere."""
MAX_REGION_THREADS: Final = 32
"""Regions of one member worked at once (every Macie region of the partition fits)."""

Outcome = Literal["clean", "cleaned", "skipped"]


@dataclass(frozen=True)
class InboxOutcome:
    """What happened to one region's inbox of a member."""

    region: str
    outcome: Outcome
    declined: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    """Senders not allowed that a refresh found (nothing is changed by a refresh)."""
    reason: str = ""
    """Why the region was skipped."""

    @property
    def notable(self) -> bool:
        """Whether there is anything to say: removed, kept, found or skipped."""
        return bool(self.outcome != "clean" or self.kept or self.stray)

    def to_json(self) -> dict[str, object]:
        """The outcome in state: camelCase, only what applies."""
        data: dict[str, object] = {"region": self.region, "outcome": self.outcome}
        for key, values in (
            ("declinedAccountIds", self.declined),
            ("deletedAccountIds", self.deleted),
            ("keptAccountIds", self.kept),
            ("strayAccountIds", self.stray),
        ):
            if values:
                data[key] = values
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True)
class MemberRun:
    """Every region's outcome for one member account, in the order of its regions."""

    account_id: str
    inboxes: list[InboxOutcome]


class MemberFailedError(MacieInvitationsError):
    """A member account could not be guarded; the message names it and every failure."""

    def __init__(self, account: str, failures: Mapping[str, str], done: Iterable[str]) -> None:
        self.account = account
        self.failures = dict(sorted(failures.items()))
        lines = "\n".join(f"  - {where}: {reason}" for where, reason in self.failures.items())
        finished = sorted(done)
        tail = (
            f"Its {len(finished)} other region(s) were guarded all the same. " if finished else ""
        )
        super().__init__(
            f"member account {account}: {len(self.failures)} failure(s):\n{lines}\n{tail}"
            "Nothing is recorded for this member, so the next `pulumi up` guards it again; "
            "the other members are not affected."
        )


def _not_enabled(error: Exception) -> bool:
    return isinstance(error, AwsCallError) and error.code in NOT_ENABLED_CODES


def _outcome(region: str, report: CleanupReport) -> InboxOutcome:
    return InboxOutcome(
        region,
        "cleaned" if report.deleted else "clean",
        declined=report.declined,
        deleted=report.deleted,
        kept=report.kept,
    )


def _listing_outcome(
    region: str, received: Mapping[str, str], allowed: Sequence[str]
) -> InboxOutcome:
    selection = AllSendersBut(tuple(allowed))
    return InboxOutcome(
        region,
        "clean",
        kept=selection.report(received).kept,
        stray=selection.to_clean(received),
    )


def guard_member(
    account_id: str | None,
    role_arn: str | None,
    regions: Sequence[str],
    allowed: Sequence[str],
    *,
    endpoint_url: str | None,
    sts_region: str,
    change: bool,
) -> MemberRun:
    """Clean (``change``) or only list (refresh) every region of one member at once.

    ``account_id`` None means the caller's own account (no role; found with one STS
    GetCallerIdentity). Raises :class:`MemberFailedError` naming the account.
    """
    label = account_id or "(the caller's own account)"
    try:
        credentials = member_clients.member_credentials(role_arn, sts_region)
        if account_id is None:
            account_id = member_clients.own_account_id(sts_region)
            label = account_id
    except aws_errors() as error:
        operation = "sts:AssumeRole" if role_arn else "sts:GetCallerIdentity"
        where = f"as {role_arn}" if role_arn else "with the caller's own credentials"
        failure = clients.aws_failure(error, operation, (), where)
        raise MemberFailedError(label, {"every region": str(failure)}, ()) from None

    def work(region: str) -> InboxOutcome:
        return _one_region(credentials, region, allowed, endpoint_url, change)

    with ThreadPoolExecutor(min(MAX_REGION_THREADS, max(1, len(regions)))) as pool:
        results = list(pool.map(_captured(work), regions))
    return MemberRun(account_id, _sorted_out(account_id, regions, results))


def _captured(work: Callable[[str], InboxOutcome]) -> Callable[[str], InboxOutcome | Exception]:
    def run(region: str) -> InboxOutcome | Exception:
        try:
            return work(region)
        except MacieInvitationsError as error:
            return error

    return run


def _one_region(
    credentials: Credentials,
    region: str,
    allowed: Sequence[str],
    endpoint_url: str | None,
    change: bool,
) -> InboxOutcome:
    client = member_clients.regional_client(region, endpoint_url)
    where = f"region {region}"
    with member_clients.acting_as(credentials):
        if change:
            return _outcome(region, invitations.clean(client, AllSendersBut(tuple(allowed)), where))
        return _listing_outcome(region, invitations.list_received(client, where), allowed)


def _sorted_out(
    account_id: str, regions: Sequence[str], results: Sequence[InboxOutcome | Exception]
) -> list[InboxOutcome]:
    """Apply the skip rule (module docstring); raise for a failed member."""
    worked = [
        region
        for region, result in zip(regions, results, strict=True)
        if isinstance(result, InboxOutcome)
    ]
    outcomes: list[InboxOutcome] = []
    failures: dict[str, str] = {}
    for region, result in zip(regions, results, strict=True):
        if isinstance(result, InboxOutcome):
            outcomes.append(result)
        elif _not_enabled(result) and worked:
            outcomes.append(
                InboxOutcome(
                    region,
                    "skipped",
                    reason=(
                        f"region not enabled for account {account_id}: AWS answered "
                        f"{result.code} (as it does in an opt-in region the account has not "  # type: ignore[attr-defined]
                        f"enabled) while the same credentials worked in {len(worked)} other "
                        "region(s) in this run"
                    ),
                )
            )
        else:
            reason = str(result)
            if _not_enabled(result):
                reason += (
                    " (rejected in every region of this member: the credentials are bad, not"
                    " the region)"
                )
            failures[f"region {region}"] = reason
    if failures:
        raise MemberFailedError(account_id, failures, worked)
    return outcomes

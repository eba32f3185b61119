"""A member's many inboxes at once: the work behind each child of
:class:`~pulumi_macie_invitations.OrganizationInvitationGuard`.

:func:`guard_member` gets the member's credentials once (its role assumed), then cleans
(or, for refresh, lists) each region's inbox on its own thread with the single-inbox
engine (:func:`.inbox.clean`, every sender but the allowed ones), and sorts the outcomes:

* an inbox whose calls all succeeded is ``clean`` (nothing to remove) or ``cleaned``;
* an inbox that answered with a credentials error (the service's "not enabled" codes,
  such as ``UnrecognizedClientException``) while the *same credentials worked in another
  region of the same member in the same run* is ``skipped``: an opt-in region the member
  has not enabled. When no region of the member worked, the credentials are bad: the
  member fails;
* anything else (the role can't be assumed, access denied, throttled past the retries,
  the current administrator not allowed) fails the inbox: :attr:`MemberRun.failures`
  says why, region by region (every region when the role can't be assumed). The regions
  that worked were cleaned all the same. Nothing is raised: a failed member is a result
  the caller records (so the next run retries it), not an error that stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Final

from ..aws import clients
from ..aws.credentials import Identity, acting_as
from ..errors import AwsCallError, MacieInvitationsError, aws_errors
from ..services import ServiceDescription
from .inbox import Inbox, clean, list_received
from .outcomes import SKIPPED, InboxResult
from .selection import AllSendersBut

__all__ = ["MAX_INBOX_THREADS", "MemberRun", "guard_member"]

MAX_INBOX_THREADS: Final = 32
"""Inboxes of one member worked at once (every region of a partition fits)."""


@dataclass(frozen=True)
class MemberRun:
    """Every inbox's result for one member account, in the order of its regions, and the
    inboxes that failed."""

    account_id: str | None
    """The member account; None for the caller's own account when STS could not say."""
    inboxes: list[InboxResult]
    failures: dict[str, str] = field(default_factory=dict)
    """Region -> why its inbox could not be guarded (empty when every inbox was)."""


def guard_member(
    identity: Identity,
    regions: Sequence[str],
    allowed: Sequence[str],
    *,
    service: ServiceDescription,
    endpoint_url: str | None,
    change: bool,
) -> MemberRun:
    """Clean (``change``) or only list (refresh) every region's inbox of one member at once.

    ``identity`` without a role is the caller's own account (found with one STS
    GetCallerIdentity). Failures are returned, not raised (module docstring).
    """
    account_id = _account_of(identity)
    where = f"as {identity.role_arn}" if identity.role_arn else "with the caller's own credentials"
    try:
        credentials = clients.credentials_of(identity, where)
        if account_id is None:
            account_id = clients.own_account_id(identity, where)
    except aws_errors() as error:
        failure = str(clients.aws_failure(error, "sts:GetCallerIdentity", (), where))
        return MemberRun(account_id, [], dict.fromkeys(regions, failure))
    except MacieInvitationsError as error:
        return MemberRun(account_id, [], dict.fromkeys(regions, str(error)))
    selection = AllSendersBut(tuple(allowed))
    member = replace(identity, sts_region=identity.sts_region)

    def work(region: str) -> InboxResult:
        inbox = Inbox(region, member, endpoint_url, service)
        client, where = inbox.client(), f"region {region}"
        with acting_as(credentials):
            if change:
                return InboxResult.of_cleanup(
                    region, clean(client, selection, where, service=service)
                )
            received = list_received(client, where, service)
        return InboxResult(
            region,
            "clean",
            kept=selection.report(received).kept,
            found=selection.to_clean(received),
        )

    with ThreadPoolExecutor(min(MAX_INBOX_THREADS, max(1, len(regions)))) as pool:
        results = list(pool.map(_captured(work), regions))
    return MemberRun(account_id, *_sorted_out(account_id, regions, results, service))


def _account_of(identity: Identity) -> str | None:
    return identity.role_arn.split(":")[4] if identity.role_arn else None


def _captured(work: Callable[[str], InboxResult]) -> Callable[[str], InboxResult | Exception]:
    def run(region: str) -> InboxResult | Exception:
        try:
            return work(region)
        except MacieInvitationsError as error:
            return error

    return run


def _sorted_out(
    account_id: str,
    regions: Sequence[str],
    results: Sequence[InboxResult | Exception],
    service: ServiceDescription,
) -> tuple[list[InboxResult], dict[str, str]]:
    """Apply the skip rule (module docstring): the inboxes done, and region -> why for
    those that failed."""

    def not_enabled(error: Exception) -> bool:
        return isinstance(error, AwsCallError) and error.code in service.not_enabled_codes

    worked = [
        region
        for region, result in zip(regions, results, strict=True)
        if isinstance(result, InboxResult)
    ]
    done: list[InboxResult] = []
    failures: dict[str, str] = {}
    for region, result in zip(regions, results, strict=True):
        if isinstance(result, InboxResult):
            done.append(result)
        elif not_enabled(result) and worked:
            code = result.code  # type: ignore[attr-defined]
            done.append(
                InboxResult(
                    region,
                    SKIPPED,
                    reason=(
                        f"region not enabled for account {account_id}: AWS answered {code} (as "
                        "it does in an opt-in region the account has not enabled) while the "
                        f"same credentials worked in {len(worked)} other region(s) in this run"
                    ),
                )
            )
        else:
            reason = str(result)
            if not_enabled(result):
                reason += (
                    " (rejected in every region of this member: the credentials are bad, not"
                    " the region)"
                )
            failures[region] = reason
    return done, failures

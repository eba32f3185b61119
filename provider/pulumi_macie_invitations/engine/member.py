"""A member's many inboxes at once: the work behind each child of
:class:`~pulumi_macie_invitations.OrganizationInvitationGuard`.

:func:`guard_member` gets the member's credentials once (its role assumed), then cleans
(or, for refresh, lists) each of its inboxes (every region, for each service guarded
where botocore lists the service: :func:`member_inboxes`) on its own thread with the
single-inbox engine (:func:`.inbox.clean`, every sender but the allowed ones), and sorts
the outcomes:

* an inbox whose calls all succeeded is ``clean`` (nothing to remove) or ``cleaned``;
* an inbox that answered with a credentials error (the service's "not enabled" codes,
  such as ``UnrecognizedClientException``) while the *same credentials worked in another
  inbox of the same member in the same run* is ``skipped``: an opt-in region the member
  has not enabled. When no inbox of the member worked, the credentials are bad: the
  member fails;
* anything else (the role can't be assumed, access denied, throttled past the retries,
  the current administrator not allowed) fails the inbox: :attr:`MemberRun.failures`
  says why, inbox by inbox (every inbox when the role can't be assumed). The inboxes
  that worked were cleaned all the same. Nothing is raised: a failed member is a result
  the caller records (so the next run retries it), not an error that stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Final

from ..aws import clients
from ..aws import regions as aws_regions
from ..aws.credentials import Identity, acting_as
from ..errors import AwsCallError, MacieInvitationsError, aws_errors
from ..services import ServiceDescription
from .inbox import Inbox, clean, list_received
from .outcomes import SKIPPED, InboxResult, inbox_key
from .selection import AllSendersBut

__all__ = ["MAX_INBOX_THREADS", "MemberRun", "guard_member", "member_inboxes"]

MAX_INBOX_THREADS: Final = 32
"""Inboxes of one member worked at once (every region of a partition, for one service)."""


@dataclass(frozen=True)
class MemberRun:
    """Every inbox's result for one member account, in the order of its regions, and the
    inboxes that failed."""

    account_id: str | None
    """The member account; None for the caller's own account when STS could not say."""
    inboxes: list[InboxResult]
    failures: dict[str, str] = field(default_factory=dict)
    """Inbox (:func:`.outcomes.inbox_key`) -> why it could not be guarded (empty when every
    inbox was)."""


def member_inboxes(
    services: Sequence[ServiceDescription], regions: Sequence[str]
) -> list[tuple[ServiceDescription, str]]:
    """A member's inboxes, service by service in the order given, each in the order of
    ``regions``: every region where botocore's endpoint data lists the service."""
    return [
        (service, region)
        for service in services
        for region in regions
        if region in aws_regions.service_regions(service.name)
    ]


def guard_member(
    identity: Identity,
    regions: Sequence[str],
    allowed: Sequence[str],
    *,
    services: Sequence[ServiceDescription],
    endpoint_urls: Mapping[str, str | None],
    change: bool,
) -> MemberRun:
    """Clean (``change``) or only list (refresh) every inbox of one member at once: each
    region of each service (:func:`member_inboxes`), each service at its endpoint in
    ``endpoint_urls`` (by service name; none: AWS's).

    ``identity`` without a role is the caller's own account (found with one STS
    GetCallerIdentity). Failures are returned, not raised (module docstring).
    """
    inboxes = member_inboxes(services, regions)
    keys = [inbox_key(service.name, region) for service, region in inboxes]
    account_id = _account_of(identity)
    where = f"as {identity.role_arn}" if identity.role_arn else "with the caller's own credentials"
    try:
        credentials = clients.credentials_of(identity, where)
        if account_id is None:
            account_id = clients.own_account_id(identity, where)
    except aws_errors() as error:
        failure = str(clients.aws_failure(error, "sts:GetCallerIdentity", (), where))
        return MemberRun(account_id, [], dict.fromkeys(keys, failure))
    except MacieInvitationsError as error:
        return MemberRun(account_id, [], dict.fromkeys(keys, str(error)))
    selection = AllSendersBut(tuple(allowed))
    member = replace(identity, sts_region=identity.sts_region)

    def work(target: tuple[ServiceDescription, str]) -> InboxResult:
        service, region = target
        inbox = Inbox(region, member, endpoint_urls.get(service.name), service)
        client, where = inbox.client(), f"region {region}"
        with acting_as(credentials):
            if change:
                return InboxResult.of_cleanup(
                    region, clean(client, selection, where, service=service), service.name
                )
            received = list_received(client, where, service)
        return InboxResult(
            region,
            "clean",
            kept=selection.report(received).kept,
            found=selection.to_clean(received),
            service=service.name,
        )

    with ThreadPoolExecutor(min(MAX_INBOX_THREADS, max(1, len(inboxes)))) as pool:
        results = list(pool.map(_captured(work), inboxes))
    return MemberRun(account_id, *_sorted_out(account_id, inboxes, results))


def _account_of(identity: Identity) -> str | None:
    return identity.role_arn.split(":")[4] if identity.role_arn else None


Target = tuple[ServiceDescription, str]
"""One inbox of a member: its service and region."""


def _captured(work: Callable[[Target], InboxResult]) -> Callable[[Target], InboxResult | Exception]:
    def run(target: Target) -> InboxResult | Exception:
        try:
            return work(target)
        except MacieInvitationsError as error:
            return error

    return run


def _sorted_out(
    account_id: str, inboxes: Sequence[Target], results: Sequence[InboxResult | Exception]
) -> tuple[list[InboxResult], dict[str, str]]:
    """Apply the skip rule (module docstring): the inboxes done, and inbox -> why for
    those that failed."""

    def not_enabled(service: ServiceDescription, error: Exception) -> bool:
        return isinstance(error, AwsCallError) and error.code in service.not_enabled_codes

    worked = len([result for result in results if isinstance(result, InboxResult)])
    # One service: its inboxes are its regions, as the messages have always said.
    one, unit = (
        ("region", "region(s)")
        if len({service.name for service, _ in inboxes}) == 1
        else ("inbox", "inbox(es)")
    )
    done: list[InboxResult] = []
    failures: dict[str, str] = {}
    for (service, region), result in zip(inboxes, results, strict=True):
        if isinstance(result, InboxResult):
            done.append(result)
        elif not_enabled(service, result) and worked:
            code = result.code  # type: ignore[attr-defined]
            done.append(
                InboxResult(
                    region,
                    SKIPPED,
                    reason=(
                        f"region not enabled for account {account_id}: AWS answered {code} (as "
                        "it does in an opt-in region the account has not enabled) while the "
                        f"same credentials worked in {worked} other {unit} in this run"
                    ),
                    service=service.name,
                )
            )
        else:
            reason = str(result)
            if not_enabled(service, result):
                reason += (
                    f" (rejected in every {one} of this member: the credentials are bad,"
                    " not the region)"
                )
            failures[inbox_key(service.name, region)] = reason
    return done, failures

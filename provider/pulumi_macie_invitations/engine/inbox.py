"""One inbox: the invitations one account receives in one region for one service.

:func:`clean` lists the inbox, chooses the senders (a :class:`~.selection.Selection`),
declines the pending ones, deletes them, and lists again to verify; :func:`clean_inbox`
and :func:`received_by` do it for an :class:`Inbox` through the shared clients. Every
call is at the API's minimum: the listing is botocore's paginator at the service's
largest page, and declines and deletes go in batches of the service's batch size. What
differs between services is data (:class:`~..services.ServiceDescription`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ..aws import clients
from ..aws.credentials import Identity, acting_as
from ..errors import AdministratorInvitationError, CleanupIncompleteError, aws_errors
from ..services import ServiceDescription
from ..services.macie2 import MACIE2
from .outcomes import CleanupReport
from .selection import ListedSenders, Selection, present
from .sweeps import SharedSweeps

INTERNAL_ERROR_RESUBMITS: Final = 2
"""How many times accounts that came back unprocessed with a resubmitted code (Macie's
``InternalError``; GuardDuty's and Security Hub's free-text reasons) are sent again."""
RESUBMIT_DELAY_SECONDS: Final = 0.5

Listing = Callable[[], Mapping[str, str]]
"""Every invitation an inbox received: sender -> status."""


@dataclass(frozen=True)
class Inbox:
    """The invitations one account (``identity``) receives in one region for one service."""

    region: str
    identity: Identity = field(default_factory=Identity)
    endpoint_url: str | None = None
    service: ServiceDescription = MACIE2

    def describe(self) -> str:
        """Where, for messages: region, the role when one is assumed, the endpoint."""
        where = f"region {self.region}{self.identity.describe()}"
        if self.endpoint_url:
            where += f" at {self.endpoint_url}"
        return where

    def client(self) -> Any:  # noqa: ANN401 (a botocore client of the service)
        """The shared client of this inbox's service and region (sign inside
        :func:`~..aws.credentials.acting_as`)."""
        return clients.client(
            self.service.name, self.region, self.endpoint_url, self.identity.profile
        )


def batches(account_ids: Sequence[str], size: int) -> Iterator[list[str]]:
    """Split ``account_ids`` into lists of at most ``size``."""
    for start in range(0, len(account_ids), size):
        yield list(account_ids[start : start + size])


def list_received(client: Any, where: str, service: ServiceDescription = MACIE2) -> dict[str, str]:  # noqa: ANN401
    """Every invitation the inbox received: sender account id -> status; botocore's
    paginator, at the service's largest page."""
    from botocore import xform_name

    received: dict[str, str] = {}
    pages = client.get_paginator(xform_name(service.list_operation)).paginate(
        PaginationConfig={"PageSize": service.page_size}
    )
    try:
        for page in pages:
            for invitation in page.get(service.invitations_field, []):
                if service.sender_field in invitation:
                    sender = invitation[service.sender_field]
                    received[sender] = invitation.get(service.status_field, "")
    except aws_errors() as error:
        raise clients.aws_failure(error, service.list_operation, (), where, service) from None
    return received


@dataclass(frozen=True)
class Unprocessed:
    """An account a decline or delete reply left unprocessed."""

    operation: str
    code: str | None
    """The service's code (``""`` when it gave none); None when it gives only free text."""
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.operation, self.code, self.message) if part)


def _batched_call(
    client: Any,  # noqa: ANN401
    service: ServiceDescription,
    operation: str,
    account_ids: Sequence[str],
    where: str,
) -> dict[str, Unprocessed]:
    """Call decline or delete for every batch; return the accounts AWS did not process.

    Accounts that come back with a resubmitted code are sent again (a bounded number of
    times); the others are not sent again.
    """
    from botocore import xform_name

    method = getattr(client, xform_name(operation))
    fields = service.unprocessed
    failed: dict[str, Unprocessed] = {}
    for batch in batches(account_ids, service.batch_size):
        for attempt in range(INTERNAL_ERROR_RESUBMITS + 1):
            try:
                reply = method(**{service.request_field: batch})
            except aws_errors() as error:
                raise clients.aws_failure(error, operation, batch, where, service) from None
            retry: list[str] = []
            for item in reply.get(fields.list, []):
                account = item.get(fields.account, "?")
                code = None if fields.code is None else item.get(fields.code, "")
                failed[account] = Unprocessed(operation, code, item.get(fields.message, ""))
                if code in service.resubmitted_codes and attempt < INTERNAL_ERROR_RESUBMITS:
                    retry.append(account)
            if not retry:
                break
            for account in retry:
                del failed[account]
            batch = retry
            time.sleep(RESUBMIT_DELAY_SECONDS * (attempt + 1))
    return failed


def clean(
    client: Any,  # noqa: ANN401 (a botocore client of the service)
    selection: Selection | Sequence[str],
    where: str,
    *,
    service: ServiceDescription = MACIE2,
    listing: Listing | None = None,
) -> CleanupReport:
    """Decline and delete the invitations of the senders ``selection`` chooses (a sequence
    of account ids means :class:`~.selection.ListedSenders`); the listing afterwards decides.

    Refuses, before any change, when a chosen sender is the current administrator.
    Every sender found is declined if pending, then deleted, unless its decline came back
    unprocessed with a code that leaves it pending (Macie's ``InternalError`` after its
    resubmits: AWS could not process it; a free-text reason is tolerated, see
    :class:`~..services.ServiceDescription`). An unprocessed account is not itself a failure:
    another cleanup of the same inbox, or a retried call whose first reply was lost, may
    have declined or deleted it already. The listing after the changes decides:
    :class:`~..errors.CleanupIncompleteError` names every sender still listed, with the
    first reason AWS gave. ``listing`` lists every received invitation, before and after
    the changes: by default :func:`list_received` with ``client``; the inbox resources pass
    one whose sweeps concurrent calls share (:mod:`.sweeps`). Holds no state of its own:
    threads may clean several inboxes at once.
    """
    if isinstance(selection, Sequence):
        selection = ListedSenders(tuple(selection))
    list_all = listing or (lambda: list_received(client, where, service))
    received = list_all()
    found = selection.to_clean(received)
    administrators = [a for a in found if received[a] in service.accepted_statuses]
    if administrators:
        raise AdministratorInvitationError(
            administrators,
            where,
            service=service,
            keep_hint=selection.keep_hint(", ".join(administrators)),
        )

    pending = [a for a in found if received[a] in service.pending_statuses]
    unprocessed = (
        _batched_call(client, service, service.decline_operation, pending, where) if pending else {}
    )
    deletable = [a for a in found if not _still_pending(service, unprocessed.get(a))]
    if deletable:
        deleted = _batched_call(client, service, service.delete_operation, deletable, where)
        for account, reason in deleted.items():
            unprocessed.setdefault(account, reason)

    remaining = present(list_all(), found) if found else []
    if remaining:
        still_listed = f"its invitation was still listed after {service.delete_operation}"
        raise CleanupIncompleteError(
            {account: str(unprocessed.get(account, still_listed)) for account in remaining},
            where,
            service=service,
        )
    found_before = selection.report(received)
    return CleanupReport(
        declined=sorted(pending),
        deleted=found,
        absent=found_before.absent,
        kept=found_before.kept,
    )


def _still_pending(service: ServiceDescription, decline: Unprocessed | None) -> bool:
    """Whether a decline's outcome leaves the invitation pending: AWS could not process it.

    A tolerated code (Macie's ``ClientError``) does not: the invitation may have been
    declined (or deleted) meanwhile.
    """
    return decline is not None and decline.code not in service.tolerated_codes


_LISTINGS: SharedSweeps[dict[str, str]] = SharedSweeps()
"""Listing sweeps, shared by the concurrent lifecycle calls on one inbox. Keyed by the
inbox alone: callers share a sweep only while they run at the same time, in one process,
with one AWS environment."""


def clean_inbox(inbox: Inbox, selection: Selection) -> CleanupReport:
    """Clean one inbox: decline and delete the invitations of the senders ``selection``
    chooses, then verify (:func:`clean`).

    Safe to call from several threads at once, for one inbox or many: clients are shared,
    and concurrent listings of one inbox share a sweep. Raises a
    :class:`~..errors.MacieInvitationsError` for anything that failed.
    """
    where = inbox.describe()
    credentials = clients.credentials_of(inbox.identity, where)
    client = inbox.client()
    with acting_as(credentials):
        return clean(
            client, selection, where, service=inbox.service, listing=_shared(client, inbox)
        )


def received_by(inbox: Inbox) -> dict[str, str]:
    """Every invitation the inbox received: sender -> status (a shared sweep; callers
    must not change it)."""
    where = inbox.describe()
    credentials = clients.credentials_of(inbox.identity, where)
    client = inbox.client()
    with acting_as(credentials):
        return _shared(client, inbox)()


def _shared(client: Any, inbox: Inbox) -> Callable[[], dict[str, str]]:  # noqa: ANN401
    """Every invitation the inbox received, from a sweep concurrent calls may share."""
    return lambda: _LISTINGS.run(
        inbox, lambda: list_received(client, inbox.describe(), inbox.service)
    )

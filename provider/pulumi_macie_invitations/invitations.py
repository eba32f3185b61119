"""The Macie calls behind the resource: list, decline and delete received invitations.

Each function makes the fewest calls the API allows: ListInvitations is read page by
page (25 a page, the API's maximum), and DeclineInvitations/DeleteInvitations take at
most :data:`BATCH_SIZE` account ids a call. Only the senders a :class:`Selection` chooses
are ever sent: the listed ones (:class:`ListedSenders`, for DeclinedInvitations) or every
one but the allowed (:class:`AllSendersBut`, for InvitationGuard).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

from .clients import aws_failure
from .errors import (
    AdministratorInvitationError,
    CleanupIncompleteError,
    aws_errors,
)

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client

PAGE_SIZE: Final = 25
"""ListInvitations' largest page."""
BATCH_SIZE: Final = 50
"""Account ids per DeclineInvitations/DeleteInvitations call (GuardDuty's bound on such lists)."""
INTERNAL_ERROR_RESUBMITS: Final = 2
"""How many times accounts that came back unprocessed with InternalError are sent again."""
RESUBMIT_DELAY_SECONDS: Final = 0.5
INTERNAL_ERROR: Final = "InternalError"
CLIENT_ERROR: Final = "ClientError"
"""The ``errorCode`` values of ``unprocessedAccounts``."""
STILL_LISTED: Final = "its invitation was still listed after DeleteInvitations"

ACCEPTED_STATUSES: Final = frozenset({"Enabled", "Paused"})
"""An invitation in one of these states was accepted: its sender is the current administrator."""
PENDING_STATUSES: Final = frozenset({"Invited", "Created", "EmailVerificationInProgress"})
"""An invitation in one of these states is still waiting for an answer: decline it first."""


def batches(account_ids: Sequence[str], size: int = BATCH_SIZE) -> Iterator[list[str]]:
    """Split ``account_ids`` into lists of at most ``size``."""
    for start in range(0, len(account_ids), size):
        yield list(account_ids[start : start + size])


def list_received(client: Macie2Client, where: str) -> dict[str, str]:
    """Every invitation this account received: sender account id -> relationshipStatus."""
    received: dict[str, str] = {}
    token: str | None = None
    while True:
        request = {"maxResults": PAGE_SIZE} | ({"nextToken": token} if token else {})
        try:
            page = client.list_invitations(**request)  # type: ignore[arg-type]
        except aws_errors() as error:
            raise aws_failure(error, "ListInvitations", (), where) from None
        for invitation in page.get("invitations", []):
            if "accountId" in invitation:
                received[invitation["accountId"]] = invitation.get("relationshipStatus", "")
        token = page.get("nextToken")
        if not token:
            return received


@dataclass(frozen=True)
class Unprocessed:
    """An account a DeclineInvitations/DeleteInvitations reply left unprocessed."""

    operation: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.code}: {self.message}".rstrip(": ")


def _batched_call(
    client: Macie2Client, operation: str, account_ids: Sequence[str], where: str
) -> dict[str, Unprocessed]:
    """Call decline or delete for every batch; return the accounts AWS did not process.

    Accounts that come back with ``InternalError`` are sent again (a bounded number of
    times); ``ClientError`` ones are not sent again.
    """
    method = (
        client.decline_invitations
        if operation == "DeclineInvitations"
        else client.delete_invitations
    )
    failed: dict[str, Unprocessed] = {}
    for batch in batches(account_ids):
        for attempt in range(INTERNAL_ERROR_RESUBMITS + 1):
            try:
                reply = method(accountIds=batch)
            except aws_errors() as error:
                raise aws_failure(error, operation, batch, where) from None
            retry: list[str] = []
            for item in reply.get("unprocessedAccounts", []):
                account, code = item.get("accountId", "?"), item.get("errorCode", "")
                failed[account] = Unprocessed(operation, code, item.get("errorMessage", ""))
                if code == INTERNAL_ERROR and attempt < INTERNAL_ERROR_RESUBMITS:
                    retry.append(account)
            if not retry:
                break
            for account in retry:
                del failed[account]
            batch = retry
            time.sleep(RESUBMIT_DELAY_SECONDS * (attempt + 1))
    return failed


@dataclass(frozen=True)
class CleanupReport:
    """What one cleanup found (each list sorted): ``declined`` had a pending invitation,
    ``deleted`` had one (all gone by the end), ``absent`` and ``kept`` as below."""

    declined: list[str] = field(default_factory=list)
    """Senders whose pending invitation was declined."""
    deleted: list[str] = field(default_factory=list)
    """Senders whose invitation was deleted."""
    absent: list[str] = field(default_factory=list)
    """Listed senders that had no invitation (:class:`ListedSenders` only)."""
    kept: list[str] = field(default_factory=list)
    """Allowed senders whose invitation is present, untouched (:class:`AllSendersBut` only)."""


class Selection(Protocol):
    """Which senders' invitations a cleanup removes, chosen from what the account received."""

    def to_clean(self, received: Mapping[str, str]) -> list[str]:
        """The senders in ``received`` whose invitations must go, sorted."""
        ...

    def report(self, received: Mapping[str, str]) -> CleanupReport:
        """The report's ``absent`` and ``kept`` for the listing taken before any change."""
        ...

    def keep_hint(self, senders: str) -> str:
        """How to keep the invitation of ``senders`` instead (for the administrator refusal)."""
        ...


@dataclass(frozen=True)
class ListedSenders:
    """The senders listed: DeclinedInvitations' ``accountIds``."""

    account_ids: tuple[str, ...]

    def to_clean(self, received: Mapping[str, str]) -> list[str]:
        """The listed senders that have an invitation in ``received``."""
        return present(received, self.account_ids)

    def report(self, received: Mapping[str, str]) -> CleanupReport:
        """``absent``: the listed senders without an invitation."""
        return CleanupReport(absent=sorted(set(self.account_ids) - received.keys()))

    def keep_hint(self, senders: str) -> str:
        """Leave them out of the list."""
        return f"remove {senders} from accountIds"


@dataclass(frozen=True)
class AllSendersBut:
    """Every sender but the allowed ones: InvitationGuard's ``allowedAccountIds``."""

    allowed: tuple[str, ...]

    def to_clean(self, received: Mapping[str, str]) -> list[str]:
        """Every sender in ``received`` that is not allowed."""
        return sorted(received.keys() - set(self.allowed))

    def report(self, received: Mapping[str, str]) -> CleanupReport:
        """``kept``: the allowed senders that have an invitation."""
        return CleanupReport(kept=present(received, self.allowed))

    def keep_hint(self, senders: str) -> str:
        """Allow them."""
        return f"add {senders} to allowedAccountIds to keep it"


def present(received: Mapping[str, str], account_ids: Iterable[str]) -> list[str]:
    """The listed accounts that have an invitation in ``received``."""
    return sorted(a for a in account_ids if a in received)


def clean(
    client: Macie2Client,
    selection: Selection | Sequence[str],
    where: str,
    *,
    listing: Callable[[], Mapping[str, str]] | None = None,
) -> CleanupReport:
    """Decline and delete the invitations of the senders ``selection`` chooses (a sequence
    of account ids means :class:`ListedSenders`); the listing afterwards decides.

    Refuses, before any change, when a chosen sender is the current administrator.
    Every sender found is declined if pending, then deleted, unless its decline came back
    ``InternalError`` after its resubmits (AWS could not process it: it is still pending).
    An unprocessed account is not itself a failure: another cleanup of the same inbox, or
    a retried call whose first reply was lost, may have declined or deleted it already.
    The listing after the changes decides: :class:`CleanupIncompleteError` names every
    sender still listed, with the first reason AWS gave. ``listing`` lists every received
    invitation, before and after the changes: by default :func:`list_received` with
    ``client``; the provider passes one whose sweeps concurrent calls share (:mod:`.sweeps`).
    Holds no state of its own: threads may clean several targets at once.
    """
    if isinstance(selection, Sequence):
        selection = ListedSenders(tuple(selection))
    list_all = listing or (lambda: list_received(client, where))
    received = list_all()
    found = selection.to_clean(received)
    administrators = [a for a in found if received[a] in ACCEPTED_STATUSES]
    if administrators:
        raise AdministratorInvitationError(
            administrators, where, keep_hint=selection.keep_hint(", ".join(administrators))
        )

    pending = [a for a in found if received[a] in PENDING_STATUSES]
    unprocessed = _batched_call(client, "DeclineInvitations", pending, where) if pending else {}
    deletable = [a for a in found if not _still_pending(unprocessed.get(a))]
    if deletable:
        for account, reason in _batched_call(client, "DeleteInvitations", deletable, where).items():
            unprocessed.setdefault(account, reason)

    remaining = present(list_all(), found) if found else []
    if remaining:
        raise CleanupIncompleteError(
            {account: str(unprocessed.get(account, STILL_LISTED)) for account in remaining},
            where,
        )
    found_before = selection.report(received)
    return CleanupReport(
        declined=sorted(pending),
        deleted=found,
        absent=found_before.absent,
        kept=found_before.kept,
    )


def _still_pending(decline: Unprocessed | None) -> bool:
    """Whether a decline's outcome leaves the invitation pending: AWS could not process it.

    A ``ClientError`` does not: the invitation may have been declined (or deleted) meanwhile.
    """
    return decline is not None and decline.code != CLIENT_ERROR

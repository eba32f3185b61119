"""The facts that tell one invitation service from another, as data (from botocore's
service models: operation paths, member names, bounds, errors)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ..exceptions import ServiceError

__all__ = [
    "DECLINE_MODES_DOCUMENTED",
    "DECLINE_MODES_UNDOCUMENTED",
    "DEFAULT_DECLINE_MODE",
    "InvitationService",
    "ServiceErrors",
    "Unprocessed",
    "wire_names",
]

DEFAULT_DECLINE_MODE: Final = "stays-listed"
DECLINE_MODES_DOCUMENTED: Final = ("stays-listed", "leaves-listing", "not-pending")
"""The readings of a service that documents "delete only what was declined" (Macie)."""
DECLINE_MODES_UNDOCUMENTED: Final = (*DECLINE_MODES_DOCUMENTED, "deletes-pending")
"""The readings of a service that doesn't say whether delete needs a decline first."""

WIRE_NAMES: Final = frozenset(
    {
        "invitations",
        "nextToken",
        "maxResults",
        "accountId",
        "invitationId",
        "invitedAt",
        "status",
        "accountIds",
        "unprocessedAccounts",
        "invitationsCount",
        "administrator",
    }
)
"""The concepts whose member names differ between services (``wire`` maps each one)."""


def wire_names(status: str, *, capitalized: bool = False) -> dict[str, str]:
    """The member names of a service's invitation calls: each concept of
    :data:`WIRE_NAMES` as it is spelled (``accountId``; ``AccountId`` when
    ``capitalized``), an invitation's status as ``status``."""
    names = {concept: concept for concept in WIRE_NAMES} | {"status": status}
    if capitalized:
        return {concept: name[0].upper() + name[1:] for concept, name in names.items()}
    return names


@dataclass(frozen=True)
class Unprocessed:
    """One account a call could not process: ``error_code`` is ``"ClientError"`` (the
    request's fault) or ``"InternalError"``; the service's ``unprocessed`` writes it."""

    account_id: str
    error_code: str
    error_message: str


@dataclass(frozen=True)
class ServiceErrors:
    """The service's own errors: the ones the emulator raises, and those a ``fail`` fault
    selects by HTTP status."""

    validation: type[ServiceError]
    not_found: type[ServiceError]
    conflict: type[ServiceError]
    throttling: type[ServiceError]
    internal: type[ServiceError]
    denied: type[ServiceError]
    by_status: Mapping[int, type[ServiceError]]

    def for_status(self, status: object) -> type[ServiceError]:
        """The error of HTTP ``status``; ValueError for one the service doesn't answer."""
        error = self.by_status.get(status) if isinstance(status, int) else None
        if error is None:
            known = ", ".join(str(code) for code in sorted(self.by_status))
            raise ValueError(f"the service has no error with status {status!r} (known: {known})")
        return error


@dataclass(frozen=True)
class InvitationService:
    """One service's facts: its name, how its invitation calls spell their members, its
    bounds, its statuses and which of them are pending or accepted, its errors, and the
    decline modes (readings of what a declined invitation looks like) it is offered in."""

    name: str
    """botocore's service name, also the signing name (``macie2``...)."""
    title: str
    page_size: int
    """ListInvitations' ``maxResults`` bound and default."""
    account_ids_bound: int | None
    """The most ``accountIds`` a call takes (None: no documented bound)."""
    wire: Mapping[str, str]
    """Member name on the wire of each concept of :data:`WIRE_NAMES`."""
    statuses: frozenset[str]
    pending: frozenset[str]
    accepted: frozenset[str]
    errors: ServiceErrors
    unprocessed: Callable[[Unprocessed], dict[str, str]]
    """An unprocessed account in the reply's shape."""
    invite_operation: str
    """The sender's call that sends invitations (its reply lists unprocessed accounts)."""
    decline_modes: tuple[str, ...] = DECLINE_MODES_DOCUMENTED
    invited: str = "Invited"
    enabled: str = "Enabled"
    declined: str = "Resigned"
    """Status of an invitation the recipient declined (or of a membership it left)."""
    removed: str = "Removed"
    """Status of a membership the sender ended."""
    unprocessed_operations: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        missing = WIRE_NAMES - set(self.wire)
        if missing:
            raise ValueError(f"{self.name}: no wire name for {sorted(missing)}")
        unknown = (self.pending | self.accepted | {self.declined, self.removed}) - self.statuses
        if unknown:
            raise ValueError(f"{self.name}: statuses {sorted(unknown)} aren't the service's")
        operations = frozenset({self.invite_operation, "DeclineInvitations", "DeleteInvitations"})
        object.__setattr__(self, "unprocessed_operations", operations)

    def __getitem__(self, concept: str) -> str:
        """The wire name of ``concept`` (``service["accountIds"]``)."""
        return self.wire[concept]

"""Which senders' invitations a cleanup removes, chosen from what an inbox received.

:class:`ListedSenders` (DeclinedInvitations: the senders listed) or :class:`AllSendersBut`
(InvitationGuard and every member of OrganizationInvitationGuard: every sender but the
allowed ones). Only the senders a selection chooses are ever sent to AWS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from .outcomes import CleanupReport


class Selection(Protocol):
    """Which senders' invitations a cleanup removes, chosen from what the inbox received."""

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

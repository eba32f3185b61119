"""What the outputs say was done to each listed account's invitations.

Each output lists what this resource has done so far, not only what its last step did:
an update that cleans one account again (drift found by refresh) must not read, in the
stack's outputs, as if the other accounts' cleanup had been undone. :func:`by_account`
says it account by account, in one map that is never empty, so the CLI (which hides
empty lists) always shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from . import properties as p
from .invitations import CleanupReport


def merged(report: CleanupReport, previous: Mapping[str, Any]) -> CleanupReport:
    """``report`` of the last step, with what ``previous`` outputs recorded for the accounts
    this step found clean or cleaned again: one deleted before stays deleted, one declined
    before stays declined."""
    earlier_deleted = set(_listed(previous, p.DELETED_ACCOUNT_IDS))
    earlier_declined = set(_listed(previous, p.DECLINED_ACCOUNT_IDS))
    kept = {a for a in report.absent if a in earlier_deleted}
    deleted = {*report.deleted, *kept}
    return CleanupReport(
        declined=sorted({*report.declined, *(deleted & earlier_declined)}),
        deleted=sorted(deleted),
        absent=sorted(set(report.absent) - kept),
    )


DECLINED_AND_DELETED: Final = "declined and deleted"
DELETED: Final = "deleted"
NO_INVITATION: Final = "no invitation"


def by_account(report: CleanupReport) -> dict[str, str]:
    """Listed account -> what was done to its invitation, in words."""
    declined = set(report.declined)
    return dict(
        sorted(
            [(a, DECLINED_AND_DELETED if a in declined else DELETED) for a in report.deleted]
            + [(a, NO_INVITATION) for a in report.absent]
        )
    )


def accumulated(done: list[str], previous: Mapping[str, Any], key: str) -> list[str]:
    """The senders of ``done`` and those ``previous`` outputs recorded under ``key``, sorted."""
    return sorted({*done, *_listed(previous, key)})


def _listed(outputs: Mapping[str, Any], key: str) -> list[str]:
    value = outputs.get(key)
    return [str(a) for a in value] if isinstance(value, list) else []

"""Outcomes, in one vocabulary: what was done to each sender's invitation, and to each inbox.

Per sender: :data:`DECLINED_AND_DELETED`, :data:`DELETED`, :data:`NO_INVITATION` (a listed
sender had none), :data:`KEPT` (an allowed sender's, untouched), :data:`FOUND` (a refresh
found it: drift, removed by the next update). Per inbox: :data:`CLEAN` (nothing to
remove), :data:`CLEANED`, :data:`SKIPPED` (an opt-in region the account has not enabled).
These strings are recorded in state: they never change.

Each output lists what a resource has done so far, not only what its last step did: an
update that cleans one sender again (drift found by refresh) must not read, in the
stack's outputs, as if the other senders' cleanup had been undone. :func:`by_sender` says
it sender by sender, in one map that is never empty, so the CLI (which hides empty
lists) always shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from .. import properties as p
from ..services import DEFAULT_SERVICE, SERVICES

DECLINED_AND_DELETED: Final = "declined and deleted"
DELETED: Final = "deleted"
NO_INVITATION: Final = "no invitation"
KEPT: Final = "kept"
FOUND: Final = "found"

InboxOutcome = Literal["clean", "cleaned", "skipped"]
CLEAN: Final = "clean"
CLEANED: Final = "cleaned"
SKIPPED: Final = "skipped"


@dataclass(frozen=True)
class CleanupReport:
    """What one cleanup of an inbox found (each list sorted): ``declined`` had a pending
    invitation, ``deleted`` had one (all gone by the end), ``absent`` and ``kept`` as below."""

    declined: list[str] = field(default_factory=list)
    """Senders whose pending invitation was declined."""
    deleted: list[str] = field(default_factory=list)
    """Senders whose invitation was deleted."""
    absent: list[str] = field(default_factory=list)
    """Listed senders that had no invitation (:class:`.selection.ListedSenders` only)."""
    kept: list[str] = field(default_factory=list)
    """Allowed senders whose invitation is present, untouched
    (:class:`.selection.AllSendersBut` only)."""


def inbox_key(service: str, region: str) -> str:
    """How a member's outputs name one of its inboxes: the region for Macie's (every release
    recorded Macie's inboxes so), ``<service>:<region>`` for another service's
    (``guardduty:us-east-1``)."""
    return region if service == DEFAULT_SERVICE.name else f"{service}:{region}"


def split_key(key: str) -> tuple[str, str]:
    """The service and region of an inbox named by :func:`inbox_key`."""
    service, _, region = key.rpartition(":")
    return service or DEFAULT_SERVICE.name, region


def key_of(entry: Mapping[str, Any]) -> str:
    """The key of an inbox's recorded entry (one without ``service`` is Macie's)."""
    return inbox_key(str(entry.get(p.SERVICE) or DEFAULT_SERVICE.name), str(entry.get(p.REGION)))


def inbox_label(key: str, *, named: bool) -> str:
    """An inbox for people: its region, after its service's short name when ``named``
    (a member that guards other services than Macie): ``GuardDuty us-east-1``."""
    service, region = split_key(key)
    if not named:
        return region
    described = SERVICES.get(service)
    return f"{described.short_name if described else service} {region}"


@dataclass(frozen=True)
class InboxResult:
    """What happened to one inbox (a member's region of one service): its outcome and
    senders."""

    region: str
    outcome: InboxOutcome
    declined: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    """Senders to clean that a refresh found (drift; a refresh changes nothing)."""
    reason: str = ""
    """Why the inbox was skipped."""
    service: str = DEFAULT_SERVICE.name
    """The inbox's service (boto3's name)."""

    @classmethod
    def of_cleanup(
        cls, region: str, report: CleanupReport, service: str = DEFAULT_SERVICE.name
    ) -> InboxResult:
        """The result of a cleanup that did ``report``."""
        return cls(
            region,
            CLEANED if report.deleted else CLEAN,
            declined=report.declined,
            deleted=report.deleted,
            kept=report.kept,
            service=service,
        )

    @property
    def key(self) -> str:
        """How the member's outputs name this inbox (:func:`inbox_key`)."""
        return inbox_key(self.service, self.region)

    def with_history(self, previous: Mapping[str, Any]) -> InboxResult:
        """This result with what ``previous`` (the inbox's entry recorded before, in state's
        names) says was declined and deleted earlier: an inbox keeps what was done to it."""
        deleted = accumulated(self.deleted, previous, p.DELETED_ACCOUNT_IDS)
        return replace(
            self,
            outcome=CLEANED if self.outcome == CLEAN and deleted else self.outcome,
            declined=accumulated(self.declined, previous, p.DECLINED_ACCOUNT_IDS),
            deleted=deleted,
        )

    @property
    def notable(self) -> bool:
        """Whether there is anything to say: removed, kept, found or skipped."""
        return bool(self.outcome != CLEAN or self.kept or self.found)

    def to_json(self) -> dict[str, object]:
        """The result in state: camelCase, only what applies (the service unless Macie's)."""
        data: dict[str, object] = {p.REGION: self.region, "outcome": self.outcome}
        if self.service != DEFAULT_SERVICE.name:
            data[p.SERVICE] = self.service
        for key, values in (
            (p.DECLINED_ACCOUNT_IDS, self.declined),
            (p.DELETED_ACCOUNT_IDS, self.deleted),
            (p.KEPT_ACCOUNT_IDS, self.kept),
            (p.STRAY_ACCOUNT_IDS, self.found),
        ):
            if values:
                data[key] = values
        if self.reason:
            data["reason"] = self.reason
        return data


def merged(report: CleanupReport, previous: Mapping[str, Any]) -> CleanupReport:
    """``report`` of the last step, with what ``previous`` outputs recorded for the senders
    this step found clean or cleaned again: one deleted before stays deleted, one declined
    before stays declined."""
    earlier_deleted = set(_listed(previous, p.DELETED_ACCOUNT_IDS))
    earlier_declined = set(_listed(previous, p.DECLINED_ACCOUNT_IDS))
    deleted_before = {a for a in report.absent if a in earlier_deleted}
    deleted = {*report.deleted, *deleted_before}
    return CleanupReport(
        declined=sorted({*report.declined, *(deleted & earlier_declined)}),
        deleted=sorted(deleted),
        absent=sorted(set(report.absent) - deleted_before),
    )


def by_sender(report: CleanupReport) -> dict[str, str]:
    """Listed sender -> what was done to its invitation, in words."""
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

"""What the upgrade tests start from, kept in the tree: a clone may have no tags or history.

* ``releases/``: the wheel of every tagged release, and ``releases/RELEASES``, their versions
  oldest first (``make release-wheel TAG=vX.Y.Z`` adds one; see README.md, "Releasing").
* ``states/<version>/<resource type>.json`` (``states/0.2.0/InvitationGuard.json``): one
  resource of each type as that release recorded it (``pulumi stack export --show-secrets`` of
  the stack tests/e2e/test_upgrade.py creates: a resource's ``urn``, ``type``, ``id``,
  ``inputs`` and ``outputs``). They hold no secret but the test's dummy external id, and the
  emulator's endpoint they were recorded against.

And what the tests know of the names a refresh records its findings under
(:data:`RESOURCE_TYPES`): the one place to extend when a release renames them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RELEASES = HERE / "releases"
LISTING = RELEASES / "RELEASES"
STATES = HERE / "states"
DISTRIBUTION = "pulumi_macie_invitations"
COMPATIBILITY = (
    'CHANGELOG.md, "Compatibility": names an earlier release\'s pickle or state refers to must '
    "keep working (an alias, a shim module, or a migration in check/diff/read)"
)
"""Where a failing compatibility test sends the reader."""
SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"  # Pulumi's marker of a secret value


@dataclass(frozen=True)
class Release:
    """A tagged release whose stacks must keep working."""

    version: str

    @property
    def wheel(self) -> Path:
        """Its wheel in ``releases/``."""
        return RELEASES / f"{DISTRIBUTION}-{self.version}-py3-none-any.whl"


def listed_releases() -> list[Release]:
    """The releases ``releases/RELEASES`` names, oldest first."""
    lines = (line.split("#", 1)[0].strip() for line in LISTING.read_text().splitlines())
    return [Release(line) for line in lines if line]


def recorded_states() -> list[tuple[str, str]]:
    """Every recorded resource: (version, resource type), as ``states/`` holds them."""
    return sorted((path.parent.name, path.stem) for path in STATES.glob("*/*.json"))


def recorded_state(version: str, resource_type: str) -> dict[str, Any]:
    """The resource of ``resource_type`` a release recorded
    (``states/<version>/<resource_type>.json``)."""
    state: dict[str, Any] = json.loads((STATES / version / f"{resource_type}.json").read_text())
    return state


def plain(value: Any) -> Any:
    """A value of an exported state (``--show-secrets``) or of a registration, as a dynamic
    provider receives it: secrets plain (Pulumi's dynamic providers do not accept secrets)."""
    if isinstance(value, dict) and SECRET_SIGNATURE in value:
        return plain(value["value"]) if "value" in value else json.loads(value["plaintext"])
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


# Where each resource type records what a refresh found: the senders whose invitation is there
# again. The tests assert WHAT was found through these functions, not under which name. The
# redesign may rename or add a property: it extends the function of that type (and its
# ``refreshed`` names), still reading the names older releases wrote.


def declined_invitations_found(props: Mapping[str, Any]) -> list[str]:
    """DeclinedInvitations: ``reappearedAccountIds`` (0.1.0 on); since 0.2.0 also
    ``invitationsToCleanAgain`` (outputs) and ``__invitationsFoundByRefresh`` (inputs), both
    sender -> why."""
    return _senders(
        props.get("reappearedAccountIds"),
        props.get("invitationsToCleanAgain"),
        props.get("__invitationsFoundByRefresh"),
    )


def invitation_guard_found(props: Mapping[str, Any]) -> list[str]:
    """InvitationGuard (0.2.0 on): ``strayAccountIds``, and the same two sender -> why maps as
    :func:`declined_invitations_found`."""
    return _senders(
        props.get("strayAccountIds"),
        props.get("invitationsToCleanAgain"),
        props.get("__invitationsFoundByRefresh"),
    )


def member_invitation_guard_found(props: Mapping[str, Any]) -> list[str]:
    """MemberInvitationGuard, a child of OrganizationInvitationGuard (0.2.0 on):
    ``strayInvitations``, region -> senders (in the outputs; in 0.2.0 in the inputs too after
    a refresh that found any); since 0.3.0 also the same two sender -> why maps as
    :func:`declined_invitations_found`. Refresh also rewrites ``inboxes`` from the listing."""
    stray = props.get("strayInvitations") or {}
    return _senders(
        *stray.values(),
        props.get("invitationsToCleanAgain"),
        props.get("__invitationsFoundByRefresh"),
    )


def _senders(*recorded: Iterable[str] | None) -> list[str]:
    """The senders of lists of senders, or of maps keyed by sender; sorted."""
    return sorted({sender for senders in recorded if senders for sender in senders})


@dataclass(frozen=True)
class ResourceType:
    """A resource type whose stacks must keep working: where a refresh records its findings."""

    name: str
    found: Callable[[Mapping[str, Any]], list[str]]
    """The senders the last refresh found, from the outputs (or inputs) a state records."""
    refreshed: frozenset[str]
    """The names a refresh rewrites with its findings; every other recorded name keeps its
    value."""


DRIFT = frozenset({"invitationsToCleanAgain", "__invitationsFoundByRefresh"})
RESOURCE_TYPES = {
    kind.name: kind
    for kind in (
        ResourceType(
            "DeclinedInvitations", declined_invitations_found, DRIFT | {"reappearedAccountIds"}
        ),
        ResourceType("InvitationGuard", invitation_guard_found, DRIFT | {"strayAccountIds"}),
        ResourceType(
            "MemberInvitationGuard",
            member_invitation_guard_found,
            DRIFT | {"strayInvitations", "inboxes"},
        ),
    )
}
"""The resource types of every release, by the name their type token ends with."""


def resource_type(token: str) -> ResourceType:
    """The type of a resource from its type token (``pulumi-python:dynamic/macie2:<name>``)."""
    return RESOURCE_TYPES[token.rsplit(":", 1)[1]]

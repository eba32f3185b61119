"""What the upgrade tests start from, kept in the tree: a clone may have no tags or history.

* ``releases/``: the wheel of every tagged release, and ``releases/RELEASES``, their versions
  oldest first (``make release-wheel TAG=vX.Y.Z`` adds one; see README.md, "Releasing").
* ``states/<version>.json``: a DeclinedInvitations resource as that release recorded it
  (``pulumi stack export --show-secrets`` of the stack tests/e2e/test_upgrade.py creates:
  a resource's ``urn``, ``type``, ``id``, ``inputs`` and ``outputs``). It holds no secret but the
  test's dummy external id, and the emulator's endpoint it was recorded against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RELEASES = HERE / "releases"
LISTING = RELEASES / "RELEASES"
STATES = HERE / "states"
DISTRIBUTION = "pulumi_macie_invitations"
COMPATIBILITY = (
    'CHANGELOG.md, "Compatibility": names a 0.1.0 pickle or state refers to must keep '
    "working (an alias, a shim module, or a migration in check/diff/read)"
)
"""Where a failing compatibility test sends the reader."""


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


def recorded_state(version: str) -> dict[str, Any]:
    """The resource a release recorded (``states/<version>.json``)."""
    state: dict[str, Any] = json.loads((STATES / f"{version}.json").read_text())
    return state

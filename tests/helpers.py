"""What the tests share: the accounts they use, small helpers around the provider and the
emulator, and the figures they measure for RELIABILITY.md. Test modules import from here,
never from each other or from a conftest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import CreateResult, ReadResult, UpdateResult
from pulumi_macie_invitations.provider import InboxProvider
from pulumi_macie_invitations.testing import EmulatorControls

from .reliability import Figure, check_row

ME = "123456789012"
REGION = "us-east-1"
A, B, C = "111122223333", "444455556666", "777788889999"
MUTATING = {"DeclineInvitations", "DeleteInvitations"}


def checked(provider: InboxProvider, **news: Any) -> dict[str, Any]:
    result = provider.check({}, news)
    assert not result.failures, [f.reason for f in result.failures]
    return result.inputs


def outs_of(result: CreateResult | UpdateResult | ReadResult) -> dict[str, Any]:
    """The outputs a lifecycle call returned (always set by this provider)."""
    assert result.outs is not None
    return result.outs


def statuses(emulator: EmulatorControls, account: str = ME, region: str = REGION) -> dict[str, str]:
    return {i["accountId"]: i["relationshipStatus"] for i in emulator.received(account, region)}


def operations(emulator: EmulatorControls) -> list[str]:
    return [call["operation"] for call in emulator.calls()]


E2E = Path(__file__).parent / "e2e"
"""Tests below this folder run the real Pulumi CLI: marked ``e2e``, left out by ``make check``."""

FIGURES = pytest.StashKey[list[Figure]]()
"""Session: the rows measured by the tests that passed."""
ACTIONS = pytest.StashKey[set[str]]()
"""Session: the IAM actions of every call the provider made."""
DESELECTED = pytest.StashKey[int]()
"""Session: how many tests that need no CLI -k/-m/--lf left out."""
PENDING = pytest.StashKey[list[Figure]]()
"""Test: the rows it measured, kept for the session if it passes."""


class Figures:
    """Rows a test measured for RELIABILITY.md; kept only if the test passes."""

    def __init__(self, test: str, rows: list[Figure]) -> None:
        self.test = test
        self._rows = rows

    def add(self, table: str, *cells: object) -> None:
        """Add a row to ``table`` (one value per column, turned into text)."""
        row = tuple(str(cell) for cell in cells)
        check_row(table, row)
        self._rows.append(Figure(table, row, self.test))

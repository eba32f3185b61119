"""RELIABILITY.md's tables, and the figures the tests measure for them.

A test that measures something asks for the ``figures`` fixture (tests/conftest.py) and
adds rows, e.g. ``figures.add("faults", "ListInvitations: 7 x 429", "cleaned, 8 attempts")``.
Every row names the test that produced it. The rows of the tests that pass are kept in
memory for the session, and ``tests/test_reliability_doc.py``, which always runs last,
compares them with the committed RELIABILITY.md: each measured row must be there, as
measured, and each committed row whose test ran must have been measured again. Rows of
tests that did not run are left alone, so any subset of the suite, in any order, checks
what it measured; ``make test`` checks every row. ``UPDATE_RELIABILITY=1`` rewrites the
measured rows instead. Figures are deterministic: counts, bounds, outcomes, never timings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, cast

from moto.sts.models import sts_backends
from pulumi_macie_invitations.aws.clients import USER_AGENT
from pulumi_macie_invitations.aws.credentials import DEFAULT_SESSION_NAME
from pulumi_macie_invitations.services import described
from pulumi_macie_invitations.testing import CallRecord
from pulumi_macie_invitations.testing.server import ORGANIZATIONS

ROOT: Final = Path(__file__).resolve().parent.parent
DOCUMENT: Final = ROOT / "RELIABILITY.md"
UPDATE_VARIABLE: Final = "UPDATE_RELIABILITY"

TABLES: Final[dict[str, tuple[str, ...]]] = {
    "faults": ("Fault injected", "Outcome"),
    "overlap": ("Overlap or lost reply", "Emulator's decline mode", "Outcome"),
    "network": ("Endpoint", "Settings", "Outcome"),
    "credentials": ("Credentials", "Outcome"),
    "interruptions": ("Interrupted", "Recovery", "Outcome"),
    "scale": ("Stack", "Outcome"),
    "bad_input": ("Input", "Caught", "Result"),
    "environment": ("Environment", "Caught", "Result"),
    "secrets": ("Secret", "Looked for in", "Found"),
    "access": ("Check", "Result"),
}
"""Each table's columns; a last column names the test that measured the row."""
TEST_COLUMN: Final = "Test"

_BLOCK = re.compile(r"(<!-- figures: (\w+) -->\n)(.*?)(<!-- /figures -->)", re.DOTALL)


@dataclass(frozen=True)
class Figure:
    """One row of a table: its cells, and the test (pytest node id) that measured it."""

    table: str
    cells: tuple[str, ...]
    test: str

    @property
    def key(self) -> tuple[str, str]:
        """A row is identified by its test and its first cell."""
        return self.test, self.cells[0]


def check_row(table: str, cells: tuple[str, ...]) -> None:
    """ValueError unless ``cells`` fit ``table``."""
    if table not in TABLES:
        raise ValueError(f"no table {table!r} in RELIABILITY.md (tables: {', '.join(TABLES)})")
    if len(cells) != len(TABLES[table]):
        raise ValueError(f"table {table!r} has columns {TABLES[table]}, got {cells!r}")


def _escape(cell: str) -> str:
    return " ".join(cell.split()).replace("|", r"\|")


def _unescape(cell: str) -> str:
    return cell.strip().replace(r"\|", "|")


def render(table: str, figures: Iterable[Figure]) -> str:
    """A table as markdown, its rows in the given order."""
    header = (*TABLES[table], TEST_COLUMN)
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += [
        "| " + " | ".join(_escape(c) for c in (*f.cells, f"`{f.test}`")) + " |" for f in figures
    ]
    return "\n".join(lines) + "\n"


def parse(text: str) -> dict[str, list[Figure]]:
    """The rows of every table of a RELIABILITY.md text."""
    tables: dict[str, list[Figure]] = {}
    for match in _BLOCK.finditer(text):
        table = match.group(2)
        rows = [line for line in match.group(3).splitlines() if line.startswith("|")][2:]
        figures = []
        for row in rows:
            cells = [_unescape(c) for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]
            figures.append(Figure(table, tuple(cells[:-1]), cells[-1].strip("`")))
        tables[table] = figures
    return tables


def merge(committed: list[Figure], measured: list[Figure], ran: Iterable[str]) -> list[Figure]:
    """The rows a table should have: committed rows of tests that ran are replaced by what
    they measured (where the first of them stood), new tests' rows are appended, and rows
    of tests that did not run are kept."""
    ran = set(ran)
    by_test: dict[str, list[Figure]] = {}
    for figure in measured:
        by_test.setdefault(figure.test, []).append(figure)
    rows: list[Figure] = []
    placed: set[str] = set()
    for figure in committed:
        if figure.test not in ran:
            rows.append(figure)
        elif figure.test not in placed:
            rows += by_test.get(figure.test, [])
            placed.add(figure.test)
    for test, figures in by_test.items():
        if test not in placed:
            rows += figures
    return rows


def rewrite(text: str, tables: Mapping[str, list[Figure]]) -> str:
    """``text`` with each table block replaced by the rendering of ``tables``."""

    def block(match: re.Match[str]) -> str:
        return match.group(1) + render(match.group(2), tables[match.group(2)]) + match.group(4)

    return _BLOCK.sub(block, text)


def producer_exists(node_id: str) -> bool:
    """Whether the test a row names still exists: its file, and its function in it."""
    path, _, name = node_id.partition("::")
    function = name.split("[")[0].split("::")[-1]
    file = ROOT / path
    return (
        file.is_file() and re.search(rf"def {re.escape(function)}\(", file.read_text()) is not None
    )


def readme_policy_actions(readme: Path = ROOT / "README.md") -> frozenset[str]:
    """The IAM actions the README's policy allows, plus ``sts:AssumeRole`` where the README
    tells users to add it for ``role_arn``."""
    text = readme.read_text()
    actions: set[str] = set()
    for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL):
        policy = json.loads(block)
        for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
            listed = statement.get("Action", [])
            actions.update([listed] if isinstance(listed, str) else listed)
    assert actions, "README.md lost its IAM policy"
    if "`sts:AssumeRole`" in text:
        actions.add("sts:AssumeRole")
    return frozenset(actions)


def provider_actions(calls: Iterable[CallRecord]) -> set[str]:
    """The IAM actions behind the calls the provider made (its User-Agent names it, test
    setup's doesn't), and ``sts:AssumeRole`` for each role it assumed in the emulator."""
    actions = {
        f"{ORGANIZATIONS}:{call['operation']}"
        if _service_of(call) == ORGANIZATIONS
        else described(_service_of(call)).iam_action(call["operation"])
        for call in calls
        if USER_AGENT in call.get("user_agent", "")
    }
    if any(role.session_name == DEFAULT_SESSION_NAME for role in assumed_roles()):
        actions.add("sts:AssumeRole")
    return actions


def _service_of(call: CallRecord) -> str | None:
    """The service a call went to (None: the emulator's default, Macie)."""
    service = cast("Mapping[str, object]", call).get("service")
    return service if isinstance(service, str) else None


def assumed_roles() -> list[Any]:
    """moto's record of every STS AssumeRole the emulator in this process answered."""
    return [
        role
        for partitions in sts_backends.values()
        for backend in partitions.values()
        for role in backend.assumed_roles
    ]

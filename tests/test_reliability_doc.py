"""RELIABILITY.md agrees with what this session measured; the provider called exactly the
README's IAM policy. Runs after every other test (tests/conftest.py); see tests/reliability.py.

``UPDATE_RELIABILITY=1 make test`` rewrites RELIABILITY.md's tables from the measurements.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from .helpers import ACTIONS, DESELECTED, E2E, FIGURES
from .reliability import (
    DOCUMENT,
    ROOT,
    TABLES,
    UPDATE_VARIABLE,
    merge,
    parse,
    producer_exists,
    readme_policy_actions,
    rewrite,
)


def test_reliability_md_shows_the_measured_figures(request: pytest.FixtureRequest) -> None:
    measured = request.config.stash.get(FIGURES, [])
    ran = {item.nodeid for item in request.session.items}
    text = DOCUMENT.read_text()
    committed = parse(text)
    assert set(committed) == set(TABLES), "RELIABILITY.md must have one block per table"
    update = os.environ.get(UPDATE_VARIABLE) == "1"
    expected = {}
    for table in TABLES:
        rows = [f for f in measured if f.table == table]
        if not (update and all(f.test in ran for f in committed[table])):
            rows = merge(committed[table], rows, ran)  # as committed, new rows appended
        # else a whole table measured again: in-process rows first, each in test order
        expected[table] = sorted(
            (f for f in rows if producer_exists(f.test)), key=lambda f: "/e2e/" in f.test
        )
    updated = rewrite(text, expected)
    if update:
        DOCUMENT.write_text(updated)
        return
    diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            updated.splitlines(keepends=True),
            "RELIABILITY.md (committed)",
            "RELIABILITY.md (measured now)",
        )
    )
    if updated != text:
        pytest.fail(
            "RELIABILITY.md doesn't show what the tests measured (a test that failed measured "
            f"nothing); after checking the change, rerun with {UPDATE_VARIABLE}=1:\n{diff}",
            pytrace=False,
        )


def test_every_action_of_the_readme_policy_is_called(request: pytest.FixtureRequest) -> None:
    """Every IAM action in the README's policy is called by the tests that need no CLI, so
    none is granted for nothing. Checked when all of them ran (``make check``, ``make
    test``); that no call goes beyond the policy is checked after each test (conftest.py)."""
    collected = {Path(str(item.path)) for item in request.session.items}
    unit_suite = {path for path in (ROOT / "tests").rglob("test_*.py") if E2E not in path.parents}
    if unit_suite <= collected and not request.config.stash.get(DESELECTED, 0):
        called: set[str] = request.config.stash.get(ACTIONS, set())
        unused = readme_policy_actions() - called
        assert not unused, f"granted but never called: {sorted(unused)}"

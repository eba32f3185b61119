"""RELIABILITY.md agrees with what this session measured; the provider called exactly the
README's IAM policy. Runs after every other test (tests/conftest.py); see tests/reliability.py.

``UPDATE_RELIABILITY=1 make test`` rewrites RELIABILITY.md's tables from the measurements.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from .conftest import ACTIONS, DESELECTED, FIGURES
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


def test_the_provider_calls_exactly_the_readme_policy(request: pytest.FixtureRequest) -> None:
    """Across the session: every IAM action the provider called is in the README's policy
    (also checked after each test); across the whole suite, every action in the policy
    was called: none is granted for nothing."""
    used = request.config.stash.get(ACTIONS, set())
    policy = readme_policy_actions()
    assert used <= policy
    collected = {Path(str(item.path)) for item in request.session.items}
    suite = set((ROOT / "tests").rglob("test_*.py"))
    if collected == suite and not request.config.stash.get(DESELECTED, 0):
        assert used == policy, f"granted but never called: {sorted(policy - used)}"

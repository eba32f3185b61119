"""RELIABILITY.md agrees with what this session measured; the provider called exactly the
README's IAM policy. Runs after every other test (tests/conftest.py); see tests/reliability.py.

Each check covers what the session ran. A test it needs that was deselected (-m, -k, --lf:
``make check`` leaves out the CLI tests) is left unchecked, and the summary at the end of
the run names it; a test the session did not collect at all (a run of some files only)
fails the check, naming it, so a partial run never passes as if it had checked everything.

``UPDATE_RELIABILITY=1 make test`` rewrites RELIABILITY.md's tables from the measurements.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable

import pytest

from .helpers import ACTIONS, COVERAGE, DESELECTED, E2E, FIGURES
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


def left_out(request: pytest.FixtureRequest, tests: Iterable[str]) -> tuple[list[str], list[str]]:
    """Of ``tests`` (node ids, or paths of test files), those the session did not run:
    (deselected, not collected)."""
    ran = {item.nodeid for item in request.session.items}
    ran |= {nodeid.partition("::")[0] for nodeid in ran}
    deselected_ids = request.config.stash.get(DESELECTED, set())
    deselected_ids = deselected_ids | {nodeid.partition("::")[0] for nodeid in deselected_ids}
    missing = sorted(set(tests) - ran)
    return (
        [test for test in missing if test in deselected_ids],
        [test for test in missing if test not in deselected_ids],
    )


def report(request: pytest.FixtureRequest, checked: str, deselected: list[str]) -> None:
    """A line for the run's summary: what a check covered, and the deselected tests it
    could not check (by file)."""
    line = checked
    if deselected:
        files = sorted({test.partition("::")[0] for test in deselected})
        line += f"; not checked: {len(deselected)} deselected, in {', '.join(files)}"
    request.config.stash.setdefault(COVERAGE, []).append(line)


def not_collected(what: str, tests: list[str]) -> str:
    listed = "\n".join(f"  {test}" for test in tests)
    return (
        f"{what} not checked: {len(tests)} of the tests it needs were not collected in this "
        f"session:\n{listed}\nRun them too (make check, make test), or leave them out with "
        "-m/-k to check only what this run covers."
    )


def test_reliability_md_shows_the_measured_figures(request: pytest.FixtureRequest) -> None:
    measured = request.config.stash.get(FIGURES, [])
    ran = {item.nodeid for item in request.session.items}
    text = DOCUMENT.read_text()
    committed = parse(text)
    assert set(committed) == set(TABLES), "RELIABILITY.md must have one block per table"
    producers = {f.test for rows in committed.values() for f in rows if producer_exists(f.test)}
    deselected, uncollected = left_out(request, producers)
    report(
        request,
        f"RELIABILITY.md: the rows of {len(producers) - len(deselected) - len(uncollected)} "
        f"of the {len(producers)} tests that measure its figures",
        deselected,
    )
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
    problems = []
    if update:
        DOCUMENT.write_text(updated)
    elif updated != text:
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                updated.splitlines(keepends=True),
                "RELIABILITY.md (committed)",
                "RELIABILITY.md (measured now)",
            )
        )
        problems.append(
            "RELIABILITY.md doesn't show what the tests measured (a test that failed measured "
            f"nothing); after checking the change, rerun with {UPDATE_VARIABLE}=1:\n{diff}"
        )
    if uncollected:
        problems.append(not_collected("RELIABILITY.md's rows of these tests", uncollected))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def test_every_action_of_the_readme_policy_is_called(request: pytest.FixtureRequest) -> None:
    """Every IAM action in the README's policy is called by the tests that need no CLI, so
    none is granted for nothing; that no call goes beyond the policy is checked after each
    test (conftest.py)."""
    unit_files = sorted(
        str(path.relative_to(request.config.rootpath))
        for path in (ROOT / "tests").rglob("test_*.py")
        if E2E not in path.parents
    )
    deselected = sorted(
        test
        for test in request.config.stash.get(DESELECTED, set())
        if not (request.config.rootpath / test.partition("::")[0]).is_relative_to(E2E)
    )
    _, uncollected = left_out(request, unit_files)
    if deselected:
        report(request, "IAM policy: not checked (it needs every unit test)", deselected)
        return
    if uncollected:
        pytest.fail(not_collected("The README's IAM policy", uncollected), pytrace=False)
    report(request, "IAM policy: every test that needs no CLI ran", [])
    called: set[str] = request.config.stash.get(ACTIONS, set())
    unused = readme_policy_actions() - called
    assert not unused, f"granted but never called: {sorted(unused)}"

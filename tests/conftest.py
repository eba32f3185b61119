"""Shared fixtures. The emulator's own fixtures (macie_server, macie_emulator, macie_env)
come from the package's pytest plugin, pulumi_macie_invitations.testing.fixtures.

Also the figures of RELIABILITY.md (see tests/reliability.py): the ``figures`` fixture,
the rows of passing tests kept for the session, the check of RELIABILITY.md moved last;
and, around every test that uses the emulator, a check that the provider called nothing
outside the README's IAM policy.
"""

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from moto import mock_aws
from pulumi_macie_invitations import testing

from .reliability import (
    Figure,
    check_row,
    provider_actions,
    readme_policy_actions,
)

FIGURES = pytest.StashKey[list[Figure]]()
"""Session: the rows measured by the tests that passed."""
ACTIONS = pytest.StashKey[set[str]]()
"""Session: the IAM actions of every call the provider made."""
DESELECTED = pytest.StashKey[int]()
"""Session: how many collected tests -k/-m/--lf left out."""
_PENDING = pytest.StashKey[list[Figure]]()
DOC_TESTS = "test_reliability_doc.py"
"""The module that checks RELIABILITY.md: it runs after every other test."""


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


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """Record figures for RELIABILITY.md (see tests/reliability.py)."""
    return Figures(request.node.nodeid, request.node.stash.setdefault(_PENDING, []))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep the figures of a test that passed."""
    report = yield
    if report.when == "call" and report.passed:
        measured: list[Figure] = item.stash.get(_PENDING, [])
        item.config.stash.setdefault(FIGURES, []).extend(measured)
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the check of RELIABILITY.md after every test that measures its figures."""
    items.sort(key=lambda item: Path(str(item.path)).name == DOC_TESTS)


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Count what -k/-m/--lf left out: the suite-wide IAM check needs the whole suite."""
    if items:
        config = items[0].config
        config.stash[DESELECTED] = config.stash.get(DESELECTED, 0) + len(items)


@pytest.fixture(autouse=True)
def _provider_calls_stay_within_the_readme_policy(
    request: pytest.FixtureRequest,
) -> Iterator[None]:
    """After a test that used the emulator: the provider called only what the README's IAM
    policy allows. The actions are also kept for the suite-wide check."""
    if "macie_emulator" not in request.fixturenames:
        yield
        return
    server: testing.EmulatorClient = request.getfixturevalue("macie_server")
    yield
    used = provider_actions(server.calls())
    request.config.stash.setdefault(ACTIONS, set()).update(used)
    outside = used - readme_policy_actions()
    assert not outside, f"the provider called {sorted(outside)}, not in the README's policy"


@pytest.fixture(params=["in-process", "http"])
def emulator(request: pytest.FixtureRequest) -> Iterator[testing.EmulatorControls]:
    """The emulator, fresh, once in this process under moto.mock_aws() and once over HTTP
    (the session's server): the same tests run against both."""
    if request.param == "http":
        yield request.getfixturevalue("macie_emulator")
        return
    testing.install()
    local = testing.LocalEmulator()
    with mock_aws():
        local.clear_faults()
        local.clear_calls()
        yield local
    local.clear_faults()
    local.clear_calls()


@pytest.fixture(params=testing.DECLINE_MODES)
def decline_mode(
    request: pytest.FixtureRequest, emulator: testing.EmulatorControls
) -> Iterator[str]:
    """The `emulator` in each of its decline modes (what a declined invitation looks like
    afterwards: Macie's reference leaves it open), the default restored afterwards."""
    emulator.set_decline_mode(request.param)
    yield request.param
    emulator.set_decline_mode(testing.DEFAULT_DECLINE_MODE)

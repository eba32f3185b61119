"""Shared fixtures. The emulator's own fixtures (macie_server, macie_emulator, macie_env)
come from the package's pytest plugin, pulumi_macie_invitations.testing.fixtures.

Also the figures of RELIABILITY.md (see tests/reliability.py): the ``figures`` fixture,
the rows of passing tests kept for the session, the check of RELIABILITY.md moved last;
around every test that uses the emulator, a check that the provider called nothing
outside the README's IAM policy; and for every test, an AWS environment of its own, so no
test reads the machine's (``AWS_*`` variables, ~/.aws files).
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from moto import mock_aws
from pulumi_macie_invitations import testing
from pulumi_macie_invitations.aws import forget_clients
from pulumi_macie_invitations.services import SERVICES, ServiceDescription
from pulumi_macie_invitations.testing.environment import emulator_variables

from .emulator_api import APIS, Api
from .helpers import ACTIONS, COVERAGE, DESELECTED, E2E, FIGURES, PENDING, Figures, ServiceInboxes
from .reliability import Figure, provider_actions, readme_policy_actions

DOC_TESTS = "test_reliability_doc.py"
"""The module that checks RELIABILITY.md: it runs after every other test."""
MACHINE_VARIABLES = ("AWS_", "MACIE_INVITATIONS_")
"""Prefixes of the variables boto3 and the provider read: none is inherited by a test."""


@pytest.fixture(autouse=True)
def _aws_environment_of_the_test_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from an empty AWS environment: no ``AWS_*`` or
    ``MACIE_INVITATIONS_*`` variable of the machine's, AWS config and credentials files in
    the test's own folder (``config`` and ``credentials``, not written: a missing file is
    an empty one), no instance metadata. A test sets what it needs on top."""
    for name in [name for name in os.environ if name.startswith(MACHINE_VARIABLES)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """Record figures for RELIABILITY.md (see tests/reliability.py)."""
    return Figures(request.node.nodeid, request.node.stash.setdefault(PENDING, []))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep the figures of a test that passed."""
    report = yield
    if report.when == "call" and report.passed:
        measured: list[Figure] = item.stash.get(PENDING, [])
        item.config.stash.setdefault(FIGURES, []).extend(measured)
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the CLI tests ``e2e``; run the check of RELIABILITY.md after every other test."""
    for item in items:
        if Path(str(item.path)).is_relative_to(E2E):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: Path(str(item.path)).name == DOC_TESTS)


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Keep the node ids of the tests -k/-m/--lf left out: the checks of RELIABILITY.md
    and of the IAM policy tell a test left out by choice from one the run never collected."""
    if items:
        config = items[0].config
        config.stash.setdefault(DESELECTED, set()).update(item.nodeid for item in items)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say what the checks of RELIABILITY.md and of the IAM policy covered, when they ran."""
    lines = terminalreporter.config.stash.get(COVERAGE, [])
    if lines:
        terminalreporter.section("what RELIABILITY.md and the IAM policy were checked against")
        for line in lines:
            terminalreporter.write_line(line)


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
    used = provider_actions(server.calls(service=None))
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
    forget_clients()
    local = testing.LocalEmulator()
    with mock_aws():
        local.clear_faults()
        local.clear_calls()
        yield local
    local.clear_faults()
    local.clear_calls()


@pytest.fixture
def aws_emulator(
    emulator: testing.EmulatorControls, monkeypatch: pytest.MonkeyPatch
) -> testing.EmulatorControls:
    """``emulator``, with the environment the provider's boto3 clients need to reach it:
    dummy keys, and over HTTP boto3's endpoint variables pointing at the server."""
    # In process (no endpoint) the endpoint variables stay unset: moto's mock answers.
    for name, value in emulator_variables(emulator.endpoint_url or "").items():
        if value:
            monkeypatch.setenv(name, value)
    return emulator


@pytest.fixture(params=testing.DECLINE_MODES)
def decline_mode(
    request: pytest.FixtureRequest, emulator: testing.EmulatorControls
) -> Iterator[str]:
    """The `emulator` in each of its decline modes (what a declined invitation looks like
    afterwards: Macie's reference leaves it open), the default restored afterwards."""
    emulator.set_decline_mode(request.param)
    yield request.param
    emulator.set_decline_mode(testing.DEFAULT_DECLINE_MODE)


@pytest.fixture(params=APIS, ids=str)
def api(request: pytest.FixtureRequest) -> Api:
    """Each emulated service's invitation API (Macie, GuardDuty, Security Hub), for the
    emulator tests of what the three share."""
    api: Api = request.param
    return api


@pytest.fixture(params=list(SERVICES.values()), ids=lambda service: service.name)
def service(request: pytest.FixtureRequest) -> ServiceDescription:
    """Each service the inbox resources clean (services.SERVICES)."""
    described: ServiceDescription = request.param
    return described


@pytest.fixture
def inboxes(aws_emulator: testing.EmulatorControls, service: ServiceDescription) -> ServiceInboxes:
    """``aws_emulator`` seen through each service in turn."""
    return ServiceInboxes(aws_emulator, service)

"""What the tests share: the accounts they use, small helpers around the provider and the
emulator, the figures they measure for RELIABILITY.md. The real Pulumi CLI of the
end-to-end tests is in tests/cli.py. Test modules import from here, never from each other
or from a conftest."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi.dynamic import CreateResult, ReadResult, UpdateResult
from pulumi_macie_invitations.provider import InboxProvider
from pulumi_macie_invitations.services import DEFAULT_SERVICE, SERVICES, ServiceDescription
from pulumi_macie_invitations.testing import CallRecord, EmulatorControls

from .reliability import Figure, check_row

ROOT = Path(__file__).resolve().parents[1]
"""The repository."""
ME = "123456789012"  # the emulator's default account: the one the stacks clean
REGION = "us-east-1"
A, B, C = "111122223333", "444455556666", "777788889999"
MUTATING = {"DeclineInvitations", "DeleteInvitations"}


def unpickle_provider(
    python: str | Path, pickled: str, then: str = ""
) -> subprocess.CompletedProcess[str]:
    """Load a pickled ``__provider`` (base64, as state records it) in a fresh ``python``
    process, as Pulumi's dynamic-provider server does, then run ``then`` with it as
    ``provider``; the process is returned, unchecked."""
    program = (
        "import base64, sys, dill\n"
        "from pulumi.dynamic import ResourceProvider\n"
        "provider = dill.loads(base64.b64decode(sys.stdin.read()))\n"
        "assert isinstance(provider, ResourceProvider), type(provider)\n"
    )
    return subprocess.run(
        [python, "-c", program + then], input=pickled, capture_output=True, text=True, check=False
    )


def checked(provider: InboxProvider, **news: Any) -> dict[str, Any]:
    result = provider.check({}, news)
    assert not result.failures, [f.reason for f in result.failures]
    return result.inputs


def outs_of(result: CreateResult | UpdateResult | ReadResult) -> dict[str, Any]:
    """The outputs a lifecycle call returned (always set by this provider)."""
    assert result.outs is not None
    return result.outs


def statuses(
    emulator: EmulatorControls, account: str = ME, region: str = REGION, *, service: str = "macie2"
) -> dict[str, str]:
    """Sender -> status of every invitation ``account`` holds in ``region`` for ``service``."""
    described = SERVICES[service]
    received: list[dict[str, str]] = emulator.received(account, region, service=service)  # type: ignore[assignment]
    return {i[described.sender_field]: i[described.status_field] for i in received}


def operations(emulator: EmulatorControls) -> list[str]:
    return [call["operation"] for call in emulator.calls()]


class ServiceInboxes:
    """The emulator seen through one service (``service``): its invitations sent, seeded,
    accepted and declined, its inboxes' statuses and its calls, in that service's names
    (its description's). Macie's calls name no service, as the emulator's default."""

    def __init__(self, emulator: EmulatorControls, service: ServiceDescription) -> None:
        self.emulator = emulator
        self.service = service
        self._named = {} if service is DEFAULT_SERVICE else {"service": service.name}

    def client(self, account: str = ME, region: str = REGION) -> Any:
        """A boto3 client of the service acting as ``account``."""
        if self.service is DEFAULT_SERVICE:
            return self.emulator.macie2(account, region)
        return self.emulator.client(self.service.name, account, region)

    def invite(
        self, *senders: str, recipients: tuple[str, ...] = (ME,), region: str = REGION
    ) -> None:
        """Each of ``senders`` invites ``recipients``."""
        for sender in senders:
            self.emulator.send_invitations(sender, list(recipients), region, **self._named)

    def seed(
        self, sender: str, status: str = "Invited", recipient: str = ME, region: str = REGION
    ) -> None:
        """``recipient`` holds an invitation from ``sender`` in ``status``."""
        self.emulator.seed_invitation(recipient, sender, region, status, **self._named)

    def accept(self, sender: str, recipient: str = ME, region: str = REGION) -> None:
        """``recipient`` accepts ``sender``'s invitation: ``sender`` is its administrator."""
        self.emulator.accept(recipient, sender, region, **self._named)

    def decline(self, *senders: str, recipient: str = ME, region: str = REGION) -> None:
        """``recipient`` declines the invitations of ``senders`` itself."""
        decline = self.client(recipient, region).decline_invitations
        decline(**{self.service.request_field: list(senders)})

    def statuses(self, account: str = ME, region: str = REGION) -> dict[str, str]:
        """Sender -> status of every invitation ``account`` holds in ``region``."""
        received: list[dict[str, str]] = self.emulator.received(account, region, **self._named)  # type: ignore[assignment]
        return {i[self.service.sender_field]: i[self.service.status_field] for i in received}

    def calls(self, operation: str | None = None) -> list[CallRecord]:
        """The service's calls answered, oldest first."""
        return self.emulator.calls(operation, **self._named)

    def operations(self) -> list[str]:
        return [call["operation"] for call in self.calls()]

    def fault(self, kind: str, operation: str, *args: Any, **kwargs: Any) -> None:
        """One of the emulator's faults (``unprocessed``, ``deny``...) on the service's calls."""
        getattr(self.emulator, kind)(operation, *args, **kwargs, **self._named)


class Registrations(pulumi.runtime.Mocks):
    """Pulumi mocks that keep the inputs each resource is registered with."""

    def __init__(self) -> None:
        self.inputs: list[dict[str, Any]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.inputs.append(dict(args.inputs))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


E2E = Path(__file__).parent / "e2e"
"""Tests below this folder run the real Pulumi CLI: marked ``e2e``, left out by ``make check``."""

FIGURES = pytest.StashKey[list[Figure]]()
"""Session: the rows measured by the tests that passed."""
ACTIONS = pytest.StashKey[set[str]]()
"""Session: the IAM actions of every call the provider made."""
DESELECTED = pytest.StashKey[set[str]]()
"""Session: the node ids of the tests -k/-m/--lf left out."""
COVERAGE = pytest.StashKey[list[str]]()
"""Session: what the checks of RELIABILITY.md and the IAM policy covered, for the summary."""
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

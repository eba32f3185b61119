"""One stack declaring a DeclinedInvitations per service (Macie, GuardDuty, Security Hub)
through the real Pulumi CLI: create, a no-change preview, a refresh whose drift the next
preview names on the one resource it concerns, an update, and destroy. One stack, not
three: CLI runs are few."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi_macie_invitations.services import SERVICES
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import FLEET, ProjectCli, declare, new_stack
from ..helpers import ServiceInboxes

STACK = "services"
STALE, BACK, BYSTANDER = ("111122223333", "444455556666"), "444455556666", "777788889999"
LATER = "555566667777"


@pytest.fixture
def fleet(project_cli: Callable[[Path], ProjectCli]) -> ProjectCli:
    return project_cli(FLEET)


def pulumi(fleet: ProjectCli, *args: str) -> str:
    return fleet.run(["pulumi", *args, "--stack", STACK]).stdout


def steps(fleet: ProjectCli) -> dict[str, dict[str, Any]]:
    """The next preview's step of each resource that changes (by name), from ``pulumi
    preview --json`` (which leaves out the unchanged)."""
    preview = json.loads(pulumi(fleet, "preview", "--diff", "--json"))
    return {
        step["urn"].rsplit("::", 1)[1]: step
        for step in preview.get("steps", [])
        if step["urn"].endswith(tuple(f"::{name}" for name in SERVICES))
    }


def recorded(fleet: ProjectCli) -> dict[str, dict[str, Any]]:
    """Each DeclinedInvitations's state (by name)."""
    deployment = json.loads(pulumi(fleet, "stack", "export"))["deployment"]
    return {
        r["urn"].rsplit("::", 1)[1]: r
        for r in deployment["resources"]
        if r["type"].endswith(":DeclinedInvitations")
    }


def test_one_stack_cleans_each_services_inbox(
    fleet: ProjectCli, macie_emulator: EmulatorClient
) -> None:
    inboxes = {name: ServiceInboxes(macie_emulator, service) for name, service in SERVICES.items()}
    for each in inboxes.values():
        each.invite(*STALE, BYSTANDER)
    resources = [{"name": name, "account_ids": list(STALE), "service": name} for name in SERVICES]
    new_stack(fleet, STACK, *resources)

    # create
    assert {name: step["op"] for name, step in steps(fleet).items()} == dict.fromkeys(
        SERVICES, "create"
    )
    pulumi(fleet, "up", "--yes", "--skip-preview")
    state = recorded(fleet)
    for name, each in inboxes.items():
        assert state[name]["outputs"]["service"] == name
        assert state[name]["outputs"]["deletedAccountIds"] == list(STALE)
        assert each.statuses() == {BYSTANDER: "Invited"}, name

    # no change
    pulumi(fleet, "preview", "--expect-no-changes")

    # refresh: an invitation back in GuardDuty's inbox only, named on that resource alone
    inboxes["guardduty"].invite(BACK)
    macie_emulator.clear_calls()
    pulumi(fleet, "refresh", "--yes", "--skip-preview")
    assert not {c["operation"] for c in macie_emulator.calls(service=None)} - {"ListInvitations"}
    planned = steps(fleet)
    assert {name: step["op"] for name, step in planned.items()} == {"guardduty": "update"}
    assert list(planned["guardduty"]["newState"]["inputs"]["invitationsToCleanAgain"]) == [BACK]
    pulumi(fleet, "up", "--yes", "--skip-preview")
    assert inboxes["guardduty"].statuses() == {BYSTANDER: "Invited"}

    # update: Security Hub's resource lists one more sender
    inboxes["securityhub"].invite(LATER)
    resources[2]["account_ids"] = [*STALE, LATER]
    declare(fleet, STACK, *resources)
    assert {name: step["op"] for name, step in steps(fleet).items()} == {"securityhub": "update"}
    pulumi(fleet, "up", "--yes", "--skip-preview")
    assert inboxes["securityhub"].statuses() == {BYSTANDER: "Invited"}
    assert recorded(fleet)["securityhub"]["outputs"]["deletedAccountIds"] == sorted([*STALE, LATER])

    # destroy: no AWS call, the inboxes as they are
    for each in inboxes.values():
        each.invite(STALE[0])
    fleet.tear_down([["pulumi", "destroy", "--yes", "--stack", STACK]], macie_emulator)
    for name, each in inboxes.items():
        assert each.statuses() == {BYSTANDER: "Invited", STALE[0]: "Invited"}, name

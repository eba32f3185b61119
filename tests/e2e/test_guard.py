"""InvitationGuard through the real Pulumi CLI and engine: examples/guard (one guard per
service: Macie, GuardDuty, Security Hub), run as its README says, then refresh drift, a
changed allowed list, and the refused administrator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi_macie_invitations.services import SERVICES
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import ProjectCli, pulumi_commands, readme_blocks, resource_counts
from ..helpers import ME, ROOT, ServiceInboxes

EXAMPLE = ROOT / "examples" / "guard"
MARKER = "<!-- tests/e2e/test_guard.py runs the pulumi commands of the next block, in order -->"
SPAM = ["111122223333", "444455556666"]
LATE = "777788889999"  # a sender that invites after the first `pulumi up`
MUTATING = {"DeclineInvitations", "DeleteInvitations"}
MUTATING_IN_ORDER = ["DeclineInvitations", "DeleteInvitations"]
ALLOW_NONE = '{"macie-invitations-guard:allowedAccountIds": {"value": "[]", "objectValue": []}}'
GUARDS = {
    "macie2": "macie-inbox",
    "guardduty": "guardduty-inbox",
    "securityhub": "securityhub-inbox",
}
"""Each service's guard in the example, by resource name: every service described."""
RESOURCES = len(GUARDS) + 1  # the guards and the stack


class Guarded:
    """examples/guard in a scratch copy, its stack set up by the README's first block."""

    def __init__(self, cli: ProjectCli, emulator: EmulatorClient) -> None:
        self.cli = cli
        self.emulator = emulator
        self.run_block, self.refresh_block, self.teardown = (
            pulumi_commands(block) for block in readme_blocks(EXAMPLE / "README.md", MARKER)
        )
        [self.region] = self.config("aws:region")
        self.allowed = self.config("allowedAccountIds")
        self.inboxes = {
            name: ServiceInboxes(emulator, service) for name, service in SERVICES.items()
        }

    def readme(self) -> str:
        return (EXAMPLE / "README.md").read_text()

    def config(self, key: str) -> list[str]:
        """The values the README's run block sets for ``key`` (or its ``[i]`` elements)."""
        return [
            c[-1]
            for c in self.run_block
            if c[1:3] == ["config", "set"] and c[-2].split("[")[0] == key
        ]

    def setup_and_up(self) -> tuple[list[list[str]], list[str]]:
        """The README's run block less its preview (which the first test checks): the
        commands that set the stack up, and its `pulumi up`."""
        *setup, preview, up = self.run_block
        assert preview[:2] == ["pulumi", "preview"], self.run_block
        return setup, up

    def up(self) -> None:
        """The stack set up and guarded, as the README's run block does."""
        setup, up = self.setup_and_up()
        self.cli.run_all([*setup, up])

    def invite(self, *senders: str, services: tuple[str, ...] = tuple(GUARDS)) -> None:
        """Each of ``senders`` invites this account in each of ``services``' inboxes."""
        for service in services:
            self.inboxes[service].invite(*senders, region=self.region)

    def accept(self, sender: str, services: tuple[str, ...] = tuple(GUARDS)) -> None:
        """This account accepts ``sender``'s invitation in each of ``services``."""
        for service in services:
            self.inboxes[service].accept(sender, region=self.region)

    def held(self) -> dict[str, dict[str, str]]:
        """The invitations this account holds in the region, by service: sender -> status."""
        return {name: each.statuses(ME, self.region) for name, each in self.inboxes.items()}

    def pulumi(self, *args: str, check: bool = True) -> str:
        done = self.cli.run(["pulumi", *args], check=check)
        return done.stdout + done.stderr

    def counted(self, *args: str) -> tuple[str, dict[str, int]]:
        """Run a pulumi command: its output, and its ``Resources:`` summary (stdout's)."""
        done = self.cli.run(["pulumi", *args])
        return done.stdout + done.stderr, resource_counts(done.stdout)

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.pulumi("stack", "output", "--json")))

    def resources(self) -> dict[str, dict[str, Any]]:
        """Each guard as recorded in the stack's state, by service."""
        deployment = json.loads(self.pulumi("stack", "export"))["deployment"]
        guards = {
            r["urn"].rsplit("::", 1)[1]: r
            for r in deployment["resources"]
            if r["type"].endswith(":InvitationGuard")
        }
        assert sorted(guards) == sorted(GUARDS.values())
        return {service: dict(guards[name]) for service, name in GUARDS.items()}

    def mutating_calls(self) -> dict[str, list[str]]:
        """Each service's declines and deletes, in order."""
        return {
            name: [op for op in each.operations() if op in MUTATING]
            for name, each in self.inboxes.items()
        }


def every(value: Any) -> dict[str, Any]:
    """``value`` for each service."""
    return dict.fromkeys(GUARDS, value)


@pytest.fixture
def guarded(macie_emulator: EmulatorClient, project_cli: Callable[[Path], ProjectCli]) -> Guarded:
    return Guarded(project_cli(EXAMPLE), macie_emulator)


def test_guard_example(guarded: Guarded) -> None:
    assert set(GUARDS) == set(SERVICES)
    [admin] = guarded.allowed
    guarded.invite(*SPAM, admin)
    guarded.accept(admin)

    *_, preview, up = guarded.cli.run_all(guarded.run_block)
    assert resource_counts(preview) == {"to create": RESOURCES}, preview
    assert resource_counts(up) == {"created": RESOURCES}, up
    assert guarded.held() == every({admin: "Enabled"})
    outputs = guarded.outputs()
    assert outputs["region"] == guarded.region
    assert outputs["deletedAccountIds"] == every(SPAM)
    assert outputs["declinedAccountIds"] == every(SPAM)
    assert outputs["keptAccountIds"] == every([admin])
    assert {s: r["outputs"]["service"] for s, r in guarded.resources().items()} == {
        service: service for service in GUARDS
    }

    guarded.invite(LATE)
    guarded.emulator.clear_calls()
    preview, up = guarded.cli.run_all(guarded.refresh_block)
    assert resource_counts(preview) == {"to update": len(GUARDS), "unchanged": 1}, preview
    assert resource_counts(up) == {"updated": len(GUARDS), "unchanged": 1}, up
    assert LATE in preview
    assert "invitationsToCleanAgain" in preview
    assert guarded.mutating_calls() == every(MUTATING_IN_ORDER)
    assert guarded.held() == every({admin: "Enabled"})
    # all each guard has done
    assert guarded.outputs()["deletedAccountIds"] == every(sorted([*SPAM, LATE]))

    before = guarded.held()
    guarded.cli.tear_down(guarded.teardown, guarded.emulator)  # 4 deleted, no AWS call
    assert guarded.held() == before


def test_refresh_then_preview_names_the_stray_senders(guarded: Guarded) -> None:
    [admin] = guarded.allowed
    guarded.invite(admin)
    guarded.up()
    guarded.invite(LATE, SPAM[0], services=("guardduty",))  # one service's inbox only
    guarded.emulator.clear_calls()

    unrefreshed, counts = guarded.counted("preview", "--diff")  # no refresh: no AWS call, no change
    assert counts == {"unchanged": RESOURCES}, unrefreshed
    assert guarded.emulator.calls(service=None) == []

    refreshed = guarded.pulumi("refresh", "--yes")
    every_call = guarded.emulator.calls(service=None)
    assert {c["operation"] for c in every_call} == {"ListInvitations"}
    assert {c["service"] for c in every_call} == set(GUARDS)  # each guard listed its inbox
    stray = {s: r["outputs"]["strayAccountIds"] for s, r in guarded.resources().items()}
    assert stray == every([]) | {"guardduty": sorted([LATE, SPAM[0]])}
    assert f"invitations to clean again from {min(LATE, SPAM[0])}" in refreshed

    preview, counts = guarded.counted("preview", "--diff")
    assert counts == {"to update": 1, "unchanged": RESOURCES - 1}, preview
    assert f"InvitationGuard::{GUARDS['guardduty']}]" in preview
    assert LATE in preview
    assert SPAM[0] in preview
    assert guarded.mutating_calls() == every([])

    guarded.pulumi("up", "--yes")
    assert guarded.held() == every({admin: "Invited"})
    stray = {s: r["outputs"]["strayAccountIds"] for s, r in guarded.resources().items()}
    assert stray == every([])
    healed, counts = guarded.counted("preview", "--refresh", "--diff")
    assert counts == {"unchanged": RESOURCES}, healed


def test_changing_the_allowed_list_updates_in_place(guarded: Guarded) -> None:
    [admin] = guarded.allowed
    guarded.invite(admin, SPAM[0])
    guarded.up()
    assert guarded.held() == every({admin: "Invited"})
    assert f"pulumi config set-all --json '{ALLOW_NONE}'" in guarded.readme()
    created_ids = {s: r["id"] for s, r in guarded.resources().items()}

    guarded.pulumi("config", "set-all", "--json", ALLOW_NONE)  # as the example's README says
    preview, counts = guarded.counted("preview", "--diff")
    assert counts == {"to update": len(GUARDS), "unchanged": 1}, preview
    assert "replace" not in preview
    assert admin in preview

    guarded.pulumi("up", "--yes")
    assert guarded.held() == every({})
    outputs = guarded.outputs()
    assert outputs["deletedAccountIds"] == every(sorted([admin, SPAM[0]]))  # all it has done
    assert outputs["keptAccountIds"] == every([])
    recorded = guarded.resources()
    assert {s: r["id"] for s, r in recorded.items()} == created_ids
    assert {s: r["outputs"]["allowedAccountIds"] for s, r in recorded.items()} == every([])
    guarded.invite(SPAM[1], services=("securityhub",))
    found, counts = guarded.counted(
        "preview", "--refresh", "--diff"
    )  # allowing none, refresh works
    assert counts == {"to update": 1, "unchanged": RESOURCES - 1}, found
    assert f"InvitationGuard::{GUARDS['securityhub']}]" in found
    assert SPAM[1] in found


def test_an_accepted_sender_not_allowed_is_refused_with_nothing_changed(guarded: Guarded) -> None:
    other_admin = "999988887777"
    assert other_admin not in guarded.allowed
    guarded.invite(SPAM[0], other_admin, services=("macie2",))
    guarded.accept(other_admin, services=("macie2",))
    guarded.emulator.clear_calls()

    setup, up = guarded.setup_and_up()
    guarded.cli.run_all(setup)
    failed = guarded.cli.run(up, check=False)
    assert failed.returncode != 0
    message = failed.stdout + failed.stderr
    assert other_admin in message
    assert "current Macie administrator" in message
    assert "disassociate-from-administrator-account" in message
    assert f"add {other_admin} to allowedAccountIds" in message
    assert guarded.mutating_calls() == every([])
    assert guarded.held() == every({}) | {"macie2": {SPAM[0]: "Invited", other_admin: "Enabled"}}

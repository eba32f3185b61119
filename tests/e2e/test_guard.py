"""InvitationGuard through the real Pulumi CLI and engine: examples/guard, run as its README
says, then refresh drift, a changed allowed list, and the refused administrator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import ProjectCli, pulumi_commands, readme_blocks
from ..helpers import ME, ROOT, statuses

EXAMPLE = ROOT / "examples" / "guard"
MARKER = "<!-- tests/e2e/test_guard.py runs the pulumi commands of the next block, in order -->"
SPAM = ["111122223333", "444455556666"]
LATE = "777788889999"  # a sender that invites after the first `pulumi up`
MUTATING = {"DeclineInvitations", "DeleteInvitations"}
MUTATING_IN_ORDER = ["DeclineInvitations", "DeleteInvitations"]
ALLOW_NONE = '{"macie-invitations-guard:allowedAccountIds": {"value": "[]", "objectValue": []}}'


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

    def readme(self) -> str:
        return (EXAMPLE / "README.md").read_text()

    def config(self, key: str) -> list[str]:
        """The values the README's run block sets for ``key`` (or its ``[i]`` elements)."""
        return [
            c[-1]
            for c in self.run_block
            if c[1:3] == ["config", "set"] and c[-2].split("[")[0] == key
        ]

    def invite(self, *senders: str) -> None:
        for sender in senders:
            self.emulator.send_invitations(sender, [ME], self.region)

    def held(self) -> dict[str, str]:
        """The invitations this account holds in the region: sender -> status."""
        return statuses(self.emulator, ME, self.region)

    def pulumi(self, *args: str, check: bool = True) -> str:
        done = self.cli.run(["pulumi", *args], check=check)
        return done.stdout + done.stderr

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.pulumi("stack", "output", "--json")))

    def resource(self) -> dict[str, Any]:
        """The guard as recorded in the stack's state."""
        deployment = json.loads(self.pulumi("stack", "export"))["deployment"]
        [guard] = [r for r in deployment["resources"] if r["type"].endswith(":InvitationGuard")]
        return dict(guard)

    def mutating_calls(self) -> list[str]:
        return [c["operation"] for c in self.emulator.calls() if c["operation"] in MUTATING]


@pytest.fixture
def guarded(macie_emulator: EmulatorClient, project_cli: Callable[[Path], ProjectCli]) -> Guarded:
    return Guarded(project_cli(EXAMPLE), macie_emulator)


def test_guard_example(guarded: Guarded) -> None:
    [admin] = guarded.allowed
    guarded.invite(*SPAM, admin)
    guarded.emulator.accept(ME, admin, guarded.region)

    *_, preview, up = guarded.cli.run_all(guarded.run_block)
    assert "+ 2 to create" in preview
    assert "+ 2 created" in up
    assert guarded.held() == {admin: "Enabled"}
    outputs = guarded.outputs()
    assert outputs["deletedAccountIds"] == SPAM
    assert outputs["declinedAccountIds"] == SPAM
    assert outputs["keptAccountIds"] == [admin]

    guarded.invite(LATE)
    guarded.emulator.clear_calls()
    preview, up = guarded.cli.run_all(guarded.refresh_block)
    assert "~ 1 to update" in preview, preview
    assert "1 updated" in up, up
    assert LATE in preview
    assert "invitationsToCleanAgain" in preview
    assert guarded.mutating_calls() == MUTATING_IN_ORDER
    assert guarded.held() == {admin: "Enabled"}
    assert guarded.outputs()["deletedAccountIds"] == sorted([*SPAM, LATE])  # all it has done

    before = guarded.held()
    guarded.cli.tear_down(guarded.teardown, guarded.emulator)  # 2 deleted, no AWS call
    assert guarded.held() == before


def test_refresh_then_preview_names_the_stray_senders(guarded: Guarded) -> None:
    [admin] = guarded.allowed
    guarded.invite(admin)
    guarded.cli.run_all(guarded.run_block)
    guarded.invite(LATE, SPAM[0])
    guarded.emulator.clear_calls()

    unrefreshed = guarded.pulumi("preview", "--diff")  # no refresh: no AWS call, no change
    assert "2 unchanged" in unrefreshed
    assert "to update" not in unrefreshed
    assert guarded.emulator.calls(service=None) == []

    refreshed = guarded.pulumi("refresh", "--yes")
    assert {c["operation"] for c in guarded.emulator.calls()} == {"ListInvitations"}
    state = guarded.resource()
    assert state["outputs"]["strayAccountIds"] == sorted([LATE, SPAM[0]])
    assert f"invitations to clean again from {min(LATE, SPAM[0])}" in refreshed

    preview = guarded.pulumi("preview", "--diff")
    assert "~ 1 to update" in preview, preview
    assert LATE in preview
    assert SPAM[0] in preview
    assert guarded.mutating_calls() == []

    guarded.pulumi("up", "--yes")
    assert guarded.held() == {admin: "Invited"}
    assert guarded.resource()["outputs"]["strayAccountIds"] == []
    healed = guarded.pulumi("preview", "--refresh", "--diff")
    assert "2 unchanged" in healed
    assert "to update" not in healed


def test_changing_the_allowed_list_updates_in_place(guarded: Guarded) -> None:
    [admin] = guarded.allowed
    guarded.invite(admin, SPAM[0])
    guarded.cli.run_all(guarded.run_block)
    assert guarded.held() == {admin: "Invited"}
    assert f"pulumi config set-all --json '{ALLOW_NONE}'" in guarded.readme()
    created_id = guarded.resource()["id"]

    guarded.pulumi("config", "set-all", "--json", ALLOW_NONE)  # as the example's README says
    preview = guarded.pulumi("preview", "--diff")
    assert "~ 1 to update" in preview, preview
    assert "replace" not in preview
    assert admin in preview

    guarded.pulumi("up", "--yes")
    assert guarded.held() == {}
    assert guarded.outputs()["deletedAccountIds"] == sorted([admin, SPAM[0]])  # all it has done
    assert guarded.outputs()["keptAccountIds"] == []
    assert guarded.resource()["id"] == created_id
    assert guarded.resource()["outputs"]["allowedAccountIds"] == []
    guarded.invite(SPAM[1])
    found = guarded.pulumi("preview", "--refresh", "--diff")  # allowing none, refresh works
    assert "~ 1 to update" in found, found
    assert SPAM[1] in found


def test_an_accepted_sender_not_allowed_is_refused_with_nothing_changed(guarded: Guarded) -> None:
    other_admin = "999988887777"
    assert other_admin not in guarded.allowed
    guarded.invite(SPAM[0], other_admin)
    guarded.emulator.accept(ME, other_admin, guarded.region)
    guarded.emulator.clear_calls()

    *setup, _preview, up = guarded.run_block
    guarded.cli.run_all(setup)
    failed = guarded.cli.run(up, check=False)
    assert failed.returncode != 0
    message = failed.stdout + failed.stderr
    assert other_admin in message
    assert "current Macie administrator" in message
    assert "disassociate-from-administrator-account" in message
    assert f"add {other_admin} to allowedAccountIds" in message
    assert guarded.mutating_calls() == []
    assert guarded.held() == {SPAM[0]: "Invited", other_admin: "Enabled"}

"""Overlapping and retried cleanups of one inbox through the real Pulumi CLI: two resources
naming one sender, a lost DeleteInvitations or DeclineInvitations reply, two stacks at once.
Each in every decline mode of the emulator; each: `pulumi up` succeeds, nothing listed is
left, and `pulumi preview --expect-no-changes` passes. Figures go to RELIABILITY.md's
"Overlap and lost replies"; the in-process side is tests/test_convergence.py.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pulumi_macie_invitations import testing
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import FLEET, ProjectCli, new_stack
from ..helpers import ME, REGION, Figures

SHARED, OWN, OTHER_OWN, BYSTANDER = "111111111111", "222222222222", "333333333333", "999999999999"
BARRIER_SECONDS = 240
"""How long a barrier on DeclineInvitations waits for the second cleanup's call: each
cleanup lists before it declines, so when both declines are in progress together, both
listed the shared sender before either changed it. Not a timing: the barrier holds the
first until the second arrives (or fails the run loudly after this long)."""
LOSES_ITS_REPLY = ("DeclineInvitations", "DeleteInvitations")
OUTLASTS_THE_BARRIER = {"MACIE_INVITATIONS_READ_TIMEOUT": str(BARRIER_SECONDS + 60)}
"""The provider's read timeout, longer than the barrier's wait: a client that gave up on
a held call would retry it, and the retry would count as the second cleanup's call."""


@pytest.fixture(params=testing.DECLINE_MODES)
def decline_mode(request: pytest.FixtureRequest, macie_emulator: EmulatorClient) -> Iterator[str]:
    """The emulator server in each decline mode, the default restored afterwards."""
    macie_emulator.set_decline_mode(request.param)
    yield request.param
    macie_emulator.set_decline_mode(testing.DEFAULT_DECLINE_MODE)


@pytest.fixture
def fleet(project_cli: Callable[[Path], ProjectCli]) -> ProjectCli:
    """The fleet program (one DeclinedInvitations per object of its `resources` config)."""
    cli = project_cli(FLEET)
    cli.env = cli.env | OUTLASTS_THE_BARRIER
    return cli


def up(stack: str) -> list[str]:
    return ["pulumi", "up", "--yes", "--skip-preview", "--stack", stack]


def converged(fleet: ProjectCli, emulator: EmulatorClient, *stacks: str) -> None:
    """Nothing listed is left, and each stack's preview shows no change."""
    left = {i["accountId"] for i in emulator.received(ME, REGION)}
    assert left == {BYSTANDER}
    for stack in stacks:
        fleet.run(["pulumi", "preview", "--expect-no-changes", "--stack", stack])


def deleted_outputs(fleet: ProjectCli, stack: str) -> list[list[str]]:
    """The ``deletedAccountIds`` of each DeclinedInvitations of ``stack``, as recorded."""
    done = fleet.run(["pulumi", "stack", "export", "--stack", stack])
    resources = json.loads(done.stdout)["deployment"]["resources"]
    return sorted(
        r["outputs"]["deletedAccountIds"]
        for r in resources
        if r["type"].endswith(":DeclinedInvitations")
    )


def deletes_naming(emulator: EmulatorClient, sender: str) -> int:
    """How many DeleteInvitations calls named ``sender``."""
    return sum(sender in (c.get("account_ids") or []) for c in emulator.calls("DeleteInvitations"))


def seed(emulator: EmulatorClient) -> None:
    for sender in (SHARED, OWN, OTHER_OWN, BYSTANDER):
        emulator.seed_invitation(ME, sender, REGION)


def test_two_resources_naming_one_sender_converge(
    fleet: ProjectCli, macie_emulator: EmulatorClient, decline_mode: str, figures: Figures
) -> None:
    stack = "e2e"
    new_stack(
        fleet,
        stack,
        {"name": "team-a", "account_ids": [SHARED, OWN]},
        {"name": "team-b", "account_ids": [SHARED, OTHER_OWN]},
    )
    seed(macie_emulator)
    macie_emulator.barrier("DeclineInvitations", calls=2, seconds=BARRIER_SECONDS)
    macie_emulator.clear_calls()
    fleet.run(up(stack))
    assert macie_emulator.faults() == [], "the declines didn't meet"
    assert deletes_naming(macie_emulator, SHARED) == 2, "no overlap"
    converged(fleet, macie_emulator, stack)
    assert deleted_outputs(fleet, stack) == [[SHARED, OWN], [SHARED, OTHER_OWN]]
    figures.add(
        "overlap",
        "through the CLI: two DeclinedInvitations in one stack naming one sender (with one "
        "sender of their own each), both listing it before either declines",
        decline_mode,
        "`pulumi up` succeeded, both resources sending the shared sender to DeleteInvitations; "
        "only the unlisted sender's invitation left; both list it in deletedAccountIds; "
        "`pulumi preview --expect-no-changes` passed",
    )


def test_lost_replies_converge_through_the_cli(
    fleet: ProjectCli, macie_emulator: EmulatorClient, decline_mode: str, figures: Figures
) -> None:
    """A DeclineInvitations and a DeleteInvitations reply lost in one `pulumi up` (each
    apart: tests/test_convergence.py)."""
    stack = "e2e"
    senders = [SHARED, OWN, OTHER_OWN]
    new_stack(fleet, stack, {"name": "cleanup", "account_ids": senders})
    seed(macie_emulator)
    for operation in LOSES_ITS_REPLY:
        macie_emulator.lose_reply(operation)
    fleet.run(up(stack))
    for operation in LOSES_ITS_REPLY:
        assert [c["status"] for c in macie_emulator.calls(operation)] == [500, 200], operation
    converged(fleet, macie_emulator, stack)
    assert deleted_outputs(fleet, stack) == [senders]
    for operation in LOSES_ITS_REPLY:
        figures.add(
            "overlap",
            f"through the CLI: {operation} applied, its reply lost (500), botocore's retry "
            "answered 200 (both operations' replies lost in one `pulumi up`)",
            decline_mode,
            "`pulumi up` succeeded; the 3 senders deleted and listed in deletedAccountIds; "
            "`pulumi preview --expect-no-changes` passed",
        )


def test_two_stacks_cleaning_one_inbox_at_once_converge(
    fleet: ProjectCli, macie_emulator: EmulatorClient, decline_mode: str, figures: Figures
) -> None:
    stacks = {"team-a": [SHARED, OWN], "team-b": [SHARED, OTHER_OWN]}
    for stack, senders in stacks.items():
        new_stack(fleet, stack, {"name": "cleanup", "account_ids": senders})
    seed(macie_emulator)
    macie_emulator.barrier("DeclineInvitations", calls=2, seconds=BARRIER_SECONDS)
    macie_emulator.clear_calls()
    running = [
        subprocess.Popen(
            up(stack),
            cwd=fleet.project,
            env=fleet.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for stack in stacks
    ]
    outputs = [process.communicate(timeout=600)[0] for process in running]
    for process, output in zip(running, outputs, strict=True):
        assert process.returncode == 0, output
    assert macie_emulator.faults() == [], "the two stacks' declines didn't meet"
    assert deletes_naming(macie_emulator, SHARED) == 2, "the two stacks did not overlap"
    converged(fleet, macie_emulator, *stacks)
    assert [deleted_outputs(fleet, stack) for stack in stacks] == [
        [[SHARED, OWN]],
        [[SHARED, OTHER_OWN]],
    ]
    figures.add(
        "overlap",
        "through the CLI: two stacks, each with a DeclinedInvitations naming one shared "
        "sender, `pulumi up` at the same time",
        decline_mode,
        "both `pulumi up` succeeded, both sending the shared sender to DeleteInvitations; "
        "only the unlisted sender's invitation left; both list it in deletedAccountIds; "
        "`pulumi preview --expect-no-changes` passed for each",
    )

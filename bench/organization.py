"""Section 5: an organization of 100 member accounts x 22 Macie regions (2,200 inboxes),
through the real CLI, the emulator answering every call after 50 ms.

Per run, side by side: the OrganizationInvitationGuard program (first ``pulumi up``, then
``pulumi refresh``, then a no-change ``pulumi up``), the same three commands of 100 no-op
dynamic resources (Pulumi's floor), the same of 100 no-op dynamic resources holding a
member's properties (Pulumi's cost of this stack's shape, for reference), and a bare boto3
script with 16 threads making the same calls (the user's alternative: clean, then list).
Also the provider process's peak
memory, the granularity measured: one child per member against one InvitationGuard
per (member, region), at 10 members x 22 regions, and the same organization guarding
Macie, GuardDuty and Security Hub at once (:mod:`.organization_services`, run after it).

``BENCH_ORGANIZATION_MEMBERS`` sets the members (default 100), to try the section at a
small size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pulumi_macie_invitations import macie_regions
from pulumi_macie_invitations.testing import EmulatorClient

from .cli import ONE_WRAP_PER_PICKLE, ROOT, cli_environment, no_op_program, run, write_project
from .processes import PeakMemory

LATENCY_MS = 50
MEMBERS = int(os.environ.get("BENCH_ORGANIZATION_MEMBERS", "100"))
GRANULARITY_MEMBERS = 10
ADMIN = "210987654321"
SPAMMER = "999999999999"
ROLE_NAME = "MacieInvitationsGuard"
COMMANDS = ("up", "refresh", "no-change up")
PULUMI_COMMANDS = {  # refresh without its preview pass, which reads every resource once more
    "up": ["pulumi", "up", "--yes", "--continue-on-error"],
    "refresh": ["pulumi", "refresh", "--yes", "--skip-preview"],
    "no-change up": ["pulumi", "up", "--yes", "--continue-on-error"],
}

REFERENCE_VERSION = 2
"""The same-shape reference program's version, recorded with its figures: before 2, its
provider read a module-level table of every member's spam count, pickled by value into every
resource's state, which made the reference heavier than the stack it stands for."""


@dataclass(frozen=True)
class Organization:
    """``members`` accounts x every Macie region x ``services``; one inbox in ten holds an
    invitation from a sender not allowed. The accounts are ``ids`` when given (an
    organization the emulator made), else made up."""

    members: int
    services: tuple[str, ...] = ("macie2",)
    ids: tuple[str, ...] = ()

    @property
    def accounts(self) -> list[str]:
        return list(self.ids) or [str(200000000000 + index) for index in range(self.members)]

    @property
    def roles(self) -> list[str]:
        return [f"arn:aws:iam::{account}:role/{ROLE_NAME}" for account in self.accounts]

    @property
    def regions(self) -> list[str]:
        return macie_regions()

    @property
    def inboxes(self) -> list[tuple[str, str]]:
        """(account, region) of every inbox; ``services`` times over."""
        return [
            (account, region)
            for account in self.accounts
            for _ in self.services
            for region in self.regions
        ]

    @property
    def spammed(self) -> list[tuple[str, str, str]]:
        """(account, service, region) of one inbox in ten."""
        every = [
            (account, service, region)
            for account in self.accounts
            for service in self.services
            for region in self.regions
        ]
        return every[::10]

    def seed(self, emulator: EmulatorClient) -> None:
        """Reset the emulator, seed the spam, answer every call after LATENCY_MS."""
        emulator.reset()
        self.spam(emulator)

    def spam(self, emulator: EmulatorClient) -> None:
        """Seed the spam, answer every call after LATENCY_MS (nothing reset)."""
        for account, service, region in self.spammed:
            emulator.seed_invitation(account, SPAMMER, region, service=service)
        emulator.set_call_latency(LATENCY_MS)

    def minimum_calls(self) -> dict[str, dict[str, int]]:
        """The fewest calls of each command: one AssumeRole per member, one
        ListInvitations page per inbox, decline, delete and one more listing where there
        is something; a no-change up calls nothing."""
        spam = len(self.spammed)
        return {
            "up": {
                "AssumeRole": self.members,
                "ListInvitations": len(self.inboxes) + spam,
                "DeclineInvitations": spam,
                "DeleteInvitations": spam,
            },
            "refresh": {"AssumeRole": self.members, "ListInvitations": len(self.inboxes)},
            "no-change up": {},
        }

    def program(self) -> str:
        """The Pulumi program: the organization guard over every member (with its services
        and Macie's regions when it guards more than Macie)."""
        several = (
            f", services={list(self.services)!r}, regions={self.regions!r}"
            if self.services != ("macie2",)
            else ""
        )
        return (
            "from pulumi_macie_invitations import OrganizationInvitationGuard\n\n"
            f"OrganizationInvitationGuard('org', member_role_arns={self.roles!r}, "
            f"allowed_account_ids=[{ADMIN!r}]{several})\n"
        )

    def no_op_members_program(self) -> str:
        """Pulumi's floor with this stack's shape: one no-op dynamic resource per member,
        holding the inputs and outputs a member records (no component, no AWS call). Each
        resource gets its spam count as an input: the provider's class is pickled by value
        into every resource's state, so a module-level table it read would be too (at
        1,000 members, a 1,000-entry table in each of 1,000 checkpoint entries: the CLI
        grew past 23 GB)."""
        spammed = Counter(account for account, _, _ in self.spammed)
        several = "" if self.services == ("macie2",) else f", 'services': {list(self.services)!r}"
        members = [(role, spammed.get(role.split(":")[4], 0)) for role in self.roles]
        return (
            ONE_WRAP_PER_PICKLE
            + f"""
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class NoOp(ResourceProvider):
    def create(self, props):
        inbox = {{"region": "us-east-1", "outcome": "cleaned",
                 "declinedAccountIds": [{SPAMMER!r}], "deletedAccountIds": [{SPAMMER!r}]}}
        account = props["roleArn"].split(":")[4]
        outputs = {{"accountId": account, "inboxes": [inbox] * int(props["spammedInboxes"]),
                   "strayInvitations": {{}}}}
        return CreateResult(account, {{**props, **outputs}})


class NoOpMember(Resource):
    def __init__(self, role, spammed_inboxes):
        props = {{"roleArn": role, "regions": {self.regions!r},
                  "allowedAccountIds": [{ADMIN!r}], "accountId": None, "inboxes": None,
                  "strayInvitations": None, "spammedInboxes": spammed_inboxes{several}}}
        super().__init__(NoOp(), "no-op-" + role.split(":")[4], props)


for role, spammed_inboxes in {members!r}:
    NoOpMember(role, spammed_inboxes)
"""
        )

    def per_inbox_program(self) -> str:
        """The other granularity: one InvitationGuard per (member, region)."""
        return (
            "from pulumi_macie_invitations import InvitationGuard\n\n"
            f"for role in {self.roles!r}:\n"
            f"    for region in {self.regions!r}:\n"
            "        InvitationGuard(f\"{role.split(':')[4]}-{region}\", role_arn=role, "
            f"region=region, allowed_account_ids=[{ADMIN!r}])\n"
        )

    def bare_spec(self) -> str:
        return json.dumps(
            {
                "roles": self.roles,
                "regions": self.regions,
                "allowed": [ADMIN],
                "services": list(self.services),
            }
        )


def calls_made(emulator: EmulatorClient) -> dict[str, int]:
    """The calls of every service and STS answered since the log was cleared, by
    operation."""
    made = Counter(call["operation"] for call in emulator.calls(service=None))
    made.update(call["operation"] for call in emulator.sts_calls())
    return dict(made)


def _timed_command(
    emulator: EmulatorClient, command: list[str], project: Path, env: dict[str, str]
) -> tuple[float, dict[str, int]]:
    emulator.clear_calls()
    seconds, _cpu = run(command, project, env)
    return seconds, calls_made(emulator)


def _bare(emulator: EmulatorClient, org: Organization, mode: str, env: dict[str, str]) -> float:
    """Seconds of the bare boto3 script in its own process (Python's start included)."""
    emulator.clear_calls()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.bare_organization", mode, org.bare_spec()],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def runs_figures() -> dict[str, Any]:
    """What each run of the guard and of the bare script adds to, empty."""
    return {
        "organization": {command: [] for command in COMMANDS},
        "calls": {command: [] for command in COMMANDS},
        "bare boto3": {"up": [], "refresh": [], "no-change up": []},
        "bare boto3 calls": {"up": [], "refresh": []},
    }


def measure(emulator: EmulatorClient, runs: int, server_pid: int) -> dict[str, Any]:
    """Every figure of section 5 (see the module docstring)."""
    org = Organization(MEMBERS)
    figures: dict[str, Any] = {
        "members": MEMBERS,
        "regions": len(org.regions),
        "latency ms": LATENCY_MS,
        "minimum calls": org.minimum_calls(),
        **runs_figures(),
        "no-op": {command: [] for command in COMMANDS},
        "no-op members": {command: [] for command in COMMANDS},
        "reference version": REFERENCE_VERSION,
    }
    with tempfile.TemporaryDirectory(prefix="bench-org-") as scratch:
        folder = Path(scratch)
        env = cli_environment(folder, emulator.endpoint_url)
        ours = write_project(folder, "organization", org.program())
        floor = write_project(folder, "no-op-100", no_op_program(MEMBERS))
        shaped = write_project(folder, "no-op-members", org.no_op_members_program())
        for attempt in range(runs):
            turn = _Run(emulator, org, figures, env, attempt)
            steps: list[Callable[[], None]] = [
                partial(_run_ours, turn, ours),
                partial(_run_no_op, turn, floor, "no-op"),
                partial(_run_no_op, turn, shaped, "no-op members"),
                partial(_run_bare, turn),
            ]
            first = attempt % len(steps)  # each goes first in turn
            for step in steps[first:] + steps[:first]:
                step()
        figures["peak memory bytes"] = peak_memory(emulator, org, ours, env, server_pid)
        figures["granularity"] = _granularity(emulator, folder, env)
    return figures


def peak_memory(
    emulator: EmulatorClient, org: Organization, project: Path, env: dict[str, str], server: int
) -> dict[str, int]:
    """Peak resident bytes by kind of process during one extra, untimed first `pulumi up`
    of ``project`` (the emulator's ``server`` process left out)."""
    org.seed(emulator)
    stack = ["--stack", "memory"]
    run(["pulumi", "stack", "init", *stack], project, env)
    with PeakMemory(exclude={server}, marker=env["PULUMI_BACKEND_URL"]) as memory:
        run([*PULUMI_COMMANDS["up"], *stack], project, env)
    run(["pulumi", "stack", "rm", "--yes", "--force", *stack], project, env)
    peaks: dict[str, int] = memory.peak_bytes_by_kind()
    return peaks


@dataclass(frozen=True)
class _Run:
    """What each program's turn of one run needs."""

    emulator: EmulatorClient
    org: Organization
    figures: dict[str, Any]
    env: dict[str, str]
    attempt: int
    unchanged: int = 1
    """How many times the no-change ``pulumi up`` runs (each one a figure)."""

    @property
    def stack(self) -> list[str]:
        return ["--stack", f"run{self.attempt}"]

    @property
    def commands(self) -> list[str]:
        """The commands of the turn, in order, the no-change ``up`` ``unchanged`` times."""
        return [*COMMANDS[:-1], *[COMMANDS[-1]] * self.unchanged]


def _run_ours(turn: _Run, project: Path, key: str = "organization", calls: str = "calls") -> None:
    turn.org.seed(turn.emulator)
    run(["pulumi", "stack", "init", *turn.stack], project, turn.env)
    for command in turn.commands:
        seconds, made = _timed_command(
            turn.emulator, [*PULUMI_COMMANDS[command], *turn.stack], project, turn.env
        )
        turn.figures[key][command].append(seconds)
        turn.figures[calls][command].append(made)
    _remove_stack(turn, project, key)


def _run_no_op(turn: _Run, project: Path, key: str) -> None:
    run(["pulumi", "stack", "init", *turn.stack], project, turn.env)
    for command in turn.commands:
        seconds, _cpu = run([*PULUMI_COMMANDS[command], *turn.stack], project, turn.env)
        turn.figures[key][command].append(seconds)
    _remove_stack(turn, project, key)


def _remove_stack(turn: _Run, project: Path, key: str) -> None:
    """Remove the run's stack; first, where the figures keep them, the bytes of its
    checkpoint (``pulumi stack export``) under ``key``."""
    if "checkpoint bytes" in turn.figures:
        turn.figures["checkpoint bytes"][key] = len(_exported(project, turn.stack, turn.env))
    run(["pulumi", "stack", "rm", "--yes", "--force", *turn.stack], project, turn.env)


def _exported(project: Path, stack: list[str], env: dict[str, str]) -> bytes:
    return subprocess.run(
        ["pulumi", "stack", "export", *stack], cwd=project, env=env, check=True, capture_output=True
    ).stdout


def _run_bare(turn: _Run) -> None:
    turn.org.seed(turn.emulator)
    for command, mode in (("up", "clean"), ("refresh", "list")):
        turn.figures["bare boto3"][command].append(_bare(turn.emulator, turn.org, mode, turn.env))
        turn.figures["bare boto3 calls"][command].append(calls_made(turn.emulator))
    turn.figures["bare boto3"]["no-change up"].append(0.0)  # the same calls: none


def _granularity(emulator: EmulatorClient, folder: Path, env: dict[str, str]) -> dict[str, Any]:
    """One `pulumi up` each: one child per member, and one InvitationGuard per inbox."""
    org = Organization(GRANULARITY_MEMBERS)
    measured: dict[str, Any] = {"members": GRANULARITY_MEMBERS, "regions": len(org.regions)}
    for name, program in (
        ("one MemberInvitationGuard per member", org.program()),
        ("one InvitationGuard per member and region", org.per_inbox_program()),
    ):
        project = write_project(folder, f"granularity-{len(measured)}", program)
        org.seed(emulator)
        stack = ["--stack", "granularity"]
        run(["pulumi", "stack", "init", *stack], project, env)
        seconds, made = _timed_command(emulator, [*PULUMI_COMMANDS["up"], *stack], project, env)
        run(["pulumi", "stack", "rm", "--yes", "--force", *stack], project, env)
        measured[name] = {"up seconds": seconds, "calls": made}
    return measured

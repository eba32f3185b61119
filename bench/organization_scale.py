"""Section 6: the organization of section 5 at 1,000 members x 22 regions (22,000 inboxes),
one run per figure (a run of this size takes minutes) but the no-change ``pulumi up``, the
median of ``UNCHANGED_RUNS``.

The same programs and commands as section 5 (bench/organization.py), and:
the guard again with ``PULUMI_SKIP_CHECKPOINTS=true`` (its provider's peak memory sampled
during it); the size of each program's checkpoint (``pulumi stack export``); the
organization split across stacks by examples/org-fleet (4 shards, run at once); and the
guard at ``BENCH_THROTTLED_MEMBERS`` members with one AWS call in ten throttled.
``BENCH_SCALE_MEMBERS`` sets the size (1,000), for trying the section out small.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pulumi_macie_invitations.testing import EmulatorClient

from .cli import ROOT, cli_environment, no_op_program, run, write_project
from .organization import (
    ADMIN,
    COMMANDS,
    LATENCY_MS,
    PULUMI_COMMANDS,
    REFERENCE_VERSION,
    ROLE_NAME,
    SPAMMER,
    Organization,
    _remove_stack,
    _Run,
    _run_bare,
    _run_no_op,
    _run_ours,
    calls_made,
)
from .processes import PeakMemory

MEMBERS = int(os.environ.get("BENCH_SCALE_MEMBERS", "1000"))
THROTTLED_MEMBERS = int(os.environ.get("BENCH_THROTTLED_MEMBERS", "100"))
THROTTLED_EVERY = 10
UNCHANGED_RUNS = 3
"""No-change ``pulumi up`` runs of each program (about a minute each): their median is the
figure, where one run of a few seconds over the reference would decide a target."""
SHARDS = 4
SKIPPED = "checkpoints skipped"
FLEET = ROOT / "examples" / "org-fleet"


def measure(emulator: EmulatorClient, server_pid: int, members: int = MEMBERS) -> dict[str, Any]:
    """Every figure of section 6 (see the module docstring)."""
    org = Organization(members)
    keys = ("organization", "calls", SKIPPED, f"{SKIPPED} calls", "no-op", "no-op members")
    figures: dict[str, Any] = {
        "members": members,
        "regions": len(org.regions),
        "latency ms": LATENCY_MS,
        "minimum calls": org.minimum_calls(),
        **{key: {command: [] for command in COMMANDS} for key in keys},
        "bare boto3": {command: [] for command in COMMANDS},
        "bare boto3 calls": {"up": [], "refresh": []},
        "checkpoint bytes": {},
        "reference version": REFERENCE_VERSION,
    }
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        folder = Path(scratch)
        env = cli_environment(folder, emulator.endpoint_url)
        ours = write_project(folder, "organization", org.program())
        floor = write_project(folder, f"no-op-{members}", no_op_program(members))
        shaped = write_project(folder, "no-op-members", org.no_op_members_program())
        turn = _Run(emulator, org, figures, env, 0, UNCHANGED_RUNS)
        print(f"  the guard, {members} members ...", flush=True)
        _run_ours(turn, ours)
        print(f"  {members} no-op resources, then with a member's properties ...", flush=True)
        _run_no_op(turn, floor, "no-op")
        _run_no_op(turn, shaped, "no-op members")
        print("  the bare boto3 sweep ...", flush=True)
        _run_bare(turn)
        print("  the guard with PULUMI_SKIP_CHECKPOINTS=true ...", flush=True)
        skipped = env | {"PULUMI_SKIP_CHECKPOINTS": "true"}
        skipping = _Run(emulator, org, figures, skipped, 1, UNCHANGED_RUNS)
        with PeakMemory(exclude={server_pid}, marker=env["PULUMI_BACKEND_URL"]) as memory:
            _run_ours(skipping, ours, SKIPPED, f"{SKIPPED} calls")
        figures["peak memory bytes"] = memory.peak_bytes_by_kind()
        print(f"  examples/org-fleet, {SHARDS} shards ...", flush=True)
        figures["fleet"] = _fleet(emulator, folder, env, members)
        print(f"  the guard at {THROTTLED_MEMBERS} members, throttled ...", flush=True)
        figures["throttled"] = _throttled(emulator, folder, env, THROTTLED_MEMBERS)
    return figures


def _fleet(
    emulator: EmulatorClient, folder: Path, env: dict[str, str], members: int
) -> dict[str, Any]:
    """examples/org-fleet over an organization of ``members`` accounts (the emulator's, read
    by the example from AWS Organizations) with section 5's spam: its first run, then a
    run with nothing to do; seconds and calls of each."""
    emulator.reset()
    emulator.create_organization()
    org = Organization(members, ids=tuple(sorted(emulator.create_accounts(members))))
    org.spam(emulator)
    project = folder / "org-fleet"
    shutil.copytree(FLEET, project, ignore=shutil.ignore_patterns("Pulumi.*.yaml", "__pycache__"))
    settings = yaml.safe_load((project / "Pulumi.yaml").read_text())
    settings["runtime"]["options"]["virtualenv"] = str(ROOT / ".venv")
    (project / "Pulumi.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    command = [
        sys.executable,
        "fleet.py",
        "--member-role-name",
        ROLE_NAME,
        "--allowed-account-id",
        ADMIN,
        "--shards",
        str(SHARDS),
        "--parallel",
        str(SHARDS),
    ]
    measured: dict[str, Any] = {"shards": SHARDS, "members": members}
    for name in ("up", "no-change up"):
        emulator.clear_calls()
        started = time.perf_counter()
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        measured[name] = {
            "seconds": time.perf_counter() - started,
            "exit code": done.returncode,
            "calls": calls_made(emulator),
            "summary": done.stdout.strip().splitlines()[-1:],
        }
    measured["spam left"] = _spam_left(emulator, org)
    return measured


def _throttled(
    emulator: EmulatorClient, folder: Path, env: dict[str, str], members: int
) -> dict[str, Any]:
    """The guard's three commands with one Macie call in THROTTLED_EVERY answered 429
    (retries included; STS is not throttled): calls answered and throttled per command,
    and the spam left after them."""
    org = Organization(members)
    project = write_project(folder, f"throttled-{members}", org.program())
    org.seed(emulator)
    emulator.throttle("*", times=10**6, every=THROTTLED_EVERY)
    turn = _Run(emulator, org, {}, env, 2)
    run(["pulumi", "stack", "init", *turn.stack], project, env)
    measured: dict[str, Any] = {
        "members": members,
        "every": THROTTLED_EVERY,
        "minimum calls": org.minimum_calls(),
    }
    for command in COMMANDS:
        emulator.clear_calls()
        started = time.perf_counter()
        done = subprocess.run(
            [*PULUMI_COMMANDS[command], *turn.stack], cwd=project, env=env, capture_output=True
        )
        answered, throttled = _by_status(emulator)
        measured[command] = {
            "seconds": time.perf_counter() - started,
            "exit code": done.returncode,
            "answered": answered,
            "throttled": throttled,
        }
    emulator.clear_faults()
    measured["spam left"] = _spam_left(emulator, org)
    _remove_stack(turn, project, "throttled")
    return measured


def _by_status(emulator: EmulatorClient) -> tuple[dict[str, int], dict[str, int]]:
    """The calls since the log was cleared, by operation: answered (STS included), and
    answered 429."""
    made = emulator.calls()
    answered = Counter(call["operation"] for call in made if call["status"] != 429)
    answered.update(call["operation"] for call in emulator.sts_calls())
    throttled = Counter(call["operation"] for call in made if call["status"] == 429)
    return dict(answered), dict(throttled)


def _spam_left(emulator: EmulatorClient, org: Organization) -> int:
    """How many of the inboxes seeded with spam still hold it."""
    return sum(
        any(
            invitation["accountId"] == SPAMMER
            for invitation in emulator.received(account, region, service=service)
        )
        for account, service, region in org.spammed
    )

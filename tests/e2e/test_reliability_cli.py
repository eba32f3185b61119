"""Faults, bad input, interruptions, scale and secrets through the real Pulumi CLI.

Figures go to RELIABILITY.md (tests/reliability.py); the in-process side is
tests/test_reliability.py. The root project is the one users run; tests/e2e/programs/fleet
declares any number of resources from config.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi_macie_invitations.aws import environment as aws_environment
from pulumi_macie_invitations.aws.credentials import DEFAULT_SESSION_NAME
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import (
    SENTINEL_ACCESS_KEY,
    SENTINEL_SECRET_KEY,
    SENTINEL_SESSION_TOKEN,
    STACK,
    ProjectCli,
    StackHarness,
    pulumi_commands,
    readme_blocks,
)
from ..helpers import ME, REGION, ROOT, Figures, statuses
from ..reliability import assumed_roles

A, B, BYSTANDER = "111122223333", "444455556666", "777788889999"
FLEET = ROOT / "tests" / "e2e" / "programs" / "fleet"
RECOVERY_MARKER = (
    "<!-- tests/e2e/test_reliability_cli.py runs the pulumi commands of the next block, "
    "in order -->"
)
DECLINED = ":DeclinedInvitations"
FAST_NETWORK = {
    aws_environment.READ_TIMEOUT_VARIABLE: "1",
    aws_environment.CONNECT_TIMEOUT_VARIABLE: "1",
    aws_environment.MAX_ATTEMPTS_VARIABLE: "2",
}


# Helpers


def cli(work_dir: Path, env: dict[str, str], **changes: str) -> ProjectCli:
    """The CLI in ``work_dir``, with ``changes`` to the environment."""
    return ProjectCli(work_dir, env | changes)


def write_config(work_dir: Path, project: str, values: dict[str, Any]) -> None:
    """Set stack config values by editing Pulumi.<stack>.yaml, as a user may: any YAML type."""
    path = work_dir / f"Pulumi.{STACK}.yaml"
    settings = yaml.safe_load(path.read_text()) if path.exists() else {}
    config = settings.setdefault("config", {})
    for key, value in values.items():
        config[f"{project}:{key}"] = value
    path.write_text(yaml.safe_dump(settings))


def diagnostic(output: str, emulator: EmulatorClient) -> str:
    """The CLI's message for a failed resource (a check failure, or the last line of the
    provider's traceback), as the tables show it."""
    raised = re.findall(r"^\s*pulumi_macie_invitations\.[\w.]+: (.*)$", output, re.MULTILINE)
    found = raised or re.findall(r"error: (.*resource '.*)$", output, re.MULTILINE)
    assert found, output
    return f"`{found[-1].strip().replace(emulator.endpoint_url, '<endpoint>')}`"


def declined_resources(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in deployment.get("resources", []) if r["type"].endswith(DECLINED)]


def export(cli_: ProjectCli, *flags: str) -> dict[str, Any]:
    done = cli_.run(["pulumi", "stack", "export", "--stack", STACK, *flags])
    return dict(json.loads(done.stdout)["deployment"])


def failed_up(cli_: ProjectCli) -> str:
    done = cli_.run(["pulumi", "up", "--yes", "--skip-preview", "--stack", STACK], check=False)
    assert done.returncode != 0, done.stdout
    return done.stdout + done.stderr


# Faults: every failure is clear and leaves the recorded state as it was


def test_failures_through_the_cli_are_clear_and_leave_state_untouched(
    pulumi_stack: StackHarness, figures: Figures
) -> None:
    emulator, work_dir = pulumi_stack.emulator, pulumi_stack.work_dir
    for sender in (A, B):
        emulator.seed_invitation(ME, sender, REGION)
    pulumi_stack.set_accounts([A])
    pulumi_stack.stack.up()
    pulumi_stack.set_accounts([A, B])  # the update each failing run attempts
    before = pulumi_stack.resource_state()

    cases: list[tuple[str, str, Callable[[], None], dict[str, str], str]] = [
        (
            "credentials",
            "AccessDeniedException on DeclineInvitations",
            lambda: emulator.deny("DeclineInvitations"),
            {},
            "needs the IAM action macie2:DeclineInvitations",
        ),
        (
            "network",
            "ListInvitations answered after 1.5 s",
            lambda: emulator.latency("ListInvitations", 1.5),
            dict(FAST_NETWORK),
            "ReadTimeoutError: no answer from region us-east-1",
        ),
        (
            "faults",
            "DeleteInvitations: 3 x ThrottlingException with AWS_MAX_ATTEMPTS=3, after "
            "DeclineInvitations applied",
            lambda: emulator.throttle("DeleteInvitations", times=3),
            {aws_environment.MAX_ATTEMPTS_VARIABLE: "3"},
            "AWS throttled DeleteInvitations on all 3 attempt(s)",
        ),
    ]
    for table, fault, inject, environment, expected in cases:
        inject()
        output = failed_up(cli(work_dir, pulumi_stack.env, **environment))
        emulator.clear_faults()
        assert expected in output
        assert pulumi_stack.resource_state() == before
        settings = (
            [aws_environment.NetworkSettings(1, 1, 2).describe()] if table == "network" else []
        )
        outcome = f"`pulumi up` (an update) failed, state unchanged: {diagnostic(output, emulator)}"
        figures.add(table, f"through the CLI: {fault}", *settings, outcome)

    assert pulumi_stack.received() == {B: "Resigned"}  # declined by the last failed run
    up = pulumi_stack.stack.up()
    assert up.outputs["deletedAccountIds"].value == [A, B]  # A by the first up
    assert pulumi_stack.received() == {}
    assert pulumi_stack.stack.preview().change_summary == {"same": 2}
    figures.add(
        "faults",
        "through the CLI: the next `pulumi up` after the three failures above",
        "converged: the invitation the failed run declined deleted; preview: no changes",
    )

    write_config(work_dir, "macie-invitations", {"accountIds": [111122223333]})
    done = pulumi_stack.pulumi("preview", check=False)
    assert "must be of type 'array<string>'" in done.stderr
    figures.add(
        "bad_input",
        "root project: `accountIds: [111122223333]` (a YAML integer) in Pulumi.<stack>.yaml",
        "`pulumi preview`: Pulumi's config schema (Pulumi.yaml), before the program runs",
        f"`{done.stderr.strip().removeprefix('error: ')}`",
    )


# Bad input through the CLI: caught at preview, or before any AWS call when unknown then


@pytest.fixture
def fleet(project_cli: Callable[[Path], ProjectCli]) -> ProjectCli:
    """The fleet program, with a stack and aws:region set."""
    fleet = project_cli(FLEET)
    fleet.run(["pulumi", "stack", "init", STACK])
    fleet.run(["pulumi", "config", "set", "aws:region", REGION])
    return fleet


def set_resources(fleet: ProjectCli, *resources: dict[str, Any]) -> None:
    write_config(fleet.project, "macie-invitations-fleet", {"resources": list(resources)})


def test_bad_input_fails_before_any_aws_call_through_the_cli(
    fleet: ProjectCli, macie_emulator: EmulatorClient, figures: Figures
) -> None:
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("account_ids=[111122223333] (an integer)", {"account_ids": [111122223333]}, "accountIds"),
        ("account_ids=['11112222333'] (11 digits)", {"account_ids": ["11112222333"]}, "accountIds"),
        ("region='us-east-9'", {"account_ids": [A], "region": "us-east-9"}, "region"),
    ]
    for name, arguments, prop in cases:
        set_resources(fleet, {"name": "bad"} | arguments)
        done = fleet.run(["pulumi", "preview", "--stack", STACK], check=False)
        assert done.returncode != 0
        shown = diagnostic(done.stdout, macie_emulator)
        assert f"property {prop} value" in shown
        figures.add("bad_input", name, "`pulumi preview` (CLI)", shown)

    set_resources(fleet, {"name": "later", "account_ids_later": ["1234"]})
    fleet.run(["pulumi", "preview", "--stack", STACK])  # unknown at preview: nothing to check
    output = failed_up(fleet)
    assert "element 0 is '1234'" in output
    assert macie_emulator.calls(service=None) == []
    figures.add(
        "bad_input",
        "account_ids from another resource's output (unknown at preview): ['1234']",
        "preview passes; `pulumi up` checks it once known, before any AWS call",
        diagnostic(output, macie_emulator),
    )
    figures.add(
        "bad_input",
        "all of the above",
        "AWS calls made (emulator's call log)",
        f"{len(macie_emulator.calls())}",
    )


# Many resources: several accounts (assumed roles) and regions, default parallelism


def test_25_resources_across_accounts_and_regions_converge(
    fleet: ProjectCli, macie_emulator: EmulatorClient, figures: Figures
) -> None:
    accounts = [ME, "210000000001", "210000000002", "210000000003", "210000000004"]
    regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
    resources = []
    for account in accounts:
        for region in regions:
            for sender in (A, B, BYSTANDER):
                macie_emulator.seed_invitation(account, sender, region)
            spec: dict[str, Any] = {"name": f"{account}-{region}", "account_ids": [A, B]}
            spec["region"] = region
            if account != ME:
                spec["role_arn"] = f"arn:aws:iam::{account}:role/macie-invitation-cleaner"
            resources.append(spec)
    set_resources(fleet, *resources)
    throttled = 10
    macie_emulator.throttle("*", times=throttled)
    fleet.run(["pulumi", "up", "--yes", "--skip-preview", "--stack", STACK])
    assert [c["status"] for c in macie_emulator.calls()].count(429) == throttled
    left = {
        tuple(i["accountId"] for i in macie_emulator.received(account, region))
        for account in accounts
        for region in regions
    }
    assert left == {(BYSTANDER,)}
    preview = fleet.run(["pulumi", "preview", "--stack", STACK])
    assert f"{len(resources) + 1} unchanged" in preview.stdout
    figures.add(
        "scale",
        f"{len(resources)} resources: {len(accounts)} accounts ({len(accounts) - 1} through "
        f"assumed roles) x {len(regions)} regions, Pulumi's default parallelism, the first "
        f"{throttled} calls throttled (429)",
        f"`pulumi up`: {len(resources)} created, 0 failed (the {throttled} throttled calls "
        "retried); in each account and region only the unlisted sender's invitation is left; "
        f"then `pulumi preview`: {len(resources) + 1} unchanged",
    )


# Secrets: credentials never reach the state, the logs or a message


def test_no_credential_reaches_state_logs_or_messages(
    fleet: ProjectCli, macie_emulator: EmulatorClient, figures: Figures
) -> None:
    profile_keys = ("AKIAPROFILESENTINEL7", "profile-SENTINEL-secret-must-not-leak-77")
    Path(fleet.env["AWS_SHARED_CREDENTIALS_FILE"]).write_text(
        f"[sentinel]\naws_access_key_id = {profile_keys[0]}\n"
        f"aws_secret_access_key = {profile_keys[1]}\n"
    )
    external_id = "SENTINEL-external-id-42"
    member = "999988887777"
    for account, region in ((ME, REGION), (ME, "eu-west-1"), (member, REGION)):
        macie_emulator.seed_invitation(account, A, region)
    set_resources(
        fleet,
        {"name": "environment", "account_ids": [A]},
        {"name": "profile", "account_ids": [A], "profile": "sentinel", "region": "eu-west-1"},
        {
            "name": "role",
            "account_ids": [A],
            "role_arn": f"arn:aws:iam::{member}:role/macie-invitation-cleaner",
            "external_id_config": "externalId",
        },
    )
    fleet.run(["pulumi", "config", "set", "--secret", "externalId", external_id])
    verbose = ["--stack", STACK, "--yes", "--skip-preview", "--logtostderr", "-v=9", "--logflow"]
    up = fleet.run(["pulumi", "up", *verbose])
    macie_emulator.deny("ListInvitations")
    refresh = fleet.run(["pulumi", "refresh", *verbose], check=False)
    assert "needs the IAM action macie2:ListInvitations" in refresh.stdout + refresh.stderr
    shown = export(fleet, "--show-secrets")
    payloads = [
        base64.b64decode(json.loads(r["outputs"]["__provider"]["plaintext"])).decode("latin-1")
        for r in declined_resources(shown)
    ]
    places = {
        "state (`pulumi stack export --show-secrets`)": json.dumps(shown),
        "decoded `__provider` payloads": "".join(payloads),
        "`pulumi up --logtostderr -v=9 --logflow` (engine, plugins, provider stderr)": (
            up.stdout + up.stderr
        ),
        "a failing `pulumi refresh -v=9` and its error messages": refresh.stdout + refresh.stderr,
    }
    roles = [r for r in assumed_roles() if r.session_name == DEFAULT_SESSION_NAME]
    assert len(roles) == 2  # one each for up and refresh
    groups = {
        "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (environment)": (
            SENTINEL_ACCESS_KEY,
            SENTINEL_SECRET_KEY,
            SENTINEL_SESSION_TOKEN,
        ),
        "a profile's keys (AWS_SHARED_CREDENTIALS_FILE, `profile`)": profile_keys,
        "an assumed role's temporary keys (`role_arn`)": tuple(
            key for r in roles for key in (r.access_key_id, r.secret_access_key, r.session_token)
        ),
    }
    for group, secrets in groups.items():
        found = sum(text.count(secret) for text in places.values() for secret in secrets)
        assert found == 0, group
        figures.add("secrets", group, "; ".join(places), f"0 of {len(secrets)} values, 0 times")

    assert external_id not in json.dumps(export(fleet))
    assert all(external_id not in text for text in payloads)
    logged = [
        line
        for text in (up.stdout + up.stderr, refresh.stdout + refresh.stderr)
        for line in text.splitlines()
        if external_id in line
    ]
    assert logged
    assert all(re.search(r"[Mm]arshaling property", line) for line in logged), logged
    figures.add(
        "secrets",
        "`external_id` (a secret input)",
        "; ".join(places),
        "encrypted in state (plain only in --show-secrets, as the input itself); never in "
        "`__provider`, a message or a provider line; at -v=9 only on the engine's own RPC "
        "lines, which print every property value",
    )


# `pulumi up` killed in the middle of a call: the recovery of docs/lifecycle.md converges


def session_members(session: int) -> list[int]:
    """The processes of a session: what a CLI started, even once the CLI is gone."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            members.append(int(stat.parent.name))
    return members


def kill_inside(cli_: ProjectCli, emulator: EmulatorClient, operation: str) -> None:
    """Run `pulumi up` and SIGKILL it, and the plugins it started, while the provider waits
    on ``operation`` (the emulator holds the call: latency injected, long enough to kill a
    process group); return once the emulator finished that call."""
    emulator.latency(operation, 5)
    emulator.clear_calls()
    up = subprocess.Popen(
        ["pulumi", "up", "--yes", "--skip-preview", "--stack", STACK],
        cwd=cli_.project,
        env=cli_.env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not emulator.calls_in_progress(operation):  # the provider is inside `operation`
            assert up.poll() is None, f"pulumi up ended before it called {operation}"
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        up.kill()
        up.wait()
        for _ in range(3):  # again, for any process started while the first pass ran
            for pid in session_members(up.pid):
                with contextlib.suppress(ProcessLookupError):  # exited meanwhile
                    os.kill(pid, signal.SIGKILL)
    while not emulator.calls(operation):  # the emulator still answers the killed call
        assert time.monotonic() < deadline
        time.sleep(0.1)
    emulator.clear_faults()
    assert "DeleteInvitations" not in [c["operation"] for c in emulator.calls()]


def recover(harness: StackHarness) -> str:
    """Check the stack is stuck, run the recovery of docs/lifecycle.md; the pending operation."""
    cli_ = harness.cli
    pending = export(cli_).get("pending_operations", [])
    run_recovery(cli_)
    assert harness.received() == {}
    assert harness.stack.preview().change_summary == {"same": 2}
    return ", ".join(sorted(op["type"] for op in pending))


def run_recovery(cli_: ProjectCli) -> None:
    """Check the stack is locked, run the commands of docs/lifecycle.md; none pending after."""
    stuck = cli_.run(["pulumi", "up", "--yes", "--skip-preview", "--stack", STACK], check=False)
    assert "the stack is currently locked by 1 lock(s)" in stuck.stderr
    [block] = readme_blocks(ROOT / "docs" / "lifecycle.md", RECOVERY_MARKER)
    cli_.run_all(pulumi_commands(block))
    assert not export(cli_).get("pending_operations")


RECOVERY = (
    "without it, `pulumi up` stops: the stack is currently locked by 1 lock(s); then the "
    "commands of docs/lifecycle.md: `pulumi cancel --yes`, `pulumi refresh "
    "--clear-pending-creates --yes`, `pulumi up --yes`"
)


def test_up_killed_during_a_create_recovers_with_the_readme_commands(
    pulumi_stack: StackHarness, figures: Figures
) -> None:
    pulumi_stack.emulator.seed_invitation(ME, A, REGION)
    pulumi_stack.set_accounts([A])
    kill_inside(pulumi_stack.cli, pulumi_stack.emulator, "DeclineInvitations")
    assert pulumi_stack.received() == {A: "Resigned"}  # declined, not deleted
    pending = recover(pulumi_stack)
    assert pending == "creating"
    figures.add(
        "interruptions",
        "`pulumi up` creating the resource, SIGKILLed (with its plugins) inside DeclineInvitations",
        RECOVERY,
        f"state had 1 pending operation ({pending}); after the commands: none, the declined "
        "invitation deleted, `pulumi preview`: 2 unchanged",
    )


def test_up_killed_during_an_update_recovers_with_the_readme_commands(
    pulumi_stack: StackHarness, figures: Figures
) -> None:
    for sender in (A, B):
        pulumi_stack.emulator.seed_invitation(ME, sender, REGION)
    pulumi_stack.set_accounts([A])
    pulumi_stack.stack.up()
    pulumi_stack.set_accounts([A, B])
    kill_inside(pulumi_stack.cli, pulumi_stack.emulator, "DeclineInvitations")
    assert pulumi_stack.received() == {B: "Resigned"}
    pending = recover(pulumi_stack)
    assert pending == "updating"
    assert pulumi_stack.resource_state()["outputs"]["accountIds"] == [A, B]
    figures.add(
        "interruptions",
        "`pulumi up` updating the resource (a second account), SIGKILLed (with its plugins) "
        "inside DeclineInvitations",
        RECOVERY,
        f"state had 1 pending operation ({pending}); after the commands: none, the declined "
        "invitation deleted, `pulumi preview`: 2 unchanged",
    )


def test_up_killed_with_checkpoints_skipped_records_nothing_and_the_next_up_redoes_it(
    fleet: ProjectCli, macie_emulator: EmulatorClient, figures: Figures
) -> None:
    """The README's "Hundreds of members": with PULUMI_SKIP_CHECKPOINTS=true a killed run records
    nothing of what it did, and the next `pulumi up` redoes it safely. The cleanup's ids
    come from another resource, created (a finished step) before the cleanup starts."""
    macie_emulator.seed_invitation(ME, A, REGION)
    set_resources(fleet, {"name": "cleanup", "account_ids_later": [A]})
    skipping = cli(fleet.project, fleet.env, PULUMI_SKIP_CHECKPOINTS="true")
    kill_inside(skipping, macie_emulator, "DeclineInvitations")
    assert statuses(macie_emulator) == {A: "Resigned"}  # declined, not deleted
    killed = export(skipping)
    assert killed.get("resources", []) == []  # not even the step that finished
    assert not killed.get("pending_operations")
    run_recovery(skipping)
    assert macie_emulator.received(ME, REGION) == []
    [cleanup] = declined_resources(export(skipping))
    assert cleanup["outputs"]["deletedAccountIds"] == [A]
    skipping.run(["pulumi", "preview", "--expect-no-changes", "--stack", STACK])
    figures.add(
        "interruptions",
        "`pulumi up` with `PULUMI_SKIP_CHECKPOINTS=true` creating a resource after another "
        "one it depends on, SIGKILLed (with its plugins) inside DeclineInvitations",
        RECOVERY,
        "state had no resource and no pending operation (the finished step not recorded "
        "either); after the commands: the declined invitation deleted, "
        "`pulumi preview --expect-no-changes` passed",
    )

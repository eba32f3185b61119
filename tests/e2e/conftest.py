"""End-to-end fixtures: the real Pulumi CLI and engine, the projects, the emulator server.

In the style of Pulumi's Automation API suites: each test gets a temporary file backend,
its own PULUMI_HOME, a passphrase, and a stack that is always destroyed afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto
from pulumi_macie_invitations.testing.client import EmulatorClient
from pulumi_macie_invitations.testing.environment import pulumi_cli_environment

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)
"""The virtualenv these tests run in: the repository's .venv, or one of the environments of
tools/supported_versions.py. Its bin/ (python, and a linked pulumi CLI) comes first on PATH."""
PROJECT_VENV = ROOT / ".venv"
"""The virtualenv the projects' Pulumi.yaml name."""
PASSPHRASE = "e2e-passphrase"
STACK = "e2e"
REGION = "us-east-1"
ME = "123456789012"  # the emulator's default account: the one the stacks clean

# Sentinel credentials: recognisable strings that must never show up in state or output.
SENTINEL_ACCESS_KEY = "AKIAE2ESENTINEL00042"
SENTINEL_SECRET_KEY = "e2e-SENTINEL-secret-key-must-not-leak-4242"
SENTINEL_SESSION_TOKEN = "e2e-SENTINEL-session-token-must-not-leak-4242"


def pulumi_env(home: Path, backend: Path, endpoint_url: str) -> dict[str, str]:
    """The environment of every CLI call: local backend, no network, the emulator as AWS."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(home))}
    env = pulumi_cli_environment(
        endpoint_url,
        home=home,
        backend=backend,
        passphrase=PASSPHRASE,
        region=REGION,
        bin_dir=VENV / "bin",
        base=base,
    )
    return env | {
        "AWS_ACCESS_KEY_ID": SENTINEL_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SENTINEL_SECRET_KEY,
        "AWS_SESSION_TOKEN": SENTINEL_SESSION_TOKEN,
    }


def pulumi_root(env: dict[str, str]) -> str:
    """The installation the CLI is run from: the one `make setup` found or built.

    Not resolved through the link `make setup` may have made: the Automation API puts this
    root's bin/ first on PATH, and the programs and dynamic providers run the python found
    there, which must be the virtualenv's under test, not the one beside the linked CLI.
    """
    found = shutil.which("pulumi", path=env["PATH"])
    assert found, "no pulumi CLI: run `make setup`"
    return str(Path(found).parent.parent)


def copy_project(source: Path, destination: Path) -> Path:
    """A Pulumi project (Pulumi.yaml, top-level .py files) in a scratch folder, sharing the .venv.

    The project's ``virtualenv`` option, relative to it, becomes a symlink to the virtualenv
    the tests run in (``../../.venv`` of an example lands two folders above ``destination``).
    """
    destination.mkdir(parents=True, exist_ok=True)
    for file in [source / "Pulumi.yaml", *sorted(source.glob("*.py"))]:
        shutil.copy(file, destination / file.name)
    project = yaml.safe_load((source / "Pulumi.yaml").read_text())
    virtualenv = project["runtime"]["options"]["virtualenv"]
    assert (source / virtualenv).resolve() == PROJECT_VENV.resolve(), f"{source} uses another venv"
    link = Path(os.path.normpath(destination / virtualenv))
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(VENV)
    return destination


def readme_blocks(readme: Path, marker: str) -> list[list[list[str]]]:
    """The ```sh blocks after each ``marker`` in ``readme``: lines, split as the shell does."""
    text = readme.read_text()
    blocks = re.findall(re.escape(marker) + r"\s*```sh\n(.*?)```", text, re.DOTALL)
    assert blocks, f"{readme.relative_to(ROOT)} lost its tested block (marker {marker!r})"
    split = ([shlex.split(line, comments=True) for line in b.splitlines()] for b in blocks)
    return [[line for line in block if line] for block in split]


def pulumi_commands(lines: list[list[str]]) -> list[list[str]]:
    """The ``pulumi ...`` lines of a README block (setup lines such as ``cd`` are skipped)."""
    return [line for line in lines if line[0] == "pulumi"]


class ProjectCli:
    """The Pulumi CLI in a scratch copy of a project, run the way a README tells a user to."""

    def __init__(self, project: Path, env: dict[str, str]) -> None:
        self.project = project
        self.env = env

    def run(self, command: Sequence[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one command in the project; fail the test with its output when it fails."""
        done = subprocess.run(
            list(command), cwd=self.project, env=self.env, capture_output=True, text=True
        )
        if check:
            assert done.returncode == 0, f"$ {shlex.join(command)}\n{done.stdout}{done.stderr}"
        return done

    def run_all(self, commands: list[list[str]]) -> list[str]:
        """Run commands in order; the output of each."""
        return [self.run(command).stdout for command in commands]

    def remove_stacks(self) -> None:
        """Destroy and remove every stack still in the backend, whatever state it is in."""
        listed = self.run(["pulumi", "stack", "ls", "--json"], check=False)
        for stack in json.loads(listed.stdout or "[]"):
            name = stack["name"]
            if self.run(["pulumi", "stack", "rm", "--yes", name], check=False).returncode:
                self.run(["pulumi", "destroy", "--yes", "--stack", name], check=False)
                self.run(["pulumi", "stack", "rm", "--yes", "--force", name], check=False)


class StackHarness:
    """A stack of the root project, with the emulator it runs against."""

    def __init__(
        self, stack: auto.Stack, emulator: EmulatorClient, env: dict[str, str], work_dir: Path
    ) -> None:
        self.stack = stack
        self.emulator = emulator
        self.env = env
        self.work_dir = work_dir

    def set_accounts(self, accounts: list[str]) -> None:
        """Replace the stack's accountIds config, as the README tells a user to set it."""
        self.pulumi("config", "rm", "accountIds", check=False)
        for index, account in enumerate(accounts):
            self.pulumi(
                "config", "set", "--type", "string", "--path", f"accountIds[{index}]", account
            )

    def pulumi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the CLI on this stack, as a user would."""
        return ProjectCli(self.work_dir, self.env).run(["pulumi", *args, "--stack", STACK], check)

    def resource_state(self) -> dict[str, Any]:
        """The DeclinedInvitations resource as recorded in the stack's state."""
        deployment = self.stack.export_stack().deployment
        assert deployment is not None
        resources = deployment["resources"]
        [resource] = [r for r in resources if r["type"].endswith(":DeclinedInvitations")]
        return dict(resource)

    def received(self) -> dict[str, str]:
        """The invitations this account holds: sender -> status."""
        return {i["accountId"]: i["relationshipStatus"] for i in self.emulator.received(ME, REGION)}

    def mutating_calls(self) -> list[str]:
        """Operations made so far that can change invitations."""
        return [
            c["operation"]
            for c in self.emulator.calls()
            if c["operation"]
            in {
                "DeclineInvitations",
                "DeleteInvitations",
                "AcceptInvitation",
                "DisassociateFromAdministratorAccount",
            }
        ]


@pytest.fixture
def pulumi_stack(tmp_path: Path, macie_emulator: EmulatorClient) -> Iterator[StackHarness]:
    """A fresh stack on a temporary backend; destroyed and removed whatever the test did."""
    home, backend = tmp_path / "pulumi-home", tmp_path / "backend"
    home.mkdir()
    backend.mkdir()
    work_dir = copy_project(ROOT, tmp_path / "project")
    env = pulumi_env(home, backend, macie_emulator.endpoint_url)
    stack = auto.create_stack(
        STACK,
        work_dir=str(work_dir),
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(work_dir),
            pulumi_home=str(home),
            env_vars=env,
            pulumi_command=auto.PulumiCommand(root=pulumi_root(env), skip_version_check=True),
        ),
    )
    stack.set_config("aws:region", auto.ConfigValue(REGION))
    harness = StackHarness(stack, macie_emulator, env, work_dir)
    try:
        yield harness
    finally:
        macie_emulator.clear_faults()
        stack.destroy()
        stack.workspace.remove_stack(STACK)


@pytest.fixture
def project_cli(
    tmp_path: Path, macie_emulator: EmulatorClient
) -> Iterator[Callable[[Path], ProjectCli]]:
    """Copies a project of this repository (its path) to a scratch folder, with the CLI set up
    for the emulator; every stack left in its temporary backend is destroyed afterwards."""
    home, backend = tmp_path / "pulumi-home", tmp_path / "backend"
    home.mkdir()
    backend.mkdir()
    env = pulumi_env(home, backend, macie_emulator.endpoint_url)
    opened: list[ProjectCli] = []

    def open_project(source: Path) -> ProjectCli:
        scratch = tmp_path / "repository" / source.relative_to(ROOT)
        opened.append(ProjectCli(copy_project(source, scratch), env))
        return opened[-1]

    try:
        yield open_project
    finally:
        macie_emulator.clear_faults()
        for cli in opened:
            cli.remove_stacks()

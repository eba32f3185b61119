"""End-to-end fixtures: the real Pulumi CLI and engine, the root project, the emulator server.

In the style of Pulumi's Automation API suites: each test gets a temporary file backend,
its own PULUMI_HOME, a passphrase, and a stack that is always destroyed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto
from pulumi_macie_invitations.testing.client import EmulatorClient

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
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
    return {
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", str(home)),
        "PULUMI_HOME": str(home),
        "PULUMI_BACKEND_URL": backend.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "AWS_ENDPOINT_URL_MACIE2": endpoint_url,
        "AWS_ENDPOINT_URL_STS": endpoint_url,
        "AWS_ACCESS_KEY_ID": SENTINEL_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SENTINEL_SECRET_KEY,
        "AWS_SESSION_TOKEN": SENTINEL_SESSION_TOKEN,
        "AWS_CONFIG_FILE": str(home / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def pulumi_root(env: dict[str, str]) -> str:
    """The installation the CLI is run from: the one `make setup` found or built."""
    found = shutil.which("pulumi", path=env["PATH"])
    assert found, "no pulumi CLI: run `make setup`"
    return str(Path(found).resolve().parent.parent)


def copy_root_project(destination: Path) -> Path:
    """The root project (Pulumi.yaml, __main__.py) in a scratch folder, sharing the .venv."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, destination / name)
    (destination / ".venv").symlink_to(VENV)
    return destination


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
        return subprocess.run(
            ["pulumi", *args, "--stack", STACK],
            cwd=self.work_dir,
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
        )

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
    work_dir = copy_root_project(tmp_path / "project")
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

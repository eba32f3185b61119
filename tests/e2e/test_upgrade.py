"""Upgrades keep stacks working, through the real Pulumi CLI against the emulator server.

For each release in tests/upgrade/releases: a fresh virtualenv with that release's wheel
creates a stack (tests/e2e/programs/upgrade: a role, an external id and several accounts in
each of two members); then the working tree's package replaces it in the SAME virtualenv,
as ``pip install --upgrade`` would, and the unchanged program previews no change, refresh
still finds an invitation that came back, an update runs and destroy runs the provider
pickled by the old release. What must hold is in CHANGELOG.md, "Compatibility".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import ROOT, ProjectCli, Wheelhouse, pulumi_env, run_tool, succeeded
from ..helpers import REGION, statuses, unpickle_provider
from ..upgrade import COMPATIBILITY, Release, listed_releases

pytestmark = pytest.mark.e2e

PROGRAM = ROOT / "tests" / "e2e" / "programs" / "upgrade"
PACKAGE = ROOT / "provider" / "pulumi_macie_invitations"
DISTRIBUTION = "pulumi-macie-invitations"
STACK = "upgrade"
PROJECT = "macie-invitations-upgrade"
EXTERNAL_ID = "upgrade-external-id-4242"
A, B = "210987654321", "345678901234"  # member accounts, reached by an emulator AssumeRole
SENDERS = ["111122223333", "444455556666", "555566667777"]
ADDED = "666677778888"  # listed by the update
BYSTANDER = "777788889999"  # invites too, but is listed nowhere: must be left alone
NOT_WORKING = f"a stack created by {{}} no longer works after upgrading: see {COMPATIBILITY}"


class UpgradeStack:
    """The program's stack in a scratch folder, run by the CLI with its own virtualenv."""

    def __init__(self, folder: Path, endpoint_url: str) -> None:
        self.project = folder / "project"
        shutil.copytree(PROGRAM, self.project, ignore=shutil.ignore_patterns("__pycache__"))
        self.venv = self.project / "venv"  # Pulumi.yaml's virtualenv
        self.python = self.venv / "bin" / "python"
        succeeded(
            run_tool([sys.executable, "-m", "venv", "--without-pip", self.venv])
        )  # pip: install()
        env = pulumi_env(folder / "pulumi-home", folder / "backend", endpoint_url)
        # The language host and the dynamic provider run this virtualenv's python: Pulumi.yaml's
        # virtualenv for hosts that read it, PULUMI_PYTHON_CMD and PATH for the others.
        env["PULUMI_PYTHON_CMD"] = str(self.python)
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env['PATH']}"
        (folder / "pulumi-home").mkdir()
        self.cli = ProjectCli(self.project, env)

    def pulumi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the CLI on the stack."""
        return self.cli.run(["pulumi", *args, "--stack", STACK], check)

    def configure(self, members: dict[str, list[str]]) -> None:
        """The stack's config, in one call: the region, the secret external id, and ``members``,
        a role in each member account with the senders to clean there."""
        objects = [
            {"roleArn": f"arn:aws:iam::{member}:role/macie-invitation-cleaner", "accountIds": ids}
            for member, ids in members.items()
        ]
        config = {
            "aws:region": {"value": REGION, "secret": False},
            f"{PROJECT}:externalId": {"value": EXTERNAL_ID, "secret": True},
            f"{PROJECT}:members": {
                "value": json.dumps(objects),
                "objectValue": objects,
                "secret": False,
            },
        }
        self.pulumi("config", "set-all", "--json", json.dumps(config))

    def upgraded(self, *args: str, release: str) -> subprocess.CompletedProcess[str]:
        """Run the CLI on the stack after the upgrade: a failure points at the promise."""
        done = self.pulumi(*args, check=False)
        assert done.returncode == 0, f"{NOT_WORKING.format(release)}\n{done.stdout}{done.stderr}"
        return done

    def outputs(self) -> dict[str, Any]:
        """The stack's outputs."""
        return dict(json.loads(self.pulumi("stack", "output", "--json").stdout))

    def resources(self) -> dict[str, dict[str, Any]]:
        """The DeclinedInvitations resources in state, secrets shown, by member account."""
        exported = json.loads(self.pulumi("stack", "export", "--show-secrets").stdout)
        return {
            r["urn"].rsplit("member-", 1)[1]: r
            for r in exported["deployment"]["resources"]
            if r["type"].endswith(":DeclinedInvitations")
        }

    def load_provider(self, pickled: str, release: str) -> None:
        """Unpickle a ``__provider`` with the package now installed, as refresh and destroy do."""
        done = unpickle_provider(self.python, pickled)
        assert done.returncode == 0, f"{NOT_WORKING.format(release)}\n{done.stderr}"


def provider_of(resource: dict[str, Any]) -> str:
    """The pickled provider (base64) a resource's state records: a secret, shown."""
    value = resource["outputs"]["__provider"]
    return str(json.loads(value["plaintext"]) if isinstance(value, dict) else value)


def installed_package(python: Path) -> Path:
    """The folder the package is imported from in the environment of ``python``."""
    program = "import os, pulumi_macie_invitations as p; print(os.path.dirname(p.__file__))"
    return Path(succeeded(run_tool([python, "-c", program])).stdout.strip())


def same_files(installed: Path, source: Path) -> list[str]:
    """The package's .py files that differ between an install and the working tree."""
    files = {p.relative_to(source) for p in source.rglob("*.py")}
    files |= {p.relative_to(installed) for p in installed.rglob("*.py")}
    return sorted(
        str(f)
        for f in files
        if not (installed / f).is_file()
        or not (source / f).is_file()
        or (installed / f).read_bytes() != (source / f).read_bytes()
    )


@pytest.mark.parametrize("release", listed_releases(), ids=lambda release: release.version)
def test_a_stack_of_a_release_keeps_working_after_upgrading(
    release: Release,
    macie_emulator: EmulatorClient,
    wheelhouse: Wheelhouse,
    working_tree_wheel: Path,
    tmp_path: Path,
) -> None:
    assert release.wheel.is_file(), f"run `make release-wheel TAG=v{release.version}`"
    broken = NOT_WORKING.format(release.version)
    stack = UpgradeStack(tmp_path, macie_emulator.endpoint_url)
    wheelhouse.install(stack.python, release.wheel)
    for member in (A, B):
        for sender in [*SENDERS, BYSTANDER]:
            macie_emulator.send_invitations(sender, [member], REGION)
    try:
        # The release creates the stack.
        stack.cli.run(["pulumi", "stack", "init", STACK])
        stack.configure({A: SENDERS, B: SENDERS})
        stack.pulumi("up", "--yes")
        package = installed_package(stack.python)
        assert stack.venv in package.parents
        assert Path(stack.outputs()["package"]) == package  # the program ran in the virtualenv
        assert statuses(macie_emulator, A) == statuses(macie_emulator, B) == {BYSTANDER: "Invited"}
        recorded = stack.resources()

        # The working tree's package replaces it in the same virtualenv.
        # (The same version number as the release's would make `pip install` a no-op.)
        succeeded(
            run_tool([stack.python, "-m", "pip", "uninstall", "--yes", "--quiet", DISTRIBUTION])
        )
        wheelhouse.install(stack.python, working_tree_wheel)
        assert same_files(installed_package(stack.python), PACKAGE) == []

        # The unchanged program: no update, no replace. The old pickles load.
        stack.upgraded("preview", "--expect-no-changes", "--diff", release=release.version)
        for resource in recorded.values():
            stack.load_provider(provider_of(resource), release.version)

        # Refresh runs the old pickle and still finds an invitation that came back.
        macie_emulator.send_invitations(SENDERS[1], [A], REGION)
        stack.upgraded("refresh", "--yes", release=release.version)
        refreshed = stack.resources()
        assert refreshed[A]["outputs"]["reappearedAccountIds"] == [SENDERS[1]], broken
        assert refreshed[B]["outputs"]["reappearedAccountIds"] == [], broken

        # An update of member A (one sender dropped, one added); member B stays as recorded.
        macie_emulator.send_invitations(ADDED, [A], REGION)
        stack.configure({A: [*SENDERS[:2], ADDED], B: SENDERS})
        plan = json.loads(stack.upgraded("preview", "--json", release=release.version).stdout)
        assert plan["changeSummary"] == {"same": 2, "update": 1}, broken
        stack.upgraded("up", "--yes", release=release.version)
        assert statuses(macie_emulator, A) == {BYSTANDER: "Invited"}
        updated = stack.resources()
        assert updated[A]["id"] == recorded[A]["id"], broken
        assert provider_of(updated[B]) == provider_of(recorded[B])  # still the release's

        # Destroy runs member B's provider as the release pickled it. No AWS call.
        calls = len(macie_emulator.calls())
        stack.upgraded("destroy", "--yes", release=release.version)
        assert len(macie_emulator.calls()) == calls
        assert statuses(macie_emulator, A) == statuses(macie_emulator, B) == {BYSTANDER: "Invited"}
        stack.pulumi("stack", "rm", "--yes")
    finally:
        stack.cli.remove_stacks()

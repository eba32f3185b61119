"""Upgrades keep stacks working, through the real Pulumi CLI against the emulator server.

For each release in tests/upgrade/releases: a fresh virtualenv with that release's wheel
creates a stack (tests/e2e/programs/upgrade: every resource type the release has, each in
inboxes of its own, through roles in member accounts: DeclinedInvitations in two members, and
from 0.2.0 an InvitationGuard and an OrganizationInvitationGuard of two members); then the
working tree's package replaces it in the SAME virtualenv, as ``pip install --upgrade`` would,
and the unchanged program previews no change, refresh runs every old pickle and still finds an
invitation that came back to each resource type, an update runs and destroy runs the providers
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

from ..cli import ProjectCli, Wheelhouse, pulumi_env, run_tool, succeeded
from ..helpers import REGION, ROOT, statuses, unpickle_provider
from ..upgrade import COMPATIBILITY, Release, listed_releases, plain, resource_type

pytestmark = pytest.mark.e2e

PROGRAM = ROOT / "tests" / "e2e" / "programs" / "upgrade"
PACKAGE = ROOT / "provider" / "pulumi_macie_invitations"
DISTRIBUTION = "pulumi-macie-invitations"
STACK = "upgrade"
PROJECT = "macie-invitations-upgrade"
EXTERNAL_ID = "upgrade-external-id-4242"
# Member accounts, reached by an emulator AssumeRole: the inboxes of each resource.
A, B = "210987654321", "345678901234"  # DeclinedInvitations
GUARDED = "456789012345"  # InvitationGuard
C, D = "567890123456", "678901234567"  # OrganizationInvitationGuard
SENDERS = ["111122223333", "444455556666", "555566667777"]
ADDED = "666677778888"  # listed by the update
BYSTANDER = "777788889999"  # invites too; listed nowhere, allowed by the guards: left alone
GUARDS = {
    "InvitationGuard": {"guard": GUARDED},
    "OrganizationInvitationGuard": {f"org-{C}": C, f"org-{D}": D},
}
"""What the program declares where the release has the class (0.2.0 on) and the stack's config
sets it: resource name -> the member account it guards."""
NOT_WORKING = f"a stack created by {{}} no longer works after upgrading: see {COMPATIBILITY}"


class UpgradeStack:
    """The program's stack in a scratch folder, run by the CLI with its own virtualenv."""

    guards: tuple[str, ...] = ()
    """The guards the stack declares: those of :data:`GUARDS` the release creating it has."""

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
        """The stack's config, in one call: the region, the secret external id, ``members``
        (a role in each member account with the senders to clean there), and each of
        :attr:`guards` (allowing only the bystander)."""
        objects: dict[str, Any] = {
            "members": [
                {"roleArn": role_arn(member), "accountIds": ids} for member, ids in members.items()
            ]
        }
        if "InvitationGuard" in self.guards:
            objects["guard"] = {"roleArn": role_arn(GUARDED), "allowedAccountIds": [BYSTANDER]}
        if "OrganizationInvitationGuard" in self.guards:
            objects["organization"] = {
                "memberRoleArns": [role_arn(C), role_arn(D)],
                "allowedAccountIds": [BYSTANDER],
                "regions": [REGION],
            }
        config = {
            "aws:region": {"value": REGION, "secret": False},
            f"{PROJECT}:externalId": {"value": EXTERNAL_ID, "secret": True},
        } | {
            f"{PROJECT}:{key}": {"value": json.dumps(value), "objectValue": value, "secret": False}
            for key, value in objects.items()
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

    def declared(self) -> dict[str, str]:
        """Resource name -> member account of every resource the program declares."""
        names = {f"member-{A}": A, f"member-{B}": B}
        for guard in self.guards:
            names |= GUARDS[guard]
        return names

    def resources(self) -> dict[str, dict[str, Any]]:
        """The resources the package's providers recorded, secrets shown, by resource name."""
        exported = json.loads(self.pulumi("stack", "export", "--show-secrets").stdout)
        return {
            r["urn"].rsplit("::", 1)[1]: r
            for r in exported["deployment"]["resources"]
            if r["type"].startswith("pulumi-python:dynamic/")
        }

    def load_provider(self, pickled: str, release: str) -> None:
        """Unpickle a ``__provider`` with the package now installed, as refresh and destroy do."""
        done = unpickle_provider(self.python, pickled)
        assert done.returncode == 0, f"{NOT_WORKING.format(release)}\n{done.stderr}"


def role_arn(member: str) -> str:
    """The role the stack assumes in a member account."""
    return f"arn:aws:iam::{member}:role/macie-invitation-cleaner"


def provider_of(resource: dict[str, Any]) -> str:
    """The pickled provider (base64) a resource's state records: a secret, shown."""
    return str(plain(resource["outputs"]["__provider"]))


def found_by_refresh(resource: dict[str, Any]) -> list[str]:
    """The senders the last refresh recorded as drift in a resource's outputs (where depends on
    its type: tests/upgrade)."""
    return resource_type(resource["type"]).found(plain(resource["outputs"]))


def guards_of(python: Path) -> tuple[str, ...]:
    """The classes of :data:`GUARDS` the package installed for ``python`` has (the program
    detects them the same way)."""
    program = (
        "import json, pulumi_macie_invitations as p\n"
        f"print(json.dumps([name for name in {list(GUARDS)} if hasattr(p, name)]))"
    )
    return tuple(json.loads(succeeded(run_tool([python, "-c", program])).stdout))


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
    stack.guards = guards_of(stack.python)
    members = stack.declared()  # resource name -> the member account it cleans
    for member in set(members.values()):
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
        for member in members.values():
            assert statuses(macie_emulator, member) == {BYSTANDER: "Invited"}, member
        recorded = stack.resources()
        assert recorded.keys() == members.keys()

        # The working tree's package replaces it in the same virtualenv.
        # (The same version number as the release's would make `pip install` a no-op.)
        succeeded(
            run_tool([stack.python, "-m", "pip", "uninstall", "--yes", "--quiet", DISTRIBUTION])
        )
        wheelhouse.install(stack.python, working_tree_wheel)
        assert same_files(installed_package(stack.python), PACKAGE) == []

        # The unchanged program: no update, no replace. The old pickles load.
        stack.upgraded("preview", "--expect-no-changes", "--diff", release=release.version)
        for pickled in {provider_of(resource) for resource in recorded.values()}:
            stack.load_provider(pickled, release.version)

        # Refresh runs every old pickle and still finds an invitation that came back: to one
        # resource of each type (drift), not to the others.
        back = {f"member-{A}", "guard", f"org-{C}"} & members.keys()
        for name in back:
            macie_emulator.send_invitations(SENDERS[1], [members[name]], REGION)
        stack.upgraded("refresh", "--yes", release=release.version)
        refreshed = stack.resources()
        assert {name: found_by_refresh(r) for name, r in refreshed.items()} == {
            name: [SENDERS[1]] if name in back else [] for name in members
        }, broken

        # An update of member A (one sender dropped, one added) and of every resource with
        # drift; the others stay as recorded.
        macie_emulator.send_invitations(ADDED, [A], REGION)
        stack.configure({A: [*SENDERS[:2], ADDED], B: SENDERS})
        plan = json.loads(stack.upgraded("preview", "--json", release=release.version).stdout)
        components = 1 + (f"org-{C}" in members)  # the stack, and the organization's component
        assert plan["changeSummary"] == {
            "same": components + len(members) - len(back),
            "update": len(back),
        }, broken
        stack.upgraded("up", "--yes", release=release.version)
        for member in members.values():
            assert statuses(macie_emulator, member) == {BYSTANDER: "Invited"}, member
        updated = stack.resources()
        for name in members:
            assert updated[name]["id"] == recorded[name]["id"], broken
            if name not in back:  # still the release's
                assert provider_of(updated[name]) == provider_of(recorded[name]), name

        # Destroy runs the providers of the resources left alone as the release pickled them.
        # No AWS call.
        calls = len(macie_emulator.calls(service=None)), len(macie_emulator.sts_calls())
        stack.upgraded("destroy", "--yes", release=release.version)
        assert (len(macie_emulator.calls(service=None)), len(macie_emulator.sts_calls())) == calls
        for member in members.values():
            assert statuses(macie_emulator, member) == {BYSTANDER: "Invited"}, member
        stack.pulumi("stack", "rm", "--yes")
    finally:
        stack.cli.remove_stacks()

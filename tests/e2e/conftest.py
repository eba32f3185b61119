"""End-to-end fixtures: the real Pulumi CLI and engine, the projects, the emulator server.

In the style of Pulumi's Automation API suites: each test gets a temporary file backend,
its own PULUMI_HOME, a passphrase, and a stack that is always destroyed afterwards. What
they are built from is in tests/cli.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto
from pulumi_macie_invitations.testing.client import EmulatorClient

from ..cli import STACK, ProjectCli, StackHarness, Wheelhouse, copy_project, pulumi_env, pulumi_root
from ..helpers import REGION, ROOT


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


@pytest.fixture(scope="session")
def wheelhouse(request: pytest.FixtureRequest) -> Wheelhouse:
    """The wheelhouse in pytest's cache folder (``.pytest_cache``)."""
    return Wheelhouse(request.config.cache.mkdir("wheelhouse"))


@pytest.fixture(scope="session")
def working_tree_wheel(wheelhouse: Wheelhouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the working tree, built from a clean copy: never from stale build/ output."""
    source = tmp_path_factory.mktemp("working-tree") / "source"
    junk = (".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".pulumi-*")
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*junk))
    return wheelhouse.build(source, source.parent / "dist")

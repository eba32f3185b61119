"""Target 4: `pulumi preview` and `pulumi up` of 50 DeclinedInvitations against 50 no-op
dynamic resources (Pulumi's own floor), through the real CLI."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pulumi_macie_invitations.testing import EmulatorClient
from pulumi_macie_invitations.testing.environment import (
    emulator_variables,
    offline_pulumi_variables,
)

from .scenario import ME, REGION

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = 50

PROJECT = """name: {name}
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: {venv}
"""

DECLINED_INVITATIONS_PROGRAM = f"""
from pulumi_macie_invitations import DeclinedInvitations

for index in range({RESOURCES}):
    DeclinedInvitations(f"cleanup-{{index}}", account_ids=[str(100000000000 + index)])
"""

NO_OP_PROGRAM = f"""
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class NoOp(ResourceProvider):
    def create(self, props):
        return CreateResult("no-op", {{}})


class NoOpResource(Resource):
    def __init__(self, name):
        super().__init__(NoOp(), name, {{}})


for index in range({RESOURCES}):
    NoOpResource(f"no-op-{{index}}")
"""

PROGRAMS = {"declined-invitations": DECLINED_INVITATIONS_PROGRAM, "no-op": NO_OP_PROGRAM}


def write_project(folder: Path, name: str) -> Path:
    """A Pulumi project with one of the two programs, using the repository's virtualenv."""
    project = folder / name
    project.mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(PROJECT.format(name=name, venv=ROOT / ".venv"))
    (project / "__main__.py").write_text(PROGRAMS[name])
    return project


def cli_environment(folder: Path, endpoint_url: str) -> dict[str, str]:
    """A private backend and PULUMI_HOME; the emulator as AWS."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PULUMI_"))},
        **emulator_variables(endpoint_url),
        **offline_pulumi_variables(folder / "home", folder / "backend", "bench"),
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Run one CLI command, which must succeed; return the seconds it took."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def preview_and_up(
    emulator: EmulatorClient, runs: int, server_cpu: Callable[[], float]
) -> dict[str, dict[str, list[float]]]:
    """Seconds of preview and of up from an empty stack, per program, runs interleaved;
    and the emulator server's CPU seconds during each up."""
    seconds: dict[str, dict[str, list[float]]] = {
        name: {"preview": [], "up": [], "emulator CPU during up": []} for name in PROGRAMS
    }
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch:
        folder = Path(scratch)
        env = cli_environment(folder, emulator.endpoint_url)
        projects = {name: write_project(folder, name) for name in PROGRAMS}
        for attempt in range(runs):
            for name, project in projects.items():
                emulator.reset()
                for index in range(RESOURCES):
                    emulator.seed_invitation(ME, str(100000000000 + index), REGION)
                stack = ["--stack", f"run{attempt}"]
                run(["pulumi", "stack", "init", *stack], project, env)
                seconds[name]["preview"].append(run(["pulumi", "preview", *stack], project, env))
                cpu_before = server_cpu()
                seconds[name]["up"].append(run(["pulumi", "up", "--yes", *stack], project, env))
                seconds[name]["emulator CPU during up"].append(server_cpu() - cpu_before)
                run(["pulumi", "stack", "rm", "--yes", "--force", *stack], project, env)
    return seconds

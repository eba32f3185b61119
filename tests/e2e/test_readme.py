"""The root project, run exactly as the README's "Use it on AWS" section tells a user to."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from pulumi_macie_invitations.testing import EmulatorClient

from .conftest import ME, REGION, ROOT, copy_root_project, pulumi_env

MARKER = "<!-- tests/e2e/test_readme.py runs the pulumi commands of the next block, in order -->"


def readme_commands() -> list[list[str]]:
    """The `pulumi ...` lines of the README block that follows the marker."""
    text = (ROOT / "README.md").read_text()
    block = re.search(re.escape(MARKER) + r"\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block, "README.md lost its tested 'Use it on AWS' block"
    return [shlex.split(line) for line in block.group(1).splitlines() if line.startswith("pulumi ")]


def test_readme_commands_clean_the_listed_accounts(
    tmp_path: Path, macie_emulator: EmulatorClient
) -> None:
    commands = readme_commands()
    assert [c[:3] for c in commands][-2:] == [
        ["pulumi", "preview", "--diff"],
        ["pulumi", "up", "--yes"],
    ]
    stack = next(c[3] for c in commands if c[:3] == ["pulumi", "stack", "init"])
    listed = [c[-1] for c in commands if "--path" in c]
    assert len(listed) >= 2
    for sender in [*listed, "777788889999"]:
        macie_emulator.send_invitations(sender, [ME], REGION)

    home, backend = tmp_path / "home", tmp_path / "backend"
    home.mkdir()
    backend.mkdir()
    env = pulumi_env(home, backend, macie_emulator.endpoint_url)
    project = copy_root_project(tmp_path / "project")

    def run(command: list[str]) -> str:
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    try:
        outputs = [run(command) for command in commands]
        assert "+ 2 to create" in outputs[-2]  # the stack and the resource
        assert "accountIds" in outputs[-2]
        assert "+ 2 created" in outputs[-1]
        assert {i["accountId"] for i in macie_emulator.received(ME, REGION)} == {"777788889999"}
    finally:
        subprocess.run(
            ["pulumi", "destroy", "--yes", "--stack", stack], cwd=project, env=env, check=False
        )
        subprocess.run(["pulumi", "stack", "rm", "--yes", stack], cwd=project, env=env, check=False)

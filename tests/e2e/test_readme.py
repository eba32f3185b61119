"""The root project, run exactly as the README's "Use it on AWS" section tells a user to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import README_MARKER, ProjectCli, pulumi_commands, readme_blocks
from ..helpers import ME, REGION, ROOT


def test_readme_commands_clean_the_listed_accounts(
    macie_emulator: EmulatorClient, project_cli: Callable[[Path], ProjectCli]
) -> None:
    [block] = readme_blocks(ROOT / "README.md", README_MARKER)
    commands = pulumi_commands(block)
    assert [c[:3] for c in commands][-2:] == [
        ["pulumi", "preview", "--diff"],
        ["pulumi", "up", "--yes"],
    ]
    listed = [c[-1] for c in commands if "--path" in c]
    assert len(listed) >= 2
    for sender in [*listed, "777788889999"]:
        macie_emulator.send_invitations(sender, [ME], REGION)

    outputs = project_cli(ROOT).run_all(commands)
    assert "+ 2 to create" in outputs[-2]  # the stack and the resource
    assert "accountIds" in outputs[-2]
    assert "+ 2 created" in outputs[-1]
    assert {i["accountId"] for i in macie_emulator.received(ME, REGION)} == {"777788889999"}

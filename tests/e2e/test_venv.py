"""`.venv/bin/pulumi` run without activating the virtualenv, from the root project and from
an example: the language host then finds no `pulumi` module on the system python unless
`make setup`'s wrapper puts the virtualenv first."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import VENV, ProjectCli, without_any_virtualenv
from ..helpers import ME, REGION, ROOT

PULUMI = VENV / "bin" / "pulumi"
LISTED = "111122223333"


@pytest.mark.parametrize("project", [ROOT, ROOT / "examples" / "basic"], ids=["root", "basic"])
def test_preview_with_the_venvs_pulumi_and_nothing_activated(
    project: Path, macie_emulator: EmulatorClient, project_cli: Callable[[Path], ProjectCli]
) -> None:
    opened = project_cli(project)  # its clean-up runs pulumi from PATH, as other tests do
    cli = ProjectCli(opened.project, without_any_virtualenv(opened.env))
    system_python = shutil.which("python3", path=cli.env["PATH"])
    if system_python:  # without the wrapper, the language host would run the program with it
        lacks = subprocess.run(
            [system_python, "-c", "import pulumi_macie_invitations"],
            env=cli.env,
            capture_output=True,
            check=False,
        )
        assert lacks.returncode != 0, "the test needs a PATH whose python lacks the package"
    macie_emulator.send_invitations(LISTED, [ME], REGION)

    cli.run([str(PULUMI), "stack", "init", "dev"])
    cli.run([str(PULUMI), "config", "set", "aws:region", REGION])
    cli.run([str(PULUMI), "config", "set", "--type", "string", "--path", "accountIds[0]", LISTED])
    preview = cli.run([str(PULUMI), "preview", "--diff"])
    assert "+ 2 to create" in preview.stdout
    assert "ModuleNotFoundError" not in preview.stdout + preview.stderr
    assert [i["accountId"] for i in macie_emulator.received(ME, REGION)] == [LISTED]

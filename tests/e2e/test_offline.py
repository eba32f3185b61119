"""The offline block of docs/testing.md, run with bash as written: it starts its own emulator, seeds
it with curl and with EmulatorClient, runs `pulumi up`, and stops the emulator."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from pathlib import Path

from ..cli import copy_project, without_any_virtualenv
from ..helpers import ROOT

MARKER = "<!-- tests/e2e/test_offline.py runs the next block with bash, as written -->"
SENDERS = ["111122223333", "444455556666"]


def readme_block() -> str:
    found = re.search(
        re.escape(MARKER) + r"\s*```sh\n(.*?)```",
        (ROOT / "docs" / "testing.md").read_text(),
        re.DOTALL,
    )
    assert found, "docs/testing.md lost its offline block"
    return found.group(1)


def test_readme_offline_block_runs_as_written(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "repository")
    home = tmp_path / "pulumi-home"
    home.mkdir()
    script = tmp_path / "offline.sh"
    script.write_text(readme_block())
    env = without_any_virtualenv(
        {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(home))}
    ) | {"PULUMI_HOME": str(home)}  # the user's ~/.pulumi, kept out of the test

    shell = subprocess.Popen(
        ["bash", "-euo", "pipefail", str(script)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # the emulator it starts is in this group
    )
    try:
        output, _ = shell.communicate(timeout=600)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)  # anything the block left, if it failed
    assert shell.returncode == 0, output

    assert "+ 2 created" in output
    for sender in SENDERS:
        assert f'{sender}: "declined and deleted"' in output
    assert '"recipient": "123456789012", "region": "us-east-1"}' in output  # seeding's reply
    assert '"operation": "DeleteInvitations"' in output  # the call log the block prints
    assert "\n[]\n" in output  # the inbox after `pulumi up`
    assert "- 2 deleted" in output  # pulumi destroy
    assert "Stack 'offline' has been removed" in output

"""`make demo` twice in a row, in a scratch copy of the repository: the second run tells the
same story as the first (a create, no replace), though its emulator listens on a new port."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..cli import VENV, copy_project
from ..helpers import ROOT

pytestmark = pytest.mark.e2e

_PORT = re.compile(r"127\.0\.0\.1:\d+")
_DURATION = re.compile(r"\((\d+(\.\d+)?)s\)|Duration: \d+s")


def run_demo(repository: Path) -> str:
    """tools/demo.py, as `make demo` runs it (after setup), in ``repository``."""
    env = {
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", str(repository)),
    }
    done = subprocess.run(
        [str(VENV / "bin" / "python"), str(repository / "tools" / "demo.py")],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def story(output: str) -> list[str]:
    """The demo's output without what changes from run to run: the emulator's port,
    durations, and the CLI's progress lines."""
    lines = (
        _DURATION.sub("(time)", _PORT.sub("127.0.0.1:<port>", line)) for line in output.splitlines()
    )
    return [line.rstrip() for line in lines if line.strip() and not line.startswith("@ ")]


def test_make_demo_twice_tells_the_same_story(tmp_path: Path) -> None:
    repository = copy_project(ROOT, tmp_path / "repository")
    (repository / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "demo.py", repository / "tools" / "demo.py")

    first = run_demo(repository)
    second = run_demo(repository)

    assert "+ 2 created" in second
    assert "replace" not in second.lower()
    assert story(second) == story(first)
    assert (
        "== after: invitations received by 123456789012 in us-east-1\n   from 210987654321  Enabled"
        in second
    )

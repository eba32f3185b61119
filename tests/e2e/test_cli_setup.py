"""tools/pulumi-cli/build.sh: a supported pulumi already installed is used as it is."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ..cli import VENV
from ..helpers import ROOT

BUILD = ROOT / "tools" / "pulumi-cli" / "build.sh"
BARE_PATH = os.pathsep.join(["/usr/bin", "/bin"])
"""Directories with the shell tools build.sh needs, and neither pulumi nor Go."""
GO_MOD = (BUILD.parent / "go.mod").read_text()
PIN = re.findall(r"github.com/pulumi/pulumi/pkg/v3 (v\S+)", GO_MOD)[0]
"""The CLI build.sh builds: also the oldest it accepts."""


def installed_cli() -> Path:
    """The directory of the real CLI that `make setup` linked or built, its plugins beside it."""
    found = shutil.which("pulumi", path=f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert found, "no pulumi CLI: run `make setup`"
    return Path(found).resolve().parent


def build_sh(out: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "HOME": os.environ.get("HOME", str(out))}
    return subprocess.run([str(BUILD), str(out)], env=env, capture_output=True, text=True)


def test_a_supported_pulumi_on_path_is_linked_with_its_python_plugins(tmp_path: Path) -> None:
    cli = installed_cli()
    version = subprocess.run(
        [str(cli / "pulumi"), "version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    out = tmp_path / "bin"
    done = build_sh(out, f"{cli}{os.pathsep}{BARE_PATH}")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"pulumi {version} found on PATH in {cli} (with its own Python language host), "
        f"linked into {out}\n"
    )
    for plugin in ["pulumi", "pulumi-language-python", "pulumi-resource-pulumi-python"]:
        assert (out / plugin).resolve() == (cli / plugin).resolve()
    again = build_sh(out, f"{out}{os.pathsep}{cli}{os.pathsep}{BARE_PATH}")
    assert again.stdout == done.stdout  # idempotent, also with OUTDIR first on PATH
    kept = build_sh(out, BARE_PATH)  # no pulumi on PATH now, and no Go: the link is kept
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout == f"pulumi {version} found in {out} (linked from {cli} before)\n"


def test_without_pulumi_or_go_it_says_what_to_install(tmp_path: Path) -> None:
    assert not any(shutil.which(tool, path=BARE_PATH) for tool in ("pulumi", "go"))
    done = build_sh(tmp_path / "bin", BARE_PATH)
    assert done.returncode == 1
    assert "no pulumi on PATH" in done.stderr
    assert "needs Go, which is not on PATH" in done.stderr
    assert f"install the Pulumi CLI ({PIN} or newer, below v4) or Go" in done.stderr

"""The built wheel, the path a user takes: installed (not editable) into a fresh virtualenv
outside this repository, next to a Pulumi program written there, its own emulator serving
as AWS, and `pulumi preview` and `pulumi up` run through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi_macie_invitations.testing.client import EmulatorClient

from ..cli import Wheelhouse, pulumi_env, pulumi_root, run_tool, succeeded
from ..helpers import ME, REGION, ROOT

STALE = ["111122223333", "444455556666"]
NOT_A_PROVIDER = "Ignoring package pulumi-macie-invitations with resource set to false"
"""What Pulumi's Python language host logs (-v=5, --logflow) on reading pulumi-plugin.json."""
PROGRAM = '''\
"""A user's program: declines and deletes the invitations of two accounts."""

import pulumi
import pulumi_macie_invitations
from pulumi_macie_invitations import DeclinedInvitations

stale = DeclinedInvitations("stale-invitations", account_ids={accounts!r}, region={region!r})
pulumi.export("deleted", stale.deleted_account_ids)
pulumi.export("packageFile", pulumi_macie_invitations.__file__)
'''


@pytest.fixture(scope="module")
def user_venv(
    tmp_path_factory: pytest.TempPathFactory, wheelhouse: Wheelhouse, working_tree_wheel: Path
) -> Path:
    """A fresh virtualenv with the wheel built from this checkout and its ``testing`` extra,
    its dependencies at the development pins."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    succeeded(run_tool([sys.executable, "-m", "venv", venv]))
    pins: list[str | Path] = ["--constraint", ROOT / "requirements" / "dev.txt"]
    wheelhouse.install(venv / "bin" / "python", f"{working_tree_wheel}[testing]", options=pins)
    return venv


@pytest.fixture
def user_emulator(user_venv: Path) -> Iterator[EmulatorClient]:
    """The emulator server from the wheel's own ``testing`` extra, started as the README says."""
    server = subprocess.Popen(
        [str(user_venv / "bin" / "python"), "-m", "pulumi_macie_invitations.testing.server"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("listening on "), line
        yield EmulatorClient(line.removeprefix("listening on ").strip())
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def test_the_wheel_previews_and_applies_outside_the_repository(
    tmp_path: Path, user_venv: Path, user_emulator: EmulatorClient
) -> None:
    for sender in STALE:
        user_emulator.send_invitations(sender, [ME], REGION)
    project = tmp_path / "program"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        textwrap.dedent(f"""\
            name: wheel-user
            runtime:
              name: python
              options:
                virtualenv: {user_venv}
            """)
    )
    (project / "__main__.py").write_text(PROGRAM.format(accounts=STALE, region=REGION))
    (tmp_path / "home").mkdir()
    (tmp_path / "backend").mkdir()
    env = pulumi_env(tmp_path / "home", tmp_path / "backend", user_emulator.endpoint_url)
    cli = Path(pulumi_root(env)) / "bin"
    # The user's virtualenv first, with their pulumi in it (here a link to the one make setup
    # found): the language host runs the program with that virtualenv's python.
    linked = user_venv / "bin" / "pulumi"
    if not linked.exists():
        linked.symlink_to(cli / "pulumi")
    env["PATH"] = os.pathsep.join([str(user_venv / "bin"), str(cli), os.environ["PATH"]])

    def pulumi(*args: str, environment: dict[str, str] = env) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["pulumi", *args], cwd=project, env=environment, capture_output=True, text=True
        )
        assert done.returncode == 0, f"$ pulumi {' '.join(args)}\n{done.stdout}{done.stderr}"
        return done

    pulumi("stack", "init", "dev")
    # As a user runs it, plugin acquisition on: the language host must read the package's
    # pulumi-plugin.json ("resource": false), not look for a provider plugin to download.
    acquiring = {k: v for k, v in env.items() if k != "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"}
    previewed = pulumi(
        "preview", "--diff", "--logtostderr", "--logflow", "-v=5", environment=acquiring
    )
    assert NOT_A_PROVIDER in previewed.stderr
    assert "macie-invitations trying" not in previewed.stderr
    preview = previewed.stdout
    assert "pulumi-python:dynamic/macie2:DeclinedInvitations" in preview
    assert STALE[0] in preview
    assert {i["accountId"] for i in user_emulator.received(ME, REGION)} == set(STALE)
    pulumi("up", "--yes")
    outputs = json.loads(pulumi("stack", "output", "--json").stdout)
    assert outputs["deleted"] == STALE
    assert user_emulator.received(ME, REGION) == []
    site_packages = user_venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    assert Path(outputs["packageFile"]).is_relative_to(site_packages / "site-packages")
    assert not Path(outputs["packageFile"]).is_relative_to(ROOT)
    pulumi("destroy", "--yes")

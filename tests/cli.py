"""The real Pulumi CLI, for the end-to-end tests (tests/e2e) and their conftest: the
projects in scratch folders, the environment every CLI call gets, the stacks, the wheels the
stacks' virtualenvs install, the README blocks they run. What unit tests share is in
tests/helpers.py. Test modules import from here, never from each other or from a conftest."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto
from pulumi_macie_invitations.testing.client import EmulatorClient
from pulumi_macie_invitations.testing.environment import pulumi_cli_environment

from .helpers import REGION, ROOT, statuses

VENV = Path(sys.prefix)
"""The virtualenv these tests run in: the repository's .venv, or one of the environments of
tools/supported_versions.py. Its bin/ (python, and a linked pulumi CLI) comes first on PATH."""
PROJECT_VENV = ROOT / ".venv"
"""The virtualenv the projects' Pulumi.yaml name."""
PASSPHRASE = "e2e-passphrase"
STACK = "e2e"
# Sentinel credentials: recognisable strings that must never show up in state or output.
SENTINEL_ACCESS_KEY = "AKIAE2ESENTINEL00042"
SENTINEL_SECRET_KEY = "e2e-SENTINEL-secret-key-must-not-leak-4242"
SENTINEL_SESSION_TOKEN = "e2e-SENTINEL-session-token-must-not-leak-4242"


def pulumi_env(home: Path, backend: Path, endpoint_url: str) -> dict[str, str]:
    """The environment of every CLI call: local backend, no network, the emulator as AWS."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(home))}
    env = pulumi_cli_environment(
        endpoint_url,
        home=home,
        backend=backend,
        passphrase=PASSPHRASE,
        region=REGION,
        bin_dir=VENV / "bin",
        base=base,
    )
    return env | {
        "AWS_ACCESS_KEY_ID": SENTINEL_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SENTINEL_SECRET_KEY,
        "AWS_SESSION_TOKEN": SENTINEL_SESSION_TOKEN,
    }


def pulumi_root(env: dict[str, str]) -> str:
    """The installation the CLI is run from: the one `make setup` found or built.

    Not resolved through the link `make setup` may have made: the Automation API puts this
    root's bin/ first on PATH, and the programs and dynamic providers run the python found
    there, which must be the virtualenv's under test, not the one beside the linked CLI.
    """
    found = shutil.which("pulumi", path=env["PATH"])
    assert found, "no pulumi CLI: run `make setup`"
    return str(Path(found).parent.parent)


def copy_project(source: Path, destination: Path) -> Path:
    """A Pulumi project (Pulumi.yaml, top-level .py files) in a scratch folder, sharing the .venv.

    The project's ``virtualenv`` option, relative to it, becomes a symlink to the virtualenv
    the tests run in (``../../.venv`` of an example lands two folders above ``destination``).
    """
    destination.mkdir(parents=True, exist_ok=True)
    for file in [source / "Pulumi.yaml", *sorted(source.glob("*.py"))]:
        shutil.copy(file, destination / file.name)
    project = yaml.safe_load((source / "Pulumi.yaml").read_text())
    virtualenv = project["runtime"]["options"]["virtualenv"]
    assert (source / virtualenv).resolve() == PROJECT_VENV.resolve(), f"{source} uses another venv"
    link = Path(os.path.normpath(destination / virtualenv))
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(VENV)
    return destination


def readme_blocks(readme: Path, marker: str) -> list[list[list[str]]]:
    """The ```sh blocks after each ``marker`` in ``readme``: lines, split as the shell does."""
    text = readme.read_text()
    blocks = re.findall(re.escape(marker) + r"\s*```sh\n(.*?)```", text, re.DOTALL)
    assert blocks, f"{readme.relative_to(ROOT)} lost its tested block (marker {marker!r})"
    split = ([shlex.split(line, comments=True) for line in b.splitlines()] for b in blocks)
    return [[line for line in block if line] for block in split]


def pulumi_commands(lines: list[list[str]]) -> list[list[str]]:
    """The ``pulumi ...`` lines of a README block (setup lines such as ``cd`` are skipped)."""
    return [line for line in lines if line[0] == "pulumi"]


FLEET = ROOT / "tests" / "e2e" / "programs" / "fleet"
"""The test program declaring one DeclinedInvitations per object of its ``resources`` config."""
FLEET_PROJECT = "macie-invitations-fleet"


def new_stack(fleet: ProjectCli, stack: str, *resources: dict[str, Any]) -> None:
    """A stack of the fleet program declaring ``resources``, in region us-east-1."""
    fleet.run(["pulumi", "stack", "init", stack])
    fleet.run(["pulumi", "config", "set", "aws:region", REGION, "--stack", stack])
    declare(fleet, stack, *resources)


def declare(fleet: ProjectCli, stack: str, *resources: dict[str, Any]) -> None:
    """The fleet program's stack ``stack`` declares ``resources`` (its config, rewritten)."""
    path = fleet.project / f"Pulumi.{stack}.yaml"
    settings = yaml.safe_load(path.read_text())
    settings["config"][f"{FLEET_PROJECT}:resources"] = list(resources)
    path.write_text(yaml.safe_dump(settings))


class ProjectCli:
    """The Pulumi CLI in a scratch copy of a project, run the way a README tells a user to."""

    def __init__(self, project: Path, env: dict[str, str]) -> None:
        self.project = project
        self.env = env

    def run(self, command: Sequence[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one command in the project; fail the test with its output when it fails."""
        done = subprocess.run(
            list(command), cwd=self.project, env=self.env, capture_output=True, text=True
        )
        if check:
            assert done.returncode == 0, f"$ {shlex.join(command)}\n{done.stdout}{done.stderr}"
        return done

    def run_all(self, commands: list[list[str]]) -> list[str]:
        """Run commands in order; the output of each."""
        return [self.run(command).stdout for command in commands]

    def resources(self) -> int:
        """How many resources the selected stack holds, as the CLI's summary counts them
        (the stack itself included, providers left out)."""
        deployment = json.loads(self.run(["pulumi", "stack", "export"]).stdout)["deployment"]
        return sum(
            not r["type"].startswith("pulumi:providers:") for r in deployment.get("resources", [])
        )

    def tear_down(self, commands: list[list[str]], emulator: EmulatorClient) -> str:
        """Run a README's teardown commands (``pulumi destroy``, ``pulumi stack rm``) and
        check what destroy must do: delete every resource of the stack from state, without
        any AWS call (Macie or STS). The output of ``pulumi destroy``."""
        resources = self.resources()
        calls, sts_calls = emulator.calls(service=None), emulator.sts_calls()
        outputs = self.run_all(commands)
        [destroyed] = [out for c, out in zip(commands, outputs, strict=True) if c[1] == "destroy"]
        assert resource_counts(destroyed) == {"deleted": resources}, destroyed
        assert emulator.calls(service=None) == calls, "pulumi destroy called AWS"
        assert emulator.sts_calls() == sts_calls, "pulumi destroy called STS"
        return destroyed

    def remove_stacks(self) -> None:
        """Destroy and remove every stack still in the backend, whatever state it is in."""
        listed = self.run(["pulumi", "stack", "ls", "--json"], check=False)
        for stack in json.loads(listed.stdout or "[]"):
            name = stack["name"]
            if self.run(["pulumi", "stack", "rm", "--yes", name], check=False).returncode:
                self.run(["pulumi", "destroy", "--yes", "--stack", name], check=False)
                self.run(["pulumi", "stack", "rm", "--yes", "--force", name], check=False)


class StackHarness:
    """A stack of the root project, with the emulator it runs against."""

    def __init__(
        self, stack: auto.Stack, emulator: EmulatorClient, env: dict[str, str], work_dir: Path
    ) -> None:
        self.stack = stack
        self.emulator = emulator
        self.env = env
        self.work_dir = work_dir

    def set_accounts(self, accounts: list[str]) -> None:
        """Replace the stack's accountIds config, as the README tells a user to set it."""
        self.pulumi("config", "rm", "accountIds", check=False)
        for index, account in enumerate(accounts):
            self.pulumi(
                "config", "set", "--type", "string", "--path", f"accountIds[{index}]", account
            )

    @property
    def cli(self) -> ProjectCli:
        """The CLI in this stack's project folder, with its environment."""
        return ProjectCli(self.work_dir, self.env)

    def pulumi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the CLI on this stack, as a user would."""
        return self.cli.run(["pulumi", *args, "--stack", STACK], check)

    def resource_state(self) -> dict[str, Any]:
        """The DeclinedInvitations resource as recorded in the stack's state."""
        deployment = self.stack.export_stack().deployment
        assert deployment is not None
        resources = deployment["resources"]
        [resource] = [r for r in resources if r["type"].endswith(":DeclinedInvitations")]
        return dict(resource)

    def received(self) -> dict[str, str]:
        """The invitations this account holds: sender -> status."""
        return statuses(self.emulator)

    def mutating_calls(self) -> list[str]:
        """Operations made so far that can change invitations."""
        return [
            c["operation"]
            for c in self.emulator.calls()
            if c["operation"]
            in {
                "DeclineInvitations",
                "DeleteInvitations",
                "AcceptInvitation",
                "DisassociateFromAdministratorAccount",
            }
        ]


README_MARKER = (
    "<!-- tests/e2e/test_readme.py runs the pulumi commands of the next block, in order -->"
)
"""The README block tests/e2e/test_readme.py runs."""


def run_tool(command: Sequence[str | Path]) -> subprocess.CompletedProcess[str]:
    """Run a command outside any stack (pip, venv), its output captured; unchecked."""
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, check=False)


def succeeded(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """``done``, after failing the test with its output if it failed."""
    assert done.returncode == 0, f"$ {' '.join(done.args)}\n{done.stdout}{done.stderr}"
    return done


class Wheelhouse:
    """Wheels for the stacks' virtualenvs, kept between runs in pytest's cache folder.

    Installs and builds are offline from it; when it lacks something they need, pip
    downloads that into it first. (pip's own cache does not keep every download.)
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def pip(self, python: Path | str, *args: str | Path) -> list[str | Path]:
        """A pip command run by ``python``, offline from the wheelhouse."""
        quiet = ["--disable-pip-version-check", "--quiet"]
        return [python, "-m", "pip", *args, *quiet, "--no-index", "--find-links", self.folder]

    def offline(
        self,
        command: list[str | Path],
        requirements: Sequence[str | Path],
        options: Sequence[str | Path] = (),
    ) -> None:
        """Run an offline pip ``command``; on a miss, add ``requirements`` (with pip
        ``options``, such as constraints) and run it again."""
        if run_tool(command).returncode:
            fill: list[str | Path] = [sys.executable, "-m", "pip", "wheel", "--quiet", *options]
            succeeded(run_tool([*fill, "--wheel-dir", self.folder, *requirements]))
            succeeded(run_tool(command))

    def install(
        self, python: Path, *requirements: str | Path, options: Sequence[str | Path] = ()
    ) -> None:
        """Install ``requirements`` with their dependencies into the environment of ``python``
        (pip itself included: the language host runs it), with pip ``options``."""
        args = ["--python", python, "install", *options, "pip", *requirements]
        self.offline(self.pip(sys.executable, *args), ["pip", *requirements], options)

    def build(self, source: Path, into: Path) -> Path:
        """The wheel of the project in ``source``, built (isolated) into ``into``."""
        pyproject = tomllib.loads((source / "pyproject.toml").read_text())
        self.offline(
            self.pip(sys.executable, "wheel", "--no-deps", "--wheel-dir", into, source),
            pyproject["build-system"]["requires"],
        )
        [wheel] = into.glob("*.whl")
        return wheel


def without_any_virtualenv(env: dict[str, str]) -> dict[str, str]:
    """``env`` as in a shell where no virtualenv is activated and no pulumi is on PATH."""
    folders = [
        folder
        for folder in env["PATH"].split(os.pathsep)
        if folder
        and not (Path(folder) / "activate").exists()
        and not (Path(folder) / "pulumi").exists()
    ]
    bare = {k: v for k, v in env.items() if k not in {"VIRTUAL_ENV", "PULUMI_PYTHON_CMD"}}
    return bare | {"PATH": os.pathsep.join(folders)}


_SECTION = re.compile(r"^\S.*:$")
"""A section title of the CLI's summary at the start of a line: ``Diagnostics:``, ``Outputs:``."""


def diagnostics(output: str) -> tuple[dict[str, list[str]], list[str]]:
    """The ``Diagnostics:`` section of a CLI run's ``output``, as Pulumi prints it: one block a
    resource, keyed by its header line (``pulumi:pulumi:Stack (project-stack):``), its lines
    as printed (blank ones left out), and the lines that follow the section (``Resources:``,
    ``Duration:``). Pulumi prints the blocks in whatever order the resources reported, so
    compare them as a mapping, never in print order."""
    lines = [line.rstrip() for line in output[output.index("Diagnostics:") :].splitlines()]
    blocks: dict[str, list[str]] = {}
    header = ""
    for index, line in enumerate(lines[1:], start=1):
        if _SECTION.match(line):
            return blocks, [line for line in lines[index:] if line]
        if line.startswith("  ") and not line.startswith("   ") and line.endswith(":"):
            header = line.strip()
            assert header not in blocks, f"two blocks for {header}:\n{output}"
            blocks[header] = []
        elif line:
            assert header, f"diagnostics before any resource's header:\n{output}"
            blocks[header].append(line)
    return blocks, []


_COUNT = re.compile(r"^\s+(?:[-+~]+\s*)?(\d+) (\w+(?: \w+)?)$")
"""A line of the ``Resources:`` summary: ``    - 2 deleted``, ``    3 unchanged``."""


def resource_counts(output: str) -> dict[str, int]:
    """The last ``Resources:`` summary of a CLI run's ``output`` (an update's, after its
    preview's): ``{"deleted": 2}``, ``{"to delete": 2}``."""
    found = re.findall(r"^Resources:\n(.*?)(?:\n\n|\Z)", output, re.MULTILINE | re.DOTALL)
    assert found, f"no Resources: summary in:\n{output}"
    counts = {}
    for line in found[-1].splitlines():
        matched = _COUNT.match(line)
        assert matched, f"not a count: {line!r}"
        counts[matched.group(2)] = int(matched.group(1))
    return counts

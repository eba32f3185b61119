"""Target 4: `pulumi preview` and `pulumi up` of 50 DeclinedInvitations against 50 no-op
dynamic resources (Pulumi's own floor), through the real CLI.

A third program is measured beside them: 50 dynamic resources whose hand-written
provider makes the same Macie calls with bare boto3 (Pulumi's floor plus the API's), so
the report can tell the provider's own cost from the cost of the calls themselves.
"""

from __future__ import annotations

import resource
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pulumi_macie_invitations.testing import EmulatorClient
from pulumi_macie_invitations.testing.environment import pulumi_cli_environment

from .processes import ProcessCpu
from .scenario import ME, REGION

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = 50
PASSPHRASE = "bench"  # the benchmark's throw-away file backend only

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


ONE_WRAP_PER_PICKLE = """
import pickle

import pulumi.dynamic.dynamic

_serialize, _setitems = pulumi.dynamic.dynamic.serialize_provider, pickle._Pickler._batch_setitems


def _serialize_from_the_original(provider):
    pickle._Pickler._batch_setitems = _setitems
    return _serialize(provider)


pulumi.dynamic.dynamic.serialize_provider = _serialize_from_the_original
"""
"""Pulumi 3.260's serialize_provider wraps pickle's ``_batch_setitems`` again on every call
and never restores it: past ~300 dynamic resources whose provider pickles a dict (one
defined in ``__main__``), the program fails with RecursionError. The no-op programs
start each serialisation from the original (this package's providers are pickled by
reference and are not affected)."""


def no_op_program(resources: int) -> str:
    """Pulumi's floor: ``resources`` dynamic resources whose provider does nothing."""
    return (
        ONE_WRAP_PER_PICKLE
        + f"""
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class NoOp(ResourceProvider):
    def create(self, props):
        return CreateResult("no-op", {{}})


class NoOpResource(Resource):
    def __init__(self, name):
        super().__init__(NoOp(), name, {{}})


for index in range({resources}):
    NoOpResource(f"no-op-{{index}}")
"""
    )


NO_OP_PROGRAM = no_op_program(RESOURCES)

BARE_BOTO3_PROGRAM = f"""
import threading

from pulumi.dynamic import CreateResult, Resource, ResourceProvider

CLIENTS = threading.Lock()


def list_all(client):
    received, token = {{}}, None
    while True:
        page = client.list_invitations(maxResults=25, **({{"nextToken": token}} if token else {{}}))
        received.update((i["accountId"], i["relationshipStatus"]) for i in page["invitations"])
        token = page.get("nextToken")
        if not token:
            return received


class BareCleanup(ResourceProvider):
    def create(self, props):
        import boto3

        with CLIENTS:
            client = boto3.client("macie2")
        received = list_all(client)
        found = [a for a in props["accountIds"] if a in received]
        pending = [a for a in found if received[a] == "Invited"]
        if pending:
            client.decline_invitations(accountIds=pending)
        if found:
            client.delete_invitations(accountIds=found)
            list_all(client)
        return CreateResult("-".join(props["accountIds"]), {{}})


class BareCleanupResource(Resource):
    def __init__(self, name, account_ids):
        super().__init__(BareCleanup(), name, {{"accountIds": account_ids}})


for index in range({RESOURCES}):
    BareCleanupResource(f"bare-{{index}}", [str(100000000000 + index)])
"""

PROGRAMS = {
    "declined-invitations": DECLINED_INVITATIONS_PROGRAM,
    "no-op": NO_OP_PROGRAM,
    "bare-boto3": BARE_BOTO3_PROGRAM,
}
"""The programs measured; "no-op" is Pulumi's floor, "bare-boto3" that floor plus the calls."""


def write_project(folder: Path, name: str, program: str | None = None) -> Path:
    """A Pulumi project running ``program`` (default: the one of PROGRAMS named ``name``),
    with the repository's virtualenv."""
    project = folder / name
    project.mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(PROJECT.format(name=name, venv=ROOT / ".venv"))
    (project / "__main__.py").write_text(PROGRAMS[name] if program is None else program)
    return project


def cli_environment(folder: Path, endpoint_url: str) -> dict[str, str]:
    """A private backend and PULUMI_HOME; the emulator as AWS."""
    return pulumi_cli_environment(
        endpoint_url,
        home=folder / "home",
        backend=folder / "backend",
        passphrase=PASSPHRASE,
        bin_dir=ROOT / ".venv" / "bin",
    )


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run one CLI command, which must succeed: the seconds it took, and the CPU seconds
    its processes used (every process Pulumi started and waited for)."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _seed(emulator: EmulatorClient) -> None:
    """The account's invitations: one pending invitation from each resource's account."""
    emulator.reset()
    for index in range(RESOURCES):
        emulator.seed_invitation(ME, str(100000000000 + index), REGION)


@contextmanager
def _fresh_stack(
    emulator: EmulatorClient, project: Path, env: dict[str, str], name: str
) -> Iterator[list[str]]:
    """The account seeded afresh and a new, empty stack; yields its ``--stack`` arguments
    and removes the stack afterwards (delete makes no AWS call: nothing to destroy)."""
    _seed(emulator)
    stack = ["--stack", name]
    run(["pulumi", "stack", "init", *stack], project, env)
    yield stack
    run(["pulumi", "stack", "rm", "--yes", "--force", *stack], project, env)


def preview_and_up(
    emulator: EmulatorClient, runs: int, server_cpu: Callable[[], float], server_pid: int
) -> dict[str, dict[str, Any]]:
    """Per program, runs interleaved (each program first in turn): seconds of preview and
    of up from an empty stack, the CPU of Pulumi's processes and of the emulator server
    during each up, the Macie calls of each up; then one extra, untimed up whose CPU is
    split by kind of process."""
    figures: dict[str, dict[str, Any]] = {
        name: {
            "preview": [],
            "up": [],
            "Pulumi processes CPU during up": [],
            "emulator CPU during up": [],
            "calls during up": [],
        }
        for name in PROGRAMS
    }
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch:
        folder = Path(scratch)
        env = cli_environment(folder, emulator.endpoint_url)
        projects = {name: write_project(folder, name) for name in PROGRAMS}
        names = list(projects)
        for attempt in range(runs):
            order = names[attempt % len(names) :] + names[: attempt % len(names)]
            for name in order:
                project = projects[name]
                with _fresh_stack(emulator, project, env, f"run{attempt}") as stack:
                    preview, _ = run(["pulumi", "preview", *stack], project, env)
                    emulator.clear_calls()
                    server_before = server_cpu()
                    up, up_cpu = run(["pulumi", "up", "--yes", *stack], project, env)
                    figures[name]["emulator CPU during up"].append(server_cpu() - server_before)
                    figures[name]["preview"].append(preview)
                    figures[name]["up"].append(up)
                    figures[name]["Pulumi processes CPU during up"].append(up_cpu)
                    figures[name]["calls during up"].append(
                        dict(Counter(call["operation"] for call in emulator.calls()))
                    )
        for name, project in projects.items():
            with (
                _fresh_stack(emulator, project, env, "split") as stack,
                ProcessCpu(exclude={server_pid}, marker=env["PULUMI_BACKEND_URL"]) as split,
            ):
                run(["pulumi", "up", "--yes", *stack], project, env)
            figures[name]["CPU by process during one up"] = split.seconds_by_kind()
    return figures

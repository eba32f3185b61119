"""`make bench`: measure, then write bench/RESULTS.md and bench/results.json.

Every target is a ratio or a count measured side by side in one run; times are medians of
at least five runs (BENCH_RUNS), shown for reference but never the target themselves.

``python -m bench SECTION...`` measures only those sections (``calls``, ``overhead``,
``scaling``, ``cli``, ``organization``, ``organization-1000``), keeps the other figures
of results.json, and writes the report again; ``python -m bench report`` only writes the
report again. results.json is written after each section, so a run cut short keeps the
sections it finished (``python -m bench SECTION...`` then measures the rest).
"""

from __future__ import annotations

import compileall
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pulumi_macie_invitations
from pulumi_macie_invitations.services import SERVICES

from . import calls, cli, organization, organization_scale, organization_services, timing
from .emulator import EmulatorProcess
from .environment import pointed_at
from .report import render
from .scenario import Scenario

HERE = Path(__file__).resolve().parent
SIZES = (1, 50, 500, 5000)
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))
CLI_RUNS = max(RUNS, 7)
"""The CLI figures drift with the machine's speed more than the others: two more runs."""


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    pulumi_cli = subprocess.run(
        ["pulumi", "version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pulumi CLI": pulumi_cli,
        **{package: version(package) for package in ("pulumi", "boto3", "botocore", "moto")},
        "pulumi-macie-invitations": version("pulumi-macie-invitations"),
        "runs per figure": RUNS,
        "runs per CLI figure": CLI_RUNS,
    }


SECTIONS = ("calls", "overhead", "scaling", "cli", "organization", "organization-1000")


def byte_compile() -> None:
    """Compile the package's modules, as installing its wheel does: otherwise every Pulumi
    program and provider process compiles them again where bytecode is not written."""
    package = Path(pulumi_macie_invitations.__file__ or "").parent
    compileall.compile_dir(package, quiet=1)


def measure(
    sections: tuple[str, ...] = SECTIONS,
    finished: Callable[[dict[str, Any]], None] = lambda results: None,
) -> dict[str, Any]:
    """Run the benchmarks of ``sections`` against one emulator server process, handing the
    results so far to ``finished`` after each section."""
    byte_compile()
    results: dict[str, Any] = {"machine": machine()}
    with EmulatorProcess() as server, pointed_at(server.endpoint_url):
        emulator = server.client
        if "calls" in sections:
            print("calls per lifecycle step, each service ...", flush=True)
            results["calls"] = {
                name: {
                    str(n): {
                        "measured": calls.calls_per_step(emulator, Scenario(n, service)),
                        "minimum": Scenario(n, service).minimum_calls(),
                    }
                    for n in SIZES
                }
                for name, service in SERVICES.items()
            }
            finished(results)
        if "overhead" in sections:
            print("provider against bare boto3 at N=500 ...", flush=True)
            provider, bare = timing.timed_runs(
                emulator, Scenario(500), RUNS, timing.provider_cleanup, timing.bare_boto3_cleanup
            )
            results["overhead"] = {"n": 500, "provider": provider, "bare boto3": bare}
            finished(results)
        if "scaling" in sections:
            print("scaling from N=50 to N=5000 ...", flush=True)
            [small] = timing.timed_runs(emulator, Scenario(50), RUNS, timing.provider_cleanup)
            [large] = timing.timed_runs(emulator, Scenario(5000), RUNS, timing.provider_cleanup)
            results["scaling"] = {
                "50": small,
                "5000": large,
                "peak bytes at 5000": timing.peak_memory_bytes(emulator, Scenario(5000)),
            }
            finished(results)
        if "cli" in sections:
            print("pulumi preview and up of 50 resources, three programs ...", flush=True)
            results["cli"] = cli.preview_and_up(emulator, CLI_RUNS, server.cpu_seconds, server.pid)
            finished(results)
        if "organization" in sections:
            print("an organization of 100 members x 22 regions, 50 ms a call ...", flush=True)
            results["organization"] = organization.measure(emulator, RUNS, server.pid)
            print("the same organization, Macie, GuardDuty and Security Hub ...", flush=True)
            results["organization"]["services"] = organization_services.measure(
                emulator, server.pid
            )
            finished(results)
        if "organization-1000" in sections:
            members = organization_scale.MEMBERS
            print(f"an organization of {members} members x 22 regions, 50 ms a call ...")
            results["organization-1000"] = organization_scale.measure(emulator, server.pid)
            finished(results)
    return results


def main(argv: list[str]) -> int:
    unknown = set(argv) - {*SECTIONS, "report"}
    if unknown:
        print(f"unknown section(s) {sorted(unknown)}; known: {', '.join(SECTIONS)}")
        return 2
    sections = tuple(argv) or SECTIONS
    saved = HERE / "results.json"
    kept = json.loads(saved.read_text()) if argv and saved.exists() else {}

    def combined(measured: dict[str, Any]) -> dict[str, Any]:
        results = kept | measured
        if "machine" in kept:  # the other sections' figures were measured on that one
            results["machine"] = kept["machine"]
            for section in sections:
                if section in measured:
                    results[f"machine of {section}"] = measured["machine"]
        return results

    def save(measured: dict[str, Any]) -> None:
        saved.write_text(json.dumps(combined(measured), indent=2) + "\n")

    results = kept if argv == ["report"] else combined(measure(sections, save))
    saved.write_text(json.dumps(results, indent=2) + "\n")
    report, all_met = render(results)
    (HERE / "RESULTS.md").write_text(report)
    print(report)
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

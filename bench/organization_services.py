"""Section 5, several services: the organization of section 5 guarding Macie, GuardDuty
and Security Hub at once (100 members x 22 regions x 3 services, 6,600 inboxes), one
inbox in ten spammed, the same latency.

The same figures as the Macie-only run, with fewer runs (:data:`RUNS`, said by the
report): the calls of each command against the minimum, the time of each against
Pulumi's floor (section 5's 100 no-op resources) plus 1.2 x the bare boto3 sweep of the
same inboxes, beside the reference of this shape (no-op resources holding what a member
of three services records), and the provider's peak memory in one extra, untimed
`pulumi up`.
``BENCH_ORGANIZATION_MEMBERS`` sets the members, as for the rest of the section.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from pulumi_macie_invitations.services import SERVICES
from pulumi_macie_invitations.testing import EmulatorClient

from .cli import cli_environment, write_project
from .organization import (
    COMMANDS,
    LATENCY_MS,
    MEMBERS,
    REFERENCE_VERSION,
    Organization,
    _Run,
    _run_bare,
    _run_no_op,
    _run_ours,
    peak_memory,
    runs_figures,
)

RUNS = int(os.environ.get("BENCH_ORGANIZATION_SERVICES_RUNS", "1"))
"""Runs of the three commands and the bare sweep: one by default, to keep the section's
time modest (each run of 6,600 inboxes costs about three of the Macie-only one)."""


def measure(emulator: EmulatorClient, server_pid: int) -> dict[str, Any]:
    """Every figure of the several-services run (module docstring)."""
    org = Organization(MEMBERS, tuple(SERVICES))
    figures: dict[str, Any] = {
        "members": MEMBERS,
        "regions": len(org.regions),
        "services": list(org.services),
        "latency ms": LATENCY_MS,
        "runs": RUNS,
        "minimum calls": org.minimum_calls(),
        **runs_figures(),
        "no-op members": {command: [] for command in COMMANDS},
        "reference version": REFERENCE_VERSION,
    }
    with tempfile.TemporaryDirectory(prefix="bench-org-services-") as scratch:
        folder = Path(scratch)
        env = cli_environment(folder, emulator.endpoint_url)
        project = write_project(folder, "organization-services", org.program())
        shaped = write_project(folder, "no-op-members-services", org.no_op_members_program())
        for attempt in range(RUNS):
            turn = _Run(emulator, org, figures, env, attempt)
            _run_ours(turn, project)
            _run_no_op(turn, shaped, "no-op members")
            _run_bare(turn)
        figures["peak memory bytes"] = peak_memory(emulator, org, project, env, server_pid)
    return figures

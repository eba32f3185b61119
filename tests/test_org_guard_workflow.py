"""examples/org-guard/workflow/guard.yml, the scheduled run a team copies: it runs the pulumi
commands its README documents, on a schedule, with short-lived AWS credentials (OIDC), one
run a stack at a time, and a failure opens an issue. No CLI: reads the YAML and the README."""

from __future__ import annotations

import re
import shlex
from itertools import takewhile
from typing import Any

import pytest
import yaml

from .cli import pulumi_commands, readme_blocks
from .helpers import ROOT

EXAMPLE = ROOT / "examples" / "org-guard"
WORKFLOW = EXAMPLE / "workflow" / "guard.yml"
MARKER = (
    "<!-- tests/test_org_guard_workflow.py checks that workflow/guard.yml runs the pulumi "
    "commands of the next block, in order -->"
)
LONG_LIVED_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
SHELL_OPERATOR = re.compile(r"[();<>|&]+")
PINNED = re.compile(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*")
"""An action named by its owner, repository and at least a major version."""


def documented_commands() -> list[list[str]]:
    """The pulumi commands of the README's schedule block."""
    [block] = readme_blocks(EXAMPLE / "README.md", MARKER)
    return pulumi_commands(block)


def scripted_commands(step: dict[str, Any]) -> list[list[str]]:
    """The ``pulumi ...`` lines of a step's script, each split as the shell does up to its
    first operator (a redirection, ``||``, a pipe)."""
    commands = []
    for line in str(step.get("run", "")).splitlines():
        if line.split()[:1] == ["pulumi"]:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            words = takewhile(lambda word: not SHELL_OPERATOR.fullmatch(word), lexer)
            commands.append(list(words))
    return commands


def workflow_problems(text: str, documented: list[list[str]]) -> list[str]:
    """What is wrong with a workflow (its YAML ``text``) against the documented commands."""
    workflow = yaml.safe_load(text)
    triggers = workflow.get("on", workflow.get(True, {}))  # YAML 1.1 reads the key `on` as true
    [job] = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    permissions = job.get("permissions", workflow.get("permissions", {}))
    found = []
    if [c for step in steps for c in scripted_commands(step)] != documented:
        found.append("its pulumi commands are not the README's schedule block")
    if not (triggers or {}).get("schedule"):
        found.append("not triggered by `schedule`")
    if permissions.get("id-token") != "write":
        found.append("no `id-token: write`: no OIDC, so no short-lived credentials")
    if any(key in text for key in LONG_LIVED_KEYS):
        found.append("names a long-lived AWS key")
    if not [s for s in steps if "role-to-assume" in s.get("with", {})]:
        found.append("assumes no role")
    concurrency = job.get("concurrency", workflow.get("concurrency"))
    if not concurrency or concurrency.get("cancel-in-progress", False):
        found.append("two runs may overlap, or one may cancel a `pulumi up` in progress")
    failure = [s for s in steps if s.get("if") == "failure()"]
    if not failure or "gh issue" not in failure[-1].get("run", ""):
        found.append("no step opens an issue after a failure")
    elif permissions.get("issues") != "write":
        found.append("the failure step's issue needs `issues: write`")
    unpinned = [s["uses"] for s in steps if "uses" in s and not PINNED.fullmatch(s["uses"])]
    if unpinned:
        found.append(f"actions without a version: {unpinned}")
    return found


def test_the_readme_documents_a_scheduled_up_with_refresh() -> None:
    ups = [c for c in documented_commands() if c[:2] == ["pulumi", "up"]]
    assert ups == [["pulumi", "up", "--refresh", "--yes", "--stack", "$PULUMI_STACK"]]


def test_the_workflow_runs_the_readme_commands_on_a_schedule_with_short_lived_credentials() -> None:
    assert workflow_problems(WORKFLOW.read_text(), documented_commands()) == []


def _edit(old: str, new: str) -> str:
    text = WORKFLOW.read_text()
    assert text.count(old) == 1, f"the workflow should have {old!r} once"
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "pulumi up --refresh --yes",
            "pulumi up --yes",
            "its pulumi commands are not the README's schedule block",
        ),
        (
            '> summary.txt || echo "(no summary',
            '--json > summary.txt || echo "(no summary',
            "its pulumi commands are not the README's schedule block",
        ),
        ("  schedule:\n", "  push:\n", "not triggered by `schedule`"),
        (
            "id-token: write",
            "id-token: none",
            "no `id-token: write`: no OIDC, so no short-lived credentials",
        ),
        (
            '      PULUMI_SKIP_UPDATE_CHECK: "true"\n',
            '      PULUMI_SKIP_UPDATE_CHECK: "true"\n'
            "      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n",
            "names a long-lived AWS key",
        ),
        ("role-to-assume:", "role-to-skip:", "assumes no role"),
        (
            "cancel-in-progress: false",
            "cancel-in-progress: true",
            "two runs may overlap, or one may cancel a `pulumi up` in progress",
        ),
        ("if: failure()", "if: always()", "no step opens an issue after a failure"),
        ("issues: write", "issues: read", "the failure step's issue needs `issues: write`"),
        (
            "actions/checkout@v4",
            "actions/checkout@main",
            "actions without a version: ['actions/checkout@main']",
        ),
    ],
)
def test_each_check_finds_its_problem(old: str, new: str, problem: str) -> None:
    assert workflow_problems(_edit(old, new), documented_commands()) == [problem]


def test_the_workflow_without_concurrency_is_found() -> None:
    text = re.sub(r"^concurrency:\n(  .*\n)+", "", WORKFLOW.read_text(), flags=re.M)
    assert "concurrency" not in text
    assert workflow_problems(text, documented_commands()) == [
        "two runs may overlap, or one may cancel a `pulumi up` in progress"
    ]

"""The review loop after an invitation comes back, run exactly as docs/drift.md's block says:
`pulumi refresh`, `pulumi preview --diff`, `pulumi up`, asserting on what each prints."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from pulumi_macie_invitations.provider import DeclinedInvitationsProvider
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import README_MARKER as SETUP_MARKER
from ..cli import ProjectCli, diagnostics, pulumi_commands, readme_blocks
from ..helpers import ME, REGION, ROOT

MARKER = "<!-- tests/e2e/test_drift.py runs the pulumi commands of the next block, in order -->"
BYSTANDER = "777788889999"  # invites too, but is listed nowhere: must be left alone


def section(output: str, title: str) -> str:
    """The lines of ``output`` from ``title`` to the next blank line."""
    found = re.search(rf"^{re.escape(title)}\n(.*?)(?:\n\n|\Z)", output, re.MULTILINE | re.DOTALL)
    assert found, f"no {title!r} in:\n{output}"
    return found.group(1)


def test_readme_drift_loop_names_the_senders(
    macie_emulator: EmulatorClient, project_cli: Callable[[Path], ProjectCli]
) -> None:
    [setup] = readme_blocks(ROOT / "README.md", SETUP_MARKER)
    [loop] = readme_blocks(ROOT / "docs" / "drift.md", MARKER)
    refresh, preview, up = pulumi_commands(loop)
    assert [refresh[:2], preview[:3], up[:2]] == [
        ["pulumi", "refresh"],
        ["pulumi", "preview", "--diff"],
        ["pulumi", "up"],
    ]
    listed = sorted(c[-1] for c in pulumi_commands(setup) if "--path" in c)
    back = listed[-1]
    for sender in listed:
        macie_emulator.send_invitations(sender, [ME], REGION)
    cli = project_cli(ROOT)
    cli.run_all(pulumi_commands(setup))
    assert macie_emulator.received(ME, REGION) == []

    macie_emulator.send_invitations(back, [ME], REGION)  # re-sent after the cleanup
    macie_emulator.send_invitations(BYSTANDER, [ME], REGION)
    refreshed, previewed, healed = cli.run_all([refresh, preview, up])

    # refresh: says drift was found, and from whom, in its diagnostics (every block of them,
    # whichever order Pulumi prints them in)
    blocks, _ = diagnostics(refreshed)
    found = "\n".join(line for block in blocks.values() for line in block)
    assert "drift in DeclinedInvitations us-east-1-" in found
    assert (
        f"invitations to clean again from {back} ({DeclinedInvitationsProvider.drift_reason})"
        in found
    )
    assert listed[0] not in found
    assert BYSTANDER not in found

    # preview --diff: one added property naming the sender; the program's list untouched
    assert "+ invitationsToCleanAgain: {\n" in previewed
    assert f'+ {back}: "{DeclinedInvitationsProvider.drift_reason}"' in previewed
    assert "=>" not in previewed  # no positional changes such as ~ [0]: "..." => "..."
    assert not re.search(r"^\s*[-+~] \[\d+\]", previewed, re.MULTILINE)
    assert "~ 1 to update" in previewed

    # up: cleans it; the stack's outputs read unchanged (nothing reads as undone)
    assert "~ 1 updated" in healed
    assert "[diff: +invitationsToCleanAgain]" in healed
    outputs = section(healed, "Outputs:")
    assert not re.search(r"^\s*[-+~] ", outputs, re.MULTILINE), outputs
    assert "=>" not in outputs
    assert f'{back}: "declined and deleted"' in outputs
    assert {i["accountId"] for i in macie_emulator.received(ME, REGION)} == {BYSTANDER}
    assert "2 unchanged" in cli.run(["pulumi", "preview", "--diff"]).stdout


def as_0_1_0(cli: ProjectCli, reappeared: list[str]) -> None:
    """Rewrite the stack's state as 0.1.0 left it: no ``outcomes``; after a refresh that
    found ``reappeared``, those in ``reappearedAccountIds`` and dropped from the inputs."""
    deployment = json.loads(cli.run(["pulumi", "stack", "export"]).stdout)
    [resource] = [
        r for r in deployment["deployment"]["resources"] if r["type"].endswith("Invitations")
    ]
    resource["outputs"].pop("outcomes", None)
    resource["outputs"]["reappearedAccountIds"] = reappeared
    resource["inputs"]["accountIds"] = [
        a for a in resource["inputs"]["accountIds"] if a not in reappeared
    ]
    exported = cli.project / "state.json"
    exported.write_text(json.dumps(deployment))
    cli.run(["pulumi", "stack", "import", "--file", str(exported)])


def test_a_0_1_0_stack_previews_no_spurious_change_and_heals(
    macie_emulator: EmulatorClient, project_cli: Callable[[Path], ProjectCli]
) -> None:
    [setup] = readme_blocks(ROOT / "README.md", SETUP_MARKER)
    listed = sorted(c[-1] for c in pulumi_commands(setup) if "--path" in c)
    for sender in listed:
        macie_emulator.send_invitations(sender, [ME], REGION)
    cli = project_cli(ROOT)
    cli.run_all(pulumi_commands(setup))

    as_0_1_0(cli, [])
    assert "2 unchanged" in cli.run(["pulumi", "preview", "--diff"]).stdout

    back = listed[-1]
    macie_emulator.send_invitations(back, [ME], REGION)
    as_0_1_0(cli, [back])  # as a 0.1.0 `pulumi refresh` recorded it
    assert "~ 1 to update" in cli.run(["pulumi", "preview", "--diff"]).stdout
    cli.run(["pulumi", "refresh", "--yes"])  # this version's refresh records it anew
    previewed = cli.run(["pulumi", "preview", "--diff"]).stdout
    assert f'+ {back}: "{DeclinedInvitationsProvider.drift_reason}"' in previewed
    assert "=>" not in previewed
    cli.run(["pulumi", "up", "--yes"])
    assert macie_emulator.received(ME, REGION) == []
    assert "2 unchanged" in cli.run(["pulumi", "preview", "--diff"]).stdout

    macie_emulator.send_invitations(back, [ME], REGION)
    as_0_1_0(cli, [back])
    cli.run(["pulumi", "up", "--yes"])  # healed without a refresh of this version, too
    assert macie_emulator.received(ME, REGION) == []
    assert "2 unchanged" in cli.run(["pulumi", "preview", "--diff"]).stdout

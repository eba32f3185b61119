"""The first hour, through the real CLI: a mistake in the environment fails `pulumi preview`
with one message and no traceback, before any AWS call; a failure at apply time shows its
message right under the SDK's own frames, as docs/errors.md shows it (each resource's block
of diagnostics as shown there, in whichever order Pulumi prints the blocks)."""

from __future__ import annotations

import re

import pytest

from ..cli import STACK, ProjectCli, StackHarness, diagnostics
from ..helpers import ME, REGION, ROOT, Figures

pytestmark = pytest.mark.e2e

A = "111122223333"
RESOURCE = "resource 'stale-invitations' has a problem: "
DECLINED = "pulumi-python:dynamic/macie2:DeclinedInvitations (stale-invitations)"
"""The header of the resource's block of diagnostics."""
MISTAKES = {
    "AWS_PROFILE": "nope",
    "AWS_ENDPOINT_URL_MACIE2": "not-a-url",
    "MACIE_INVITATIONS_READ_TIMEOUT": "-1",
    "AWS_RETRY_MODE": "bogus",
}
"""What a new user tried (issue 16): each used to pass the preview and fail `pulumi up`."""
README_MARKER = "<!-- tests/e2e/test_environment_cli.py checks the next block -->"
_FRAME = re.compile(r'^\s*File "([^"]+)", line \d+, in (\w+)$', re.MULTILINE)


def test_environment_mistakes_fail_the_preview_before_any_aws_call(
    pulumi_stack: StackHarness, figures: Figures
) -> None:
    pulumi_stack.emulator.seed_invitation(ME, A, REGION)
    pulumi_stack.set_accounts([A])
    pulumi_stack.emulator.clear_calls()
    for variable, value in MISTAKES.items():
        cli = ProjectCli(pulumi_stack.work_dir, pulumi_stack.env | {variable: value})
        done = cli.run(["pulumi", "preview", "--stack", STACK], check=False)
        output = done.stdout + done.stderr
        assert done.returncode != 0, output
        [message] = set(re.findall(rf"{re.escape(RESOURCE)}(.*)$", output, re.MULTILINE))
        assert message.startswith(f"{variable} is {value!r}: expected ") or (
            message.startswith(f"{variable} is {value!r}: not a profile")
        ), message
        assert "Traceback" not in output
        assert pulumi_stack.emulator.calls(service=None) == []
        figures.add(
            "environment",
            f"through the CLI: `{variable}={value}`",
            "`pulumi preview` fails; AWS calls made: 0",
            f"`{RESOURCE}{message}`",
        )


def test_a_failed_up_shows_the_message_under_the_sdks_frames(pulumi_stack: StackHarness) -> None:
    pulumi_stack.emulator.seed_invitation(ME, A, REGION)
    pulumi_stack.set_accounts([A])
    pulumi_stack.emulator.deny("DeclineInvitations")
    done = pulumi_stack.pulumi("up", "--yes", check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output

    blocks, after = diagnostics(output)
    [resource] = [block for header, block in blocks.items() if header.startswith(DECLINED)]
    frames = _FRAME.findall("\n".join(line for block in blocks.values() for line in block))
    ours = [frame for frame in frames if "pulumi_macie_invitations" in frame[0]]
    sdk = [frame for frame in frames if "/pulumi/dynamic/" in frame[0]]
    assert len(ours) <= 1, blocks
    assert len(ours) + len(sdk) == len(frames) >= 1, blocks
    assert len(_FRAME.findall("\n".join(resource))) == len(frames), blocks  # all in its block
    message = "pulumi_macie_invitations.errors.AwsCallError: DeclineInvitations for accounts"
    [last_frame] = [i for i, line in enumerate(resource) if _FRAME.match(line)][-1:]
    assert message in resource[last_frame + 3], resource

    shown_blocks, shown_after = diagnostics(_readme_example())
    assert _comparable(blocks) == _comparable(shown_blocks), (blocks, shown_blocks)
    assert _comparable({"": after}) == _comparable({"": shown_after}), (after, shown_after)


def _readme_example() -> str:
    """The failed `pulumi up` docs/errors.md shows."""
    text = (ROOT / "docs" / "errors.md").read_text()
    found = re.search(re.escape(README_MARKER) + r"\s*```\n(.*?)```", text, re.DOTALL)
    assert found, "docs/errors.md lost its failed `pulumi up`"
    return found.group(1)


def _comparable(blocks: dict[str, list[str]]) -> dict[str, list[str]]:
    """Diagnostics blocks without what differs between machines and runs."""

    def normal(line: str) -> str:
        line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", line)
        line = re.sub(r'File "[^"]*/site-packages/', 'File ".../site-packages/', line)
        return re.sub(r"Duration: \d+s", "Duration: <time>", line)

    return {header: [normal(line) for line in block] for header, block in blocks.items()}

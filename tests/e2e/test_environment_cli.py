"""The first hour, through the real CLI: a mistake in the environment fails `pulumi preview`
with one message and no traceback, before any AWS call; a failure at apply time shows its
message right under the SDK's own frames, as the README shows it."""

from __future__ import annotations

import re

import pytest

from ..cli import ROOT, STACK, ProjectCli, StackHarness
from ..helpers import ME, REGION, Figures

pytestmark = pytest.mark.e2e

A = "111122223333"
RESOURCE = "resource 'stale-invitations' has a problem: "
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
        assert pulumi_stack.emulator.calls() == []
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

    diagnostics = output[output.index("Diagnostics:") :]
    frames = _FRAME.findall(diagnostics)
    ours = [frame for frame in frames if "pulumi_macie_invitations" in frame[0]]
    sdk = [frame for frame in frames if "/pulumi/dynamic/" in frame[0]]
    assert len(ours) <= 1, diagnostics
    assert len(ours) + len(sdk) == len(frames) >= 1, diagnostics
    message = "pulumi_macie_invitations.errors.AwsCallError: DeclineInvitations for accounts"
    last_frame = diagnostics.rindex('File "')
    assert message in diagnostics[last_frame:].splitlines()[3], diagnostics

    shown = _readme_example()
    assert _comparable(diagnostics) == _comparable(shown), (diagnostics, shown)


def _readme_example() -> str:
    """The failed `pulumi up` the README shows, from its Diagnostics on."""
    text = (ROOT / "README.md").read_text()
    found = re.search(re.escape(README_MARKER) + r"\s*```\n(.*?)```", text, re.DOTALL)
    assert found, "README.md lost its failed `pulumi up`"
    block = found.group(1)
    return block[block.index("Diagnostics:") :]


def _comparable(diagnostics: str) -> list[str]:
    """The diagnostics without what differs between machines and runs."""
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", diagnostics)
    text = re.sub(r'File "[^"]*/site-packages/', 'File ".../site-packages/', text)
    text = re.sub(r"Duration: \d+s", "Duration: <time>", text)
    return [line.rstrip() for line in text.splitlines() if line.strip()]

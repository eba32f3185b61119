"""Nothing secret reaches the stack's state: sentinel credentials are never written."""

from __future__ import annotations

import base64
import json
from typing import Any

from .conftest import (
    ME,
    REGION,
    SENTINEL_ACCESS_KEY,
    SENTINEL_SECRET_KEY,
    SENTINEL_SESSION_TOKEN,
    StackHarness,
)

SECRET_SIG = "4dabf18193072939515e22adb298388d"
SENTINELS = (SENTINEL_ACCESS_KEY, SENTINEL_SECRET_KEY, SENTINEL_SESSION_TOKEN)


def export(harness: StackHarness, *flags: str) -> str:
    return harness.pulumi("stack", "export", *flags).stdout


def declined_invitations(state: str) -> dict[str, Any]:
    resources = json.loads(state)["deployment"]["resources"]
    [resource] = [r for r in resources if r["type"].endswith(":DeclinedInvitations")]
    return dict(resource)


def test_state_holds_no_credentials_and_the_provider_is_secret(pulumi_stack: StackHarness) -> None:
    pulumi_stack.emulator.send_invitations("111122223333", [ME], REGION)
    pulumi_stack.set_accounts(["111122223333"])
    up = pulumi_stack.stack.up()
    for sentinel in SENTINELS:
        assert sentinel not in up.stdout + up.stderr

    masked = declined_invitations(export(pulumi_stack))
    for properties in (masked["inputs"], masked["outputs"]):
        assert properties["__provider"][SECRET_SIG] == "1b47061264138c4ac30d75fd1eb44270"
        assert "ciphertext" in properties["__provider"]

    shown = export(pulumi_stack, "--show-secrets")
    for sentinel in SENTINELS:
        assert sentinel not in shown
    payload = base64.b64decode(
        json.loads(declined_invitations(shown)["outputs"]["__provider"]["plaintext"])
    )
    for sentinel in SENTINELS:
        assert sentinel.encode() not in payload
    assert len(payload) < 2048  # a reference to the provider class, not a copy of its code

"""Target 1: AWS calls per lifecycle step against the minimum each service's API allows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from pulumi_macie_invitations.provider import DeclinedInvitationsProvider
from pulumi_macie_invitations.testing import EmulatorClient

from .scenario import REGION, Scenario


def count_calls(emulator: EmulatorClient, step: Callable[[], Any]) -> dict[str, int]:
    """Run one lifecycle step; return the calls it made to any emulated service, by
    operation (a call to another service than the scenario's counts too)."""
    emulator.clear_calls()
    step()
    return dict(Counter(call["operation"] for call in emulator.calls(service=None)))


def calls_per_step(emulator: EmulatorClient, scenario: Scenario) -> dict[str, dict[str, int]]:
    """Each lifecycle step of one resource listing ``scenario.listed`` in the scenario's
    service, in order."""
    scenario.seed(emulator)
    provider = DeclinedInvitationsProvider()
    news = {"accountIds": scenario.listed, "region": REGION, "service": scenario.service.name}
    measured: dict[str, dict[str, int]] = {}
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {}

    def check() -> None:
        inputs.update(provider.check({}, news).inputs)

    def create() -> None:
        created = provider.create(inputs)
        outputs.update(created.outs or {}, id=created.id)

    measured["check"] = count_calls(emulator, check)
    measured["diff"] = count_calls(emulator, lambda: provider.diff("id", inputs, inputs))
    measured["create"] = count_calls(emulator, create)
    measured["read"] = count_calls(emulator, lambda: provider.read(outputs["id"], outputs))
    measured["update (nothing left)"] = count_calls(
        emulator, lambda: provider.update(outputs["id"], outputs, inputs)
    )
    measured["delete"] = count_calls(emulator, lambda: provider.delete(outputs["id"], outputs))
    return measured

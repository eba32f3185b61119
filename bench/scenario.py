"""The invitations a benchmark run starts from, and the fewest AWS calls that clean them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from pulumi_macie_invitations.services import DEFAULT_SERVICE, ServiceDescription
from pulumi_macie_invitations.testing import EmulatorClient

ME = "123456789012"
REGION = "us-east-1"
DECLINED = "Resigned"


@dataclass(frozen=True)
class Scenario:
    """N listed accounts: 40% pending, 30% already declined, 30% with no invitation;
    plus N/10 (at least 1) invitations from accounts that are not listed; in the benchmark
    account's inbox of ``service`` (Macie's by default)."""

    n: int
    service: ServiceDescription = DEFAULT_SERVICE

    @property
    def listed(self) -> list[str]:
        """The account ids the resource lists."""
        return [f"{100000000000 + i}" for i in range(self.n)]

    @property
    def pending(self) -> list[str]:
        return self.listed[: self.n * 4 // 10]

    @property
    def declined(self) -> list[str]:
        return self.listed[self.n * 4 // 10 : self.n * 7 // 10]

    @property
    def unlisted(self) -> list[str]:
        return [f"{900000000000 + i}" for i in range(max(1, self.n // 10))]

    def seed(self, emulator: EmulatorClient) -> None:
        """Reset the emulator and give the benchmark account this scenario's invitations."""
        emulator.reset()
        named = self.service.name
        for sender in self.pending + self.unlisted:
            emulator.seed_invitation(ME, sender, REGION, service=named)
        for sender in self.declined:
            emulator.seed_invitation(ME, sender, REGION, DECLINED, service=named)

    def minimum_calls(self) -> dict[str, dict[str, int]]:
        """The fewest calls per lifecycle step the service's API allows for this scenario:
        its description's page and batch sizes."""
        service = self.service
        held = len(self.pending) + len(self.declined)
        before = held + len(self.unlisted)
        pages_before = max(1, math.ceil(before / service.page_size))
        pages_after = max(1, math.ceil(len(self.unlisted) / service.page_size))
        clean = {
            service.list_operation: pages_before + (pages_after if held else 0),
            service.decline_operation: math.ceil(len(self.pending) / service.batch_size),
            service.delete_operation: math.ceil(held / service.batch_size),
        }
        clean = {operation: count for operation, count in clean.items() if count}
        return {
            "check": {},
            "diff": {},
            "create": clean,
            "read": {service.list_operation: pages_after},
            "update (nothing left)": {service.list_operation: pages_after},
            "delete": {},
        }

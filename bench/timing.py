"""Targets 2 and 3: the provider's create against bare boto3, and how it scales."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import boto3
from pulumi_macie_invitations.provider import DeclinedInvitationsProvider
from pulumi_macie_invitations.testing import EmulatorClient

from .scenario import REGION, Scenario

PENDING = "Invited"


def bare_boto3_cleanup(account_ids: list[str]) -> None:
    """The same minimal calls as the provider, written as a plain boto3 script."""
    macie2 = boto3.client("macie2", region_name=REGION)
    listed = set(account_ids)
    pages = macie2.get_paginator("list_invitations").paginate(PaginationConfig={"PageSize": 25})
    found = {
        i["accountId"]: i["relationshipStatus"]
        for page in pages
        for i in page["invitations"]
        if i["accountId"] in listed
    }
    pending = sorted(a for a, status in found.items() if status == PENDING)
    held = sorted(found)
    for start in range(0, len(pending), 50):
        macie2.decline_invitations(accountIds=pending[start : start + 50])
    for start in range(0, len(held), 50):
        macie2.delete_invitations(accountIds=held[start : start + 50])
    if held:
        for _ in macie2.get_paginator("list_invitations").paginate():
            pass


def provider_cleanup(account_ids: list[str]) -> None:
    """The provider's create, as the engine calls it after check."""
    provider = DeclinedInvitationsProvider()
    provider.create(provider.check({}, {"accountIds": account_ids, "region": REGION}).inputs)


def timed_runs(
    emulator: EmulatorClient, scenario: Scenario, runs: int, *cleanups: Callable[[list[str]], Any]
) -> list[list[float]]:
    """Seconds of each cleanup for ``runs`` rounds, interleaved, from a fresh scenario each time."""
    seconds: list[list[float]] = [[] for _ in cleanups]
    for _ in range(runs):
        for index, cleanup in enumerate(cleanups):
            scenario.seed(emulator)
            start = time.perf_counter()
            cleanup(scenario.listed)
            seconds[index].append(time.perf_counter() - start)
    return seconds


def median(values: list[float]) -> float:
    """The median, for figures robust to one slow run."""
    return statistics.median(values)


def peak_memory_bytes(emulator: EmulatorClient, scenario: Scenario) -> int:
    """Peak Python memory allocated during one provider create (tracemalloc)."""
    scenario.seed(emulator)
    tracemalloc.start()
    try:
        provider_cleanup(scenario.listed)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

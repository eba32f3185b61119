"""Where a service is available, and the region STS is called in.

The regions come from botocore's endpoint data (``endpoints.json``), read once per
process without building a session (which would cost half a second in every preview).
A role's partition comes from its ARN (``arn:aws-cn:``, ``arn:aws-us-gov:``); STS is
called in one region by one rule (:func:`sts_region`), never a hard-coded one.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from typing import Any, Final

DEFAULT_PARTITION: Final = "aws"


def service_regions(service: str) -> frozenset[str]:
    """Regions where botocore's endpoint data lists ``service`` (its endpoints.json key),
    across all partitions.

    The same set as boto3's ``get_available_regions(service, partition)`` over every
    partition (the service's endpoints that are regions of their partition).
    """
    return frozenset(
        region for regions in _regions_by_partition(service).values() for region in regions
    )


def partition_regions(service: str, partition: str) -> list[str] | None:
    """The regions of ``partition`` where ``service`` is available, sorted; None when
    botocore knows no such partition."""
    regions = _regions_by_partition(service).get(partition)
    return None if regions is None else sorted(regions)


def partition_of_region(region: str) -> str | None:
    """The partition a region belongs to (its listing, else the partition's region
    pattern); None when no partition matches."""
    for data in _endpoint_data()["partitions"]:
        if region in data.get("regions", {}):
            return str(data.get("partition"))
    for data in _endpoint_data()["partitions"]:
        if re.fullmatch(data.get("regionRegex", "(?!)"), region):
            return str(data.get("partition"))
    return None


def partition_of_arn(arn: str) -> str:
    """The partition an ARN names (``arn:<partition>:...``)."""
    return arn.split(":")[1]


def account_of_arn(arn: str) -> str:
    """The account an ARN belongs to (``arn:<partition>:<service>::<account>:...``)."""
    return arn.split(":")[4]


@functools.cache
def _regions_by_partition(service: str) -> dict[str, frozenset[str]]:
    by_partition: dict[str, frozenset[str]] = {}
    for data in _endpoint_data()["partitions"]:
        endpoints = data.get("services", {}).get(service, {}).get("endpoints", {})
        by_partition[data.get("partition", "")] = frozenset(
            name for name in endpoints if name in data.get("regions", {})
        )
    return by_partition


@functools.cache
def _endpoint_data() -> dict[str, Any]:
    """botocore's ``endpoints.json``: the file it ships, else through its data loader."""
    shipped = importlib.resources.files("botocore").joinpath("data", "endpoints.json")
    if shipped.is_file():
        data: dict[str, Any] = json.loads(shipped.read_bytes())
        return data
    import botocore.loaders

    loaded: dict[str, Any] = botocore.loaders.create_loader().load_data("endpoints")
    return loaded


def sts_region(
    target_region: str | None, stack_region: str | None, environment_region: str | None
) -> str | None:
    """The one rule for the region STS is called in, for every role: the target's region
    (an inbox resource's), else the stack's ``aws:region``, else the environment's; None
    when none is known (a member then fails its check)."""
    return target_region or stack_region or environment_region


def partition_mismatch(role_arn: str, region: str) -> str | None:
    """Why STS in ``region`` cannot assume ``role_arn`` (the two are in different
    partitions), naming both; None when they match or the region's partition is unknown."""
    region_partition = partition_of_region(region)
    role_partition = partition_of_arn(role_arn)
    if region_partition is None or region_partition == role_partition:
        return None
    return (
        f"the role is in partition {role_partition!r} but STS would be called in {region} "
        f"(partition {region_partition!r}): set a region of partition {role_partition!r}"
    )

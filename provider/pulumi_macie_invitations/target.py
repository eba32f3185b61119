"""Where a cleanup happens: the Macie account and region (:class:`Target`), the regions
where Amazon Macie is available, and the endpoint boto3 is pointed at by the environment.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from . import environment
from . import properties as p

GLOBAL_ENDPOINT_VARIABLE: Final = "AWS_ENDPOINT_URL"
"""boto3's endpoint for every service that has no ``AWS_ENDPOINT_URL_<SERVICE>`` of its own."""
IGNORE_ENDPOINTS_VARIABLE: Final = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
IGNORE_ENDPOINTS_SETTING: Final = "ignore_configured_endpoint_urls"


@dataclass(frozen=True)
class Target:
    """The Macie account and region a resource cleans, as recorded in its state."""

    region: str
    endpoint_url: str | None = None
    profile: str | None = None
    role_arn: str | None = None
    session_name: str | None = None
    external_id: str | None = None

    @classmethod
    def from_properties(cls, props: Mapping[str, Any]) -> Target:
        """Read a target from checked inputs or from recorded outputs."""
        return cls(
            region=props[p.REGION],
            endpoint_url=props.get(p.ENDPOINT_URL),
            profile=props.get(p.PROFILE),
            role_arn=props.get(p.ROLE_ARN),
            session_name=props.get(p.SESSION_NAME),
            external_id=props.get(p.EXTERNAL_ID),
        )

    def describe(self) -> str:
        """Where, for messages: region, and the role when one is assumed."""
        where = f"region {self.region}"
        if self.role_arn:
            where += f" as {self.role_arn}"
        if self.endpoint_url:
            where += f" at {self.endpoint_url}"
        return where


@functools.cache
def macie_regions() -> frozenset[str]:
    """Regions where botocore's endpoint data lists Amazon Macie, across all partitions.

    The same set as boto3's ``get_available_regions("macie2", partition)`` over every
    partition (the service's endpoints that are regions of their partition), read from
    botocore's endpoint data without building a session, which would cost half a second
    in every preview; read once per process.
    """
    return frozenset(region for regions in _regions_by_partition().values() for region in regions)


def partition_regions(partition: str) -> list[str] | None:
    """The regions of ``partition`` where Amazon Macie is available, sorted; None when
    botocore knows no such partition."""
    regions = _regions_by_partition().get(partition)
    return None if regions is None else sorted(regions)


@functools.cache
def _regions_by_partition() -> dict[str, frozenset[str]]:
    by_partition: dict[str, frozenset[str]] = {}
    for data in _endpoint_data()["partitions"]:
        endpoints = data.get("services", {}).get("macie2", {}).get("endpoints", {})
        by_partition[data.get("partition", "")] = frozenset(
            name for name in endpoints if name in data.get("regions", {})
        )
    return by_partition


def _endpoint_data() -> dict[str, Any]:
    """botocore's ``endpoints.json``: the file it ships, else through its data loader."""
    shipped = importlib.resources.files("botocore").joinpath("data", "endpoints.json")
    if shipped.is_file():
        data: dict[str, Any] = json.loads(shipped.read_bytes())
        return data
    import botocore.loaders

    loaded: dict[str, Any] = botocore.loaders.create_loader().load_data("endpoints")
    return loaded


def endpoint_from_environment(
    files: environment.AwsFiles, profile: str | None, service: str = "macie2"
) -> str | None:
    """The endpoint boto3 takes for ``service`` from the environment, in botocore's order:
    ``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_ENDPOINT_URL``, the ``endpoint_url`` of the service
    in the profile's ``services`` section, the profile's ``endpoint_url``; None for AWS's
    own. Raises :class:`~pulumi_macie_invitations.errors.EnvironmentSettingError` for a value
    boto3 refuses."""
    settings = files.profile(profile)
    ignore = environment.raw(IGNORE_ENDPOINTS_VARIABLE) or settings.get(IGNORE_ENDPOINTS_SETTING)
    if str(ignore).lower() == "true":
        return None
    example = f"https://{service}.us-east-1.amazonaws.com"
    for variable in (f"AWS_ENDPOINT_URL_{service.upper()}", GLOBAL_ENDPOINT_VARIABLE):
        url = environment.endpoint_url(variable, example)
        if url is not None:
            return url
    where = f"of profile {profile or 'default'!r} in {files.config_file}"
    section = settings.get("services")
    in_section = files.services.get(section, {}).get(service, {}) if section else {}
    return environment.checked_endpoint(
        f"endpoint_url of {service} in [services {section}] {where}",
        in_section.get("endpoint_url"),
        example,
    ) or environment.checked_endpoint(
        f"endpoint_url {where}", settings.get("endpoint_url"), example
    )

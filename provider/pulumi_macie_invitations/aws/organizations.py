"""The member accounts of an AWS organization, read from AWS Organizations.

Called as the organization's management account or a delegated administrator, through
the shared client cache and credentials (:mod:`.clients`), so with the package's
retries, timeouts and the environment's endpoint (``AWS_ENDPOINT_URL_ORGANIZATIONS``,
``AWS_ENDPOINT_URL``). Pages come from botocore's paginators, at the API's largest page
(20). Organizations is a global service: the region only picks the partition's endpoint
(and STS's, when a role is assumed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..errors import aws_errors
from . import clients
from .credentials import Identity, acting_as
from .regions import partition_of_arn

SERVICE: Final = "organizations"
PAGE_SIZE: Final = 20
"""The most ListAccounts, ListAccountsForParent and ListOrganizationalUnitsForParent
return a page (their ``MaxResults`` is 1..20)."""
ACTIVE: Final = "ACTIVE"


@dataclass(frozen=True)
class Organization:
    """What AWS Organizations says of the organization and the accounts asked for."""

    management_account_id: str
    partition: str
    """From the organization's ARN (``arn:<partition>:organizations::...``)."""
    active_account_ids: tuple[str, ...]
    """The ACTIVE accounts found, sorted (the management account among them if found)."""


def read_organization(
    identity: Identity,
    region: str,
    endpoint_url: str | None,
    parent_ids: Sequence[str] | None = None,
) -> Organization:
    """The organization of ``identity``'s account and its ACTIVE accounts: every one
    (``ListAccounts``), or, with ``parent_ids``, those under these roots or OUs, through
    every child OU at any depth (``ListAccountsForParent``,
    ``ListOrganizationalUnitsForParent``).

    Raises :class:`~..errors.AwsCallError` naming the IAM action of the call that failed
    (``organizations:ListAccounts``...).
    """
    where = f"AWS Organizations in region {region}{identity.describe()}" + (
        f" at {endpoint_url}" if endpoint_url else ""
    )
    credentials = clients.credentials_of(identity, where)
    calls = _Calls(clients.client(SERVICE, region, endpoint_url, identity.profile))
    try:
        with acting_as(credentials):
            accounts = (
                list(calls.pages("ListAccounts", "Accounts"))
                if parent_ids is None
                else calls.under(parent_ids)
            )
            calls.operation = "DescribeOrganization"
            organization = calls.client.describe_organization()["Organization"]
    except aws_errors() as error:
        raise clients.aws_failure(error, f"{SERVICE}:{calls.operation}", (), where) from None
    active = {str(a["Id"]) for a in accounts if (a.get("State") or a.get("Status")) == ACTIVE}
    return Organization(
        management_account_id=str(organization["MasterAccountId"]),
        partition=partition_of_arn(str(organization["Arn"])),
        active_account_ids=tuple(sorted(active)),
    )


class _Calls:
    """The Organizations calls of one read, remembering the one in progress (for the
    error that names its IAM action)."""

    def __init__(self, client: Any) -> None:  # noqa: ANN401 (botocore's organizations client)
        self.client = client
        self.operation = ""

    def pages(self, operation: str, field: str, **params: str) -> Iterator[dict[str, Any]]:
        """Every item of ``operation``'s pages (botocore's paginator, the largest page)."""
        from botocore import xform_name

        self.operation = operation
        paginator = self.client.get_paginator(xform_name(operation))
        for page in paginator.paginate(**params, PaginationConfig={"PageSize": PAGE_SIZE}):
            yield from page.get(field, [])

    def under(self, parent_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The accounts under ``parent_ids`` and every OU below them, each parent once."""
        accounts: list[dict[str, Any]] = []
        pending, seen = list(parent_ids), set(parent_ids)
        while pending:
            parent = pending.pop()
            accounts += self.pages("ListAccountsForParent", "Accounts", ParentId=parent)
            for unit in self.pages(
                "ListOrganizationalUnitsForParent", "OrganizationalUnits", ParentId=parent
            ):
                if unit["Id"] not in seen:
                    seen.add(unit["Id"])
                    pending.append(unit["Id"])
        return accounts

"""``organization_accounts``: the member accounts of an AWS organization, read in the
program, as pulumi-aws's ``get_organization`` invoke would."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pulumi

from .. import validation
from ..aws import regions as aws_regions
from ..aws.credentials import Identity
from ..aws.environment import read_environment
from ..aws.organizations import SERVICE, read_organization
from ..errors import InvalidInputError
from ..providers.lifecycle import STACK_REGION_KEY
from ..validation import Failure

__all__ = ["OrganizationAccounts", "organization_accounts"]

FUNCTION = "organization_accounts"


class OrganizationAccounts(list[str]):
    """Account ids, sorted, that know the organization they were read from: its
    ``partition`` (from its ARN) and its ``management_account_id``.
    :class:`~.organization.OrganizationInvitationGuard` makes its members' role ARNs in
    that partition."""

    def __init__(
        self, account_ids: Iterable[str], *, partition: str, management_account_id: str
    ) -> None:
        super().__init__(sorted(account_ids))
        self.partition = partition
        self.management_account_id = management_account_id


def organization_accounts(
    *,
    include_management_account: bool = False,
    parent_ids: Sequence[str] | None = None,
    profile: str | None = None,
    role_arn: str | None = None,
    region: str | None = None,
    session_name: str | None = None,
    external_id: str | None = None,
) -> OrganizationAccounts:
    """The ACTIVE accounts of the caller's AWS organization, sorted, read now from AWS
    Organizations (``organizations:ListAccounts``, every page), the management account
    (``DescribeOrganization``'s ``MasterAccountId``) left out unless
    ``include_management_account``.

    ``parent_ids`` (root ``r-...`` or OU ``ou-...`` ids) reads only the accounts under
    them, recursively: their own accounts and those of every OU below them, at any depth
    (``ListAccountsForParent``, ``ListOrganizationalUnitsForParent``).

    Call it as the organization's management account or a delegated administrator: the
    credentials running Pulumi (``profile``: an AWS profile), or ``role_arn`` assumed with
    them (``session_name``, ``external_id``). ``region`` (else the stack's ``aws:region``,
    else the environment's) picks the partition's endpoint and STS's region. The endpoint
    is boto3's: ``AWS_ENDPOINT_URL_ORGANIZATIONS``, ``AWS_ENDPOINT_URL``.

    Raises :class:`InvalidInputError` naming a bad argument (before any AWS call), and
    :class:`AwsCallError` naming the IAM action that failed (``organizations:ListAccounts``).
    """
    environment = read_environment(
        profile=profile, assumes_role=role_arn is not None, service=SERVICE
    )
    failures = validation.discovery_failures(
        parent_ids=parent_ids,
        profile=profile,
        role_arn=role_arn,
        region=region,
        session_name=session_name,
        external_id=external_id,
        known_profiles=environment.profiles,
    ) + validation.environment_failures(environment.problems)
    stack_region = pulumi.Config("aws").get("region")
    where = region or stack_region or environment.region
    if where is None and not failures:
        failures.append(
            Failure(
                "region",
                "is not set and no default was found: pass region=..., run "
                f"`pulumi config set {STACK_REGION_KEY} <region>`, or set AWS_REGION",
            )
        )
    if where and role_arn and not failures:
        mismatch = aws_regions.partition_mismatch(role_arn, where)
        if mismatch:
            failures.append(Failure("role_arn", f"{role_arn} cannot be assumed: {mismatch}"))
    if failures:
        raise InvalidInputError(failures, FUNCTION)
    assert where is not None
    identity = Identity(
        profile=profile,
        role_arn=role_arn,
        session_name=session_name,
        external_id=external_id,
        sts_region=aws_regions.sts_region(region, stack_region, environment.region),
    )
    organization = read_organization(
        identity, where, environment.endpoint_url, None if parent_ids is None else list(parent_ids)
    )
    management = organization.management_account_id
    return OrganizationAccounts(
        (
            account
            for account in organization.active_account_ids
            if include_management_account or account != management
        ),
        partition=organization.partition,
        management_account_id=management,
    )

"""organization_accounts (the members read from AWS Organizations, in-process under
moto.mock_aws() and over HTTP), and OrganizationInvitationGuard's member_account_ids and
member_role_name."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi_macie_invitations import (
    AwsCallError,
    InvalidInputError,
    OrganizationAccounts,
    OrganizationInvitationGuard,
    organization_accounts,
)
from pulumi_macie_invitations.aws.organizations import PAGE_SIZE
from pulumi_macie_invitations.testing import EmulatorClient, EmulatorControls

from .helpers import Registrations

MANAGEMENT = "123456789012"
ADMIN = "210987654321"
ROLE_NAME = "MacieInvitationsGuard"


def test_every_active_account_is_read_past_the_first_page_the_management_one_left_out(
    aws_emulator: EmulatorControls,
) -> None:
    aws_emulator.create_organization()
    accounts = aws_emulator.create_accounts(2 * PAGE_SIZE + 5)
    closed = accounts[3:5]
    for account in closed:
        aws_emulator.close_account(account)

    found = organization_accounts()

    assert found == sorted(set(accounts) - set(closed))
    assert isinstance(found, OrganizationAccounts)
    assert (found.partition, found.management_account_id) == ("aws", MANAGEMENT)
    every = organization_accounts(include_management_account=True)
    assert every == sorted({*found, MANAGEMENT})


def test_parent_ids_read_the_accounts_under_them_through_every_child_ou(
    aws_emulator: EmulatorControls,
) -> None:
    root = aws_emulator.create_organization()
    top = aws_emulator.create_organizational_unit("workloads", root)
    below = aws_emulator.create_organizational_unit("prod", top)
    elsewhere = aws_emulator.create_organizational_unit("sandbox", root)
    at_root = aws_emulator.create_accounts(2)
    in_top = aws_emulator.create_accounts(2, parent_id=top)
    in_below = aws_emulator.create_accounts(PAGE_SIZE + 1, parent_id=below)
    aws_emulator.create_accounts(1, parent_id=elsewhere)
    aws_emulator.close_account(in_below[0])

    assert organization_accounts(parent_ids=[top]) == sorted(in_top + in_below[1:])
    assert organization_accounts(parent_ids=[below]) == sorted(in_below[1:])
    assert organization_accounts(parent_ids=[below, top]) == sorted(in_top + in_below[1:])
    everything = organization_accounts(parent_ids=[root])
    assert everything == organization_accounts()
    assert set(at_root) < set(everything)
    assert MANAGEMENT in organization_accounts(parent_ids=[root], include_management_account=True)


def test_over_http_the_calls_are_organizations_own_in_pages_of_the_apis_largest(
    macie_env: EmulatorClient,
) -> None:
    root = macie_env.create_organization()
    unit = macie_env.create_organizational_unit("workloads", root)
    macie_env.create_accounts(2 * PAGE_SIZE)
    macie_env.create_accounts(1, parent_id=unit)
    macie_env.clear_calls()

    assert len(organization_accounts()) == 2 * PAGE_SIZE + 1
    assert len(organization_accounts(parent_ids=[unit])) == 1

    calls = [call["operation"] for call in macie_env.calls(service="organizations")]
    assert calls.count("ListAccounts") == 3  # 42 accounts, the management one among them
    assert calls.count("DescribeOrganization") == 2
    assert calls.count("ListAccountsForParent") == 1
    assert calls.count("ListOrganizationalUnitsForParent") == 1


def test_a_role_reads_them_as_the_delegated_administrator(macie_env: EmulatorClient) -> None:
    macie_env.create_organization()
    accounts = macie_env.create_accounts(2)
    role = f"arn:aws:iam::{MANAGEMENT}:role/OrganizationReader"
    assert organization_accounts(role_arn=role, session_name="reader") == sorted(accounts)
    macie_env.refuse_role(role)
    with pytest.raises(AwsCallError, match=f"sts:AssumeRole failed: AccessDenied.*{role}"):
        organization_accounts(role_arn=role, session_name="again")


def test_a_failed_call_names_its_iam_action_and_no_secret(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "AKIAIOSFODNN7EXAMPLE"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "a-secret-key-value")
    with pytest.raises(AwsCallError, match="organizations:DescribeOrganization failed: AWSOrg"):
        organization_accounts()  # no organization yet
    monkeypatch.setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with pytest.raises(AwsCallError) as error:
        organization_accounts()
    message = str(error.value)
    assert error.value.operation == "organizations:ListAccounts"
    assert message.startswith("organizations:ListAccounts failed: EndpointConnectionError")
    assert "http://127.0.0.1:9" in message
    assert key not in message
    assert "a-secret-key-value" not in message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"parent_ids": "ou-abcd-12345678"}, "parent_ids: must be a list"),
        ({"parent_ids": []}, "parent_ids: is empty"),
        ({"parent_ids": ["ou-x"]}, "parent_ids: element 0: 'ou-x' (a string) is not a root id"),
        ({"role_arn": "admin"}, "role_arn: 'admin' (a string) is not an IAM role ARN"),
        ({"profile": "nope"}, "profile: 'nope' is not a profile"),
        ({"region": "mars"}, "region: 'mars' (a string) is not valid"),
        ({"session_name": "x"}, "session_name: is set but role_arn is not"),
        ({"external_id": "secret-value!"}, "external_id: the value given is not valid"),
        (
            {"role_arn": "arn:aws-cn:iam::123456789012:role/r", "region": "us-east-1"},
            "role_arn: arn:aws-cn:iam::123456789012:role/r cannot be assumed",
        ),
    ],
)
def test_bad_arguments_are_named_before_any_call(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        organization_accounts(**kwargs)
    text = str(error.value)
    assert text.startswith("invalid organization_accounts ")
    assert message in text, text
    assert "secret-value!" not in text


def test_with_no_region_anywhere_the_region_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInputError, match="region: is not set and no default was found"):
        organization_accounts()


def declared(**kwargs: Any) -> dict[str, str]:
    """The guard declared under mocks: child name -> its role ARN."""
    mocks = Registrations()
    names: dict[str, str] = {}

    class Named(Registrations):
        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
            if "roleArn" in args.inputs:
                names[args.name] = str(args.inputs["roleArn"])
            return mocks.new_resource(args)

    pulumi.runtime.set_mocks(Named(), preview=False)

    @pulumi.runtime.test
    def declare() -> None:
        OrganizationInvitationGuard(
            "org", allowed_account_ids=[ADMIN], regions=["us-east-1"], **kwargs
        )

    declare()
    return names


def test_account_ids_and_a_role_name_make_the_same_children_as_role_arns() -> None:
    accounts = ["111111111111", "222222222222"]
    roles = [f"arn:aws:iam::{a}:role/{ROLE_NAME}" for a in accounts]
    by_ids = declared(member_account_ids=accounts, member_role_name=ROLE_NAME)
    assert by_ids == declared(member_role_arns=roles)
    assert by_ids == {f"org-{a}": role for a, role in zip(accounts, roles, strict=True)}
    # An account that joins gets a child; one that leaves has none.
    joined = declared(member_account_ids=[accounts[1], "333333333333"], member_role_name=ROLE_NAME)
    assert sorted(joined) == ["org-222222222222", "org-333333333333"]


def test_the_role_arns_are_in_the_organizations_partition() -> None:
    accounts = OrganizationAccounts(
        ["111111111111"], partition="aws-us-gov", management_account_id=MANAGEMENT
    )
    assert declared(member_account_ids=accounts, member_role_name=ROLE_NAME) == {
        "org-111111111111": f"arn:aws-us-gov:iam::111111111111:role/{ROLE_NAME}"
    }


def test_a_plain_list_takes_the_partition_of_the_stacks_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "cn-north-1")
    accounts = ["111111111111"]
    with pytest.raises(InvalidInputError, match="no region of the partition 'aws-cn'"):
        OrganizationInvitationGuard(
            "org", member_account_ids=accounts, member_role_name=ROLE_NAME, allowed_account_ids=[]
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {
                "member_account_ids": ["111111111111"],
                "member_role_name": ROLE_NAME,
                "member_role_arns": [f"arn:aws:iam::111111111111:role/{ROLE_NAME}"],
            },
            "member_role_arns: is given with member_account_ids/member_role_name: give one form",
        ),
        (
            {"member_account_ids": ["11111111111"], "member_role_name": ROLE_NAME},
            "member_account_ids: element 0: '11111111111' (a string) is not an account id",
        ),
        (
            {"member_account_ids": [111111111111], "member_role_name": ROLE_NAME},
            "member_account_ids: element 0: 111111111111 (an integer) is not an account id",
        ),
        (
            {"member_account_ids": ["111111111111", "111111111111"], "member_role_name": "r"},
            "member_account_ids: element 1: '111111111111' (a string) is listed twice",
        ),
        (
            {"member_account_ids": ["111111111111"]},
            "member_role_name: None is required with member_account_ids",
        ),
        (
            {"member_account_ids": ["111111111111"], "member_role_name": "no spaces"},
            "member_role_name: 'no spaces' (a string) is not a role name",
        ),
        (
            {"member_account_ids": [], "member_role_name": ROLE_NAME},
            "member_account_ids: is empty and include_own_account is False",
        ),
        (
            {"member_account_ids": "111111111111", "member_role_name": ROLE_NAME},
            "member_account_ids: must be a list of 12-digit account ids",
        ),
    ],
)
def test_the_new_arguments_refuse_bad_input_naming_the_property_and_value(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError) as error:
        OrganizationInvitationGuard("org", allowed_account_ids=[], **kwargs)
    assert message in str(error.value), str(error.value)


def test_account_ids_not_known_when_the_program_runs_are_refused() -> None:
    pulumi.runtime.set_mocks(Registrations(), preview=False)

    @pulumi.runtime.test
    def declare() -> None:
        given: Any = pulumi.Output.from_input(["111111111111"])  # what a type checker refuses
        with pytest.raises(InvalidInputError, match="member_account_ids: is a pulumi Output"):
            OrganizationInvitationGuard(
                "org",
                member_account_ids=given,
                member_role_name=ROLE_NAME,
                allowed_account_ids=[],
            )

    declare()

"""Validation (validation.py), pure: one role ARN check for every resource, whose message
names the part that is wrong; a member's inputs; regions."""

from __future__ import annotations

import pytest
from pulumi_macie_invitations import validation
from pulumi_macie_invitations.validation import Regions, role_arn_problem

REGIONS = Regions("Amazon Macie", frozenset({"us-east-1", "eu-west-1"}))
ROLE = "arn:aws:iam::222222222222:role/MacieInvitationsGuard"


@pytest.mark.parametrize(
    "arn",
    [ROLE, "arn:aws-cn:iam::222222222222:role/r", "arn:aws-us-gov:iam::222222222222:role/a/b"],
)
def test_a_role_arn_of_any_partition_is_accepted(arn: str) -> None:
    assert role_arn_problem(arn) is None


@pytest.mark.parametrize(
    ("arn", "part"),
    [
        ("admin", "is not an IAM role ARN such as arn:aws:iam::123456789012:role/name"),
        ("arn:aws:iam::22222:role/r", "the account part has 5 digits"),
        ("arn:aws:iam::twelve:role/r", "the account part is 'twelve'"),
        ("arn:azure:iam::222222222222:role/r", "the partition 'azure' is not an AWS partition"),
        ("arn:aws:sts::222222222222:role/r", "the service part is 'sts', not 'iam'"),
        ("arn:aws:iam:us-east-1:222222222222:role/r", "the region part is 'us-east-1'"),
        ("arn:aws:iam::222222222222:user/bob", "not a role: the resource part is 'user/bob'"),
        ("arn:aws:iam::222222222222:role/", "the role name must be 1-512 characters"),
    ],
)
def test_a_bad_role_arn_is_refused_naming_the_part_that_is_wrong(arn: str, part: str) -> None:
    problem = role_arn_problem(arn)
    assert problem is not None
    assert part in problem


def test_the_three_resources_and_the_component_share_the_role_check() -> None:
    arn = "arn:aws:iam::22222:role/r"
    _, inbox = validation.normalise(
        {"accountIds": ["111122223333"], "roleArn": arn, "region": "us-east-1"},
        known_profiles=(),
        regions=REGIONS,
    )
    _, member = validation.normalise_member(
        {"roleArn": arn, "regions": ["us-east-1"], "allowedAccountIds": []}, regions=REGIONS
    )
    expected = f"'{arn}' (a string) {role_arn_problem(arn)}"
    assert [f.reason for f in inbox] == [f.reason for f in member] == [expected]


def test_a_members_inputs_are_normalised() -> None:
    inputs, failures = validation.normalise_member(
        {
            "roleArn": ROLE,
            "regions": ["us-east-1", "eu-west-1", "us-east-1"],
            "allowedAccountIds": ["210987654321"],
            "sessionName": "org-run",
            "externalId": "ext-id-42",
        },
        regions=REGIONS,
    )
    assert failures == []
    assert inputs == {
        "roleArn": ROLE,
        "sessionName": "org-run",
        "externalId": "ext-id-42",
        "regions": ["eu-west-1", "us-east-1"],
        "allowedAccountIds": ["210987654321"],
    }


def test_a_members_external_id_is_never_shown() -> None:
    _, failures = validation.normalise_member(
        {"ownAccount": True, "regions": ["us-east-1"], "allowedAccountIds": [], "externalId": "x"},
        regions=REGIONS,
    )
    assert [f"{f.property}: {f.reason}" for f in failures] == [
        "externalId: the value given is not valid: expected 2-1224 characters of "
        "[A-Za-z0-9+=,.@:/_-]",
    ]


def test_regions_name_the_service() -> None:
    regions, failures = validation.normalise_regions(["mars-1", "us-east-1"], REGIONS)
    assert regions == ["mars-1", "us-east-1"]
    assert [f.reason for f in failures] == [
        "element 0 is 'mars-1' (a string): not a region where Amazon Macie is available"
    ]


def test_a_mistyped_region_names_the_nearest_for_every_resource() -> None:
    hint = "did you mean 'eu-west-1'?"
    _, inbox = validation.normalise(
        {"accountIds": ["111122223333"], "region": "eu-west1"}, known_profiles=(), regions=REGIONS
    )
    _, member = validation.normalise_member(
        {"roleArn": ROLE, "regions": ["eu-west1"], "allowedAccountIds": []}, regions=REGIONS
    )
    _, stack = validation.check_region("euwest-1", "aws:region", REGIONS)
    assert [f.property for f in inbox + member + stack] == ["region", "regions", "region"]
    assert all(hint in f.reason for f in inbox + member + stack), inbox + member + stack
    _, far = validation.normalise_regions(["mars-1"], REGIONS)
    assert "did you mean" not in far[0].reason

"""OrganizationInvitationGuard's members against the emulator server: every region at
once, opt-in regions skipped (and told apart from bad credentials), a member that fails
alone, refresh drift, the calls made, the inputs refused and the summary."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.runtime.rpc import wrap_rpc_secret
from pulumi_macie_invitations import (
    InvalidInputError,
    MemberFailedError,
    OrganizationInvitationGuard,
    macie_regions,
)
from pulumi_macie_invitations.providers.member import MemberGuardProvider
from pulumi_macie_invitations.resources.organization import render_summary
from pulumi_macie_invitations.testing import EmulatorClient

from .helpers import Registrations
from .reliability import assumed_roles

MEMBER = "222222222222"
ROLE = f"arn:aws:iam::{MEMBER}:role/MacieInvitationsGuard"
ADMIN = "210987654321"
SPAM = "999999999999"
REGIONS = ["af-south-1", "eu-west-1", "us-east-1"]


def create(news: dict[str, Any]) -> dict[str, Any]:
    provider = MemberGuardProvider()
    checked = provider.check({}, news)
    assert checked.failures == []
    created = provider.create(checked.inputs)
    return {**(created.outs or {}), "id": created.id}


def member(role: str | None = ROLE, regions: list[str] = REGIONS) -> dict[str, Any]:
    news: dict[str, Any] = {"regions": regions, "allowedAccountIds": [ADMIN]}
    if role is None:
        news["ownAccount"] = True
    else:
        news["roleArn"] = role
    return news


def by_region(outputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {inbox["region"]: inbox for inbox in outputs["inboxes"]}


def test_member_cleans_every_region_keeps_the_allowed_and_skips_a_disabled_one(
    macie_env: EmulatorClient,
) -> None:
    macie_env.seed_invitation(MEMBER, SPAM, "us-east-1")
    macie_env.seed_invitation(MEMBER, ADMIN, "eu-west-1")
    macie_env.disable_region(MEMBER, "af-south-1")
    macie_env.clear_calls()

    outputs = create(member())
    made = sorted((c["region"], c["operation"]) for c in macie_env.calls())

    inboxes = by_region(outputs)
    assert outputs["accountId"] == MEMBER
    assert inboxes["us-east-1"] == {
        "region": "us-east-1",
        "outcome": "cleaned",
        "declinedAccountIds": [SPAM],
        "deletedAccountIds": [SPAM],
    }
    assert inboxes["eu-west-1"] == {
        "region": "eu-west-1",
        "outcome": "clean",
        "keptAccountIds": [ADMIN],
    }
    assert inboxes["af-south-1"]["outcome"] == "skipped"
    assert "region not enabled for account 222222222222" in inboxes["af-south-1"]["reason"]
    assert "worked in 2 other region(s)" in inboxes["af-south-1"]["reason"]
    assert [c["account_id"] for c in macie_env.sts_calls("AssumeRole")] == [MEMBER]
    assert [inv["accountId"] for inv in macie_env.received(MEMBER, "eu-west-1")] == [ADMIN]
    assert macie_env.received(MEMBER, "us-east-1") == []
    assert made == [
        ("af-south-1", "ListInvitations"),  # refused: 403
        ("eu-west-1", "ListInvitations"),
        ("us-east-1", "DeclineInvitations"),
        ("us-east-1", "DeleteInvitations"),
        ("us-east-1", "ListInvitations"),
        ("us-east-1", "ListInvitations"),
    ]


def test_credentials_refused_in_every_region_fail_the_member(macie_env: EmulatorClient) -> None:
    for region in REGIONS:
        macie_env.disable_region(MEMBER, region)

    with pytest.raises(MemberFailedError) as excinfo:
        create(member())

    message = str(excinfo.value)
    assert message.startswith("member account 222222222222: 3 failure(s):")
    assert "UnrecognizedClientException" in message
    assert "the credentials are bad, not the region" in message
    assert "the next `pulumi up` guards it again" in message


def test_a_role_that_cant_be_assumed_fails_naming_the_account(macie_env: EmulatorClient) -> None:
    macie_env.refuse_role(ROLE)

    with pytest.raises(MemberFailedError) as excinfo:
        create(member())

    message = str(excinfo.value)
    assert message.startswith("member account 222222222222:")
    assert "sts:AssumeRole failed: AccessDenied" in message
    assert macie_env.calls() == []


def test_access_denied_in_one_region_fails_the_member_after_the_others(
    macie_env: EmulatorClient,
) -> None:
    macie_env.seed_invitation(MEMBER, SPAM, "us-east-1")
    macie_env.deny("DeleteInvitations")

    with pytest.raises(MemberFailedError) as excinfo:
        create(member(regions=["eu-west-1", "us-east-1"]))

    assert "region us-east-1: DeleteInvitations" in str(excinfo.value)
    assert "Its 1 other region(s) were guarded all the same." in str(excinfo.value)


def test_own_account_needs_no_role(macie_env: EmulatorClient) -> None:
    macie_env.seed_invitation("123456789012", SPAM, "eu-west-1")

    outputs = create(member(role=None, regions=["eu-west-1"]))

    assert outputs["accountId"] == "123456789012"
    assert by_region(outputs)["eu-west-1"]["deletedAccountIds"] == [SPAM]
    assert macie_env.sts_calls("AssumeRole") == []


def test_refresh_reports_stray_invitations_as_drift(macie_env: EmulatorClient) -> None:
    """As the inbox resources do: a hidden input records the drift, check carries it to
    invitationsToCleanAgain (sender -> why, naming the region), which preview shows."""
    provider = MemberGuardProvider()
    outputs = create(member())
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1")

    read = provider.read(outputs["id"], outputs)

    assert read.outs is not None
    assert read.inputs is not None
    assert read.outs["strayInvitations"] == {"eu-west-1": [SPAM]}
    why = {SPAM: "not allowed, and it sent an invitation (found in eu-west-1)"}
    assert read.outs["invitationsToCleanAgain"] == why
    assert read.inputs["__invitationsFoundByRefresh"] == why
    assert "strayInvitations" not in read.inputs
    checked = provider.check(read.inputs, member())
    assert checked.inputs["invitationsToCleanAgain"] == why
    assert provider.diff(outputs["id"], read.outs, checked.inputs).changes
    assert macie_env.received(MEMBER, "eu-west-1") != []  # refresh changes nothing
    clean = provider.read(outputs["id"], create(member()))
    assert clean.inputs is not None
    assert "strayInvitations" not in clean.inputs
    assert "__invitationsFoundByRefresh" not in clean.inputs


def test_drift_names_every_region_it_was_found_in_and_the_update_removes_it(
    macie_env: EmulatorClient,
) -> None:
    provider = MemberGuardProvider()
    outputs = create(member())
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1")
    macie_env.seed_invitation(MEMBER, SPAM, "us-east-1")
    read = provider.read(outputs["id"], outputs)
    assert read.inputs is not None
    assert read.outs is not None
    why = {SPAM: "not allowed, and it sent an invitation (found in eu-west-1, us-east-1)"}
    assert read.inputs["__invitationsFoundByRefresh"] == why

    checked = provider.check(read.inputs, member())
    updated = provider.update(outputs["id"], read.outs, checked.inputs).outs

    assert updated is not None
    assert updated["strayInvitations"] == {}
    assert macie_env.received(MEMBER, "eu-west-1") == macie_env.received(MEMBER, "us-east-1") == []
    again = provider.check(checked.inputs, member()).inputs
    assert "invitationsToCleanAgain" not in again  # after up: the hidden record is gone
    assert not provider.diff(outputs["id"], updated, again).changes


@pytest.mark.parametrize(
    ("news", "message"),
    [
        ({"regions": REGIONS, "allowedAccountIds": []}, "roleArn: is required"),
        ({**member(), "regions": ["mars-1"]}, "regions: element 0 is 'mars-1'"),
        ({**member(), "regions": []}, "regions: must be a non-empty list"),
        ({**member(), "allowedAccountIds": [12]}, "allowedAccountIds: element 0 is 12"),
        ({**member(), "roleArn": "admin"}, "roleArn: 'admin' (a string) is not an IAM role"),
        ({**member(), "ownAccount": True}, "roleArn: is set for the caller's own account"),
    ],
)
def test_member_check_names_the_property(news: dict[str, Any], message: str) -> None:
    failures = MemberGuardProvider().check({}, news).failures
    assert any(f"{f.property}: {f.reason}".startswith(message) for f in failures), failures


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"member_role_arns": [], "allowed_account_ids": []}, "nothing to guard"),
        ({"member_role_arns": ["arn:aws:iam::1:role/x"], "allowed_account_ids": []}, "element 0"),
        ({"member_role_arns": [ROLE, ROLE], "allowed_account_ids": []}, "a second role"),
        ({"member_role_arns": [ROLE], "allowed_account_ids": ["1"]}, "allowed_account_ids"),
        ({"member_role_arns": [ROLE], "allowed_account_ids": [], "regions": ["x"]}, "regions"),
    ],
)
def test_component_refuses_bad_input_before_any_call(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        OrganizationInvitationGuard("org", **kwargs)


def test_default_regions_are_every_macie_region_of_the_partition() -> None:
    regions = macie_regions()
    assert {"us-east-1", "af-south-1"} <= set(regions)
    assert all(not region.startswith(("us-gov-", "cn-")) for region in regions)
    assert regions == sorted(regions)
    with pytest.raises(InvalidInputError, match="'mars' is not an AWS partition"):
        macie_regions("mars")


def test_summary_reads_per_account_and_region() -> None:
    text = render_summary(
        [
            {
                "account_id": MEMBER,
                "role_arn": ROLE,
                "inboxes": [
                    {
                        "region": "us-east-1",
                        "outcome": "cleaned",
                        "declined_account_ids": [SPAM],
                        "deleted_account_ids": [SPAM],
                    },
                    {"region": "eu-west-1", "outcome": "clean", "kept_account_ids": [ADMIN]},
                    {"region": "af-south-1", "outcome": "skipped", "reason": "not enabled"},
                ],
                "quiet_regions": 19,
            }
        ]
    )
    assert text.splitlines() == [
        f"account {MEMBER} (as {ROLE}):",
        f"  us-east-1: deleted {SPAM} (declined first: {SPAM})",
        f"  eu-west-1: kept {ADMIN} (allowed)",
        "  af-south-1: skipped: not enabled",
        "  nothing to remove in the 19 other region(s)",
    ]


def test_summary_and_members_name_the_senders_refresh_found(macie_env: EmulatorClient) -> None:
    outputs = create(member())
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1")
    read = MemberGuardProvider().read(outputs["id"], outputs)
    assert read.outs is not None
    refreshed: dict[str, Any] = read.outs

    class Refreshed(Registrations):
        """The member as a refresh recorded it, in the names the provider writes."""

        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
            super().new_resource(args)
            return f"{args.name}-id", dict(refreshed) if "Member" in args.typ else {}

    pulumi.runtime.set_mocks(Refreshed(), preview=False)

    @pulumi.runtime.test
    def declare() -> pulumi.Output[None]:
        org = OrganizationInvitationGuard(
            "org", member_role_arns=[ROLE], allowed_account_ids=[ADMIN], regions=REGIONS
        )

        def check(values: list[Any]) -> None:
            summary, members = values
            lines = summary.splitlines()
            assert f"  eu-west-1: found {SPAM} (the next `pulumi up` removes them)" in lines
            [entry] = members
            assert entry["account_id"] == MEMBER
            assert entry["role_arn"] == ROLE
            assert entry["quiet_regions"] == len(REGIONS) - len(entry["inboxes"])
            [found] = [i for i in entry["inboxes"] if i.get("stray_account_ids")]
            assert found == {"region": "eu-west-1", "outcome": "clean", "stray_account_ids": [SPAM]}

        return pulumi.Output.all(org.summary, org.members).apply(check)

    declare()


def configured(stack_region: str | None) -> MemberGuardProvider:
    provider = MemberGuardProvider()
    config = {"aws:region": stack_region} if stack_region else {}
    provider.configure(ConfigureRequest(Config(config, "proj")))
    return provider


def test_a_members_role_is_assumed_in_the_stacks_region(macie_env: EmulatorClient) -> None:
    provider = configured("eu-west-1")
    checked = provider.check({}, member(regions=["eu-west-1"]))
    assert checked.failures == []
    provider.create(checked.inputs)
    assert [c["region"] for c in macie_env.sts_calls("AssumeRole")] == ["eu-west-1"]


def test_without_the_stacks_region_sts_is_called_in_the_environments(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    provider = configured(None)
    provider.create(provider.check({}, member(regions=["eu-west-1"])).inputs)
    assert [c["region"] for c in macie_env.sts_calls("AssumeRole")] == ["eu-central-1"]


def test_with_no_region_anywhere_a_member_fails_its_check(
    macie_env: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    failures = configured(None).check({}, member()).failures
    assert [f.reason for f in failures] == [
        "no region to call STS in for the member's role: run "
        "`pulumi config set aws:region <region>`, or set AWS_REGION"
    ]
    assert macie_env.sts_calls() == []


def test_a_role_of_another_partition_than_stss_region_fails_the_check() -> None:
    china = "arn:aws-cn:iam::222222222222:role/MacieInvitationsGuard"
    failures = configured("eu-west-1").check({}, member(role=china)).failures
    [failure] = failures
    assert failure.property == "roleArn"
    assert "partition 'aws-cn'" in failure.reason
    assert "eu-west-1 (partition 'aws')" in failure.reason


def test_external_id_and_session_name_reach_the_members_assume_role(
    macie_env: EmulatorClient,
) -> None:
    news = member() | {"externalId": "ext-id-42", "sessionName": "org-run"}
    outputs = create(news)
    assert outputs["accountId"] == MEMBER
    [role] = [r for r in assumed_roles() if r.role_arn == ROLE]
    assert (role.external_id, role.session_name) == ("ext-id-42", "org-run")


def test_the_component_passes_the_role_settings_to_every_member_with_the_external_id_secret() -> (
    None
):
    mocks = Registrations()
    pulumi.runtime.set_mocks(mocks, preview=False)

    @pulumi.runtime.test
    def declare() -> pulumi.Output[Any]:
        org = OrganizationInvitationGuard(
            "org",
            member_role_arns=[ROLE],
            allowed_account_ids=[ADMIN],
            regions=REGIONS,
            session_name="org-run",
            external_id="ext-id-42",
        )
        return org.summary

    declare()
    [registered] = [inputs for inputs in mocks.inputs if "regions" in inputs]
    assert registered["sessionName"] == "org-run"
    assert registered["externalId"] == wrap_rpc_secret("ext-id-42")  # registered as a secret
    assert registered["secretInputs"] == ["externalId"]

"""OrganizationInvitationGuard's members against the emulator server: every region at
once, opt-in regions skipped (and told apart from bad credentials), a member that fails
alone, refresh drift, the calls made, the inputs refused and the summary."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.runtime.rpc import is_rpc_secret, wrap_rpc_secret
from pulumi_macie_invitations import (
    InvalidInputError,
    MemberInvitationGuard,
    OrganizationInvitationGuard,
    OrganizationInvitationGuardArgs,
    macie_regions,
    service_regions,
)
from pulumi_macie_invitations.providers.member import MemberGuardProvider
from pulumi_macie_invitations.providers.secrets import PLACEHOLDER
from pulumi_macie_invitations.resources.organization import member_failure, render_summary
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


def failure_reported(outputs: dict[str, Any], regions: list[str] = REGIONS) -> str:
    """The error the component reports for a member whose outputs record failures."""
    assert outputs["failedInboxes"], "no failure recorded"
    return member_failure(outputs["accountId"], regions, outputs["failedInboxes"])


def test_credentials_refused_in_every_region_fail_the_member(macie_env: EmulatorClient) -> None:
    for region in REGIONS:
        macie_env.disable_region(MEMBER, region)

    outputs = create(member())

    assert sorted(outputs["failedInboxes"]) == REGIONS
    assert outputs["inboxes"] == []  # nothing claimed clean
    message = failure_reported(outputs)
    assert message.startswith("member account 222222222222: 3 failure(s):")
    assert "UnrecognizedClientException" in message
    assert "the credentials are bad, not the region" in message
    assert "the next `pulumi up` guards it again" in message


def test_a_role_that_cant_be_assumed_fails_naming_the_account(macie_env: EmulatorClient) -> None:
    macie_env.refuse_role(ROLE)

    outputs = create(member())

    assert outputs["id"] == outputs["accountId"] == MEMBER
    assert sorted(outputs["failedInboxes"]) == REGIONS
    message = failure_reported(outputs)
    assert message.startswith("member account 222222222222: 1 failure(s):\n  - every region:")
    assert "sts:AssumeRole failed: AccessDenied" in message
    assert macie_env.calls() == []


def test_access_denied_in_one_region_fails_the_member_after_the_others(
    macie_env: EmulatorClient,
) -> None:
    macie_env.seed_invitation(MEMBER, SPAM, "us-east-1")
    macie_env.deny("DeleteInvitations")

    outputs = create(member(regions=["eu-west-1", "us-east-1"]))

    assert list(outputs["failedInboxes"]) == ["us-east-1"]
    message = failure_reported(outputs, ["eu-west-1", "us-east-1"])
    assert "region us-east-1: DeleteInvitations" in message
    assert "Its 1 other region(s) were guarded all the same." in message


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


def mock_refreshed(outputs: dict[str, Any]) -> None:
    """Pulumi's mocks answering each member with what a refresh of ``outputs`` records, in
    the names the provider writes."""
    read = MemberGuardProvider().read(outputs["id"], outputs)
    assert read.outs is not None
    refreshed: dict[str, Any] = read.outs

    class Refreshed(Registrations):
        def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
            super().new_resource(args)
            return f"{args.name}-id", dict(refreshed) if "Member" in args.typ else {}

    pulumi.runtime.set_mocks(Refreshed(), preview=False)


def test_summary_and_members_name_the_senders_refresh_found(macie_env: EmulatorClient) -> None:
    outputs = create(member())
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1")
    mock_refreshed(outputs)

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


# A failed member is a recorded result: the others go on, the next up retries it


def test_a_failed_member_is_recorded_seen_as_a_change_and_retried(
    macie_env: EmulatorClient,
) -> None:
    provider = MemberGuardProvider()
    macie_env.seed_invitation(MEMBER, SPAM, "us-east-1")
    macie_env.refuse_role(ROLE)
    failed = create(member())
    read = provider.read(failed["id"], failed)  # a refresh keeps the failure
    assert read.outs is not None
    assert read.outs["failedInboxes"] == failed["failedInboxes"]
    assert read.outs["inboxes"] == []
    checked = provider.check(failed, member()).inputs
    assert provider.diff(failed["id"], read.outs, checked).changes

    macie_env.accept_all_roles()  # the role's trust policy fixed
    updated = provider.update(failed["id"], read.outs, checked).outs

    assert updated is not None
    assert updated["failedInboxes"] == {}
    assert by_region(updated)["us-east-1"]["deletedAccountIds"] == [SPAM]
    assert not provider.diff(
        failed["id"], updated, provider.check(checked, member()).inputs
    ).changes


def test_a_member_keeps_what_it_did_through_refresh_and_update(macie_env: EmulatorClient) -> None:
    provider = MemberGuardProvider()
    other = "888888888888"
    macie_env.seed_invitation(MEMBER, SPAM, "us-east-1")
    created = create(member())
    read = provider.read(created["id"], created)
    assert read.outs is not None
    assert read.outs["inboxes"] == created["inboxes"]  # nothing new: nothing for a diff to show

    macie_env.seed_invitation(MEMBER, other, "eu-west-1")
    found = provider.read(created["id"], read.outs).outs
    assert found is not None
    assert by_region(found)["us-east-1"] == by_region(created)["us-east-1"]
    assert by_region(found)["eu-west-1"]["strayAccountIds"] == [other]
    checked = provider.check(created, member()).inputs
    updated = provider.update(created["id"], found, checked).outs

    assert updated is not None
    assert by_region(updated)["us-east-1"]["deletedAccountIds"] == [SPAM]
    assert by_region(updated)["eu-west-1"]["deletedAccountIds"] == [other]
    assert by_region(updated)["eu-west-1"]["outcome"] == "cleaned"


class Recorded(Registrations):
    """Members as their provider records them: ``failed`` (account -> region -> why) for
    those that failed, every other one clean."""

    def __init__(self, failed: dict[str, dict[str, str]], secret: bool = False) -> None:
        super().__init__()
        self.failed = failed
        self.secret = secret

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        name, state = super().new_resource(args)
        if "Member" not in args.typ:
            return name, {}
        account = str(args.inputs["roleArn"]).split(":")[4]
        derived: dict[str, Any] = {"inboxes": [], "strayInvitations": {}}
        if self.secret:  # what the provider does for secret allowed senders
            derived = {key: wrap_rpc_secret(value) for key, value in derived.items()}
        return name, state | derived | {
            "accountId": account,
            "failedInboxes": self.failed.get(account, {}),
        }


def roles(count: int) -> list[str]:
    return [f"arn:aws:iam::{300000000000 + n}:role/MacieInvitationsGuard" for n in range(count)]


def test_every_member_is_declared_and_each_failed_one_reported_after_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    members = roles(32)
    refused = members[1].split(":")[4]
    why = f"sts:AssumeRole failed: AccessDenied (as {members[1]})"
    reported: list[tuple[str, str | None]] = []
    monkeypatch.setattr(
        pulumi.log,
        "error",
        lambda message, resource=None, **_: reported.append(
            (message, resource._name if resource else None)
        ),
    )
    mocks = Recorded({refused: dict.fromkeys(REGIONS, why)})
    pulumi.runtime.set_mocks(mocks, preview=False)
    summaries: list[str] = []

    @pulumi.runtime.test
    def declare() -> pulumi.Output[None]:
        org = OrganizationInvitationGuard(
            "org", member_role_arns=members, allowed_account_ids=[ADMIN], regions=REGIONS
        )
        return org.summary.apply(summaries.append)

    with pytest.raises(
        pulumi.RunError, match=f"1 member account\\(s\\) could not be guarded: {refused}"
    ):
        declare()

    assert len([i for i in mocks.inputs if "regions" in i]) == 32
    [(message, child)] = reported
    assert child == f"org-{refused}"
    assert message.startswith(f"member account {refused}: 1 failure(s):\n  - every region: {why}")
    assert "the next `pulumi up` guards it again" in message
    lines = summaries[0].splitlines()
    at = lines.index(f"account {refused} (as {members[1]}):")
    assert lines[at + 1] == f"  every region: failed (the next `pulumi up` retries it): {why}"
    assert not lines[at + 2].startswith("  nothing to remove")


def test_the_args_take_inputs_and_a_secret_allowed_id_stays_secret() -> None:
    mocks = Recorded({}, secret=True)
    pulumi.runtime.set_mocks(mocks, preview=False)

    @pulumi.runtime.test
    def declare() -> pulumi.Output[None]:
        args = OrganizationInvitationGuardArgs(
            allowed_account_ids=[pulumi.Output.secret(ADMIN)],
            member_role_arns=[ROLE],
            regions=pulumi.Output.from_input(REGIONS),
            session_name=pulumi.Output.from_input("org-run"),
        )
        org = OrganizationInvitationGuard("org", args)

        def check(secret: list[bool]) -> None:
            assert secret == [True, True]

        return pulumi.Output.all(org.summary.is_secret(), org.members.is_secret()).apply(check)

    declare()
    [registered] = [inputs for inputs in mocks.inputs if "regions" in inputs]
    assert registered["allowedAccountIds"] == wrap_rpc_secret([ADMIN])
    assert registered["secretInputs"] == ["allowedAccountIds"]
    assert (registered["regions"], registered["sessionName"]) == (REGIONS, "org-run")


def test_the_summary_waits_for_members_a_preview_cannot_know() -> None:
    """A preview of new members: their outputs are unknown, so is the summary (which
    depends on every child), and no member is reported as failed."""
    mocks = Registrations()
    pulumi.runtime.set_mocks(mocks, preview=True)

    @pulumi.runtime.test
    def declare() -> pulumi.Output[None]:
        org = OrganizationInvitationGuard(
            "org", member_role_arns=roles(3), allowed_account_ids=[ADMIN]
        )

        def check(values: list[Any]) -> None:
            known, depends_on = values
            assert known is False
            assert len([r for r in depends_on if isinstance(r, MemberInvitationGuard)]) == 3

        depends: pulumi.Output[Any] = pulumi.Output.from_input(org.summary.resources())
        return pulumi.Output.all(org.summary.is_known(), depends).apply(check)

    declare()


def test_a_members_outputs_follow_a_secret_allowed_id_and_its_failures_hide_it(
    macie_env: EmulatorClient,
) -> None:
    """What the child records for a secret allowed sender: the outputs derived from it
    secret, the failure text without its value (here the member's own account, which the
    refused role's message names)."""
    provider = MemberGuardProvider()
    news = member() | {"allowedAccountIds": [MEMBER], "secretInputs": ["allowedAccountIds"]}
    checked = provider.check({}, news)
    assert checked.failures == []
    macie_env.refuse_role(ROLE)
    outputs = provider.create(checked.inputs).outs

    assert outputs is not None
    assert {key for key, value in outputs.items() if is_rpc_secret(value)} >= {
        "inboxes",
        "strayInvitations",
    }
    reasons = list(outputs["failedInboxes"].values())
    assert reasons
    assert all(MEMBER not in why and PLACEHOLDER in why for why in reasons), reasons


def test_a_member_list_not_known_when_the_program_runs_is_refused_naming_the_option() -> None:
    pulumi.runtime.set_mocks(Registrations(), preview=False)

    @pulumi.runtime.test
    def declare() -> None:
        given: Any  # what a type checker refuses, as a program without one would pass it
        for given in (pulumi.Output.from_input([ROLE]), [pulumi.Output.from_input(ROLE)]):
            with pytest.raises(
                InvalidInputError, match="member_role_arns: is a pulumi Output"
            ) as e:
                OrganizationInvitationGuard("org", member_role_arns=given, allowed_account_ids=[])
            assert "a plain list of role ARNs" in str(e.value)

    declare()


def test_the_default_regions_are_the_partition_of_the_members_roles() -> None:
    china = "arn:aws-cn:iam::222222222222:role/MacieInvitationsGuard"
    assert macie_regions("aws-cn") == []  # botocore lists no China region for Macie
    with pytest.raises(InvalidInputError, match="no region of the partition 'aws-cn'"):
        OrganizationInvitationGuard("org", member_role_arns=[china], allowed_account_ids=[])
    with pytest.raises(InvalidInputError, match="mixes the partitions aws, aws-cn"):
        OrganizationInvitationGuard(
            "org", member_role_arns=[china.replace("2222", "3333"), ROLE], allowed_account_ids=[]
        )
    mocks = Registrations()
    pulumi.runtime.set_mocks(mocks, preview=False)

    @pulumi.runtime.test
    def declare() -> None:
        OrganizationInvitationGuard("org", member_role_arns=[ROLE], allowed_account_ids=[])

    declare()
    [registered] = [inputs for inputs in mocks.inputs if "regions" in inputs]
    assert registered["regions"] == macie_regions("aws")


def test_the_components_role_check_names_the_wrong_part() -> None:
    with pytest.raises(InvalidInputError, match="the account part has 5 digits"):
        OrganizationInvitationGuard(
            "org", member_role_arns=["arn:aws:iam::22222:role/x"], allowed_account_ids=[]
        )


def test_a_refresh_names_under_diagnostics_the_senders_found_and_the_inboxes_that_failed(
    macie_env: EmulatorClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """The provider's standard error is what the CLI prints under Diagnostics."""
    provider = MemberGuardProvider()
    outputs = create(member())
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1")
    capsys.readouterr()
    provider.read(outputs["id"], outputs)
    found = capsys.readouterr().err
    assert f"drift in OrganizationInvitationGuard member {MEMBER}" in found
    assert f"{SPAM} (not allowed, and it sent an invitation (found in eu-west-1))" in found

    macie_env.deny("ListInvitations")
    provider.read(outputs["id"], outputs)
    failed = capsys.readouterr().err
    assert f"OrganizationInvitationGuard member {MEMBER}: 3 inbox(es) failed" in failed
    assert "  - eu-west-1: ListInvitations failed: AccessDeniedException" in failed


# Several services: each member works every (region, service) inbox of its account at once

GUARDDUTY_AND_MACIE = ["guardduty", "macie2"]


def test_a_member_of_several_services_cleans_each_services_inbox_and_names_it(
    macie_env: EmulatorClient,
) -> None:
    macie_env.seed_invitation(MEMBER, SPAM, "us-east-1")
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1", service="guardduty")
    macie_env.seed_invitation(MEMBER, ADMIN, "us-east-1", service="securityhub")
    macie_env.disable_region(MEMBER, "af-south-1")
    macie_env.clear_calls()

    outputs = create(member() | {"services": ["securityhub", *GUARDDUTY_AND_MACIE]})

    assert outputs["services"] == ["macie2", "guardduty", "securityhub"]  # registry order
    inboxes = {(i.get("service", "macie2"), i["region"]): i for i in outputs["inboxes"]}
    assert inboxes["macie2", "us-east-1"] == {
        "region": "us-east-1",
        "outcome": "cleaned",
        "declinedAccountIds": [SPAM],
        "deletedAccountIds": [SPAM],
    }
    assert inboxes["guardduty", "eu-west-1"]["service"] == "guardduty"
    assert inboxes["guardduty", "eu-west-1"]["deletedAccountIds"] == [SPAM]
    assert inboxes["securityhub", "us-east-1"]["keptAccountIds"] == [ADMIN]
    for service in ("macie2", "guardduty", "securityhub"):  # one opt-in region, every service
        assert inboxes[service, "af-south-1"]["outcome"] == "skipped"
        assert "worked in 6 other inbox(es)" in inboxes[service, "af-south-1"]["reason"]
    assert macie_env.received(MEMBER, "eu-west-1", service="guardduty") == []
    assert [c["account_id"] for c in macie_env.sts_calls("AssumeRole")] == [MEMBER]  # once
    listed = sorted(
        (c["service"], c["region"])
        for c in macie_env.calls("ListInvitations", service=None)
        if c["region"] != "af-south-1"
    )
    assert set(listed) == {(s, r) for s in inboxes_services() for r in REGIONS[1:]}
    assert outputs["failedInboxes"] == {}


def inboxes_services() -> list[str]:
    return ["guardduty", "macie2", "securityhub"]


def test_a_member_of_several_services_fails_and_drifts_per_inbox(
    macie_env: EmulatorClient, capsys: pytest.CaptureFixture[str]
) -> None:
    provider = MemberGuardProvider()
    news = member() | {"services": GUARDDUTY_AND_MACIE}
    outputs = create(news)
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1", service="guardduty")
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1")
    capsys.readouterr()

    read = provider.read(outputs["id"], outputs)

    assert read.outs is not None
    assert read.inputs is not None
    assert read.outs["strayInvitations"] == {"eu-west-1": [SPAM], "guardduty:eu-west-1": [SPAM]}
    why = {SPAM: "not allowed, and it sent an invitation (found in eu-west-1, guardduty:eu-west-1)"}
    assert read.inputs["__invitationsFoundByRefresh"] == why
    assert "found in eu-west-1, guardduty:eu-west-1" in capsys.readouterr().err

    macie_env.deny("DeleteInvitations", service="guardduty")
    checked = provider.check(read.inputs, news).inputs
    updated = provider.update(outputs["id"], read.outs, checked).outs

    assert updated is not None
    assert list(updated["failedInboxes"]) == ["guardduty:eu-west-1"]
    assert updated["strayInvitations"] == {"guardduty:eu-west-1": [SPAM]}  # kept where it failed
    assert macie_env.received(MEMBER, "eu-west-1") == []  # Macie's was cleaned all the same
    keys = [f"{s}:{r}" if s != "macie2" else r for s in ("macie2", "guardduty") for r in REGIONS]
    message = member_failure(MEMBER, keys, updated["failedInboxes"])
    assert f"  - GuardDuty eu-west-1: DeleteInvitations for accounts {SPAM} fail" in message
    assert "Its 5 other inbox(es) were guarded all the same." in message


def test_changing_a_members_services_updates_it_and_a_macie_only_state_is_unchanged(
    macie_env: EmulatorClient,
) -> None:
    """A member recorded before ``services`` (none recorded) previews no change, whether the
    program leaves services out or names Macie alone; adding a service updates, never
    replaces."""
    provider = MemberGuardProvider()
    outputs = create(member())
    assert "services" not in outputs
    for news in (member(), member() | {"services": ["macie2"]}):
        checked = provider.check(outputs, news).inputs
        assert "services" not in checked
        assert not provider.diff(outputs["id"], outputs, checked).changes
    more = provider.check(outputs, member() | {"services": GUARDDUTY_AND_MACIE}).inputs
    diff = provider.diff(outputs["id"], outputs, more)
    assert diff.changes
    assert not diff.replaces
    updated = provider.update(outputs["id"], outputs, more).outs
    assert updated is not None
    assert not provider.diff(outputs["id"], updated, more).changes


@pytest.mark.parametrize(
    ("services", "message"),
    [
        (["guard duty"], "services: element 0: 'guard duty' (a string) is not a service"),
        (["macie2", "detective"], "services: element 1: 'detective' (a string) is not a service"),
        ([], "services: must be a non-empty list of services"),
        ("guardduty", "services: must be a non-empty list of services"),
    ],
)
def test_bad_services_fail_before_any_call_naming_the_property_and_the_value(
    macie_env: EmulatorClient, services: Any, message: str
) -> None:
    failures = MemberGuardProvider().check({}, member() | {"services": services}).failures
    assert any(f"{f.property}: {f.reason}".startswith(message) for f in failures), failures
    with pytest.raises(InvalidInputError, match=message.split(": ", 1)[1][:20]) as raised:
        OrganizationInvitationGuard(
            "org",
            member_role_arns=[ROLE],
            allowed_account_ids=[],
            services=services,
        )
    assert "services" in str(raised.value)
    assert macie_env.calls(service=None) == []


def members_registered(*guards: dict[str, Any]) -> list[dict[str, Any]]:
    """The members' inputs as registered when the program declares an
    OrganizationInvitationGuard with each of ``guards`` (keyword arguments) for ROLE."""
    mocks = Registrations()
    pulumi.runtime.set_mocks(mocks, preview=False)

    @pulumi.runtime.test
    def declare() -> None:
        for index, kwargs in enumerate(guards):
            OrganizationInvitationGuard(f"org{index}", member_role_arns=[ROLE], **kwargs)

    declare()
    return [inputs for inputs in mocks.inputs if "regions" in inputs]


def test_a_guard_of_several_services_sends_them_and_defaults_to_their_regions() -> None:
    members = members_registered(
        {"allowed_account_ids": [], "services": ["guardduty"]},
        {"allowed_account_ids": [], "services": ["macie2"]},
    )
    assert len(members) == 2
    [guardduty] = [inputs for inputs in members if "services" in inputs]
    [macie] = [inputs for inputs in members if inputs is not guardduty]
    assert guardduty["services"] == ["guardduty"]
    assert guardduty["regions"] == service_regions("guardduty")
    assert "services" not in macie  # the default is never sent: older members see no change
    assert macie["regions"] == macie_regions()
    with pytest.raises(InvalidInputError, match=r"'detective' .* is not a service"):
        service_regions("detective")


def test_summary_names_the_service_of_each_line_when_the_guard_has_several() -> None:
    text = render_summary(
        [
            {
                "account_id": MEMBER,
                "role_arn": ROLE,
                "services": GUARDDUTY_AND_MACIE,
                "inboxes": [
                    {"region": "us-east-1", "outcome": "cleaned", "deleted_account_ids": [SPAM]},
                    {
                        "region": "us-east-1",
                        "service": "guardduty",
                        "outcome": "clean",
                        "kept_account_ids": [ADMIN],
                    },
                ],
                "failed_inboxes": {"guardduty:eu-west-1": "AccessDenied"},
                "quiet_inboxes": 40,
            }
        ]
    )
    assert text.splitlines() == [
        f"account {MEMBER} (as {ROLE}):",
        f"  Macie us-east-1: deleted {SPAM}",
        f"  GuardDuty us-east-1: kept {ADMIN} (allowed)",
        "  GuardDuty eu-west-1: failed (the next `pulumi up` retries it): AccessDenied",
        "  nothing to remove in the 40 other inbox(es)",
    ]


def test_members_and_summary_of_a_several_services_guard_count_inboxes(
    macie_env: EmulatorClient,
) -> None:
    outputs = create(member() | {"services": GUARDDUTY_AND_MACIE})
    macie_env.seed_invitation(MEMBER, SPAM, "eu-west-1", service="guardduty")
    mock_refreshed(outputs)

    @pulumi.runtime.test
    def declare() -> pulumi.Output[None]:
        guarded: dict[str, Any] = {"regions": REGIONS, "services": GUARDDUTY_AND_MACIE}
        org = OrganizationInvitationGuard(
            "org", member_role_arns=[ROLE], allowed_account_ids=[ADMIN], **guarded
        )

        def check(values: list[Any]) -> None:
            summary, members = values
            [entry] = members
            assert entry["services"] == ["macie2", "guardduty"]
            assert "quiet_regions" not in entry
            assert entry["quiet_inboxes"] == 2 * len(REGIONS) - 1
            assert f"  GuardDuty eu-west-1: found {SPAM} (the next `pulumi up` removes them)" in (
                summary.splitlines()
            )

        return pulumi.Output.all(org.summary, org.members).apply(check)

    declare()


def test_services_given_as_an_output_reach_the_members_which_check_them() -> None:
    services = [pulumi.Output.from_input("securityhub")]
    [registered] = members_registered({"allowed_account_ids": [], "services": services})
    assert registered["services"] == ["securityhub"]
    # Not known when the program runs: every service's regions, each member works its own.
    every = {
        region
        for name in ("macie2", "guardduty", "securityhub")
        for region in service_regions(name)
    }
    assert registered["regions"] == sorted(every)
    failures = MemberGuardProvider().check({}, member() | {"services": ["security hub"]}).failures
    [wrong] = [f for f in failures if f.property == "services"]
    assert "element 0: 'security hub' (a string) is not a service" in wrong.reason
    assert "(boto3's name: 'securityhub')" in wrong.reason

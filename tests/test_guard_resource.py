"""The InvitationGuard class: constructor forms, property names, secrets (Pulumi mocks)."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi_macie_invitations import DeclinedInvitations, InvitationGuard, InvitationGuardArgs
from pulumi_macie_invitations import properties as p

ADMIN, A = "210987654321", "111122223333"


class GuardMocks(pulumi.runtime.Mocks):
    """Records registrations; each guard "keeps" its allowed senders."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        return f"{args.name}-id", dict(args.inputs) | {
            "keptAccountIds": args.inputs.get("allowedAccountIds")
        }

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> GuardMocks:
    recording = GuardMocks()
    pulumi.runtime.set_mocks(recording, preview=False)
    return recording


@pulumi.runtime.test
def test_keyword_form_registers_camel_case_and_exposes_snake_case(
    mocks: GuardMocks,
) -> pulumi.Output[Any]:
    guard = InvitationGuard("macie-inbox", allowed_account_ids=[ADMIN], region="us-east-1")

    def check(values: list[Any]) -> None:
        allowed, kept = values
        [registered] = mocks.resources
        assert registered.typ == "pulumi-python:dynamic/macie2:InvitationGuard"
        assert registered.inputs["allowedAccountIds"] == [ADMIN]
        assert registered.inputs["region"] == "us-east-1"
        assert "__provider" in registered.inputs
        assert {"allowed_account_ids", "accountIds"}.isdisjoint(registered.inputs)
        assert allowed == [ADMIN]
        assert kept == [ADMIN]

    return pulumi.Output.all(guard.allowed_account_ids, guard.kept_account_ids).apply(check)


@pulumi.runtime.test
def test_the_service_is_an_input_and_the_type_token_stays(
    mocks: GuardMocks,
) -> pulumi.Output[Any]:
    """One type per resource whatever the service: the token every release recorded."""
    guards = [
        InvitationGuard("guardduty-inbox", allowed_account_ids=[ADMIN], service="guardduty"),
        InvitationGuard(
            "securityhub-inbox", InvitationGuardArgs(allowed_account_ids=[], service="securityhub")
        ),
        DeclinedInvitations("stale", account_ids=[A], service="guardduty"),
    ]

    def check(services: list[str]) -> None:
        assert services == ["guardduty", "securityhub", "guardduty"]
        registered = {r.name: (r.typ, r.inputs["service"]) for r in mocks.resources}
        assert registered == {
            "guardduty-inbox": ("pulumi-python:dynamic/macie2:InvitationGuard", "guardduty"),
            "securityhub-inbox": ("pulumi-python:dynamic/macie2:InvitationGuard", "securityhub"),
            "stale": ("pulumi-python:dynamic/macie2:DeclinedInvitations", "guardduty"),
        }

    return pulumi.Output.all(*(guard.service for guard in guards)).apply(check)


@pulumi.runtime.test
def test_an_empty_allowed_list_is_sent_as_is(mocks: GuardMocks) -> pulumi.Output[Any]:
    guard = InvitationGuard("allow-none", allowed_account_ids=[])

    def check(allowed: list[str]) -> None:
        [registered] = mocks.resources
        assert registered.inputs["allowedAccountIds"] == []
        assert allowed == []

    return guard.allowed_account_ids.apply(check)


@pulumi.runtime.test
def test_args_form(mocks: GuardMocks) -> pulumi.Output[Any]:
    """(The secret external_id is InboxResource's, tested with DeclinedInvitations.)"""
    args = InvitationGuardArgs(allowed_account_ids=[ADMIN, A], profile="member")
    guard = InvitationGuard("member", args, pulumi.ResourceOptions(protect=False))

    def check(kept: list[str]) -> None:
        [registered] = mocks.resources
        assert registered.inputs["allowedAccountIds"] == [ADMIN, A]
        assert registered.inputs["profile"] == "member"
        assert kept == [ADMIN, A]

    return guard.kept_account_ids.apply(check)


def test_the_other_resource_s_keyword_is_a_type_error_naming_it(mocks: GuardMocks) -> None:
    with pytest.raises(TypeError, match="account_ids"):
        InvitationGuard("typo", account_ids=[A])  # type: ignore[call-overload]


def test_allowed_account_ids_is_required(mocks: GuardMocks) -> None:
    with pytest.raises(TypeError, match="allowed_account_ids"):
        InvitationGuard("missing")  # type: ignore[call-overload]


def test_args_and_keywords_together_are_refused(mocks: GuardMocks) -> None:
    with pytest.raises(TypeError, match="InvitationGuardArgs or keyword arguments, not both"):
        InvitationGuard(
            "both",
            InvitationGuardArgs(allowed_account_ids=[A]),
            allowed_account_ids=[ADMIN],  # type: ignore[call-overload]
        )


@pytest.mark.parametrize(
    ("resource", "names"),
    [
        (InvitationGuard, (*p.GUARD_INPUTS, *p.GUARD_RESULTS, p.ENDPOINT_URL)),
        (DeclinedInvitations, (*p.INPUTS, *p.RESULTS, p.ENDPOINT_URL)),
    ],
    ids=["InvitationGuard", "DeclinedInvitations"],
)
def test_every_state_property_is_a_typed_output(resource: type, names: tuple[str, ...]) -> None:
    hints = {name for cls in resource.__mro__ for name in vars(cls).get("__annotations__", {})}
    missing = [name for name in names if p.to_snake(name) not in hints]
    assert not missing, f"{resource.__name__} has no typed output for {missing}"

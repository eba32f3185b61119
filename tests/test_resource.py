"""The DeclinedInvitations class: constructor forms, property names, secrets (Pulumi mocks)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pulumi
import pytest
from pulumi_macie_invitations import DeclinedInvitations, DeclinedInvitationsArgs

A, B = "111122223333", "444455556666"


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        outputs = dict(args.inputs) | {"deletedAccountIds": args.inputs["accountIds"]}
        return f"{args.name}-id", outputs

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> RecordingMocks:
    recording = RecordingMocks()
    pulumi.runtime.set_mocks(recording, preview=False)
    return recording


@pulumi.runtime.test
def test_keyword_form_sends_camel_case_and_exposes_snake_case(
    mocks: RecordingMocks,
) -> pulumi.Output[Any]:
    resource = DeclinedInvitations("stale", account_ids=[B, A], region="eu-west-1")

    def check(values: list[Any]) -> None:
        account_ids, deleted = values
        [registered] = mocks.resources
        assert registered.typ == "pulumi-python:dynamic/macie2:DeclinedInvitations"
        assert registered.inputs["accountIds"] == [B, A]
        assert registered.inputs["region"] == "eu-west-1"
        assert "__provider" in registered.inputs
        assert "account_ids" not in registered.inputs
        assert account_ids == [B, A]
        assert deleted == [B, A]

    return pulumi.Output.all(resource.account_ids, resource.deleted_account_ids).apply(check)


@pulumi.runtime.test
def test_args_form_and_secret_external_id(mocks: RecordingMocks) -> pulumi.Output[Any]:
    args = DeclinedInvitationsArgs(
        account_ids=[A], role_arn="arn:aws:iam::999988887777:role/r", external_id="shared-ext-id"
    )
    resource = DeclinedInvitations("member", args, pulumi.ResourceOptions(protect=False))

    def check(values: list[Any]) -> None:
        external_id, is_secret = values
        [registered] = mocks.resources
        assert registered.inputs["roleArn"] == "arn:aws:iam::999988887777:role/r"
        assert external_id == "shared-ext-id"
        assert is_secret is True

    is_secret: Awaitable[bool] = resource.external_id.is_secret()
    secret: pulumi.Output[bool] = pulumi.Output.from_input(is_secret)
    return pulumi.Output.all(resource.external_id, secret).apply(check)


def test_unknown_keyword_is_a_type_error_naming_it(mocks: RecordingMocks) -> None:
    with pytest.raises(TypeError, match="acount_ids"):
        DeclinedInvitations("typo", acount_ids=[A])  # type: ignore[call-overload]


def test_args_and_keywords_together_are_refused(mocks: RecordingMocks) -> None:
    with pytest.raises(TypeError, match="not both"):
        DeclinedInvitations("both", DeclinedInvitationsArgs(account_ids=[A]), account_ids=[B])  # type: ignore[call-overload]

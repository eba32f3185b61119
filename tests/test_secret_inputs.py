"""Secret inputs: outputs derived from them are secret, messages and ids don't show them.

The mechanism (providers/secrets.py) on its own, then the provider's lifecycle calls against
the emulator server with ``secretInputs`` as the resource sends it. Through the real CLI:
tests/e2e/test_secrets.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi.runtime.rpc import is_rpc_secret, unwrap_rpc_secret
from pulumi_macie_invitations import (
    AwsCallError,
    CleanupIncompleteError,
    DeclinedInvitations,
    MacieInvitationsError,
)
from pulumi_macie_invitations import properties as p
from pulumi_macie_invitations.errors import InvalidInputError
from pulumi_macie_invitations.providers.inbox import DeclinedInvitationsProvider
from pulumi_macie_invitations.providers.secrets import PLACEHOLDER, PROPERTY, SecretInputs
from pulumi_macie_invitations.testing import EmulatorClient
from pulumi_macie_invitations.validation import UNKNOWN

from .helpers import Registrations

ME = "123456789012"
REGION = "us-east-1"
A, B, C = "111122223333", "444455556666", "777788889999"
SECRET = {PROPERTY: ["accountIds"]}


DERIVED = DeclinedInvitationsProvider().derived()


def secret_accounts(*ids: object) -> SecretInputs:
    return SecretInputs.of({"accountIds": list(ids), PROPERTY: ["accountIds"]})


def plain(outputs: dict[str, Any]) -> dict[str, Any]:
    return {key: unwrap_rpc_secret(value) for key, value in outputs.items()}


def secret_keys(outputs: dict[str, Any]) -> set[str]:
    return {key for key, value in outputs.items() if is_rpc_secret(value)}


# The mechanism


def test_a_state_without_the_property_has_nothing_secret() -> None:
    secrets = SecretInputs.of({"accountIds": [A]})
    assert secrets == SecretInputs()
    assert secrets.outputs({"accountIds": [A]}, DERIVED) == {"accountIds": [A], PROPERTY: []}
    assert secrets.hide(f"failed for {A}") == f"failed for {A}"


def test_values_to_hide_are_every_scalar_as_a_message_shows_it() -> None:
    secrets = secret_accounts(A, 11112222333.0, UNKNOWN, None, True)
    assert secrets.names == {"accountIds"}
    assert set(secrets.values) == {A, "11112222333.0", "11112222333"}
    assert secrets.values[0] == "11112222333.0"  # longest first


def test_outputs_derived_from_a_secret_input_are_wrapped_and_the_rest_stay_plain() -> None:
    values = {
        "accountIds": [A],
        "region": REGION,
        "declinedAccountIds": [A],
        "deletedAccountIds": [A],
        "absentAccountIds": [],
        "reappearedAccountIds": [],
        "outcomes": {A: "declined and deleted"},
        "roleArn": None,
    }
    outputs = secret_accounts(A).outputs(values, DERIVED)
    assert secret_keys(outputs) == {"accountIds", *p.RESULTS}
    assert plain(outputs) == values | {PROPERTY: ["accountIds"]}


def test_hide_replaces_values_counts_runs_and_says_why() -> None:
    secrets = secret_accounts(A, B)
    hidden = secrets.hide(f"DeleteInvitations for accounts {A}, {B} failed; {B}: gone")
    assert hidden == (
        f"DeleteInvitations for accounts [2 secret values] failed; {PLACEHOLDER}: gone\n"
        "(values of secret inputs are hidden: accountIds)"
    )


def test_a_check_failure_of_a_secret_input_names_it_without_its_value() -> None:
    secrets = secret_accounts("11112222333")
    failure = secrets.check_failure("accountIds", "element 0 is '11112222333' (a string)")
    # The engine prints a failing property's value: a secret one is named in the reason.
    assert failure.property == ""
    assert failure.reason.startswith("accountIds: element 0 is '[secret]' (a string)")
    assert secrets.check_failure("region", "bad").property == "region"


def _aws_error_while_handling_a_key_error() -> None:
    try:
        raise KeyError(A)
    except KeyError as cause:
        raise AwsCallError("DeclineInvitations", [A], "ClientError", "no") from cause


def test_errors_raised_through_are_hidden_with_their_causes() -> None:
    with pytest.raises(AwsCallError) as raised, secret_accounts(A).hidden_in_errors():
        _aws_error_while_handling_a_key_error()
    assert "for accounts [secret] failed" in str(raised.value)
    assert A not in str(raised.value)
    assert A not in str(raised.value.__cause__)


def test_an_error_whose_message_ignores_its_args_is_replaced() -> None:
    class StubbornError(Exception):
        def __str__(self) -> str:
            return f"account {A}"

    with pytest.raises(MacieInvitationsError) as raised, secret_accounts(A).hidden_in_errors():
        raise StubbornError
    assert str(raised.value).startswith(f"account {PLACEHOLDER}")


# The provider


@pytest.fixture
def provider() -> DeclinedInvitationsProvider:
    return DeclinedInvitationsProvider()


def checked(provider: DeclinedInvitationsProvider, **news: Any) -> dict[str, Any]:
    result = provider.check({}, news)
    assert not result.failures, [f.reason for f in result.failures]
    return result.inputs


def test_secret_accounts_make_every_result_secret_and_the_id_random(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B):
        macie_env.send_invitations(sender, [ME], REGION)
    inputs = checked(provider, accountIds=[B, A], **SECRET)
    assert inputs[PROPERTY] == ["accountIds"]

    created = provider.create(inputs)

    assert created.outs is not None
    assert secret_keys(created.outs) == {"accountIds", *p.RESULTS}
    assert plain(created.outs)["deletedAccountIds"] == [A, B]
    assert created.id.startswith(f"{REGION}-")
    assert created.id != provider.create(inputs).id  # nothing derived from the inputs


def test_plain_accounts_stay_plain(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider
) -> None:
    macie_env.send_invitations(A, [ME], REGION)
    created = provider.create(checked(provider, accountIds=[A], **{PROPERTY: []}))
    assert created.outs is not None
    assert secret_keys(created.outs) == set()
    assert created.outs["deletedAccountIds"] == [A]


def test_a_secret_region_leaves_the_id_without_it(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider
) -> None:
    inputs = checked(provider, accountIds=[A], region=REGION, **{PROPERTY: ["region"]})
    created = provider.create(inputs)
    assert REGION not in created.id
    assert created.outs is not None
    assert secret_keys(created.outs) == {"region"}


def test_refresh_findings_of_secret_accounts_are_secret(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider
) -> None:
    created = provider.create(checked(provider, accountIds=[A, B], **SECRET))
    assert created.outs is not None
    macie_env.send_invitations(B, [ME], REGION)
    state = plain(created.outs)  # the engine hands the provider plain values

    read = provider.read(created.id, state)

    assert read.outs is not None
    assert read.inputs is not None
    assert secret_keys(read.outs) == {"accountIds", *p.RESULTS, p.INVITATIONS_TO_CLEAN_AGAIN}
    assert plain(read.outs)["reappearedAccountIds"] == [B]
    assert read.inputs[PROPERTY] == ["accountIds"]
    assert is_rpc_secret(read.inputs[p.FOUND_BY_REFRESH])  # the drift recorded for preview


def test_failures_with_secret_accounts_say_what_and_how_many_without_the_ids(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider
) -> None:
    for sender in (A, B, C):
        macie_env.send_invitations(sender, [ME], REGION)
    macie_env.deny("DeclineInvitations")
    with pytest.raises(AwsCallError) as denied:
        provider.create(checked(provider, accountIds=[A, B], **SECRET))
    message = str(denied.value)
    assert A not in message
    assert B not in message
    assert "DeclineInvitations for accounts [2 secret values] failed: AccessDeniedException" in (
        message
    )
    assert "macie2:DeclineInvitations" in message

    macie_env.clear_faults()
    macie_env.unprocessed("DeleteInvitations", [A, C], times=5, error_code="ClientError")
    with pytest.raises(CleanupIncompleteError) as failed:
        provider.update("id", {}, checked(provider, accountIds=[A, C], **SECRET))
    message = str(failed.value)
    assert A not in message
    assert C not in message
    assert "could not clean the Macie invitations of 2 account(s)" in message
    assert f"  - {PLACEHOLDER}: DeleteInvitations: ClientError" in message

    with pytest.raises(InvalidInputError) as invalid:
        provider.create({"accountIds": ["1234"], "region": REGION, **SECRET})
    assert "1234" not in str(invalid.value)


def test_bad_secret_accounts_fail_check_without_their_value(
    provider: DeclinedInvitationsProvider,
) -> None:
    result = provider.check({}, {"accountIds": [A, "11112222333"], **SECRET})
    [failure] = result.failures
    assert failure.property == ""
    assert failure.reason.startswith(
        "accountIds: element 1 is '[secret]' (a string): an account id has exactly 12 digits"
    )
    assert "11112222333" not in failure.reason


# The resource: which inputs are secret, computed in the program (Pulumi mocks)


SOURCES: list[tuple[str, Callable[[], dict[str, Any]], list[str]]] = [
    ("plain list", lambda: {"account_ids": [A, B]}, []),
    (
        "Output.secret of the list",
        lambda: {"account_ids": pulumi.Output.secret([A, B])},
        ["accountIds"],
    ),
    ("a secret element", lambda: {"account_ids": [A, pulumi.Output.secret(B)]}, ["accountIds"]),
    (
        "an output derived from a secret",
        lambda: {"account_ids": pulumi.Output.secret(A).apply(lambda a: [a, B])},
        ["accountIds"],
    ),
    (
        "external id (always secret)",
        lambda: {
            "account_ids": [A],
            "role_arn": "arn:aws:iam::999988887777:role/r",
            "external_id": "ext-id-1",
        },
        ["externalId"],
    ),
]


@pytest.mark.parametrize(
    ("arguments", "expected"), [c[1:] for c in SOURCES], ids=[c[0] for c in SOURCES]
)
def test_the_resource_records_which_inputs_are_secret(
    arguments: Callable[[], dict[str, Any]], expected: list[str]
) -> None:
    mocks = Registrations()
    pulumi.runtime.set_mocks(mocks, preview=False)

    @pulumi.runtime.test
    def declare() -> pulumi.Output[Any]:
        resource = DeclinedInvitations("stale", **arguments())

        def check(values: list[Any]) -> None:
            recorded, is_secret = values
            [inputs] = mocks.inputs
            assert inputs[PROPERTY] == expected
            assert recorded == expected
            assert is_secret is False  # the list of names is never secret itself

        is_secret: pulumi.Output[bool] = pulumi.Output.from_input(
            resource.secret_inputs.is_secret()
        )
        return pulumi.Output.all(resource.secret_inputs, is_secret).apply(check)

    declare()

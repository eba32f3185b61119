"""Errors (errors.py): messages built from what callers hand in (the service description),
and lifecycle methods without our frames."""

from __future__ import annotations

import traceback

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_macie_invitations import MemberFailedError
from pulumi_macie_invitations.aws.clients import aws_failure
from pulumi_macie_invitations.errors import (
    AdministratorInvitationError,
    CleanupIncompleteError,
    InvalidInputError,
    iam_action,
)
from pulumi_macie_invitations.providers.member import MemberGuardProvider
from pulumi_macie_invitations.services import SERVICES, ServiceDescription
from pulumi_macie_invitations.services.guardduty import GUARDDUTY
from pulumi_macie_invitations.services.macie2 import MACIE2
from pulumi_macie_invitations.services.securityhub import SECURITYHUB


def test_messages_take_the_services_words_from_its_description() -> None:
    refused = str(
        AdministratorInvitationError(["210987654321"], "here", service=MACIE2, keep_hint="x")
    )
    assert "accepted Macie invitation" in refused
    assert f"`{MACIE2.leave_member_command}`" in refused
    assert f"`{MACIE2.leave_administrator_command}`" in refused
    incomplete = str(CleanupIncompleteError({"210987654321": "why"}, "here", service=MACIE2))
    assert incomplete.startswith("could not clean the Macie invitations of 1 account(s) in here")
    assert iam_action("DeleteInvitations", MACIE2.iam_prefix) == "macie2:DeleteInvitations"
    assert iam_action("sts:AssumeRole", MACIE2.iam_prefix) == "sts:AssumeRole"


@pytest.mark.parametrize(
    ("service", "short", "leave"),
    [
        (MACIE2, "Macie", "aws macie2 disassociate-from-administrator-account"),
        (GUARDDUTY, "GuardDuty", "aws guardduty disassociate-from-administrator-account"),
        (SECURITYHUB, "Security Hub", "aws securityhub disassociate-from-administrator-account"),
    ],
    ids=lambda v: v.name if isinstance(v, ServiceDescription) else None,
)
def test_the_administrator_refusal_names_the_services_own_commands(
    service: ServiceDescription, short: str, leave: str
) -> None:
    refused = str(
        AdministratorInvitationError(["210987654321"], "here", service=service, keep_hint="x")
    )
    assert f"the accepted {short} invitation from 210987654321" in refused
    assert f"current {short} administrator" in refused
    assert f"`{leave}" in refused
    others = [other.name for other in SERVICES.values() if other is not service]
    assert not any(f"aws {other} " in refused for other in others)


def _client_error(code: str, operation: str) -> Exception:
    from botocore.exceptions import ClientError

    return ClientError({"Error": {"Code": code, "Message": "no"}}, operation)


@pytest.mark.parametrize("service", list(SERVICES.values()), ids=lambda s: s.name)
def test_a_denied_call_names_the_services_iam_action(service: ServiceDescription) -> None:
    denied = str(
        aws_failure(
            _client_error("AccessDeniedException", "DeclineInvitations"),
            "DeclineInvitations",
            ["111122223333"],
            "region us-east-1",
            service,
        )
    )
    assert f"needs the IAM action {service.iam_prefix}:DeclineInvitations " in denied


def test_a_failed_call_names_the_service_but_macies_read_as_before() -> None:
    """Macie's messages name no service, as when it was the only one; the others' do."""
    for service, where in [
        (MACIE2, "(region us-east-1)"),
        (GUARDDUTY, "(GuardDuty region us-east-1)"),
        (SECURITYHUB, "(Security Hub region us-east-1)"),
    ]:
        error = _client_error("ThrottlingException", "ListInvitations")
        failed = str(aws_failure(error, "ListInvitations", [], "region us-east-1", service))
        assert failed.startswith(f"ListInvitations failed: ThrottlingException: no {where}.")


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("LimitExceededException", "AWS throttled ListInvitations"),
        ("InternalException", "AWS still answered this"),
        ("InternalServerErrorException", "AWS still answered this"),
        ("InvalidAccessException", "Check that AWS Security Hub is available and enabled"),
    ],
)
def test_the_other_services_error_codes_get_their_hints(code: str, hint: str) -> None:
    failed = aws_failure(
        _client_error(code, "ListInvitations"), "ListInvitations", [], "here", SECURITYHUB
    )
    assert hint in str(failed)


def test_a_member_failure_names_the_account_and_every_region() -> None:
    message = str(MemberFailedError("222222222222", {"region b": "y", "region a": "x"}, ["c"]))
    assert message.splitlines()[:3] == [
        "member account 222222222222: 2 failure(s):",
        "  - region a: x",
        "  - region b: y",
    ]


def test_the_member_provider_leaves_its_errors_without_our_frames(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    provider = MemberGuardProvider()
    provider.configure(ConfigureRequest(Config({}, "proj")))
    news = {"ownAccount": True, "regions": ["us-east-1"], "allowedAccountIds": []}
    with pytest.raises(InvalidInputError) as refused:
        provider.create(news)
    frames = traceback.extract_tb(refused.value.__traceback__)
    assert [frame.filename for frame in frames] == [__file__]
    assert "no region to call STS in" in str(refused.value)

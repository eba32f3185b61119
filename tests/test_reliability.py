"""Faults, network bounds, credentials and scope, measured in-process: the provider's
lifecycle calls against the emulator server (real boto3 over HTTP). Each test adds its
figures to RELIABILITY.md (tests/reliability.py); the CLI side is tests/e2e/test_reliability_cli.py.
"""

from __future__ import annotations

import socket
import time
from collections import Counter

import pytest
from botocore.retries.standard import ExponentialBackoff
from moto.core import set_initial_no_auth_action_count
from pulumi_macie_invitations import (
    AdministratorInvitationError,
    AwsCallError,
    CleanupIncompleteError,
    InvalidInputError,
    macie_regions,
    organization_accounts,
)
from pulumi_macie_invitations.aws import clients, environment
from pulumi_macie_invitations.engine import inbox as engine
from pulumi_macie_invitations.providers.inbox import DeclinedInvitationsProvider
from pulumi_macie_invitations.providers.member import MemberGuardProvider
from pulumi_macie_invitations.services import SERVICES
from pulumi_macie_invitations.testing import EmulatorClient
from pulumi_macie_invitations.testing.exceptions import CREDENTIAL_ERRORS
from pulumi_macie_invitations.validation import UNKNOWN

from .helpers import (
    ME,
    MUTATING,
    REGION,
    A,
    B,
    C,
    Figures,
    ServiceInboxes,
    checked,
    outs_of,
    statuses,
)
from .reliability import assumed_roles, provider_actions, readme_policy_actions

OPERATIONS = ("ListInvitations", "DeclineInvitations", "DeleteInvitations")
BUDGET = environment.MAX_ATTEMPTS
FAST = {
    environment.CONNECT_TIMEOUT_VARIABLE: "1",
    environment.READ_TIMEOUT_VARIABLE: "1",
    environment.MAX_ATTEMPTS_VARIABLE: "2",
}
"""Network settings that keep a hang short; the bound they give is what is checked."""
ORG_MEMBERS = 10


@pytest.fixture
def provider() -> DeclinedInvitationsProvider:
    return DeclinedInvitationsProvider()


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retries and the provider's resubmits without their sleeps: what is
    measured here is how many attempts are made, not how long they wait."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda _self, _context: 0.0)
    monkeypatch.setattr(engine, "RESUBMIT_DELAY_SECONDS", 0.0)


def shown(error: BaseException, *endpoints: str) -> str:
    """An error message as the table shows it: endpoints (random ports) replaced."""
    text = str(error)
    for endpoint in endpoints:
        text = text.replace(endpoint, "<endpoint>")
    return f"`{' '.join(text.split())}`"


def mutating_calls(emulator: EmulatorClient) -> list[str]:
    return [c["operation"] for c in emulator.calls() if c["operation"] in MUTATING]


def invite(emulator: EmulatorClient, *senders: str, recipient: str = ME) -> None:
    for sender in senders:
        emulator.seed_invitation(recipient, sender, REGION)


# Faults: throttling and 5xx up to the retry budget and beyond it


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(
    ("kind", "code"), [("throttle", "ThrottlingException"), ("fail", "InternalServerException")]
)
def test_the_retry_budget_absorbs_faults_and_then_fails_clearly(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    no_backoff: None,
    figures: Figures,
    operation: str,
    kind: str,
    code: str,
) -> None:
    fault = {"action": kind, "operation": operation, "status": 500}
    invite(macie_env, A, B)
    macie_env.add_fault(fault | {"times": BUDGET - 1})
    assert outs_of(provider.create(checked(provider, accountIds=[A, B])))["deletedAccountIds"]
    answered = [c["status"] for c in macie_env.calls(operation)][:BUDGET]
    assert answered == [429 if kind == "throttle" else 500] * (BUDGET - 1) + [200]
    assert statuses(macie_env) == {}
    figures.add(
        "faults",
        f"{operation}: {BUDGET - 1} x {code} in a row",
        f"cleaned: answered on attempt {BUDGET} of {BUDGET}",
    )

    invite(macie_env, A, B)
    macie_env.add_fault(fault | {"times": BUDGET})
    with pytest.raises(AwsCallError) as failed:
        provider.create(checked(provider, accountIds=[A, B]))
    message = str(failed.value)
    assert operation in message
    assert code in message
    assert f"{BUDGET} attempt(s)" in message
    assert "re-running `pulumi up` is safe" in message
    provider.create(checked(provider, accountIds=[A, B]))
    assert statuses(macie_env) == {}
    figures.add(
        "faults",
        f"{operation}: {BUDGET} x {code} in a row",
        f"failed: {shown(failed.value, macie_env.endpoint_url)}; the re-run cleaned both",
    )


@pytest.mark.parametrize("operation", ["DeclineInvitations", "DeleteInvitations"])
def test_unprocessed_accounts_are_resubmitted_then_named(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    no_backoff: None,
    figures: Figures,
    operation: str,
) -> None:
    resubmits = engine.INTERNAL_ERROR_RESUBMITS
    invite(macie_env, A, B, C)
    macie_env.unprocessed(operation, [A], times=resubmits, error_code="InternalError")
    provider.create(checked(provider, accountIds=[A, B, C]))
    sent = [c.get("account_ids") for c in macie_env.calls(operation)]
    assert sent == [[A, B, C]] + [[A]] * resubmits
    assert statuses(macie_env) == {}
    figures.add(
        "faults",
        f"{operation}: 1 of 3 accounts unprocessed (InternalError) {resubmits} times",
        f"cleaned: that account was sent again {resubmits} times",
    )

    for times, error_code in ((resubmits + 1, "InternalError"), (1, "ClientError")):
        invite(macie_env, A, B, C)
        macie_env.unprocessed(operation, [A, C], times=times, error_code=error_code)
        with pytest.raises(CleanupIncompleteError) as failed:
            provider.create(checked(provider, accountIds=[A, B, C]))
        assert set(failed.value.reasons) == {A, C}
        assert f"{operation}: {error_code}" in str(failed.value)
        figures.add(
            "faults",
            f"{operation}: 2 of 3 accounts unprocessed ({error_code}) {times} time(s)",
            f"failed naming both: {shown(failed.value, macie_env.endpoint_url)}",
        )
        provider.create(checked(provider, accountIds=[A, B, C]))
        assert statuses(macie_env) == {}


def test_a_partly_applied_cleanup_converges_on_the_next_run(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    no_backoff: None,
    figures: Figures,
) -> None:
    senders = [f"{300000000000 + n}" for n in range(55)]  # two batches: 50 + 5
    invite(macie_env, *senders)
    macie_env.fail("DeleteInvitations", times=BUDGET)
    with pytest.raises(AwsCallError) as failed:
        provider.create(checked(provider, accountIds=senders))
    assert failed.value.account_ids == senders[:50]
    assert set(statuses(macie_env).values()) == {"Resigned"}  # every one declined
    rerun = outs_of(provider.create(checked(provider, accountIds=senders)))
    assert (rerun["declinedAccountIds"], rerun["deletedAccountIds"]) == ([], senders)
    assert statuses(macie_env) == {}
    figures.add(
        "faults",
        "55 accounts: both DeclineInvitations batches applied, then DeleteInvitations "
        f"{BUDGET} x InternalServerException",
        "failed naming the 50 accounts of the batch; the re-run deleted all 55 (declined: "
        "none left to decline) and converged",
    )

    invite(macie_env, *senders)
    macie_env.unprocessed("DeleteInvitations", [senders[-1]], times=3)
    with pytest.raises(CleanupIncompleteError) as incomplete:
        provider.create(checked(provider, accountIds=senders))
    assert list(incomplete.value.reasons) == [senders[-1]]
    assert list(statuses(macie_env)) == [senders[-1]]  # the other 54 were deleted
    rerun = outs_of(provider.create(checked(provider, accountIds=senders)))
    assert (rerun["deletedAccountIds"], len(rerun["absentAccountIds"])) == ([senders[-1]], 54)
    figures.add(
        "faults",
        "55 accounts: DeleteInvitations batch 1 applied, 1 account of batch 2 unprocessed "
        "(InternalError) 3 times",
        "failed naming that account; the re-run deleted it (the other 54: absent) and converged",
    )


def test_an_organization_with_one_call_in_ten_throttled_converges(
    macie_env: EmulatorClient, no_backoff: None, figures: Figures
) -> None:
    """OrganizationInvitationGuard's members, one Macie call in ten answered 429: up (each
    member's create), refresh (its read) and a no-change up (its diff) converge, with the
    calls answered at the minimum; the throttled ones are botocore's retries."""
    members = [str(300000000000 + index) for index in range(ORG_MEMBERS)]
    regions = macie_regions()
    inboxes = [(member, region) for member in members for region in regions]
    spammed = inboxes[::10]
    for member, region in spammed:
        macie_env.seed_invitation(member, C, region)
    macie_env.throttle("*", times=10**6, every=10)
    provider = MemberGuardProvider()
    news = [
        provider.check(
            {},
            {
                "roleArn": f"arn:aws:iam::{member}:role/guard",
                "regions": regions,
                "allowedAccountIds": [A],
            },
        )
        for member in members
    ]
    assert all(checked.failures == [] for checked in news)

    def answered_and_throttled() -> tuple[Counter[str], int]:
        made = macie_env.calls()
        macie_env.clear_calls()
        answered = Counter(c["operation"] for c in made if c["status"] == 200)
        return answered, sum(c["status"] == 429 for c in made)

    macie_env.clear_calls()
    created = [provider.create(checked.inputs) for checked in news]
    up, up_throttled = answered_and_throttled()
    read = [provider.read(result.id, outs_of(result)).outs or {} for result in created]
    refresh, refresh_throttled = answered_and_throttled()
    changes = [
        provider.diff(result.id, outs, checked.inputs).changes
        for result, outs, checked in zip(created, read, news, strict=True)
    ]
    no_change, _ = answered_and_throttled()

    assert all(outs_of(result)["failedInboxes"] == {} for result in created)
    assert all(macie_env.received(member, region) == [] for member, region in spammed)
    assert up == {"ListInvitations": len(inboxes) + len(spammed)} | dict.fromkeys(
        ("DeclineInvitations", "DeleteInvitations"), len(spammed)
    )
    assert refresh == {"ListInvitations": len(inboxes)}
    assert all(outs["strayInvitations"] == {} for outs in read)
    assert changes == [False] * len(members)
    assert no_change == {}
    # One call in ten: n answered calls take (n - 1) // 9 throttled ones, whatever the order.
    assert up_throttled + refresh_throttled == (sum((up + refresh).values()) - 1) // 9
    figures.add(
        "scale",
        f"OrganizationInvitationGuard: {len(members)} members x {len(regions)} regions "
        f"({len(inboxes)} inboxes, {len(spammed)} with a sender not allowed), one Macie call "
        "in ten throttled (429), retries included",
        f"up (each member's create): {sum(up.values())} calls answered, the minimum, and "
        f"{up_throttled} throttled and retried; every member cleaned, none failed. refresh "
        f"(read): {sum(refresh.values())} answered, {refresh_throttled} throttled and retried, "
        "nothing found. no-change up (diff): no call, no change",
    )


# The network: an endpoint that refuses, one that never answers, one that answers too late


class SilentEndpoint:
    """A loopback socket that accepts connections (the kernel completes them) and never
    answers; counts them afterwards."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0), backlog=16)
        self._server.setblocking(False)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"

    def close(self) -> int:
        """Stop listening; the number of connections made."""
        connections = 0
        with self._server:
            while True:
                try:
                    self._server.accept()[0].close()
                except BlockingIOError:
                    return connections
                connections += 1


@pytest.fixture
def fast_network(monkeypatch: pytest.MonkeyPatch) -> environment.NetworkSettings:
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    return environment.network_settings()


def failing_create(
    provider: DeclinedInvitationsProvider, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[AwsCallError, float]:
    """Create against ``endpoint``: the error and the seconds it took."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_MACIE2", endpoint)
    inputs = checked(provider, accountIds=[A])
    provider.inbox(inputs).client()  # timed: the calls, not setup
    started = time.monotonic()
    with pytest.raises(AwsCallError) as failed:
        provider.create(inputs)
    return failed.value, time.monotonic() - started


def test_the_default_bounds(monkeypatch: pytest.MonkeyPatch, figures: Figures) -> None:
    for name in FAST:
        monkeypatch.delenv(name, raising=False)
    settings = environment.network_settings()
    assert settings == environment.NetworkSettings(
        connect_timeout=5, read_timeout=10, max_attempts=8
    )
    previous = environment.NetworkSettings(connect_timeout=10, read_timeout=30, max_attempts=8)
    config = clients.client_config()
    options = ("connect_timeout", "read_timeout", "retries")
    assert [getattr(config, option) for option in options] == [
        5,
        10,
        {"mode": "standard", "total_max_attempts": 8},
    ]
    figures.add(
        "network",
        "any (the defaults)",
        settings.describe(),
        f"worst case: {settings.worst_case_seconds(settings.read_timeout)} s for an endpoint "
        f"that never answers, {settings.worst_case_seconds(settings.connect_timeout)} s for one "
        "that never accepts (attempts x timeout + botocore's backoff); with the previous "
        f"settings (connect 10 s, read 30 s, 8 attempts): {previous.worst_case_seconds(30)} s",
    )


def test_a_port_nobody_listens_on_fails_at_once(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    fast_network: environment.NetworkSettings,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        endpoint = f"http://127.0.0.1:{closed.getsockname()[1]}"
        error, seconds = failing_create(provider, endpoint, monkeypatch)
    attempts, timeout = fast_network.max_attempts, fast_network.connect_timeout
    bound = fast_network.worst_case_seconds(timeout)
    assert error.code == "EndpointConnectionError"
    assert "could not connect to region us-east-1" in str(error)
    assert seconds <= bound
    figures.add(
        "network",
        "loopback port nobody listens on",
        fast_network.describe(),
        f"failed in under {bound} s (bound: {attempts} x {timeout:g} s + backoff): "
        f"{shown(error, endpoint)}",
    )


def test_an_endpoint_that_never_answers_fails_within_the_bound(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    fast_network: environment.NetworkSettings,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    silent = SilentEndpoint()
    try:
        error, seconds = failing_create(provider, silent.url, monkeypatch)
    finally:
        connections = silent.close()
    attempts, timeout = fast_network.max_attempts, fast_network.read_timeout
    bound = fast_network.worst_case_seconds(timeout)
    assert error.code == "ReadTimeoutError"
    assert connections == attempts
    assert attempts * timeout <= seconds <= bound
    figures.add(
        "network",
        "loopback socket that accepts and never answers",
        fast_network.describe(),
        f"{attempts} attempts, failed in under {bound} s (bound: {attempts} x {timeout:g} s + "
        f"backoff): {shown(error, silent.url)}",
    )


def test_an_answer_later_than_the_read_timeout_fails_within_the_bound(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    fast_network: environment.NetworkSettings,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    invite(macie_env, A)
    latency = fast_network.read_timeout + 0.5
    macie_env.latency("ListInvitations", latency)
    error, seconds = failing_create(provider, macie_env.endpoint_url, monkeypatch)
    attempts = fast_network.max_attempts
    bound = fast_network.worst_case_seconds(fast_network.read_timeout)
    assert error.code == "ReadTimeoutError"
    assert seconds <= bound
    deadline = time.monotonic() + latency + 5  # the emulator still finishes the late calls
    while len(macie_env.calls("ListInvitations")) < attempts and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(macie_env.calls("ListInvitations")) == attempts
    assert mutating_calls(macie_env) == []
    figures.add(
        "network",
        f"emulator answering ListInvitations after {latency:g} s",
        fast_network.describe(),
        f"{attempts} attempts, failed in under {bound} s, nothing changed: "
        f"{shown(error, macie_env.endpoint_url)}",
    )


# Credentials and permissions


@pytest.mark.parametrize("code", sorted(CREDENTIAL_ERRORS))
def test_rejected_credentials_are_named(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider, figures: Figures, code: str
) -> None:
    invite(macie_env, A)
    macie_env.reject_credentials("*", code)
    with pytest.raises(AwsCallError) as rejected:
        provider.create(checked(provider, accountIds=[A]))
    assert rejected.value.code == code
    assert "AWS rejected the credentials" in str(rejected.value)
    assert mutating_calls(macie_env) == []
    figures.add(
        "credentials",
        f"AWS answers {code} (403)",
        f"failed, nothing changed: {shown(rejected.value, macie_env.endpoint_url)}",
    )


def test_no_credentials_at_all_fail_before_any_call(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):  # macie_env's dummy keys
        monkeypatch.delenv(name)
    with pytest.raises(AwsCallError) as missing:
        provider.create(checked(provider, accountIds=[A]))
    assert missing.value.code == "NoCredentialsError"
    assert macie_env.calls() == []
    figures.add(
        "credentials",
        "none at all (no variables, no profile files, no instance metadata)",
        f"failed before any AWS call: {shown(missing.value, macie_env.endpoint_url)}",
    )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_access_denied_names_the_missing_action(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    figures: Figures,
    operation: str,
) -> None:
    invite(macie_env, A)
    macie_env.deny(operation)
    with pytest.raises(AwsCallError) as denied:
        provider.create(checked(provider, accountIds=[A]))
    assert denied.value.code == "AccessDeniedException"
    assert f"needs the IAM action macie2:{operation}" in str(denied.value)
    figures.add(
        "credentials",
        f"AccessDeniedException on {operation}",
        f"failed: {shown(denied.value, macie_env.endpoint_url)}",
    )


def test_a_role_that_may_not_be_assumed_names_sts_assume_role(
    macie_env: EmulatorClient,
    provider: DeclinedInvitationsProvider,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    """moto's own IAM evaluation (its auth mode) decides: a user with no policy."""
    iam = macie_env.session_for(ME).client("iam", endpoint_url=macie_env.endpoint_url)
    role = "arn:aws:iam::999988887777:role/macie-invitation-cleaner"
    inputs = checked(provider, accountIds=[A], roleArn=role)

    @set_initial_no_auth_action_count(2)  # create_user and create_access_key go unchecked
    def create_as_a_user_without_policy() -> AwsCallError:
        iam.create_user(UserName="no-policy")
        key = iam.create_access_key(UserName="no-policy")["AccessKey"]
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
        with pytest.raises(AwsCallError) as denied:
            provider.create(inputs)
        return denied.value

    denied = create_as_a_user_without_policy()
    assert denied.code == "AccessDenied"
    assert "needs the IAM action sts:AssumeRole" in str(denied)
    assert f"(STS in region us-east-1, assuming {role}, at {macie_env.endpoint_url})" in str(denied)
    assert "(region us-east-1" not in str(denied)  # not where Macie would have been called
    assert macie_env.calls() == []
    figures.add(
        "credentials",
        "a role the identity may not assume (moto's IAM evaluation)",
        f"failed before any Macie call: {shown(denied, macie_env.endpoint_url)}",
    )


# Scope: the README's policy, accounts not listed, the current administrator


def test_the_provider_needs_exactly_the_readme_policy(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider, figures: Figures
) -> None:
    member = "999988887777"
    role = f"arn:aws:iam::{member}:role/macie-invitation-cleaner"
    for service in SERVICES.values():  # one inbox resource of each service
        ServiceInboxes(macie_env, service).invite(A, B, recipients=(member,))
        settings = {"roleArn": role, "externalId": "ext-id-42", "service": service.name}
        olds = outs_of(provider.create(checked(provider, accountIds=[A], **settings)))
        news = checked(provider, accountIds=[A, B], **settings)
        updated = outs_of(provider.update("id", olds, news))
        provider.read("id", updated)
        provider.delete("id", updated)
    root = macie_env.create_organization()  # the organization's members, as the program reads them
    unit = macie_env.create_organizational_unit("members", root)
    macie_env.create_accounts(1, parent_id=unit)
    assert organization_accounts() == organization_accounts(parent_ids=[unit])
    used = provider_actions(macie_env.calls(service=None))
    assert used == readme_policy_actions()
    assert {r.external_id for r in assumed_roles() if r.role_arn == role} == {"ext-id-42"}
    figures.add(
        "access",
        "IAM actions the provider called in create, update, read and delete (with role_arn), "
        "and organization_accounts (with parent_ids)",
        f"{', '.join(sorted(used))}: exactly the README's policy, plus sts:AssumeRole for "
        "role_arn (also checked after every test that uses the emulator, and across the suite)",
    )


def test_accounts_not_listed_are_never_sent_and_the_administrator_is_refused(
    macie_env: EmulatorClient, provider: DeclinedInvitationsProvider, figures: Figures
) -> None:
    administrator = "210987654321"
    invite(macie_env, A, B, C)
    macie_env.seed_invitation(ME, administrator, REGION, "Enabled")
    olds = outs_of(provider.create(checked(provider, accountIds=[A])))
    olds = outs_of(provider.update("id", olds, checked(provider, accountIds=[A, B])))
    provider.read("id", olds)
    provider.delete("id", olds)
    with pytest.raises(AdministratorInvitationError) as refused:
        provider.create(checked(provider, accountIds=[C, administrator]))
    with pytest.raises(InvalidInputError):
        provider.create({"accountIds": [C, UNKNOWN], "region": REGION})
    sent = [c for c in macie_env.calls() if c["operation"] in MUTATING]
    assert all(set(c.get("account_ids") or ()) <= {A, B} for c in sent)
    assert statuses(macie_env) == {C: "Invited", administrator: "Enabled"}
    figures.add(
        "access",
        "Accounts sent to DeclineInvitations/DeleteInvitations that were not listed "
        "(create, update, read, delete, a refused create)",
        f"0 in {len(sent)} calls; the unlisted invitation and the administrator's untouched",
    )
    figures.add(
        "access",
        "The current administrator listed",
        f"refused before any change: {shown(refused.value, macie_env.endpoint_url)}",
    )


def test_the_emulator_rejects_credentials_as_aws_does(macie_env: EmulatorClient) -> None:
    macie_env.reject_credentials("ListInvitations", "ExpiredTokenException")
    assert macie_env.faults() == [
        {
            "action": "credentials",
            "operation": "ListInvitations",
            "errorCode": "ExpiredTokenException",
        }
    ]
    client = macie_env.macie2(ME)
    with pytest.raises(client.exceptions.ClientError) as rejected:
        client.list_invitations()
    error = rejected.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "ExpiredTokenException",
        CREDENTIAL_ERRORS["ExpiredTokenException"],
    )
    assert [c["status"] for c in macie_env.calls()] == [403]

"""The emulator's per-call delay, opt-in regions an account hasn't enabled, and roles that
can't be assumed: in-process and over HTTP (the `emulator` fixture), and the server's
own switches (``--latency-ms``, the control API, the ``macie_latency_ms`` fixture)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from pulumi_macie_invitations import testing
from pulumi_macie_invitations.testing.client import EmulatorControlError

RECIPIENT = "222222222222"
OTHER_RECIPIENT = "444444444444"
SENDER = "111111111111"
OPT_IN_REGION = "af-south-1"
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def emulator_limits(emulator: testing.EmulatorControls) -> Iterator[testing.EmulatorControls]:
    """The emulator; afterwards every region enabled and no delay (the in-process emulator
    is not reset by moto)."""
    yield emulator
    testing.account_limits.clear()
    testing.call_delay.reset()


def error_of(error: ClientError) -> tuple[str, int, str]:
    reply = error.response
    return (
        reply["Error"]["Code"],
        reply["ResponseMetadata"]["HTTPStatusCode"],
        reply["Error"]["Message"],
    )


def test_call_latency_delays_every_macie_call(emulator_limits: testing.EmulatorControls) -> None:
    client = emulator_limits.macie2(RECIPIENT, config=NO_RETRIES)
    emulator_limits.set_call_latency(300)

    started = time.monotonic()
    client.list_invitations()
    client.get_invitations_count()
    elapsed = time.monotonic() - started

    assert emulator_limits.call_latency() == 300
    assert elapsed >= 0.6


def test_disabled_region_answers_like_aws(emulator_limits: testing.EmulatorControls) -> None:
    emulator_limits.send_invitations(SENDER, [RECIPIENT], region=OPT_IN_REGION)
    emulator_limits.disable_region(RECIPIENT, OPT_IN_REGION)
    disabled = emulator_limits.macie2(RECIPIENT, region=OPT_IN_REGION, config=NO_RETRIES)

    for call in (disabled.list_invitations, disabled.get_invitations_count):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo.value) == (
            "UnrecognizedClientException",
            403,
            "The security token included in the request is invalid.",
        )
    # The same account elsewhere, and another account there, are untouched.
    assert emulator_limits.macie2(RECIPIENT).list_invitations()["invitations"] == []
    other = emulator_limits.macie2(OTHER_RECIPIENT, region=OPT_IN_REGION)
    assert other.list_invitations()["invitations"] == []
    assert emulator_limits.disabled_regions() == [{"accountId": RECIPIENT, "region": OPT_IN_REGION}]
    refused = [
        (call["account_id"], call["status"])
        for call in emulator_limits.calls()
        if call["region"] == OPT_IN_REGION and call["operation"] != "CreateInvitations"
    ]
    assert refused == [(RECIPIENT, 403), (RECIPIENT, 403), (OTHER_RECIPIENT, 200)]


@pytest.mark.parametrize(
    ("account_id", "region"),
    [("2222", OPT_IN_REGION), (RECIPIENT, "Africa"), (222222222222, OPT_IN_REGION)],
    ids=["short-account", "not-a-region", "number"],
)
def test_malformed_disabled_regions_are_refused(
    emulator_limits: testing.EmulatorControls, account_id: str, region: str
) -> None:
    with pytest.raises((ValueError, EmulatorControlError)):
        emulator_limits.disable_region(account_id, region)
    assert emulator_limits.disabled_regions() == []


def test_reset_enables_regions_and_forgets_roles(macie_emulator: testing.EmulatorClient) -> None:
    macie_emulator.disable_region(RECIPIENT, OPT_IN_REGION)
    macie_emulator.refuse_role(f"arn:aws:iam::{RECIPIENT}:role/audit")
    macie_emulator.set_call_latency(5)

    macie_emulator.reset()

    assert macie_emulator.disabled_regions() == []
    assert macie_emulator.refused_roles() == []
    assert macie_emulator.call_latency() == 0


def test_limits_are_cleared_one_kind_at_a_time(macie_emulator: testing.EmulatorClient) -> None:
    role = f"arn:aws:iam::{RECIPIENT}:role/audit"
    macie_emulator.disable_region(RECIPIENT, OPT_IN_REGION)
    macie_emulator.refuse_role(role)

    macie_emulator.accept_all_roles()
    assert macie_emulator.refused_roles() == []
    assert macie_emulator.disabled_regions() != []
    macie_emulator.refuse_role(role)
    macie_emulator.enable_all_regions()
    assert macie_emulator.disabled_regions() == []
    assert macie_emulator.refused_roles() == [role]


def test_refused_role_answers_access_denied(macie_emulator: testing.EmulatorClient) -> None:
    refused = f"arn:aws:iam::{RECIPIENT}:role/OrganizationAccountAccessRole"
    allowed = f"arn:aws:iam::{OTHER_RECIPIENT}:role/OrganizationAccountAccessRole"
    macie_emulator.refuse_role(refused)
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=macie_emulator.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=NO_RETRIES,
    )

    with pytest.raises(ClientError) as excinfo:
        sts.assume_role(RoleArn=refused, RoleSessionName="test")
    code, status, message = error_of(excinfo.value)
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith(f"is not authorized to perform: sts:AssumeRole on resource: {refused}")
    assumed = sts.assume_role(RoleArn=allowed, RoleSessionName="test")
    assert assumed["AssumedRoleUser"]["Arn"].startswith(f"arn:aws:sts::{OTHER_RECIPIENT}:")
    assert macie_emulator.refused_roles() == [refused]
    with pytest.raises(EmulatorControlError, match="roleArn must be an IAM role ARN"):
        macie_emulator.refuse_role("OrganizationAccountAccessRole")


def test_latency_delays_sts_over_http(macie_emulator: testing.EmulatorClient) -> None:
    macie_emulator.set_call_latency(300)

    started = time.monotonic()
    macie_emulator.credentials_for(RECIPIENT)

    assert time.monotonic() - started >= 0.3


def test_latency_is_waited_side_by_side(macie_emulator: testing.EmulatorClient) -> None:
    """16 callers at once wait their delays together: the wait holds no lock."""
    clients = [macie_emulator.macie2(f"{100000000000 + i}", config=NO_RETRIES) for i in range(16)]
    macie_emulator.set_call_latency(500)

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda client: client.list_invitations(), clients))
    elapsed = time.monotonic() - started

    assert elapsed < 16 * 0.5 / 2  # one at a time would take 8 s


@pytest.mark.parametrize("macie_latency_ms", [120])
def test_fixture_sets_the_latency(macie_emulator: testing.EmulatorClient) -> None:
    assert macie_emulator.call_latency() == 120


@pytest.mark.parametrize("body", [{"milliseconds": -1}, {"milliseconds": "50"}, {}])
def test_malformed_latency_is_400(macie_emulator: testing.EmulatorClient, body: object) -> None:
    with pytest.raises(EmulatorControlError) as excinfo:
        macie_emulator._control("PUT", "latency", body)
    assert excinfo.value.status == 400
    assert macie_emulator.call_latency() == 0


def test_server_cli_latency_survives_reset() -> None:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pulumi_macie_invitations.testing.server",
            "--port",
            "0",
            "--latency-ms",
            "250",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        client = testing.EmulatorClient(server.stdout.readline().strip().split()[-1])
        assert client.call_latency() == 250
        client.set_call_latency(10)
        client.reset()
        assert client.call_latency() == 250
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()


def test_server_cli_refuses_negative_latency() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_macie_invitations.testing.server", "--latency-ms", "-5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--latency-ms must be from 0 to 60000" in result.stderr

"""The emulator's server mode: the HTTP control API, the command line, the pytest
fixtures, and how the extended backend is wired into moto."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import moto.backends
import moto.macie2
import pytest
from pulumi_macie_invitations import testing
from pulumi_macie_invitations.testing.client import EmulatorControlError
from pulumi_macie_invitations.testing.server import EmulatorServer

RECIPIENT = "222222222222"
SENDER = "111111111111"
OTHER_SENDER = "333333333333"


def control(
    client: testing.EmulatorClient, method: str, resource: str, body: object = None
) -> tuple[int, Any]:
    """A raw request to the control API: (status, decoded JSON)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    url = f"{client.endpoint_url}/_emulator/{resource}"
    assert url.startswith("http://")
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_health(macie_emulator: testing.EmulatorClient) -> None:
    assert control(macie_emulator, "GET", "health") == (200, {"status": "ok"})
    assert macie_emulator.health() == {"status": "ok"}


@pytest.mark.parametrize(
    ("method", "resource", "status"),
    [("GET", "nothing", 404), ("PUT", "faults", 405), ("GET", "reset", 405)],
)
def test_unknown_routes(
    macie_emulator: testing.EmulatorClient, method: str, resource: str, status: int
) -> None:
    assert control(macie_emulator, method, resource)[0] == status


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", {"action": "throttle", "operation": 5}],
    ids=["not-json", "not-object", "bad-operation"],
)
def test_malformed_fault_bodies_are_400(
    macie_emulator: testing.EmulatorClient, body: object
) -> None:
    status, payload = control(macie_emulator, "POST", "faults", body)

    assert status == 400
    assert payload["error"]


def test_every_fault_kind_over_raw_http(macie_emulator: testing.EmulatorClient) -> None:
    specs = [
        {"action": "throttle", "operation": "DeleteInvitations", "times": 3},
        {"action": "fail", "operation": "ListInvitations", "times": 1, "status": 500},
        {
            "action": "unprocessed",
            "operation": "DeclineInvitations",
            "accountIds": [SENDER],
            "times": 1,
            "errorCode": "InternalError",
        },
        {"action": "deny", "operation": "AcceptInvitation"},
        {"action": "latency", "operation": "*", "seconds": 0.0},
    ]
    for spec in specs:
        assert control(macie_emulator, "POST", "faults", spec)[0] == 201

    assert control(macie_emulator, "GET", "faults") == (200, specs)
    assert control(macie_emulator, "DELETE", "faults") == (200, [])
    assert macie_emulator.faults() == []


def test_calls_over_raw_http(macie_emulator: testing.EmulatorClient) -> None:
    macie_emulator.send_invitations(SENDER, [RECIPIENT])
    macie_emulator.listed(RECIPIENT)

    status, calls = control(macie_emulator, "GET", "calls")
    assert status == 200
    assert [(c["operation"], c["account_id"]) for c in calls] == [
        ("CreateInvitations", SENDER),
        ("ListInvitations", RECIPIENT),
    ]
    assert len(control(macie_emulator, "GET", "calls?operation=ListInvitations")[1]) == 1
    assert control(macie_emulator, "DELETE", "calls") == (200, [])
    assert macie_emulator.calls() == []


def test_a_call_is_in_progress_until_it_is_logged(macie_emulator: testing.EmulatorClient) -> None:
    macie_emulator.latency("ListInvitations", 3)  # holds the call while it is looked at
    client = macie_emulator.macie2(RECIPIENT)
    assert control(macie_emulator, "GET", "calls-in-progress") == (200, [])
    with ThreadPoolExecutor(max_workers=1) as pool:
        listing = pool.submit(client.list_invitations)
        while not listing.done() and not macie_emulator.calls_in_progress():
            pass
        status, in_progress = control(
            macie_emulator, "GET", "calls-in-progress?operation=ListInvitations"
        )
        assert not listing.done()
        assert macie_emulator.calls() == []
        assert listing.result()["invitations"] == []
    assert (status, in_progress) == (
        200,
        [{"operation": "ListInvitations", "account_id": RECIPIENT, "region": "us-east-1"}],
    )
    assert macie_emulator.calls_in_progress() == []
    assert [call["operation"] for call in macie_emulator.calls()] == ["ListInvitations"]
    assert control(macie_emulator, "GET", "calls-in-progress?operation=DeleteInvitations") == (
        200,
        [],
    )


def test_reset_forgets_invitations_faults_and_calls(macie_emulator: testing.EmulatorClient) -> None:
    macie_emulator.send_invitations(SENDER, [RECIPIENT])
    macie_emulator.deny("ListInvitations")

    assert control(macie_emulator, "POST", "reset") == (200, {"status": "reset"})

    assert macie_emulator.faults() == []
    assert macie_emulator.calls() == []
    assert macie_emulator.received(RECIPIENT) == []


def test_seeding_over_http(macie_emulator: testing.EmulatorClient) -> None:
    seeded = macie_emulator.seed_invitation(RECIPIENT, SENDER, status="Resigned")

    assert seeded["accountId"] == SENDER
    assert macie_emulator.received(RECIPIENT)[0]["relationshipStatus"] == "Resigned"
    for bad in ({"region": "mars-north-1"}, {"status": "Declined"}):
        with pytest.raises(EmulatorControlError) as excinfo:
            macie_emulator.seed_invitation(RECIPIENT, SENDER, **bad)
        assert excinfo.value.status == 400


def test_seeding_over_raw_http_echoes_the_inbox(macie_emulator: testing.EmulatorClient) -> None:
    body = {"recipient": RECIPIENT, "sender": SENDER, "region": "eu-west-1"}
    status, seeded = control(macie_emulator, "POST", "invitations", body)

    assert status == 201
    assert seeded["recipient"] == RECIPIENT
    assert seeded["region"] == "eu-west-1"
    assert seeded["accountId"] == SENDER
    assert seeded["relationshipStatus"] == "Invited"
    status, defaulted = control(
        macie_emulator, "POST", "invitations", {"recipient": RECIPIENT, "sender": OTHER_SENDER}
    )
    assert (status, defaulted["recipient"], defaulted["region"]) == (201, RECIPIENT, "us-east-1")


def test_an_inbox_over_raw_http_lists_senders_and_statuses_without_an_aws_call(
    macie_emulator: testing.EmulatorClient,
) -> None:
    macie_emulator.seed_invitation(RECIPIENT, OTHER_SENDER, "eu-west-1", status="Enabled")
    macie_emulator.seed_invitation(RECIPIENT, SENDER, "eu-west-1")
    macie_emulator.seed_invitation(RECIPIENT, OTHER_SENDER)  # us-east-1
    macie_emulator.deny("ListInvitations")  # a fault on the AWS call: the inbox is no call

    status, inbox = control(
        macie_emulator, "GET", f"invitations?recipient={RECIPIENT}&region=eu-west-1"
    )

    assert status == 200
    assert [(i["accountId"], i["relationshipStatus"]) for i in inbox] == [
        (SENDER, "Invited"),
        (OTHER_SENDER, "Enabled"),
    ]
    assert all(i["invitationId"] and i["invitedAt"].endswith("Z") for i in inbox)
    status, default_region = control(macie_emulator, "GET", f"invitations?recipient={RECIPIENT}")
    assert (status, [i["accountId"] for i in default_region]) == (200, [OTHER_SENDER])
    assert control(macie_emulator, "GET", f"invitations?recipient={SENDER}") == (200, [])
    assert macie_emulator.calls() == []
    received = macie_emulator.received(RECIPIENT, "eu-west-1")
    assert [(i["accountId"], i["invitationId"]) for i in received] == [
        (i["accountId"], i["invitationId"]) for i in inbox
    ]
    assert macie_emulator.calls() == []


@pytest.mark.parametrize(
    "query",
    ["", "?region=us-east-1", "?recipient=12345", "?recipient=222222222222&region=mars-north-1"],
    ids=["nothing", "no-recipient", "bad-recipient", "bad-region"],
)
def test_a_bad_inbox_query_is_400(macie_emulator: testing.EmulatorClient, query: str) -> None:
    status, payload = control(macie_emulator, "GET", f"invitations{query}")

    assert status == 400
    assert payload["error"]


def test_macie_env_lets_plain_boto3_reach_the_emulator(macie_env: testing.EmulatorClient) -> None:
    macie_env.seed_invitation("123456789012", SENDER)

    assert boto3.client("macie2").get_invitations_count()["invitationsCount"] == 1
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
    assert macie_env.calls()[-1]["account_id"] == "123456789012"
    assert os.environ["AWS_ENDPOINT_URL_MACIE2"] == macie_env.endpoint_url
    assert "AWS_PROFILE" not in os.environ


def test_concurrent_senders_all_arrive(macie_emulator: testing.EmulatorClient) -> None:
    senders = [f"{500000000000 + index:012d}" for index in range(8)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        # One client object per thread: MacieAccounts itself is not thread-safe.
        list(
            pool.map(
                lambda sender: testing.EmulatorClient(macie_emulator.endpoint_url).send_invitations(
                    sender, [RECIPIENT]
                ),
                senders,
            )
        )

    assert sorted(i["accountId"] for i in macie_emulator.received(RECIPIENT)) == senders


def test_a_second_server_serves_and_stops() -> None:
    server = EmulatorServer()
    with pytest.raises(RuntimeError):
        _ = server.endpoint_url
    with server:
        assert server.start() is server
        client = testing.EmulatorClient(server.endpoint_url)
        assert client.health() == {"status": "ok"}
        port = server.port
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
    server.stop()


def test_command_line_server_prints_its_url_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_macie_invitations.testing.server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    try:
        timer = threading.Timer(60, process.kill)
        timer.start()
        line = process.stdout.readline()
        timer.cancel()
        assert line.startswith("listening on http://127.0.0.1:")
        url = line.split()[-1]
        client = testing.EmulatorClient(url)
        assert client.health() == {"status": "ok"}
        client.send_invitations(SENDER, [RECIPIENT])
        assert [i["accountId"] for i in client.received(RECIPIENT)] == [SENDER]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert process.stdout.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def test_install_points_moto_at_the_extended_backend() -> None:
    testing.install()
    testing.install()
    assert testing.is_installed()
    assert moto.backends.get_backend("macie2") is testing.macie2_invitation_backends
    try:
        testing.uninstall()
        assert not testing.is_installed()
        assert moto.macie2.macie2_backends is not testing.macie2_invitation_backends
    finally:
        testing.install()
    assert testing.is_installed()


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL", "per-service"])
def test_every_service_answers_on_the_one_port(
    macie_emulator: testing.EmulatorClient, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    names = [f"AWS_ENDPOINT_URL_{name.upper()}" for name in testing.SERVICES]
    assert names == [
        "AWS_ENDPOINT_URL_MACIE2",
        "AWS_ENDPOINT_URL_GUARDDUTY",
        "AWS_ENDPOINT_URL_SECURITYHUB",
    ]
    for name in ["AWS_ENDPOINT_URL"] if variable == "AWS_ENDPOINT_URL" else names:
        monkeypatch.setenv(name, macie_emulator.endpoint_url)
    for service in testing.SERVICES:
        macie_emulator.seed_invitation("123456789012", SENDER, service=service)

    counts = [
        boto3.client(service).get_invitations_count()  # type: ignore[call-overload]
        for service in testing.SERVICES
    ]

    assert [count.get("invitationsCount", count.get("InvitationsCount")) for count in counts] == [
        1,
        1,
        1,
    ]
    made = [(c["service"], c["operation"]) for c in macie_emulator.calls(service=None)]
    assert made == [(service, "GetInvitationsCount") for service in testing.SERVICES]


def test_the_control_api_takes_a_service_over_raw_http(
    macie_emulator: testing.EmulatorClient,
) -> None:
    seeded = {"recipient": RECIPIENT, "sender": SENDER, "service": "securityhub"}
    status, invitation = control(
        macie_emulator, "POST", "invitations", seeded | {"MemberStatus": "Enabled"}
    )
    assert (status, invitation["AccountId"], invitation["MemberStatus"]) == (201, SENDER, "Enabled")
    assert control(macie_emulator, "GET", f"invitations?recipient={RECIPIENT}")[1] == []
    status, inbox = control(
        macie_emulator, "GET", f"invitations?recipient={RECIPIENT}&service=securityhub"
    )
    assert (status, [i["AccountId"] for i in inbox]) == (200, [SENDER])
    mode = {"decline": "deletes-pending", "service": "guardduty"}
    assert control(macie_emulator, "PUT", "mode", mode) == (200, {"decline": "deletes-pending"})
    assert control(macie_emulator, "GET", "mode?service=guardduty") == (
        200,
        {"decline": "deletes-pending"},
    )
    assert control(macie_emulator, "GET", "mode") == (200, {"decline": "stays-listed"})
    assert control(macie_emulator, "GET", "mode?service=detective")[0] == 400
    fault = {"action": "deny", "operation": "ListInvitations", "service": "guardduty"}
    assert control(macie_emulator, "POST", "faults", fault) == (201, [fault])
    assert control(macie_emulator, "GET", "faults") == (200, [])
    assert control(macie_emulator, "GET", "faults?service=guardduty") == (200, [fault])
    macie_emulator.listed(RECIPIENT, service="securityhub")
    macie_emulator.listed(RECIPIENT)
    assert [c["service"] for c in control(macie_emulator, "GET", "calls?service=*")[1]] == [
        "securityhub",
        "macie2",
    ]
    assert len(control(macie_emulator, "GET", "calls?service=securityhub")[1]) == 1

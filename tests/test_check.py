"""check: validation and normalisation of inputs, table-driven. No AWS call is possible here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import UNKNOWN as UNKNOWN_OUTPUT
from pulumi_macie_invitations.aws.regions import service_regions
from pulumi_macie_invitations.providers.inbox import DeclinedInvitationsProvider
from pulumi_macie_invitations.validation import UNKNOWN

from .helpers import Figures

A, B, C = "111122223333", "444455556666", "012345678901"


@pytest.fixture
def provider() -> DeclinedInvitationsProvider:
    """The provider, with the stack's aws:region set (no AWS variable: tests/conftest.py)."""
    provider = DeclinedInvitationsProvider()
    provider.configure(ConfigureRequest(Config({"aws:region": "eu-west-1"}, "proj")))
    return provider


VALID_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "sorted and de-duplicated",
        {"accountIds": [B, A, B]},
        {"accountIds": [A, B], "region": "eu-west-1"},
    ),
    ("leading zeros kept", {"accountIds": [C]}, {"accountIds": [C], "region": "eu-west-1"}),
    (
        "explicit region wins",
        {"accountIds": [A], "region": "us-west-2"},
        {"accountIds": [A], "region": "us-west-2"},
    ),
    ("tuple accepted", {"accountIds": (A,)}, {"accountIds": [A], "region": "eu-west-1"}),
    (
        "role with session name",
        {
            "accountIds": [A],
            "roleArn": "arn:aws:iam::999988887777:role/cleaner",
            "sessionName": "ci-run",
        },
        {
            "accountIds": [A],
            "region": "eu-west-1",
            "roleArn": "arn:aws:iam::999988887777:role/cleaner",
            "sessionName": "ci-run",
        },
    ),
    (
        "unknown list at preview",
        {"accountIds": UNKNOWN},
        {"accountIds": [UNKNOWN], "region": "eu-west-1"},
    ),
    (
        "unknown element at preview",
        {"accountIds": [UNKNOWN, B, A]},
        {"accountIds": [A, B, UNKNOWN], "region": "eu-west-1"},
    ),
    (
        "list from another resource, unknown at preview",
        {"accountIds": UNKNOWN_OUTPUT},
        {"accountIds": [UNKNOWN], "region": "eu-west-1"},
    ),
    (
        "element from another resource, unknown at preview",
        {"accountIds": [B, UNKNOWN_OUTPUT]},
        {"accountIds": [B, UNKNOWN], "region": "eu-west-1"},
    ),
    (
        "region from another resource, unknown at preview",
        {"accountIds": [A], "region": UNKNOWN_OUTPUT},
        {"accountIds": [A], "region": UNKNOWN},
    ),
    (
        "unknown region at preview",
        {"accountIds": [A], "region": UNKNOWN},
        {"accountIds": [A], "region": UNKNOWN},
    ),
    (
        "GuardDuty chosen",
        {"accountIds": [A], "service": "guardduty"},
        {"accountIds": [A], "region": "eu-west-1", "service": "guardduty"},
    ),
    (
        "Macie named (the default)",
        {"accountIds": [A], "service": "macie2"},
        {"accountIds": [A], "region": "eu-west-1", "service": "macie2"},
    ),
    (
        "service unknown at preview: the region is checked at apply",
        {"accountIds": [A], "service": UNKNOWN, "region": "us-east-9"},
        {"accountIds": [A], "region": "us-east-9", "service": UNKNOWN},
    ),
]


@pytest.mark.parametrize(
    ("news", "expected"), [c[1:] for c in VALID_CASES], ids=[c[0] for c in VALID_CASES]
)
def test_valid_inputs_are_normalised(
    request: pytest.FixtureRequest,
    provider: DeclinedInvitationsProvider,
    news: dict[str, Any],
    expected: dict[str, Any],
    figures: Figures,
) -> None:
    result = provider.check({}, news)
    assert [(f.property, f.reason) for f in result.failures] == []
    assert result.inputs == expected
    figures.add(
        "bad_input",
        _shown(request, news),
        "check (preview), no AWS call",
        f"accepted: `{_without_unknowns(expected)}`",
    )


INVALID_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing", {}, "accountIds", "is required"),
    ("not a list", {"accountIds": A}, "accountIds", f"got '{A}' (a string)"),
    ("a dict", {"accountIds": {"a": A}}, "accountIds", "(a dict)"),
    ("empty list", {"accountIds": []}, "accountIds", "at least one"),
    (
        "integer",
        {"accountIds": [111122223333]},
        "accountIds",
        "element 0 is 111122223333 (an integer)",
    ),
    (
        "integer from YAML config (a float on the wire)",
        {"accountIds": [111122223333.0]},
        "accountIds",
        "element 0 is 111122223333 (an integer)",
    ),
    ("11 digits", {"accountIds": ["11112222333"]}, "accountIds", "this one has 11"),
    ("13 digits", {"accountIds": ["1111222233334"]}, "accountIds", "this one has 13"),
    ("letters", {"accountIds": ["11112222333x"]}, "accountIds", "'11112222333x' (a string)"),
    ("spaces", {"accountIds": [f" {A}"]}, "accountIds", "surrounding spaces"),
    ("None inside", {"accountIds": [A, None]}, "accountIds", "element 1 is None"),
    ("nested list", {"accountIds": [[A]]}, "accountIds", f"element 0 is ['{A}'] (a list)"),
    ("boolean", {"accountIds": [True]}, "accountIds", "True (a boolean)"),
    (
        "unknown region",
        {"accountIds": [A], "region": "us-east-9"},
        "region",
        "'us-east-9' (a string) is not a region",
    ),
    (
        "malformed region",
        {"accountIds": [A], "region": "US_EAST_1"},
        "region",
        "'US_EAST_1' (a string) is not valid",
    ),
    ("empty region", {"accountIds": [A], "region": ""}, "region", "must not be empty"),
    (
        "unknown profile",
        {"accountIds": [A], "profile": "nope"},
        "profile",
        "'nope' (a string) is not a profile",
    ),
    (
        "malformed role ARN",
        {"accountIds": [A], "roleArn": "arn:aws:iam::12:role/x"},
        "roleArn",
        "'arn:aws:iam::12:role/x' (a string) is not valid",
    ),
    (
        "session name without role",
        {"accountIds": [A], "sessionName": "abc"},
        "sessionName",
        "roleArn is not",
    ),
    (
        "unexpected property",
        {"accountIds": [A], "acountIds": [A]},
        "acountIds",
        "is not a property",
    ),
    (
        "service not covered",
        {"accountIds": [A], "service": "detective"},
        "service",
        "'detective' (a string) is not a service this resource covers: expected one of "
        '"macie2", "guardduty", "securityhub"',
    ),
    (
        "service as its display name",
        {"accountIds": [A], "service": "Security Hub"},
        "service",
        "'Security Hub' (a string) is not a service this resource covers: expected one of "
        '"macie2", "guardduty", "securityhub" (boto3\'s name: \'securityhub\')',
    ),
    ("service not a string", {"accountIds": [A], "service": ["guardduty"]}, "service", "(a list)"),
]


@pytest.mark.parametrize(
    ("news", "prop", "message"), [c[1:] for c in INVALID_CASES], ids=[c[0] for c in INVALID_CASES]
)
def test_invalid_inputs_name_the_property_and_value(
    request: pytest.FixtureRequest,
    provider: DeclinedInvitationsProvider,
    news: dict[str, Any],
    prop: str,
    message: str,
    figures: Figures,
) -> None:
    failures = provider.check({}, news).failures
    assert [f.property for f in failures] == [prop]
    assert message in failures[0].reason
    figures.add(
        "bad_input",
        _shown(request, news),
        "check (preview), no AWS call",
        f"failure: `{prop}: {failures[0].reason}`",
    )


def _shown(request: pytest.FixtureRequest, news: dict[str, Any]) -> str:
    """The case, as RELIABILITY.md's table shows it."""
    return f"{request.node.callspec.id}: `{_without_unknowns(news)}`"


def _without_unknowns(value: object) -> str:
    """``repr``, with values unknown at preview (object or sentinel) shown as ``<unknown>``."""
    return re.sub(rf"<pulumi\.output\.Unknown object at \w+>|'{UNKNOWN}'", "<unknown>", repr(value))


def test_external_id_value_never_appears_in_a_failure(
    provider: DeclinedInvitationsProvider,
) -> None:
    secret = "sentinel external id!"
    failures = provider.check(
        {}, {"accountIds": [A], "roleArn": "arn:aws:iam::999988887777:role/r", "externalId": secret}
    ).failures
    assert [f.property for f in failures] == ["externalId"]
    assert secret not in failures[0].reason


def test_region_falls_back_to_the_environment(
    monkeypatch: pytest.MonkeyPatch, provider: DeclinedInvitationsProvider
) -> None:
    provider.configure(ConfigureRequest(Config({}, "proj")))
    monkeypatch.setenv("AWS_REGION", "ap-southeast-2")
    assert provider.check({}, {"accountIds": [A]}).inputs["region"] == "ap-southeast-2"


def test_no_region_anywhere_is_a_failure(provider: DeclinedInvitationsProvider) -> None:
    provider.configure(ConfigureRequest(Config({}, "proj")))
    failures = provider.check({}, {"accountIds": [A]}).failures
    assert [f.property for f in failures] == ["region"]
    assert "aws:region" in failures[0].reason


def test_bad_stack_region_is_named(provider: DeclinedInvitationsProvider) -> None:
    provider.configure(ConfigureRequest(Config({"aws:region": "moon-1"}, "proj")))
    failures = provider.check({}, {"accountIds": [A]}).failures
    assert "'moon-1' (from the stack's aws:region config)" in failures[0].reason


def _only_in(service: str, other: str) -> str:
    """A region where ``service`` is available and ``other`` isn't (botocore's catalogue)."""
    return sorted(service_regions(service) - service_regions(other))[0]


@pytest.mark.parametrize("service", ["guardduty", "securityhub"])
def test_the_region_is_checked_in_the_chosen_services_catalogue(
    provider: DeclinedInvitationsProvider, service: str
) -> None:
    region = _only_in(service, "macie2")
    inputs = checked_inputs(provider, accountIds=[A], region=region, service=service)
    assert inputs["region"] == region
    failures = provider.check({}, {"accountIds": [A], "region": region}).failures
    assert [f.property for f in failures] == ["region"]
    assert "is not a region where Amazon Macie is available" in failures[0].reason


def test_the_default_region_is_checked_in_the_chosen_services_catalogue(
    provider: DeclinedInvitationsProvider,
) -> None:
    region = _only_in("guardduty", "macie2")
    provider.configure(ConfigureRequest(Config({"aws:region": region}, "proj")))
    assert checked_inputs(provider, accountIds=[A], service="guardduty")["region"] == region
    failures = provider.check({}, {"accountIds": [A]}).failures
    assert f"{region!r} (from the stack's aws:region config)" in failures[0].reason


def test_a_service_not_covered_is_named_with_no_other_failure(
    provider: DeclinedInvitationsProvider,
) -> None:
    """The region isn't checked in any catalogue when the service isn't valid."""
    failures = provider.check(
        {}, {"accountIds": [A], "service": "detective", "region": "us-east-9"}
    ).failures
    assert [f.property for f in failures] == ["service"]


def checked_inputs(provider: DeclinedInvitationsProvider, **news: Any) -> dict[str, Any]:
    result = provider.check({}, news)
    assert not result.failures, [f.reason for f in result.failures]
    return result.inputs


CHOSEN, OTHER = "http://127.0.0.1:4566", "http://127.0.0.1:1"
SERVICE_VARIABLES = (
    "AWS_ENDPOINT_URL_MACIE2",
    "AWS_ENDPOINT_URL_GUARDDUTY",
    "AWS_ENDPOINT_URL_SECURITYHUB",
)


@pytest.mark.parametrize(
    ("service", "chosen_by"),
    [
        ("macie2", "AWS_ENDPOINT_URL_MACIE2"),
        ("guardduty", "AWS_ENDPOINT_URL_GUARDDUTY"),
        ("securityhub", "AWS_ENDPOINT_URL_SECURITYHUB"),
        ("guardduty", "AWS_ENDPOINT_URL"),
        ("securityhub", "AWS_ENDPOINT_URL"),
    ],
)
def test_the_endpoint_is_the_chosen_services_own(
    monkeypatch: pytest.MonkeyPatch,
    provider: DeclinedInvitationsProvider,
    service: str,
    chosen_by: str,
) -> None:
    """Its ``AWS_ENDPOINT_URL_<SERVICE>``, else ``AWS_ENDPOINT_URL``; never another's."""
    for variable in SERVICE_VARIABLES:
        if variable.endswith(service.upper()):
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, OTHER)
    monkeypatch.setenv(chosen_by, CHOSEN)
    inputs = checked_inputs(provider, accountIds=[A], service=service)
    assert inputs["endpointUrl"] == CHOSEN


def test_endpoint_is_recorded_from_boto3_variables(
    monkeypatch: pytest.MonkeyPatch, provider: DeclinedInvitationsProvider
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MACIE2", "http://127.0.0.1:4566")
    assert provider.check({}, {"accountIds": [A]}).inputs["endpointUrl"] == "http://127.0.0.1:4566"


def test_region_falls_back_to_aws_default_region(
    monkeypatch: pytest.MonkeyPatch, provider: DeclinedInvitationsProvider
) -> None:
    provider.configure(ConfigureRequest(Config({}, "proj")))
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert provider.check({}, {"accountIds": [A]}).inputs["region"] == "eu-west-1"


def test_region_falls_back_to_the_profile_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, provider: DeclinedInvitationsProvider
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile audit]\nregion = eu-central-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    provider.configure(ConfigureRequest(Config({}, "proj")))
    inputs = provider.check({}, {"accountIds": [A], "profile": "audit"}).inputs
    assert inputs["region"] == "eu-central-1"


def test_service_regions_are_boto3s_regions_for_macie2() -> None:
    session = boto3.Session()
    expected = {
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("macie2", partition_name=partition)
    }
    assert service_regions("macie2") == expected
    assert "us-east-1" in expected


def test_declaring_and_checking_resources_never_loads_boto3() -> None:
    """A program's process and a preview's provider only declare and check: no boto3."""
    script = (
        "import sys\n"
        "from pulumi_macie_invitations import DeclinedInvitations\n"
        "from pulumi_macie_invitations.provider import DeclinedInvitationsProvider\n"
        "result = DeclinedInvitationsProvider().check(\n"
        "    {}, {'accountIds': ['111122223333'], 'region': 'us-east-1'})\n"
        "assert not result.failures, result.failures\n"
        "print(sorted(m for m in ('boto3', 'botocore.client', 'botocore.session')"
        " if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert loaded.strip() == "[]"

"""Mistakes in the provider's environment, table-driven: each one fails ``check`` (so
``pulumi preview``) with one message naming the variable or file, its value (never a
secret) and what is expected; ``create`` (``pulumi up --skip-preview``) refuses it the same
way; and the emulator's call log shows that no AWS call was made. The rows go to
RELIABILITY.md's "environment" table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_macie_invitations import ClientSetupError, InvalidInputError
from pulumi_macie_invitations.aws import forget_clients
from pulumi_macie_invitations.providers.inbox import DeclinedInvitationsProvider
from pulumi_macie_invitations.testing import EmulatorClient
from pulumi_macie_invitations.testing.environment import emulator_variables

from .helpers import Figures

ME, REGION, A = "123456789012", "us-east-1", "111122223333"
ROLE = "arn:aws:iam::999988887777:role/macie-invitation-cleaner"
SECRET = "SENTINEL-secret-must-not-show-4242"
ACCESS_KEY = "AKIAENVSENTINEL00042"
TMP = "<tmp>"
"""Stands for the test's temporary folder in variable values, files and the table."""


@dataclass(frozen=True)
class Mistake:
    """One mistake: the variables set (None: removed), files written, and what the one
    failure must say."""

    variables: dict[str, str | None]
    named: str
    """The variable (or file) the message must name."""
    expected: str
    """A part of the message that says what is expected."""
    files: dict[str, str | bytes] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    stack_region: bool = True
    hidden: tuple[str, ...] = ()
    """Values that must not appear in the message (secrets)."""
    prop: str = ""
    """The property the failure is reported on ("": the environment, not an input)."""


MISTAKES: dict[str, Mistake] = {
    "profile that does not exist": Mistake(
        {"AWS_PROFILE": "nope"}, "AWS_PROFILE is 'nope'", "not a profile in your AWS config"
    ),
    "AWS_DEFAULT_PROFILE wins over AWS_PROFILE": Mistake(
        {"AWS_DEFAULT_PROFILE": "gone", "AWS_PROFILE": "audit"},
        "AWS_DEFAULT_PROFILE is 'gone'",
        "(known: audit)",
        files={"config": "[profile audit]\nregion = us-east-1\n"},
    ),
    "endpoint that is not a URL": Mistake(
        {"AWS_ENDPOINT_URL_MACIE2": "not-a-url"},
        "AWS_ENDPOINT_URL_MACIE2 is 'not-a-url'",
        "expected an http:// or https:// URL with a host name",
    ),
    "endpoint without a scheme": Mistake(
        {"AWS_ENDPOINT_URL_MACIE2": None, "AWS_ENDPOINT_URL": "localhost:4566"},
        "AWS_ENDPOINT_URL is 'localhost:4566'",
        "expected an http:// or https:// URL",
    ),
    "endpoint with a port that is not a number": Mistake(
        {"AWS_ENDPOINT_URL_MACIE2": "http://127.0.0.1:port"},
        "AWS_ENDPOINT_URL_MACIE2 is 'http://127.0.0.1:port'",
        "expected an http:// or https:// URL",
    ),
    "endpoint with an unclosed IPv6 bracket": Mistake(
        {"AWS_ENDPOINT_URL_MACIE2": "http://[::1:4566"},
        "AWS_ENDPOINT_URL_MACIE2 is 'http://[::1:4566'",
        "expected an http:// or https:// URL",
    ),
    "endpoint with credentials in it": Mistake(
        {"AWS_ENDPOINT_URL_MACIE2": f"https://admin:{SECRET}@macie.example.com"},
        "AWS_ENDPOINT_URL_MACIE2 is 'https://(credentials hidden)@macie.example.com'",
        "must not hold credentials",
        hidden=(SECRET,),
    ),
    "profile's endpoint_url that is not a URL": Mistake(
        {"AWS_ENDPOINT_URL_MACIE2": None},
        f"endpoint_url of profile 'default' in AWS_CONFIG_FILE='{TMP}/config' is 'not-a-url'",
        "expected an http:// or https:// URL",
        files={"config": "[default]\nendpoint_url = not-a-url\n"},
    ),
    "services section's macie2 endpoint with credentials in it": Mistake(
        {"AWS_ENDPOINT_URL_MACIE2": None},
        "endpoint_url of macie2 in [services local] of profile 'default' in "
        f"AWS_CONFIG_FILE='{TMP}/config' is 'http://(credentials hidden)@127.0.0.1:4566'",
        "must not hold credentials",
        files={
            "config": "[default]\nservices = local\n[services local]\nmacie2 =\n"
            f"  endpoint_url = http://admin:{SECRET}@127.0.0.1:4566\n"
        },
        hidden=(SECRET,),
    ),
    "STS endpoint that is not a URL, with a role": Mistake(
        {"AWS_ENDPOINT_URL_STS": "sts"},
        "AWS_ENDPOINT_URL_STS is 'sts'",
        "expected an http:// or https:// URL",
        inputs={"roleArn": ROLE},
    ),
    "negative read timeout": Mistake(
        {"MACIE_INVITATIONS_READ_TIMEOUT": "-1"},
        "MACIE_INVITATIONS_READ_TIMEOUT is '-1'",
        "expected a number of seconds greater than 0",
    ),
    "connect timeout in words": Mistake(
        {"MACIE_INVITATIONS_CONNECT_TIMEOUT": "ten"},
        "MACIE_INVITATIONS_CONNECT_TIMEOUT is 'ten'",
        "expected a number of seconds greater than 0",
    ),
    "unknown retry mode": Mistake(
        {"AWS_RETRY_MODE": "bogus"},
        "AWS_RETRY_MODE is 'bogus'",
        "expected one of legacy, standard, adaptive",
    ),
    "retry mode set but blank": Mistake(
        {"AWS_RETRY_MODE": ""}, "AWS_RETRY_MODE is ''", "expected one of legacy, standard, adaptive"
    ),
    "zero attempts": Mistake(
        {"AWS_MAX_ATTEMPTS": "0"}, "AWS_MAX_ATTEMPTS is '0'", "expected a whole number, 1 or more"
    ),
    "attempts in words": Mistake(
        {"AWS_MAX_ATTEMPTS": "many"}, "AWS_MAX_ATTEMPTS is 'many'", "expected a whole number"
    ),
    "unknown defaults mode": Mistake(
        {"AWS_DEFAULTS_MODE": "fast"}, "AWS_DEFAULTS_MODE is 'fast'", "expected one of legacy"
    ),
    "unknown STS endpoints setting, with a role": Mistake(
        {"AWS_STS_REGIONAL_ENDPOINTS": "global"},
        "AWS_STS_REGIONAL_ENDPOINTS is 'global'",
        "expected one of legacy, regional",
        inputs={"roleArn": ROLE},
    ),
    "CA bundle that does not exist": Mistake(
        {"AWS_CA_BUNDLE": f"{TMP}/missing.pem"},
        f"AWS_CA_BUNDLE is '{TMP}/missing.pem'",
        "expected the path of an existing file",
    ),
    "access key id without its secret key": Mistake(
        {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": None},
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
        "set both",
        hidden=(ACCESS_KEY,),
    ),
    "region that Macie does not serve, from AWS_REGION": Mistake(
        {"AWS_REGION": "moon-1"},
        "'moon-1' (from AWS_REGION)",
        "is not a region where Amazon Macie is available",
        stack_region=False,
        prop="region",
    ),
    "region that Macie does not serve, from AWS_DEFAULT_REGION": Mistake(
        {"AWS_REGION": None, "AWS_DEFAULT_REGION": "us-east-9"},
        "'us-east-9' (from AWS_DEFAULT_REGION)",
        "is not a region where Amazon Macie is available",
        stack_region=False,
        prop="region",
    ),
    "region that Macie does not serve, from the profile's config": Mistake(
        {"AWS_REGION": None, "AWS_DEFAULT_REGION": None},
        f"'mars-1' (from the region of profile 'default' in AWS_CONFIG_FILE='{TMP}/config')",
        "is not a region where Amazon Macie is available",
        files={"config": "[default]\nregion = mars-1\n"},
        stack_region=False,
        prop="region",
    ),
    "config file that is a folder": Mistake(
        {"AWS_CONFIG_FILE": f"{TMP}/folder"},
        f"AWS_CONFIG_FILE='{TMP}/folder' is not a file",
        "expected an AWS config file",
        files={"folder/keep": ""},
    ),
    "config file with a line outside any section": Mistake(
        {},
        f"AWS_CONFIG_FILE='{TMP}/config' cannot be parsed",
        "line 1 comes before any [section] header",
        files={"config": "region = us-east-1\n[default]\n"},
    ),
    "credentials file with a broken line holding a secret": Mistake(
        {},
        f"AWS_SHARED_CREDENTIALS_FILE='{TMP}/credentials' cannot be parsed",
        "line(s) 3: not 'name = value' lines",
        files={
            "credentials": f"[default]\naws_access_key_id = {ACCESS_KEY}\n{SECRET}\n",
        },
        hidden=(SECRET, ACCESS_KEY),
    ),
    "config file that is not text": Mistake(
        {},
        f"AWS_CONFIG_FILE='{TMP}/config' cannot be parsed",
        "it is not UTF-8 text",
        files={"config": b"[default]\nregion = \xff\xfe\n"},
    ),
}


@pytest.fixture(scope="module")
def separate_emulator() -> Iterator[EmulatorClient]:
    """An emulator server in a process of its own. The session's server runs in this
    process and shares its environment: a mistake set here (AWS_PROFILE=nope) would break
    the server's own handling before its call log records a call. This one keeps the
    environment it started with, so its call log sees any call the provider makes."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "pulumi_macie_invitations.testing.server"],
        stdout=subprocess.PIPE,
        text=True,
        env=clean,
    )
    assert server.stdout is not None
    listening = server.stdout.readline()  # "listening on URL"
    try:
        assert listening.startswith("listening on "), listening
        yield EmulatorClient(listening.split()[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()


@pytest.fixture
def own_emulator(
    separate_emulator: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> EmulatorClient:
    """The separate emulator, reset, with one invitation to clean (a create would call
    AWS), and this process's environment set to reach it; the AWS config and credentials
    files are the test's own, not yet written (tests/conftest.py)."""
    separate_emulator.reset()
    forget_clients()
    separate_emulator.seed_invitation(ME, A, REGION)
    for name, value in emulator_variables(separate_emulator.endpoint_url, REGION).items():
        monkeypatch.setenv(name, value)
    return separate_emulator


def provider_for(stack_region: bool) -> DeclinedInvitationsProvider:
    provider = DeclinedInvitationsProvider()
    config = {"aws:region": REGION} if stack_region else {}
    provider.configure(ConfigureRequest(Config(config, "proj")))
    return provider


@pytest.mark.parametrize("name", list(MISTAKES))
def test_an_environment_mistake_fails_check_and_create_before_any_aws_call(
    name: str,
    own_emulator: EmulatorClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
) -> None:
    mistake = MISTAKES[name]
    for path, content in mistake.files.items():
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(content)
    for variable, value in mistake.variables.items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value.replace(TMP, str(tmp_path)))
    provider = provider_for(mistake.stack_region)
    news = {"accountIds": [A], **mistake.inputs}

    failures = provider.check({}, news).failures
    reasons = [failure.reason.replace(str(tmp_path), TMP) for failure in failures]
    assert [failure.property for failure in failures] == [mistake.prop], reasons
    assert mistake.named in reasons[0]
    assert mistake.expected in reasons[0]
    refusals: list[Callable[[dict[str, Any]], object]] = [provider.create]
    if not mistake.prop:  # a refresh reads the recorded region, not the environment's
        recorded = {"accountIds": [A], "region": REGION, **mistake.inputs}
        refusals.append(lambda _: provider.read("id", recorded))
    for refuse in refusals:
        with pytest.raises(InvalidInputError) as refused:
            refuse(news)
        assert mistake.named in str(refused.value).replace(str(tmp_path), TMP)
        for secret in mistake.hidden:
            assert secret not in reasons[0]
            assert secret not in str(refused.value)
    assert own_emulator.calls() == []
    figures.add(
        "environment",
        f"{name}: {_shown(mistake)}",
        "check (`pulumi preview`), then create"
        + ("" if mistake.prop else " and read (refresh)")
        + " again; AWS calls made: 0",
        f"failure: `{(mistake.prop + ': ') if mistake.prop else ''}{reasons[0]}`",
    )


def _shown(mistake: Mistake) -> str:
    """The mistake as RELIABILITY.md shows it, its secrets replaced by ``<secret>``."""
    parts = [
        f"`{variable}={value}`" if value is not None else f"`{variable}` unset"
        for variable, value in mistake.variables.items()
    ]
    parts += [f"`{TMP}/{path}` holding `{content!r}`" for path, content in mistake.files.items()]
    shown = ", ".join(parts)
    for secret in mistake.hidden:
        shown = shown.replace(secret, "<secret>")
    return shown


def test_without_the_mistake_the_same_setup_calls_aws(own_emulator: EmulatorClient) -> None:
    """The control: the call log of the test above would show a create's calls."""
    provider = provider_for(stack_region=True)
    result = provider.check({}, {"accountIds": [A]})
    assert result.failures == []
    provider.create(result.inputs)
    assert [call["operation"] for call in own_emulator.calls()][:1] == ["ListInvitations"]
    assert own_emulator.received(ME, REGION) == []


def test_an_endpoint_from_the_profiles_services_section_is_recorded_and_used(
    own_emulator: EmulatorClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """boto3 takes an endpoint from the config file too: the state records that one."""
    monkeypatch.delenv("AWS_ENDPOINT_URL_MACIE2")
    (tmp_path / "config").write_text(
        "[profile local]\nservices = emulator\n"
        "aws_access_key_id = testing\naws_secret_access_key = testing\n"
        "[services emulator]\nmacie2 =\n"
        f"  endpoint_url = {own_emulator.endpoint_url}\n"
    )
    provider = provider_for(stack_region=True)
    result = provider.check({}, {"accountIds": [A], "profile": "local"})
    assert result.failures == []
    assert result.inputs["endpointUrl"] == own_emulator.endpoint_url
    provider.create(result.inputs)
    assert own_emulator.received(ME, REGION) == []


def test_every_mistake_is_reported_at_once(
    own_emulator: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "bogus")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "0")
    failures = provider_for(stack_region=True).check({}, {"accountIds": [A]}).failures
    assert [failure.reason.split(" ")[0] for failure in failures] == [
        "AWS_MAX_ATTEMPTS",
        "AWS_RETRY_MODE",
    ]


def test_a_credentials_failure_at_apply_time_names_its_step_not_assume_role(
    own_emulator: EmulatorClient, tmp_path: Path, figures: Figures
) -> None:
    """What only fails at apply time (here a profile's credential_process that fails) says
    which step failed; no role is involved, so no sts:AssumeRole in the message."""
    (tmp_path / "config").write_text("[profile broken]\ncredential_process = false\n")
    provider = provider_for(stack_region=True)
    result = provider.check({}, {"accountIds": [A], "profile": "broken"})
    assert result.failures == []
    with pytest.raises(ClientSetupError) as failed:
        provider.create(result.inputs)
    message = str(failed.value)
    assert message.startswith(
        "resolving the AWS credentials of profile 'broken' failed: CredentialRetrievalError:"
    )
    assert "AssumeRole" not in message
    assert own_emulator.calls() == []
    figures.add(
        "environment",
        "a profile whose `credential_process` fails (`false`)",
        "create (apply time: the process runs only then); AWS calls made: 0",
        f"failure: `{message.replace(own_emulator.endpoint_url, '<endpoint>')}`",
    )


def test_our_errors_leave_a_lifecycle_method_without_our_frames(
    own_emulator: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pulumi's server prints the traceback above the message: none of our frames in it."""
    monkeypatch.setenv("AWS_PROFILE", "nope")
    with pytest.raises(InvalidInputError) as refused:
        provider_for(stack_region=True).create({"accountIds": [A]})
    frames = traceback.extract_tb(refused.value.__traceback__)
    assert [frame.filename for frame in frames] == [__file__]

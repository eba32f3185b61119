"""What stacks of older releases depend on, checked without the CLI: the wheels of the releases,
the provider each pickled into state, and the property names and id its state records.

The promise is CHANGELOG.md's "Compatibility"; tests/e2e/test_upgrade.py runs whole upgrades.
"""

from __future__ import annotations

import base64
import json
import zipfile
from email.parser import HeaderParser
from typing import Any

import dill
import pulumi
import pytest
from packaging.version import Version
from pulumi.dynamic import ConfigureRequest, ResourceProvider
from pulumi.dynamic.config import Config
from pulumi_macie_invitations import DeclinedInvitations, __version__
from pulumi_macie_invitations.properties import RENAMED
from pulumi_macie_invitations.provider import DeclinedInvitationsProvider
from pulumi_macie_invitations.testing import EmulatorClient

from .helpers import Registrations
from .upgrade import COMPATIBILITY, RELEASES, STATES, listed_releases, recorded_state

RECORDED = sorted(path.stem for path in STATES.glob("*.json"))
SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"  # Pulumi's marker of a secret value
ARGUMENTS_0_1_0 = {
    "account_ids": "accountIds",
    "role_arn": "roleArn",
    "role_session_name": "roleSessionName",
    "external_id": "externalId",
}
"""The keyword arguments of DeclinedInvitations in 0.1.0, and the state names they recorded."""


def as_provider_sees(value: Any) -> Any:
    """A value of an exported state (``--show-secrets``) or of a registration, as the provider
    receives it: secrets plain (Pulumi's dynamic providers do not accept secrets)."""
    if isinstance(value, dict) and SECRET_SIGNATURE in value:
        return (
            as_provider_sees(value["value"]) if "value" in value else json.loads(value["plaintext"])
        )
    if isinstance(value, dict):
        return {key: as_provider_sees(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_provider_sees(item) for item in value]
    return value


def recorded(version: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The id, inputs and outputs a release recorded, as the provider receives them."""
    state = recorded_state(version)
    return state["id"], as_provider_sees(state["inputs"]), as_provider_sees(state["outputs"])


def unpickled(pickled: str, region: str) -> ResourceProvider:
    """A pickled ``__provider``, loaded and configured as Pulumi's dynamic provider host does."""
    try:
        # Test data this repository recorded: what Pulumi's dynamic provider host loads too.
        provider = dill.loads(base64.b64decode(pickled))  # noqa: S301
    except Exception as error:
        pytest.fail(f"the pickled provider no longer loads ({error!r}): see {COMPATIBILITY}")
    assert isinstance(provider, ResourceProvider), COMPATIBILITY
    provider.configure(ConfigureRequest(Config({"aws:region": region}, "project")))
    return provider


def test_the_release_list_and_the_wheels_agree() -> None:
    releases = listed_releases()
    assert releases, "tests/upgrade/releases/RELEASES names no release"
    wheels = sorted(path.name for path in RELEASES.glob("*.whl"))
    for release in releases:
        assert release.wheel.is_file(), (
            f"{release.wheel.name} is missing: run `make release-wheel TAG=v{release.version}`"
        )
        with zipfile.ZipFile(release.wheel) as wheel:
            [metadata] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
            headers = HeaderParser().parsestr(wheel.read(metadata).decode())
        named = (headers["Name"], headers["Version"])
        assert named == ("pulumi-macie-invitations", release.version), release.wheel.name
    assert wheels == sorted(r.wheel.name for r in releases), "a wheel is not in RELEASES"
    versions = [Version(release.version) for release in releases]
    assert versions == sorted(set(versions)), "RELEASES lists each release once, oldest first"
    assert Version(__version__) >= versions[-1], "the package is older than the last release"


def test_every_release_left_a_recorded_state() -> None:
    assert RECORDED, "tests/upgrade/states holds no state"
    assert set(RECORDED) <= {release.version for release in listed_releases()}


@pytest.mark.parametrize("version", RECORDED)
def test_the_provider_a_release_pickled_loads_and_forgets_without_a_call(version: str) -> None:
    resource_id, _inputs, outputs = recorded(version)
    provider = unpickled(outputs["__provider"], outputs["region"])
    provider.delete(resource_id, outputs)  # what `pulumi destroy` runs: no AWS call


@pytest.mark.parametrize("version", RECORDED)
def test_a_release_state_diffs_as_unchanged_against_the_same_program(
    version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    resource_id, inputs, outputs = recorded(version)
    monkeypatch.setenv("AWS_ENDPOINT_URL_MACIE2", outputs["endpointUrl"])  # the same environment
    mocks = Registrations()
    pulumi.runtime.set_mocks(mocks, preview=False)
    arguments = {keyword: inputs[name] for keyword, name in ARGUMENTS_0_1_0.items()}

    @pulumi.runtime.test
    def register() -> None:
        DeclinedInvitations("member", **arguments)

    register()
    news = as_provider_sees(mocks.inputs[0])
    provider = unpickled(news["__provider"], outputs["region"])  # the working tree's
    checked = provider.check(inputs, news)
    failures = [f"{failure.property}: {failure.reason}" for failure in checked.failures]
    assert failures == [], f"check of the program against the state {version}: {COMPATIBILITY}"
    diff = provider.diff(resource_id, outputs, dict(checked.inputs or {}))
    assert (diff.changes, diff.replaces) == (False, []), (
        f"the state {version} recorded diffs as {diff.changes=} {diff.replaces=} against the "
        f"same program: see {COMPATIBILITY}"
    )


@pytest.mark.parametrize("version", RECORDED)
def test_refresh_of_a_release_state_keeps_its_id_and_names(
    version: str, macie_env: EmulatorClient
) -> None:
    resource_id, inputs, outputs = recorded(version)
    outputs["endpointUrl"] = macie_env.endpoint_url  # the emulator it was recorded against
    member = outputs["roleArn"].split(":")[4]
    back = outputs["accountIds"][1]
    macie_env.send_invitations(back, [member], outputs["region"])

    provider = unpickled(outputs["__provider"], outputs["region"])
    read = provider.read(resource_id, outputs)
    message = f"refresh of the state {version} recorded: see {COMPATIBILITY}"
    assert read.id == resource_id, message
    assert read.outs is not None
    assert read.outs["reappearedAccountIds"] == [back], message
    # Every recorded name is read; one renamed since (CHANGELOG.md) comes back under its new name.
    today = {RENAMED.get(name, name): value for name, value in outputs.items()}
    assert {k: read.outs.get(k) for k in today.keys() - {"__provider"}} == {
        k: v for k, v in today.items() if k != "__provider"
    } | {"reappearedAccountIds": [back]}, message
    expected = {
        RENAMED.get(k, k): v for k, v in inputs.items() if k not in {"__provider", "endpointUrl"}
    }
    # Since 0.2.0 refresh keeps the program's accounts and records the drift by name.
    expected["__invitationsFoundByRefresh"] = {back: DeclinedInvitationsProvider.drift_reason}
    assert {k: v for k, v in (read.inputs or {}).items() if k != "endpointUrl"} == expected, message

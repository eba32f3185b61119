"""What stacks of older releases depend on, checked without the CLI: the wheels of the releases,
the provider each pickled into state, and the property names and id its state records, for
every resource a release recorded (tests/upgrade/states: one of each type).

The promise is CHANGELOG.md's "Compatibility"; tests/e2e/test_upgrade.py runs whole upgrades.
"""

from __future__ import annotations

import base64
import pickletools
import re
import zipfile
from collections.abc import Callable
from email.parser import HeaderParser
from typing import Any

import dill
import pulumi
import pytest
from packaging.version import Version
from pulumi.dynamic import ConfigureRequest, ResourceProvider
from pulumi.dynamic.config import Config
from pulumi_macie_invitations import (
    DeclinedInvitations,
    InvitationGuard,
    OrganizationInvitationGuard,
    __version__,
)
from pulumi_macie_invitations.properties import FOUND_BY_REFRESH, RENAMED, current
from pulumi_macie_invitations.provider import DeclinedInvitationsProvider, InvitationGuardProvider
from pulumi_macie_invitations.testing import EmulatorClient

from .helpers import REGION, ROOT, Registrations
from .upgrade import (
    COMPATIBILITY,
    RELEASES,
    RESOURCE_TYPES,
    listed_releases,
    plain,
    recorded_state,
    recorded_states,
    resource_type,
)

RECORDED = recorded_states()
BACK = "444455556666"
"""A sender whose invitation every recorded resource removed (tests/e2e/test_upgrade.py's
``SENDERS[1]``): back, it is what a refresh must find."""
ARGUMENTS_0_1_0 = {
    "account_ids": "accountIds",
    "role_arn": "roleArn",
    "role_session_name": "roleSessionName",
    "external_id": "externalId",
}
"""The keyword arguments of DeclinedInvitations in 0.1.0, and the state names they recorded."""


def declined_invitations(inputs: dict[str, Any]) -> None:
    """tests/e2e/programs/upgrade's DeclinedInvitations (0.1.0's keywords, every release)."""
    values = current(inputs)
    DeclinedInvitations(
        "member",
        **{keyword: values[RENAMED.get(name, name)] for keyword, name in ARGUMENTS_0_1_0.items()},
    )


def invitation_guard(inputs: dict[str, Any]) -> None:
    """tests/e2e/programs/upgrade's InvitationGuard (0.2.0 on)."""
    InvitationGuard(
        "guard",
        allowed_account_ids=inputs["allowedAccountIds"],
        role_arn=inputs["roleArn"],
        session_name=inputs["sessionName"],
        external_id=inputs["externalId"],
    )


def member_invitation_guard(inputs: dict[str, Any]) -> None:
    """tests/e2e/programs/upgrade's OrganizationInvitationGuard (0.2.0 on), of the one member
    recorded."""
    OrganizationInvitationGuard(
        "org",
        member_role_arns=[inputs["roleArn"]],
        allowed_account_ids=inputs["allowedAccountIds"],
        regions=inputs["regions"],
    )


DRIFT_REASONS = {
    "DeclinedInvitations": DeclinedInvitationsProvider.drift_reason,
    "InvitationGuard": InvitationGuardProvider.drift_reason,
}
"""Why a refresh counts a sender as drift, as these types record it (a member records where)."""
PROGRAMS: dict[str, Callable[[dict[str, Any]], None]] = {
    "DeclinedInvitations": declined_invitations,
    "InvitationGuard": invitation_guard,
    "MemberInvitationGuard": member_invitation_guard,
}
"""The program that declared each recorded resource type, from what it recorded."""


def recorded(version: str, kind: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The id, inputs and outputs a release recorded, as the provider receives them."""
    state = recorded_state(version, kind)
    return state["id"], plain(state["inputs"]), plain(state["outputs"])


def unpickled(pickled: str) -> ResourceProvider:
    """A pickled ``__provider``, loaded and configured as Pulumi's dynamic provider host does
    (the stack's ``aws:region`` as the upgrade test's)."""
    try:
        # Test data this repository recorded: what Pulumi's dynamic provider host loads too.
        provider = dill.loads(base64.b64decode(pickled))  # noqa: S301
    except Exception as error:
        pytest.fail(f"the pickled provider no longer loads ({error!r}): see {COMPATIBILITY}")
    assert isinstance(provider, ResourceProvider), COMPATIBILITY
    provider.configure(ConfigureRequest(Config({"aws:region": REGION}, "project")))
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
    assert {version for version, _ in RECORDED} <= {r.version for r in listed_releases()}
    assert {kind for _, kind in RECORDED} == RESOURCE_TYPES.keys() == PROGRAMS.keys()
    for version, kind in RECORDED:
        assert resource_type(recorded_state(version, kind)["type"]).name == kind, (version, kind)


def recorded_names(state: dict[str, Any]) -> set[str]:
    """What a recorded resource depends on by name: its pickled provider's module and class,
    its type token, and every property name (an inbox entry's too) it recorded."""
    pickled = base64.b64decode(plain(state["outputs"]["__provider"]))
    module, name = [arg for _, arg, _ in pickletools.genops(pickled) if isinstance(arg, str)]
    names = {f"{module}.{name}", state["type"]}
    for values in (state["inputs"], state["outputs"]):
        names |= values.keys()
        names |= {key for inbox in values.get("inboxes", []) for key in inbox}
    return names


@pytest.mark.parametrize(("version", "kind"), RECORDED)
def test_the_changelog_names_everything_a_release_recorded(version: str, kind: str) -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    promised = "".join(re.findall(r"^### Compatibility\n(.*?)^## ", changelog, re.M | re.S))
    missing = sorted(
        n for n in recorded_names(recorded_state(version, kind)) if f"`{n}`" not in promised
    )
    assert missing == [], f"names the state {version} {kind} records, missing from {COMPATIBILITY}"


@pytest.mark.parametrize(("version", "kind"), RECORDED)
def test_the_provider_a_release_pickled_loads_and_forgets_without_a_call(
    version: str, kind: str, macie_env: EmulatorClient
) -> None:
    resource_id, _inputs, outputs = recorded(version, kind)
    provider = unpickled(outputs["__provider"])
    # What `pulumi destroy` runs: nothing returned, no AWS call.
    assert provider.delete(resource_id, outputs) is None  # type: ignore[func-returns-value]
    assert (macie_env.calls(service=None), macie_env.sts_calls()) == ([], []), f"{version} {kind}"


def checked_program(
    version: str, kind: str, monkeypatch: pytest.MonkeyPatch, **changed: Any
) -> tuple[ResourceProvider, str, dict[str, Any], dict[str, Any]]:
    """The provider, id and outputs of the state a release recorded, and the inputs check
    gives for the program that made it (``changed``: inputs the program now sets too)."""
    resource_id, inputs, outputs = recorded(version, kind)
    monkeypatch.setenv("AWS_ENDPOINT_URL_MACIE2", outputs["endpointUrl"])  # the same environment
    mocks = Registrations()
    pulumi.runtime.set_mocks(mocks, preview=False)

    @pulumi.runtime.test
    def register() -> None:
        PROGRAMS[kind](inputs)

    register()
    [news] = [plain(registered) for registered in mocks.inputs if "__provider" in registered]
    provider = unpickled(news["__provider"])  # the working tree's
    checked = provider.check(inputs, news | changed)
    failures = [f"{failure.property}: {failure.reason}" for failure in checked.failures]
    assert failures == [], (
        f"check of the program against the state {version} {kind}: {COMPATIBILITY}"
    )
    return provider, resource_id, outputs, dict(checked.inputs or {})


@pytest.mark.parametrize(("version", "kind"), RECORDED)
def test_a_release_state_diffs_as_unchanged_against_the_same_program(
    version: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider, resource_id, outputs, news = checked_program(version, kind, monkeypatch)
    diff = provider.diff(resource_id, outputs, news)
    assert (diff.changes, diff.replaces) == (False, []), (
        f"the state {version} {kind} recorded diffs as {diff.changes=} {diff.replaces=} against "
        f"the same program: see {COMPATIBILITY}"
    )


INBOX_STATES = [(version, kind) for version, kind in RECORDED if kind in DRIFT_REASONS]
"""The recorded states of the inbox resources, which take a ``service`` since 0.3.0."""


@pytest.mark.parametrize(("version", "kind"), INBOX_STATES)
def test_a_release_state_is_macies_inbox_and_another_service_replaces_it(
    version: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A state recorded before the ``service`` input cleaned Macie's inbox: naming Macie
    changes nothing, naming another service replaces the resource."""
    provider, resource_id, outputs, news = checked_program(
        version, kind, monkeypatch, service="macie2"
    )
    assert "service" not in outputs
    diff = provider.diff(resource_id, outputs, news)
    assert (diff.changes, diff.replaces) == (False, []), f"{version} {kind}: {COMPATIBILITY}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_GUARDDUTY", outputs["endpointUrl"])
    provider, resource_id, outputs, news = checked_program(
        version, kind, monkeypatch, service="guardduty"
    )
    diff = provider.diff(resource_id, outputs, news)
    assert (diff.changes, diff.replaces) == (True, ["service"]), f"{version} {kind}"


@pytest.mark.parametrize(("version", "kind"), RECORDED)
def test_refresh_of_a_release_state_keeps_its_id_and_names_and_finds_what_came_back(
    version: str, kind: str, macie_env: EmulatorClient
) -> None:
    resource_id, inputs, outputs = recorded(version, kind)
    outputs["endpointUrl"] = macie_env.endpoint_url  # the emulator it was recorded against
    macie_env.send_invitations(BACK, [outputs["roleArn"].split(":")[4]], REGION)

    provider = unpickled(outputs["__provider"])
    read = provider.read(resource_id, outputs)
    message = f"refresh of the state {version} {kind} recorded: see {COMPATIBILITY}"
    assert read.id == resource_id, message
    assert read.outs is not None
    assert read.inputs is not None
    outs, ins = plain(read.outs), plain(read.inputs)  # secrets as the state records them: plain
    # What was found, wherever the type records it (tests/upgrade's *_found functions).
    resource = RESOURCE_TYPES[kind]
    assert resource.found(outs) == [BACK], message
    assert resource.found(ins) == [BACK], message
    # Every recorded name is read; one renamed since (CHANGELOG.md) comes back under its new
    # name. Only the findings change.
    today = {k: v for k, v in current(outputs).items() if k != "__provider"}
    assert today.keys() <= outs.keys(), message
    kept = {k: v for k, v in today.items() if k not in resource.refreshed}
    assert {k: outs[k] for k in kept} == kept, message
    # Since 0.2.0 refresh keeps the program's inputs and records the drift beside them.
    not_compared = resource.refreshed | {"__provider", "endpointUrl"}
    assert {k: v for k, v in ins.items() if k not in not_compared} == {
        k: v for k, v in current(inputs).items() if k not in not_compared
    }, message
    if kind in DRIFT_REASONS:
        assert ins[FOUND_BY_REFRESH] == {BACK: DRIFT_REASONS[kind]}, message

"""The examples/ projects, run as their READMEs say: through the real CLI against the emulator,
or (keep-org-admin, which needs the pulumi-aws plugin) under Pulumi's mocks."""

from __future__ import annotations

import json
import re
import runpy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.runtime.mocks import MockMonitor
from pulumi_macie_invitations import macie_regions
from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import ProjectCli, diagnostics, pulumi_commands, readme_blocks, resource_counts
from ..helpers import ME, ROOT, Figures, statuses

EXAMPLES = ROOT / "examples"
MARKER = "<!-- tests/e2e/test_examples.py runs the pulumi commands of the next block, in order -->"
MOCKED_MARKER = (
    "<!-- tests/e2e/test_examples.py runs the stack and config commands of the next block; "
    "preview and up need the pulumi-aws plugin, so the program runs under Pulumi mocks -->"
)
GUARD_MARKER = "<!-- tests/e2e/test_guard.py runs the pulumi commands of the next block"
FLEET_MARKER = (
    "<!-- tests/e2e/test_examples.py::test_org_fleet_example runs the commands of the next "
    "block, in order -->"
)
"""examples/guard has a third block (new invitations): tests/e2e/test_guard.py runs it."""
BYSTANDER = "777788889999"  # invites too, but is listed nowhere: must be left alone
DECLINED = "pulumi-python:dynamic/macie2:DeclinedInvitations"
GUARD = "pulumi-python:dynamic/macie2:InvitationGuard"
MEMBER_TYPE = "pulumi-python:dynamic/macie2:MemberInvitationGuard"
SPAM = "999999999999"

ProjectOpener = Callable[[Path], ProjectCli]
Places = list[tuple[str, str]]  # (recipient account, region)


@dataclass(frozen=True)
class ExampleReadme:
    """The tested blocks of an example's README: run (setup to up), then teardown."""

    name: str
    run: list[list[str]]
    teardown: list[list[str]]

    @classmethod
    def of(cls, name: str) -> ExampleReadme:
        """Read examples/<name>/README.md, whose run block starts in that folder."""
        blocks = readme_blocks(EXAMPLES / name / "README.md", MARKER)
        assert len(blocks) == 2, "an example README has a run block and a teardown block"
        run, teardown = blocks
        assert ["cd", f"examples/{name}"] in run
        assert [c[:2] for c in pulumi_commands(run)][-1] == ["pulumi", "up"]
        return cls(name, pulumi_commands(run), pulumi_commands(teardown))

    def config(self, key: str) -> list[str]:
        """The values the run block sets for ``key``, or for ``key[i]`` with ``--path``."""
        pattern = re.compile(re.escape(key) + r"(\[\d+\])?")
        return [
            command[-1]
            for command in self.run
            if command[1:3] == ["config", "set"] and pattern.fullmatch(command[-2])
        ]


def invite(emulator: EmulatorClient, senders: Iterable[str], places: Places) -> None:
    """Each sender invites each (recipient, region)."""
    for recipient, region in places:
        for sender in senders:
            emulator.send_invitations(sender, [recipient], region)


def holdings(emulator: EmulatorClient, places: Places) -> dict[tuple[str, str], dict[str, str]]:
    """The invitations each (recipient, region) holds: sender -> status."""
    return {
        (recipient, region): statuses(emulator, recipient, region) for recipient, region in places
    }


@dataclass(frozen=True)
class ExampleRun:
    """An example's README blocks run in a scratch copy, and the invitations they may touch."""

    cli: ProjectCli
    readme: ExampleReadme
    emulator: EmulatorClient
    places: Places

    def up(self) -> dict[tuple[str, str], dict[str, str]]:
        """Run the README's run block; the invitations then held."""
        self.cli.run_all(self.readme.run)
        return holdings(self.emulator, self.places)

    def outputs(self) -> dict[str, Any]:
        """The stack's outputs."""
        return dict(json.loads(self.cli.run(["pulumi", "stack", "output", "--json"]).stdout))

    def tear_down(self) -> None:
        """Run the README's teardown block: it deletes every resource from the stack, with no
        AWS call, and restores no invitation."""
        before = holdings(self.emulator, self.places)
        self.cli.tear_down(self.readme.teardown, self.emulator)
        assert holdings(self.emulator, self.places) == before


def test_every_example_is_linked_from_the_readme_and_tested() -> None:
    names = sorted(p.name for p in EXAMPLES.iterdir() if (p / "Pulumi.yaml").exists())
    assert names == [
        "basic",
        "cross-account",
        "guard",
        "keep-org-admin",
        "multi-region",
        "org-fleet",
        "org-guard",
    ]
    linked = re.findall(r"\]\(examples/([\w-]+)\)", (ROOT / "README.md").read_text())
    assert sorted(set(linked)) == names
    for name in names:
        text = (EXAMPLES / name / "README.md").read_text()
        tested = any(
            marker in text for marker in (MARKER, MOCKED_MARKER, GUARD_MARKER, FLEET_MARKER)
        )
        assert tested, f"examples/{name}/README.md is untested"


def test_basic_example(macie_emulator: EmulatorClient, project_cli: ProjectOpener) -> None:
    readme = ExampleReadme.of("basic")
    [region] = readme.config("aws:region")
    listed = readme.config("accountIds")
    assert len(listed) >= 2
    invite(macie_emulator, [*listed, BYSTANDER], [(ME, region)])

    run = ExampleRun(project_cli(EXAMPLES / "basic"), readme, macie_emulator, [(ME, region)])
    assert run.up() == {(ME, region): {BYSTANDER: "Invited"}}
    outputs = run.outputs()
    assert outputs["deletedAccountIds"] == sorted(listed)
    assert outputs["outcomes"] == dict.fromkeys(sorted(listed), "declined and deleted")
    assert outputs["region"] == region
    run.tear_down()


def test_multi_region_example(macie_emulator: EmulatorClient, project_cli: ProjectOpener) -> None:
    readme = ExampleReadme.of("multi-region")
    listed, regions = readme.config("accountIds"), readme.config("regions")
    assert len(regions) >= 2
    elsewhere = "eu-central-1"
    assert elsewhere not in regions
    invite(macie_emulator, [*listed, BYSTANDER], [(ME, region) for region in regions])
    invite(macie_emulator, listed[:1], [(ME, elsewhere)])

    places = [(ME, region) for region in [*regions, elsewhere]]
    run = ExampleRun(project_cli(EXAMPLES / "multi-region"), readme, macie_emulator, places)
    assert run.up() == {
        **{(ME, region): {BYSTANDER: "Invited"} for region in regions},
        (ME, elsewhere): {listed[0]: "Invited"},
    }
    outputs = run.outputs()
    assert outputs["regions"] == regions
    assert outputs["deletedAccountIds"] == {region: sorted(listed) for region in regions}
    run.tear_down()


def test_cross_account_example(macie_emulator: EmulatorClient, project_cli: ProjectOpener) -> None:
    readme = ExampleReadme.of("cross-account")
    [region] = readme.config("aws:region")
    [external_id] = readme.config("externalId")
    listed = readme.config("accountIds")
    members = [arn.split(":")[4] for arn in readme.config("memberRoleArns")]
    assert len(members) >= 2
    assert ME not in members
    invite(macie_emulator, [*listed, BYSTANDER], [(member, region) for member in members])
    invite(macie_emulator, listed[:1], [(ME, region)])  # the pipeline's own account

    places = [(account, region) for account in [*members, ME]]
    run = ExampleRun(project_cli(EXAMPLES / "cross-account"), readme, macie_emulator, places)
    assert run.up() == {
        **{(member, region): {BYSTANDER: "Invited"} for member in members},
        (ME, region): {listed[0]: "Invited"},
    }
    assert run.outputs()["deletedAccountIds"] == {member: sorted(listed) for member in members}
    state = run.cli.run(["pulumi", "stack", "export"]).stdout
    assert external_id not in state
    resources = json.loads(state)["deployment"]["resources"]
    cleanups = [r for r in resources if r["type"] == DECLINED]
    assert len(cleanups) == len(members)
    assert all("ciphertext" in r["inputs"]["externalId"] for r in cleanups)
    run.tear_down()


def test_org_guard_example(macie_emulator: EmulatorClient, project_cli: ProjectOpener) -> None:
    """A plain `pulumi up` guards every member the organization lists, in each service of
    the README's config: the second of 32 refused, the other 31 are cleaned and recorded,
    the command fails naming it; so do `pulumi up --continue-on-error` and `pulumi up
    --refresh` with it still refused, changing nothing for the others; the next `pulumi
    up` retries only it, guards an account that joined meanwhile and forgets one that left
    (no AWS call for it)."""
    run, rerun, teardown = (
        pulumi_commands(block)
        for block in readme_blocks(EXAMPLES / "org-guard" / "README.md", MARKER)
    )
    readme = ExampleReadme("org-guard", run, teardown)
    [admin] = readme.config("allowedAccountIds")
    [role_name] = readme.config("memberRoleName")
    [services] = [json.loads(value) for value in readme.config("services")]
    assert services == ["macie2", "guardduty"]
    macie_emulator.create_organization()
    members = sorted(macie_emulator.create_accounts(33))
    macie_emulator.close_account(members.pop(5))  # SUSPENDED: not a member
    assert len(set(members)) == 32
    assert ME not in members  # the management account is left out
    roles = [f"arn:aws:iam::{member}:role/{role_name}" for member in members]
    regions = macie_regions()
    spam = {
        (members[0], "us-east-1"),
        (members[1], "eu-west-1"),
        (members[1], "ap-southeast-2"),
        (members[3], "sa-east-1"),
        (members[4], "us-west-2"),
        *((member, "eu-north-1") for member in members[5:]),
    }
    for recipient, region in spam:
        macie_emulator.seed_invitation(recipient, BYSTANDER, region)
    macie_emulator.seed_invitation(members[0], admin, "eu-central-1")
    macie_emulator.seed_invitation(members[2], admin, "us-east-1", "Enabled")
    # GuardDuty's inboxes too: spam in some members, the administrator's kept in one.
    guardduty = [(members[0], "us-east-1"), (members[1], "eu-west-1"), (members[4], "eu-west-2")]
    for recipient, region in guardduty:
        macie_emulator.seed_invitation(recipient, BYSTANDER, region, service="guardduty")
    macie_emulator.seed_invitation(members[3], admin, "us-east-1", service="guardduty")
    macie_emulator.disable_region(members[1], "af-south-1")
    macie_emulator.refuse_role(roles[1])
    places = [
        (member, region)
        for member in members
        for region in regions
        if (member, region) != (members[1], "af-south-1")  # the emulator refuses to list it
    ]
    cli = project_cli(EXAMPLES / "org-guard")

    *setup, up, _summary = run
    cli.run_all(setup)
    failed = cli.run(up, check=False)
    assert failed.returncode != 0
    blocks, _ = diagnostics(failed.stdout)
    child = f"{MEMBER_TYPE} (org-{members[1]}):"
    [error] = [line for line in blocks[child] if "error:" in line]
    assert f"error: member account {members[1]}: 1 failure(s):" in error
    assert f"not authorized to perform: sts:AssumeRole on resource: {roles[1]}" in failed.stdout
    assert f"1 member account(s) could not be guarded: {members[1]}" in failed.stdout
    held = holdings(macie_emulator, places)
    assert {place for place, senders in held.items() if BYSTANDER in senders} == {
        (members[1], "eu-west-1"),
        (members[1], "ap-southeast-2"),
    }
    assert held[(members[0], "eu-central-1")] == {admin: "Invited"}
    assert held[(members[2], "us-east-1")] == {admin: "Enabled"}
    assert {
        place: statuses(macie_emulator, *place, service="guardduty")
        for place in [*guardduty, (members[3], "us-east-1")]
    } == {
        (members[0], "us-east-1"): {},
        (members[1], "eu-west-1"): {BYSTANDER: "Invited"},  # the refused member's
        (members[4], "eu-west-2"): {},
        (members[3], "us-east-1"): {admin: "Invited"},
    }
    summary = cli.run(["pulumi", "stack", "output", "summary"]).stdout
    assert "  every inbox: failed (the next `pulumi up` retries it): sts:AssumeRole" in summary
    assert f"  Macie eu-north-1: deleted {BYSTANDER}" in summary
    assert f"  GuardDuty eu-west-2: deleted {BYSTANDER}" in summary

    # Issue #22: with the member still refused, `--continue-on-error` and `--refresh` fail
    # naming it too, change nothing for the others (a refresh lists them, no more) and
    # leave their records as they were.
    macie_emulator.clear_calls()
    for flag in ("--continue-on-error", "--refresh"):
        again = cli.run([*up, flag], check=False)
        assert again.returncode != 0, flag
        # --refresh prints its preview's Diagnostics, then the update's: read the update's.
        blocks, _ = diagnostics(again.stdout[again.stdout.rindex("Diagnostics:") :])
        assert f"error: member account {members[1]}: 1 failure(s):" in "\n".join(blocks[child])
        [stack] = [lines for header, lines in blocks.items() if header.startswith("pulumi:pulumi")]
        assert f"1 member account(s) could not be guarded: {members[1]}" in "\n".join(stack)
    made = [call for service in services for call in macie_emulator.calls(service=service)]
    assert {c["operation"] for c in made if c["account_id"] != members[1]} == {"ListInvitations"}
    listed = {c["account_id"] for c in made}
    assert listed == set(members) - {members[1]}  # only --refresh's reads; the refused: none
    assert cli.run(["pulumi", "stack", "output", "summary"]).stdout == summary

    # The review loop: one new stray invitation; a refresh keeps every member's history, so
    # the preview shows the member with something new and the failed one, nothing else.
    macie_emulator.seed_invitation(members[7], SPAM, "eu-west-3")
    review = cli.run(["pulumi", "preview", "--refresh", "--diff"])
    assert (
        f'+ {SPAM}: "not allowed, and it sent an invitation (found in eu-west-3)"' in review.stdout
    )
    assert resource_counts(review.stdout) == {"to update": 2, "unchanged": 32}
    updates = re.findall(r"^\s+~ \S+: \(update\)\n\s+\[id=(\d+)\]", review.stdout, re.M)
    assert sorted(updates) == sorted([members[1], members[7]])
    assert not re.search(r"^\s+- .*(declined|deleted)AccountIds", review.stdout, re.M)

    # One account joins the organization, one leaves: no config edited.
    [joined] = macie_emulator.create_accounts(1)
    macie_emulator.seed_invitation(joined, BYSTANDER, "eu-north-1")
    places += [(joined, region) for region in regions]
    left = members[9]
    macie_emulator.close_account(left)
    macie_emulator.accept_all_roles()  # the role's trust policy fixed
    macie_emulator.clear_calls()
    summary = cli.run_all(rerun)[-1]
    called = [call for service in services for call in macie_emulator.calls(service=service)]
    assert {call["account_id"] for call in called} == {members[1], joined}
    assert statuses(macie_emulator, members[1], "eu-west-1", service="guardduty") == {}
    assert SPAM in statuses(macie_emulator, members[7], "eu-west-3")  # a preview records nothing
    assert all(BYSTANDER not in senders for senders in holdings(macie_emulator, places).values())
    assert f"account {members[1]} (as {roles[1]}):" in summary
    assert "  Macie ap-southeast-2: deleted 777788889999 (declined first: 777788889999)" in summary
    assert f"  Macie af-south-1: skipped: region not enabled for account {members[1]}" in summary
    assert f"  GuardDuty af-south-1: skipped: region not enabled for account {members[1]}" in (
        summary
    )
    assert f"  Macie eu-central-1: kept {admin} (allowed)" in summary
    assert f"  Macie us-east-1: kept {admin} (allowed)" in summary
    assert f"  GuardDuty us-east-1: kept {admin} (allowed)" in summary
    assert "failed" not in summary
    assert f"account {joined} (as arn:aws:iam::{joined}:role/{role_name}):" in summary
    assert f"account {left} " not in summary
    assert f"account {members[10]} " in summary
    ExampleRun(cli, readme, macie_emulator, places).tear_down()


def test_org_fleet_example(
    macie_emulator: EmulatorClient, project_cli: ProjectOpener, figures: Figures
) -> None:
    """The organization across stacks, one Macie call in ten throttled: a refused member
    fails its own stack, the command exits non-zero with one summary, the other stacks
    guard theirs; the next run guards it and makes no AWS call for the others."""
    [block] = readme_blocks(EXAMPLES / "org-fleet" / "README.md", FLEET_MARKER)
    assert ["cd", "examples/org-fleet"] in block
    [command] = [line for line in block if line[0] == "python"]
    option = {flag: command[command.index(flag) + 1] for flag in command if flag[:2] == "--"}
    shards, admin = int(option["--shards"]), option["--allowed-account-id"]
    macie_emulator.create_organization()
    members: list[str] = []
    while len(members) < 2 * shards:  # two members a stack (moto's account ids are random)
        [account] = macie_emulator.create_accounts(1)
        if sum(int(member) % shards == int(account) % shards for member in members) < 2:
            members.append(account)
        else:
            macie_emulator.close_account(account)  # SUSPENDED: not a member
    stack_of = {member: f"org-{int(member) % shards}-of-{shards}" for member in members}
    regions = macie_regions()
    places = [(member, region) for member in members for region in regions]
    spam = places[::7]
    for member, region in spam:
        macie_emulator.seed_invitation(member, BYSTANDER, region)
    macie_emulator.seed_invitation(members[0], admin, "eu-central-1")
    refused = members[1]
    macie_emulator.refuse_role(f"arn:aws:iam::{refused}:role/{option['--member-role-name']}")
    macie_emulator.throttle("*", times=10**6, every=10)
    cli = project_cli(EXAMPLES / "org-fleet")
    macie_emulator.clear_calls()

    failed = cli.run(command, check=False)
    first_calls = macie_emulator.calls()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    *lines, total = failed.stdout.splitlines()
    assert len(lines) == shards, failed.stdout
    assert total == f"{shards} stack(s), {len(members)} member(s): 1 failed ({stack_of[refused]})"
    by_stack = {line.split(":")[0]: line for line in lines}
    assert set(by_stack) == set(stack_of.values())
    assert (
        f"1 failed ({refused}); FAILED: error: 1 member account(s) could not be guarded: {refused}"
        in by_stack.pop(stack_of[refused])
    )
    assert all(", 0 failed" in line and "FAILED" not in line for line in by_stack.values())
    left = {
        place for place, held in holdings(macie_emulator, places).items() if held.get(BYSTANDER)
    }
    assert left == {place for place in spam if place[0] == refused}
    throttled = sum(call["status"] == 429 for call in first_calls)
    assert throttled > 0

    macie_emulator.accept_all_roles()  # the role's trust policy fixed
    macie_emulator.clear_calls()
    again = cli.run(command)
    assert again.stdout.splitlines()[-1] == (
        f"{shards} stack(s), {len(members)} member(s): every stack guarded"
    )
    assert {call["account_id"] for call in macie_emulator.calls()} == {refused}
    assert all(BYSTANDER not in held for held in holdings(macie_emulator, places).values())
    assert statuses(macie_emulator, members[0], "eu-central-1") == {admin: "Invited"}
    figures.add(
        "scale",
        f"through the CLI: examples/org-fleet, {len(members)} members x {len(regions)} regions "
        f"in {shards} stacks run at once, one Macie call in ten throttled (429), one member's "
        "role refused in the first run",
        f"first run: {throttled} calls throttled and retried; every other member guarded, the "
        f"refused one named with its stack, exit code 1; second run (role accepted): only "
        "that member called, every stack guarded, exit code 0",
    )


# ---- under Pulumi's mocks: programs run in this process, no engine, no plugin -------------


class RecordingMonitor(MockMonitor, pulumi.runtime.Mocks):
    """Pulumi's mock monitor (and its mocks), keeping each registration as the engine would
    receive it: type, inputs and dependencies (the URNs it must wait for), by resource name."""

    def __init__(self) -> None:
        super().__init__(self)
        self.types: dict[str, str] = {}
        self.inputs: dict[str, dict[str, Any]] = {}
        self.dependencies: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}  # URN -> resource name

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.types[args.name], self.inputs[args.name] = args.typ, dict(args.inputs)
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        register: Callable[[Any], Any] = super().RegisterResource  # untyped in the SDK
        response = register(request)
        self.names[response.urn] = request.name
        self.dependencies[request.name] = list(request.dependencies)
        return response

    def depends_on(self, name: str) -> list[str]:
        """The resources ``name`` waits for, by name."""
        return sorted(self.names[urn] for urn in self.dependencies[name])


def run_program(
    example: str, config: dict[str, str], secret_keys: Iterable[str] = ()
) -> RecordingMonitor:
    """Run examples/<example>/__main__.py under mocks with ``config`` (full keys, as strings)."""
    project = EXAMPLES / example
    name = yaml.safe_load((project / "Pulumi.yaml").read_text())["name"]
    monitor = RecordingMonitor()
    pulumi.runtime.set_mocks(monitor, project=name, stack="dev", preview=False, monitor=monitor)
    pulumi.runtime.set_all_config(config, list(secret_keys))

    @pulumi.runtime.test
    def program() -> None:
        runpy.run_path(str(project / "__main__.py"), run_name="__main__")

    try:
        program()
    finally:
        pulumi.runtime.set_all_config({}, [])
    return monitor


def test_keep_org_admin_readme_config_drives_the_program(project_cli: ProjectOpener) -> None:
    [block] = readme_blocks(EXAMPLES / "keep-org-admin" / "README.md", MOCKED_MARKER)
    assert ["cd", "examples/keep-org-admin"] in block
    commands = pulumi_commands(block)
    assert commands[-2:] == [["pulumi", "preview", "--diff"], ["pulumi", "up", "--yes"]]
    cli = project_cli(EXAMPLES / "keep-org-admin")
    cli.run_all(commands[:-2])  # stack init and config set, verbatim
    config = json.loads(cli.run(["pulumi", "config", "--json", "--show-secrets"]).stdout)

    key = "macie-invitations-keep-org-admin:"
    admin = config[key + "administratorAccountId"]["value"]
    listed = config[key + "accountIds"]["objectValue"]
    assert all(isinstance(account, str) for account in listed)  # --type string kept them strings
    monitor = run_program(
        "keep-org-admin",
        {k: v["value"] for k, v in config.items()},
        [k for k, v in config.items() if v["secret"]],
    )

    assert monitor.types == {
        "macie": "aws:macie2/account:Account",
        "administrator": "aws:macie2/invitationAccepter:InvitationAccepter",
        "other-senders": DECLINED,
    }
    assert monitor.inputs["macie"]["status"] == "ENABLED"
    assert monitor.inputs["administrator"]["administratorAccountId"] == admin
    assert monitor.inputs["other-senders"]["accountIds"] == listed
    assert monitor.depends_on("macie") == []
    assert monitor.depends_on("administrator") == ["macie"]
    assert monitor.depends_on("other-senders") == ["administrator"]


def test_keep_org_admin_never_cleans_the_administrator() -> None:
    key, admin, other = "macie-invitations-keep-org-admin:", "210987654321", "111122223333"
    config = {key + "administratorAccountId": admin, "aws:region": "us-east-1"}

    monitor = run_program(
        "keep-org-admin", config | {key + "accountIds": f'["{admin}", "{other}"]'}
    )
    assert monitor.inputs["other-senders"]["accountIds"] == [other]

    with pytest.raises(ValueError, match="at least one account other than administratorAccountId"):
        run_program("keep-org-admin", config | {key + "accountIds": f'["{admin}"]'})


@pytest.mark.parametrize(
    ("services", "guarded"),
    [
        (
            None,
            {
                "macie-inbox": "macie2",
                "guardduty-inbox": "guardduty",
                "securityhub-inbox": "securityhub",
            },
        ),
        (
            ["guardduty", "securityhub"],
            {"guardduty-inbox": "guardduty", "securityhub-inbox": "securityhub"},
        ),
    ],
)
def test_guard_example_guards_every_service_or_those_configured(
    services: list[str] | None, guarded: dict[str, str]
) -> None:
    key = "macie-invitations-guard:"
    config = {key + "allowedAccountIds": '["210987654321"]', "aws:region": "us-east-1"}
    if services is not None:
        config[key + "services"] = json.dumps(services)
    monitor = run_program("guard", config)
    assert monitor.types == dict.fromkeys(guarded, GUARD)
    assert {name: inputs["service"] for name, inputs in monitor.inputs.items()} == guarded
    assert all(i["allowedAccountIds"] == ["210987654321"] for i in monitor.inputs.values())


@pytest.mark.parametrize("services", [["detective"], ["macie2", "Macie"], []])
def test_guard_example_rejects_services_it_does_not_know(services: list[str]) -> None:
    key = "macie-invitations-guard:"
    config = {
        key + "allowedAccountIds": "[]",
        key + "services": json.dumps(services),
        "aws:region": "us-east-1",
    }
    with pytest.raises(ValueError, match=re.escape(f"services: {services!r}: list one or more")):
        run_program("guard", config)


def test_multi_region_defaults_to_aws_region() -> None:
    config = {
        "macie-invitations-multi-region:accountIds": '["111122223333"]',
        "aws:region": "eu-west-3",
    }
    monitor = run_program("multi-region", config)
    assert monitor.types == {"stale-invitations-eu-west-3": DECLINED}
    assert monitor.inputs["stale-invitations-eu-west-3"]["region"] == "eu-west-3"


@pytest.mark.parametrize(
    ("role_arns", "error"),
    [
        (["arn:aws:iam::210987654321:user/alice"], "is not an IAM role ARN"),
        (
            ["arn:aws:iam::210987654321:role/a", "arn:aws:iam::210987654321:role/b"],
            "account 210987654321 is listed twice",
        ),
    ],
)
def test_cross_account_rejects_bad_member_roles(role_arns: list[str], error: str) -> None:
    key = "macie-invitations-cross-account:"
    config = {key + "accountIds": '["111122223333"]', key + "memberRoleArns": json.dumps(role_arns)}
    with pytest.raises(ValueError, match=error):
        run_program("cross-account", config)

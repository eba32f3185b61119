"""Nothing secret reaches the stack's state or the CLI's output in plain text: sentinel
credentials are never written, and account ids given as secrets stay secret (in outputs
derived from them, in messages, in the resource id) while plain ids stay readable."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pulumi_macie_invitations.testing import EmulatorClient

from ..cli import (
    SENTINEL_ACCESS_KEY,
    SENTINEL_SECRET_KEY,
    SENTINEL_SESSION_TOKEN,
    STACK,
    ProjectCli,
    StackHarness,
)
from ..helpers import ME, REGION, ROOT, Figures

SECRET_SIG = "4dabf18193072939515e22adb298388d"
SENTINELS = (SENTINEL_ACCESS_KEY, SENTINEL_SECRET_KEY, SENTINEL_SESSION_TOKEN)

SENTINEL_ACCOUNT = "424200004242"  # a secret account id: must never show in plain text
OTHER_SECRET, THIRD_SECRET = "424211114242", "424222224242"
BAD_SENTINEL = "42420000424"  # 11 digits, secret: a failing check must not show it either
PLAIN = ("111122223333", "444455556666")
RESULTS = ("declinedAccountIds", "deletedAccountIds", "absentAccountIds", "reappearedAccountIds")
SOURCES = ROOT / "tests" / "e2e" / "programs" / "secret_sources"
EVERYWHERE = (
    "the CLI's output (stdout, stderr); `pulumi stack export`; every file of the backend, "
    "PULUMI_HOME and the project on disk"
)


def export(harness: StackHarness, *flags: str) -> str:
    return harness.pulumi("stack", "export", *flags).stdout


def declined_invitations(state: str) -> dict[str, Any]:
    resources = json.loads(state)["deployment"]["resources"]
    [resource] = [r for r in resources if r["type"].endswith(":DeclinedInvitations")]
    return dict(resource)


def test_state_holds_no_credentials_and_the_provider_is_secret(pulumi_stack: StackHarness) -> None:
    pulumi_stack.emulator.send_invitations("111122223333", [ME], REGION)
    pulumi_stack.set_accounts(["111122223333"])
    up = pulumi_stack.stack.up()
    for sentinel in SENTINELS:
        assert sentinel not in up.stdout + up.stderr

    masked = declined_invitations(export(pulumi_stack))
    for properties in (masked["inputs"], masked["outputs"]):
        assert properties["__provider"][SECRET_SIG] == "1b47061264138c4ac30d75fd1eb44270"
        assert "ciphertext" in properties["__provider"]

    shown = export(pulumi_stack, "--show-secrets")
    for sentinel in SENTINELS:
        assert sentinel not in shown
    payload = base64.b64decode(
        json.loads(declined_invitations(shown)["outputs"]["__provider"]["plaintext"])
    )
    for sentinel in SENTINELS:
        assert sentinel.encode() not in payload
    assert len(payload) < 2048  # a reference to the provider class, not a copy of its code


# Secret account ids


def found_on_disk(top: Path, values: Iterable[str]) -> list[str]:
    """The files under ``top`` (symlinks, such as a project's .venv, not followed) that hold
    one of ``values``."""
    needles = [value.encode() for value in values]
    paths = (Path(folder, name) for folder, _, names in os.walk(top) for name in names)
    return sorted(
        str(path)
        for path in paths
        if not path.is_symlink() and any(needle in path.read_bytes() for needle in needles)
    )


def digest_id(endpoint: str, accounts: Iterable[str]) -> str:
    """The id 0.1.0 gave a resource: a digest of its target and accounts (easily reversed)."""
    key = "|".join([REGION, endpoint, "", "", *sorted(accounts)])
    return f"{REGION}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def run(cli: Callable[..., Any], *args: str, fails: bool = False) -> str:
    """One CLI command's whole output; it must succeed, or fail when ``fails``."""
    done = cli(*args, check=False)
    assert (done.returncode != 0) is fails, done.stdout + done.stderr
    return str(done.stdout + done.stderr)


def message(output: str, endpoint: str) -> str:
    """The provider's message in a failed run's output (the last line of its traceback, and
    the note that follows it), or the engine's line for a failed check; the emulator's
    endpoint (a random port) as ``<endpoint>``."""
    raised = re.findall(
        r"^\s*pulumi_macie_invitations\.[\w.]+: (.*(?:\n\s*\(values of secret.*\))?)",
        output,
        re.MULTILINE,
    )
    found = raised or re.findall(r"error: (.*resource '.*)$", output, re.MULTILINE)
    assert found, output
    return " ".join(found[-1].replace(endpoint, "<endpoint>").split())


def state_resources(harness_export: str) -> list[dict[str, Any]]:
    resources = json.loads(harness_export)["deployment"]["resources"]
    return [r for r in resources if r["type"].endswith(":DeclinedInvitations")]


def test_secret_config_ids_never_appear_in_plain_text(
    pulumi_stack: StackHarness, tmp_path: Path, figures: Figures
) -> None:
    emulator, stack = pulumi_stack.emulator, pulumi_stack.pulumi
    for sender in (SENTINEL_ACCOUNT, OTHER_SECRET):
        emulator.seed_invitation(ME, sender, REGION)

    def set_secret_accounts(*accounts: str) -> None:
        stack("config", "rm", "accountIds", check=False)
        for index, account in enumerate(accounts):
            stack("config", "set", "--secret", "--path", f"accountIds[{index}]", account)

    set_secret_accounts(SENTINEL_ACCOUNT, OTHER_SECRET)
    outputs = [run(stack, "preview", "--diff"), run(stack, "up", "--yes", "--skip-preview")]
    assert "[secret]" in outputs[-1]
    assert emulator.received(ME, REGION) == []

    # A failing update: both listed invitations pending, DeclineInvitations refused.
    emulator.seed_invitation(ME, SENTINEL_ACCOUNT, REGION)
    emulator.seed_invitation(ME, THIRD_SECRET, REGION)
    set_secret_accounts(SENTINEL_ACCOUNT, OTHER_SECRET, THIRD_SECRET)
    emulator.deny("DeclineInvitations")
    outputs.append(run(stack, "up", "--yes", "--skip-preview", fails=True))
    failed_up = message(outputs[-1], emulator.endpoint_url)
    assert "DeclineInvitations for accounts [2 secret values] failed" in failed_up
    emulator.clear_faults()

    # Refresh finds the sentinel's invitation back; the update cleans both.
    outputs.append(run(stack, "refresh", "--yes", "--skip-preview"))
    [refreshed] = state_resources(export(pulumi_stack, "--show-secrets"))
    reappeared = refreshed["outputs"]["reappearedAccountIds"]
    assert json.loads(reappeared["plaintext"]) == [SENTINEL_ACCOUNT]
    outputs.append(run(stack, "up", "--yes", "--skip-preview"))
    assert emulator.received(ME, REGION) == []

    # A bad secret id fails check without showing it.
    set_secret_accounts(BAD_SENTINEL)
    outputs.append(run(stack, "preview", fails=True))
    failed_check = message(outputs[-1], emulator.endpoint_url)
    assert "accountIds: element 0 is '[secret]' (a string)" in failed_check
    set_secret_accounts(SENTINEL_ACCOUNT, OTHER_SECRET, THIRD_SECRET)

    shown = json.loads(run(stack, "stack", "output", "--json", "--show-secrets"))
    # Every account this resource has deleted: OTHER_SECRET's went at the first up.
    assert shown["deletedAccountIds"] == sorted([SENTINEL_ACCOUNT, OTHER_SECRET, THIRD_SECRET])
    [resource] = state_resources(export(pulumi_stack))
    assert resource["outputs"]["secretInputs"] == ["accountIds"]
    for name in ("accountIds", *RESULTS):
        assert SECRET_SIG in resource["outputs"][name], name
    assert resource["id"].startswith(f"{REGION}-")
    assert resource["id"] != digest_id(emulator.endpoint_url, [SENTINEL_ACCOUNT, OTHER_SECRET])

    secrets = (SENTINEL_ACCOUNT, BAD_SENTINEL)
    texts = {"output": "".join(outputs), "export": export(pulumi_stack)}
    leaks = {place: [s for s in secrets if s in text] for place, text in texts.items()}
    assert leaks == {"output": [], "export": []}
    assert found_on_disk(tmp_path, secrets) == []
    figures.add(
        "secrets",
        "account ids set with `pulumi config set --secret --path 'accountIds[i]'` (root "
        "project): a sentinel id through `preview --diff`, `up`, a failing `up`, `refresh`, "
        "an update, and a bad id through a failing `preview`",
        EVERYWHERE,
        "0 times; accountIds and every result encrypted in state, `[secret]` in the output; "
        f"the failing up: `{failed_up}`; the bad id: `{failed_check}`",
    )


def test_plain_ids_stay_readable(
    pulumi_stack: StackHarness, tmp_path: Path, figures: Figures
) -> None:
    emulator, stack = pulumi_stack.emulator, pulumi_stack.pulumi
    for sender in PLAIN:
        emulator.seed_invitation(ME, sender, REGION)
    pulumi_stack.set_accounts(list(PLAIN))
    emulator.deny("DeclineInvitations")
    failed = run(stack, "up", "--yes", "--skip-preview", fails=True)
    failed_up = message(failed, emulator.endpoint_url)
    assert f"DeclineInvitations for accounts {', '.join(PLAIN)} failed" in failed_up
    emulator.clear_faults()
    up = run(stack, "up", "--yes", "--skip-preview")
    [resource] = state_resources(export(pulumi_stack))
    assert resource["outputs"]["deletedAccountIds"] == list(PLAIN)
    assert resource["outputs"]["secretInputs"] == []
    assert all(account in up for account in PLAIN)
    assert found_on_disk(tmp_path, PLAIN)  # in the state files: the search finds what is there
    figures.add(
        "secrets",
        "plain account ids (the contrast)",
        "the CLI's output; `pulumi stack export`",
        f"shown: in up's outputs, in plain in state, and in messages: `{failed_up}`",
    )


PROGRAM_SOURCES = {
    "output-secret": "`pulumi.Output.secret([...])`",
    "element": "a secret element of a plain list: `[id, pulumi.Output.secret(id)]`",
    "resource": "another resource's secret output, unknown at preview",
}
SOURCE_SECRETS = dict(
    zip(PROGRAM_SOURCES, (SENTINEL_ACCOUNT, OTHER_SECRET, THIRD_SECRET), strict=True)
)
"""Each source's own sentinel, so that no two resources name one sender."""


def program_stack(
    project_cli: Callable[[Path], ProjectCli], sources: list[dict[str, Any]]
) -> Callable[..., Any]:
    """The secret_sources program in a new stack, configured with ``sources``: a kind and
    optionally plain ids and a secret id each (set with ``--secret``); its CLI."""
    program = project_cli(SOURCES)
    program.run(["pulumi", "stack", "init", STACK])

    def stack(*args: str, check: bool = True) -> Any:
        return program.run(["pulumi", *args, "--stack", STACK], check)

    values = ["--plaintext", f"aws:region={REGION}"]
    for index, source in enumerate(sources):
        at = f"sources[{index}]"
        values += ["--plaintext", f"{at}.kind={source['kind']}"]
        for position, account in enumerate(source.get("plainIds", [])):
            values += ["--plaintext", f"{at}.plainIds[{position}]={account}"]
        if "secretId" in source:
            values += ["--secret", f"{at}.secretId={source['secretId']}"]
    stack("config", "set-all", "--path", *values)
    return stack


def test_secret_ids_from_a_program_never_appear_in_plain_text(
    project_cli: Callable[[Path], ProjectCli],
    macie_emulator: EmulatorClient,
    tmp_path: Path,
    figures: Figures,
) -> None:
    """One resource a source, each with its own sentinel, in one stack."""
    sources: list[dict[str, Any]] = [
        {"kind": kind, "secretId": secret} for kind, secret in SOURCE_SECRETS.items()
    ]
    sources[1]["plainIds"] = [PLAIN[0]]  # the plain element beside the secret one
    stack = program_stack(project_cli, sources)
    for sender in (*SOURCE_SECRETS.values(), PLAIN[0]):
        macie_emulator.seed_invitation(ME, sender, REGION)

    outputs = [run(stack, "preview", "--diff"), run(stack, "up", "--yes", "--skip-preview")]
    for sender in SOURCE_SECRETS.values():
        macie_emulator.seed_invitation(ME, sender, REGION)
    outputs.append(run(stack, "refresh", "--yes", "--skip-preview"))
    outputs.append(run(stack, "up", "--yes", "--skip-preview"))

    assert macie_emulator.received(ME, REGION) == []
    exported = stack("stack", "export").stdout
    resources = state_resources(exported)
    names = sorted(r["urn"].rsplit("::", 1)[1] for r in resources)
    assert names == sorted(["first", *(f"cleaned-{kind}" for kind in PROGRAM_SOURCES)])
    for resource in resources:
        assert resource["outputs"]["secretInputs"] == ["accountIds"], resource["urn"]
        for name in ("accountIds", *RESULTS):
            assert SECRET_SIG in resource["outputs"][name], (resource["urn"], name)
    shown = json.dumps(json.loads(stack("stack", "output", "--json", "--show-secrets").stdout))
    secrets = list(SOURCE_SECRETS.values())
    assert all(secret in shown for secret in secrets)  # there, encrypted
    assert [s for s in secrets if s in "".join(outputs) + exported] == []
    assert found_on_disk(tmp_path, secrets) == []
    for described in PROGRAM_SOURCES.values():
        figures.add(
            "secrets",
            f"account ids from {described}: a sentinel id through "
            "`preview --diff`, `up`, `refresh`, an update",
            EVERYWHERE,
            "0 times; accountIds and every result encrypted in state, `[secret]` in the output",
        )


def test_a_bad_id_the_program_makes_secret_fails_check_without_showing_it(
    project_cli: Callable[[Path], ProjectCli], macie_emulator: EmulatorClient, figures: Figures
) -> None:
    """Pulumi prints the value of the property a check failure names, secret or not (it
    masks values of secret config only): here the value is plain config (no secret config
    at all), made secret by ``pulumi.Output.secret`` in the program."""
    stack = program_stack(project_cli, [{"kind": "output-secret", "plainIds": [BAD_SENTINEL]}])
    output = run(stack, "preview", fails=True)
    failed_check = message(output, macie_emulator.endpoint_url)
    assert "accountIds: element 0 is '[secret]' (a string)" in failed_check
    assert BAD_SENTINEL not in output
    assert macie_emulator.calls() == []
    figures.add(
        "secrets",
        "a bad id made secret by the program (`pulumi.Output.secret` of plain config)",
        "the CLI's output of a failing `pulumi preview`",
        f"0 times: `{failed_check}`",
    )


def change_summary(stack: Callable[..., Any]) -> dict[str, int]:
    """What `pulumi preview` plans, by operation (the CLI's own JSON summary)."""
    summary: dict[str, int] = json.loads(run(stack, "preview", "--json"))["changeSummary"]
    return summary


def test_a_stack_of_0_1_0_keeps_its_id_and_makes_its_results_secret_by_an_update(
    pulumi_stack: StackHarness, tmp_path: Path
) -> None:
    """State as 0.1.0 wrote it (a digest id, no ``secretInputs``): plain ids preview no
    change; the same ids made secret are an update, not a replace, and the id stays."""
    emulator, stack = pulumi_stack.emulator, pulumi_stack.pulumi
    for sender in PLAIN:
        emulator.seed_invitation(ME, sender, REGION)
    pulumi_stack.set_accounts(list(PLAIN))
    run(stack, "up", "--yes", "--skip-preview")
    state = json.loads(export(pulumi_stack))
    [resource] = state_resources(json.dumps(state))
    old_id = digest_id(emulator.endpoint_url, PLAIN)
    for found in state["deployment"]["resources"]:
        if found["urn"] == resource["urn"]:
            found["id"] = old_id
            for properties in (found["inputs"], found["outputs"]):
                del properties["secretInputs"]
    written = tmp_path / "as-0.1.0-wrote-it.json"
    written.write_text(json.dumps(state))
    stack("stack", "import", "--file", str(written))

    assert change_summary(stack) == {"same": 2}

    stack("config", "rm", "accountIds")
    for index, account in enumerate(PLAIN):
        stack("config", "set", "--secret", "--path", f"accountIds[{index}]", account)
    assert change_summary(stack) == {"same": 1, "update": 1}
    up = run(stack, "up", "--yes", "--skip-preview")
    # What the update shows as now is secret. The CLI also prints the stack's previous
    # outputs as removed ("-" lines): they were plain before the ids became secret, and it
    # masks their list elements but not the keys of a map (outcomes).
    now = [line for line in up.splitlines() if not line.lstrip().startswith("-")]
    assert not any(account in line for line in now for account in PLAIN), up
    [upgraded] = state_resources(export(pulumi_stack))
    assert upgraded["id"] == old_id
    assert upgraded["outputs"]["secretInputs"] == ["accountIds"]
    for name in ("accountIds", *RESULTS):
        assert SECRET_SIG in upgraded["outputs"][name], name

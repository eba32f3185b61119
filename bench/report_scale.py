"""Section 6 of bench/RESULTS.md: the organization at 1,000 members x 22 regions."""

from __future__ import annotations

from typing import Any

from .report_organization import PROVIDER, _counts, _verdict, measured_on
from .timing import median

SKIPPED = "checkpoints skipped"
REFERENCE_FACTOR = 1.1
BARE_FACTOR = 1.2
MEMORY_LIMIT_MIB = 500


def _seconds(figures: dict[str, Any], key: str, command: str) -> float:
    return median(figures[key][command])


Row = tuple[str, bool]
"""A table row, and whether its target was met."""


def _table(rows: list[Row]) -> tuple[list[str], bool]:
    return [row for row, _ in rows], all(met for _, met in rows)


def _time_row(figures: dict[str, Any], command: str) -> Row:
    ours, skipped, floor, shaped, bare = (
        _seconds(figures, key, command)
        for key in ("organization", SKIPPED, "no-op", "no-op members", "bare boto3")
    )
    budget = REFERENCE_FACTOR * shaped + BARE_FACTOR * bare
    return (
        f"| `{command}` | {ours:.1f} s | {shaped:.1f} s | {bare:.1f} s | {budget:.1f} s "
        f"| {_verdict(ours <= budget)} | {floor:.1f} s | {skipped:.1f} s |"
    ), ours <= budget


def _calls_row(figures: dict[str, Any], command: str, minimum: dict[str, int]) -> Row:
    runs = {key: figures[key][command] for key in ("calls", f"{SKIPPED} calls")}
    guard, skipping = (made[0] for made in runs.values())
    same = all(made == minimum for each in runs.values() for made in each)
    bare = figures["bare boto3 calls"].get(command)
    return (
        f"| {command} | {_counts(guard)} | {_counts(skipping)} | {_counts(minimum)} "
        f"| {_verdict(same)} | {_counts(bare[0]) if bare else 'none (nothing to do)'} |"
    ), same


def _checkpoint_lines(figures: dict[str, Any]) -> list[str]:
    members = figures["members"]
    sizes = figures["checkpoint bytes"]
    names = {
        "organization": "the guard",
        "no-op members": "reference (a member's properties)",
        "no-op": "floor (no-op resources)",
    }
    rows = [
        f"| {label} | {sizes[key] / 2**20:.2f} MiB | {sizes[key] / members / 1024:.1f} KiB |"
        for key, label in names.items()
        if key in sizes
    ]
    return [
        "### Checkpoint size",
        "",
        "Bytes of `pulumi stack export` after the three commands, per member. The file",
        "backend writes the whole checkpoint again after every step, so its cost grows with",
        "members x checkpoint size.",
        "",
        "| program | checkpoint | per member |",
        "| --- | --- | --- |",
        *rows,
        "",
    ]


def _fleet_lines(figures: dict[str, Any]) -> tuple[list[str], bool]:
    fleet = figures["fleet"]
    up, again = fleet["up"], fleet["no-change up"]
    converged = up["exit code"] == 0 and again["exit code"] == 0 and fleet["spam left"] == 0
    single = median(figures["organization"]["up"])
    single_again = median(figures["organization"]["no-change up"])
    return [
        f"### Past one stack: examples/org-fleet, {fleet['shards']} stacks at once",
        "",
        f"The same {fleet['members']} members (here an organization the emulator made, read",
        "by the example from AWS Organizations), split by account id into",
        f"{fleet['shards']} stacks run concurrently by the Automation API, each a",
        "`pulumi up` of its share:",
        "",
        "| run | seconds | single stack | calls | exit code |",
        "| --- | --- | --- | --- | --- |",
        f"| first | {up['seconds']:.1f} s | {single:.1f} s | {_counts(up['calls'])} "
        f"| {up['exit code']} |",
        f"| nothing to do | {again['seconds']:.1f} s | {single_again:.1f} s "
        f"| {_counts(again['calls'])} | {again['exit code']} |",
        "",
        f"Inboxes still holding spam after them: {fleet['spam left']}; "
        f"every shard guarded: {_verdict(converged)}. Its summary's last line: "
        f"`{' '.join(again['summary'])}`.",
        "",
    ], converged


def _throttled_row(throttled: dict[str, Any], command: str, minimum: dict[str, int]) -> Row:
    measured = throttled[command]
    ok = measured["exit code"] == 0 and measured["answered"] == minimum
    return (
        f"| {command} | {measured['exit code']} | {_counts(measured['answered'])} "
        f"| {_counts(measured['throttled'])} | {_verdict(ok)} | {measured['seconds']:.1f} s |"
    ), ok


def _throttled_lines(figures: dict[str, Any]) -> tuple[list[str], bool]:
    throttled = figures["throttled"]
    rows, met = _table(
        [_throttled_row(throttled, *command) for command in throttled["minimum calls"].items()]
    )
    met &= throttled["spam left"] == 0
    members, every = throttled["members"], throttled["every"]
    return [
        f"### Throttled: one call in {every}",
        "",
        f"The guard at {members} members x {figures['regions']} regions, the emulator answering",
        f"one Macie call in {every} (retries included) with 429 ThrottlingException; STS is",
        "not throttled. botocore's standard retries absorb them; every command must succeed",
        "with the calls answered at the minimum (the throttled ones are the retries).",
        "",
        "| command | exit code | answered | throttled (retried) | | seconds |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"Inboxes still holding spam after the three commands: {throttled['spam left']} "
        f"({_verdict(throttled['spam left'] == 0)}).",
        "",
    ], met


def scale_section(
    figures: dict[str, Any], machine: dict[str, Any] | None = None
) -> tuple[list[str], bool]:
    """Section 6's lines, and whether its targets were met."""
    members, regions = figures["members"], figures["regions"]
    times, times_met = _table([_time_row(figures, command) for command in figures["minimum calls"]])
    calls, calls_met = _table(
        [_calls_row(figures, *command) for command in figures["minimum calls"].items()]
    )
    provider_mib = figures["peak memory bytes"].get(PROVIDER, 0) / 2**20
    memory_met = 0 < provider_mib <= MEMORY_LIMIT_MIB
    fleet, fleet_met = _fleet_lines(figures)
    throttled, throttled_met = _throttled_lines(figures)
    unchanged = len(figures["organization"]["no-change up"])
    lines = [
        f"## 6. At scale: {members:,} members x {regions} regions ({members * regions:,} inboxes)",
        "",
        f"Section 5's programs at {members:,} members, one run per figure (each takes",
        f"minutes) but the no-change `up`, the median of {unchanged} runs; the emulator answers",
        f"every call after {figures['latency ms']} ms, one inbox",
        "in ten holds a pending invitation from a sender not allowed. The target: each",
        f"command at most {REFERENCE_FACTOR} x the same-shape reference ({members:,} no-op",
        f"resources holding a member's properties) + {BARE_FACTOR} x the bare boto3 sweep.",
        "",
        *measured_on("organization-1000", machine),
        "### Time",
        "",
        f"| command | organization guard | reference | bare boto3, 16 threads "
        f"| {REFERENCE_FACTOR} x reference + {BARE_FACTOR} x bare | "
        f"| {members:,} no-op resources (Pulumi's floor) | guard, PULUMI_SKIP_CHECKPOINTS=true |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *times,
        "",
        "### AWS calls against the minimum",
        "",
        "| command | guard | guard, checkpoints skipped | minimum | | bare boto3 |",
        "| --- | --- | --- | --- | --- | --- |",
        *calls,
        "",
        "### Peak memory",
        "",
        f"The dynamic provider process peaked at **{provider_mib:.0f} MiB** resident during",
        "the guard's three commands with checkpoints skipped (VmHWM, sampled from /proc):",
        f"target ≤ {MEMORY_LIMIT_MIB} MiB, {_verdict(memory_met)}.",
        "",
        *_checkpoint_lines(figures),
        *fleet,
        *throttled,
        *_what_it_says(figures),
    ]
    return lines, times_met and calls_met and memory_met and fleet_met and throttled_met


def _what_it_says(figures: dict[str, Any]) -> list[str]:
    """The ratios behind the tables, in words."""
    up = {
        key: median(figures[key]["up"])
        for key in ("organization", SKIPPED, "no-op", "no-op members")
    }
    sizes = figures["checkpoint bytes"]
    ratio = sizes["organization"] / sizes["no-op members"]
    fleet = figures["fleet"]["up"]["seconds"]
    return [
        "### What the figures say",
        "",
        f"- The guard's first `pulumi up` took {up['organization'] / up['no-op members']:.2f}x",
        f"  the same-shape reference and {up['organization'] / up['no-op']:.2f}x Pulumi's floor;",
        f"  its checkpoint is {ratio:.2f}x the reference's per member.",
        "- `PULUMI_SKIP_CHECKPOINTS=true` took the guard's first `pulumi up` from",
        f"  {up['organization']:.1f} s to {up[SKIPPED]:.1f} s, with the same AWS calls.",
        f"- examples/org-fleet's first run ({figures['fleet']['shards']} stacks at once) took",
        f"  {fleet:.1f} s against the single stack's {up['organization']:.1f} s",
        f"  ({fleet / up['organization']:.2f}x).",
        "",
    ]

"""An organization guarded across stacks: one stack per shard, run concurrently by Pulumi's
Automation API, one summary at the end; exits non-zero if any shard failed.

    python fleet.py --member-role-name MacieInvitationsGuard \
        --allowed-account-id 210987654321 --shards 4

Shards are either ``--shards N`` (a member goes to shard ``int(account) % N``: it stays
in its shard as accounts join and leave) or one per ``--parent-id`` (a root or OU, with
every OU below it). Each shard is a stack of this folder's project (``__main__.py``),
named ``<prefix>-<shard>``, whose ``memberAccountIds`` config this script sets.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi import automation as auto
from pulumi_macie_invitations import organization_accounts

HERE = Path(__file__).resolve().parent
PROJECT = "macie-invitations-org-fleet"


@dataclass(frozen=True)
class Shard:
    """One stack's share of the organization."""

    stack: str
    accounts: list[str]


@dataclass(frozen=True)
class Outcome:
    """What one shard's ``pulumi up`` did."""

    shard: Shard
    members: list[dict[str, Any]]
    error: str | None = None

    def line(self) -> str:
        """One line of the summary."""
        deleted = sum(
            len(inbox.get("deleted_account_ids", []))
            for member in self.members
            for inbox in member.get("inboxes", [])
        )
        failed = sorted(m["account_id"] for m in self.members if m.get("failed_inboxes"))
        line = (
            f"{self.shard.stack}: {len(self.shard.accounts)} member(s), "
            f"{deleted} invitation(s) deleted so far, {len(failed)} failed"
        )
        if failed:
            line += f" ({', '.join(failed)})"
        return line + (f"; FAILED: {self.error}" if self.error else "")


def shards(arguments: argparse.Namespace) -> list[Shard]:
    """The shards, from the organization's ACTIVE accounts read now (empty ones left out)."""
    prefix = arguments.stack_prefix
    if arguments.parent_id:
        found = [
            Shard(f"{prefix}-{parent}", list(organization_accounts(parent_ids=[parent])))
            for parent in arguments.parent_id
        ]
    else:
        count = arguments.shards
        accounts = organization_accounts()
        found = [
            Shard(f"{prefix}-{index}-of-{count}", [a for a in accounts if int(a) % count == index])
            for index in range(count)
        ]
    return [shard for shard in found if shard.accounts]


def config(shard: Shard, arguments: argparse.Namespace) -> dict[str, auto.ConfigValue]:
    """The shard's stack config (lists as JSON, which the program's ``get_object`` reads)."""
    values: Mapping[str, object] = {
        "memberAccountIds": shard.accounts,
        "memberRoleName": arguments.member_role_name,
        "allowedAccountIds": arguments.allowed_account_id,
        "regions": arguments.region,
    }
    return {
        f"{PROJECT}:{key}": auto.ConfigValue(value if isinstance(value, str) else json.dumps(value))
        for key, value in values.items()
    }


def guard(shard: Shard, arguments: argparse.Namespace) -> Outcome:
    """``pulumi up`` of one shard's stack; a failure is reported, never raised."""
    env = {"PULUMI_SKIP_CHECKPOINTS": "true"} if arguments.skip_checkpoints else {}
    options = auto.LocalWorkspaceOptions(env_vars=env)
    try:
        stack = auto.create_or_select_stack(shard.stack, work_dir=str(HERE), opts=options)
        stack.set_all_config(config(shard, arguments))
    except auto.CommandError as failed:
        return Outcome(shard, [], _reason(failed))
    error = None
    try:
        stack.up(color="never", suppress_outputs=True)
    except auto.CommandError as failed:
        error = _reason(failed)
    members = stack.outputs().get("members")
    return Outcome(shard, list(members.value) if members else [], error)


def _reason(failed: auto.CommandError) -> str:
    """The line of a failed command that names what failed (the members, when some did)."""
    text = str(failed)
    reported = [line[line.index("error:") :] for line in text.splitlines() if "error:" in line]
    named = [line for line in reported if "could not be guarded" in line]
    return (named or reported or text.strip().splitlines() or ["failed"])[0]


def arguments_of(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--member-role-name", required=True)
    parser.add_argument("--allowed-account-id", action="append", default=[])
    parser.add_argument("--region", action="append", default=[], help="default: every region")
    split = parser.add_mutually_exclusive_group()
    split.add_argument("--shards", type=int, default=4, help="N stacks (default 4)")
    split.add_argument("--parent-id", action="append", default=[], help="one stack per OU")
    parser.add_argument("--parallel", type=int, default=4, help="stacks at once (default 4)")
    parser.add_argument("--stack-prefix", default="org")
    parser.add_argument(
        "--skip-checkpoints",
        action="store_true",
        help="PULUMI_SKIP_CHECKPOINTS=true for every stack (see the README)",
    )
    arguments = parser.parse_args(argv)
    if arguments.shards < 1 or arguments.parallel < 1:
        parser.error("--shards and --parallel take a positive number")
    return arguments


def main(argv: Sequence[str]) -> int:
    """Guard every shard, at most ``--parallel`` at once; print the summary."""
    arguments = arguments_of(argv)
    found = shards(arguments)
    with ThreadPoolExecutor(arguments.parallel) as pool:
        outcomes = list(pool.map(lambda shard: guard(shard, arguments), found))
    failed = [outcome.shard.stack for outcome in outcomes if outcome.error]
    print("\n".join(outcome.line() for outcome in outcomes))
    members = sum(len(outcome.shard.accounts) for outcome in outcomes)
    print(
        f"{len(outcomes)} stack(s), {members} member(s): "
        + (f"{len(failed)} failed ({', '.join(failed)})" if failed else "every stack guarded")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

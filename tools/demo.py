"""`make demo`: the root project's preview and up against the local Macie2 emulator.

Starts the emulator on a free loopback port, has three accounts invite the demo account
and a fourth become its accepted administrator, then runs `pulumi preview --diff` and
`pulumi up --yes` of the root project (stack `dev`, file backend in .pulumi-demo/) and
prints the received invitations before and after. The emulator stops on every exit path.

Every run tells the same story on a new `dev` stack: the emulator starts empty each time,
on a new port, so the stack a previous run left would record an endpoint that is gone and
a cleanup of invitations that no longer exist (its next preview would show a replace).
That stack is removed first; it stays in .pulumi-demo/ for inspection until then.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pulumi_macie_invitations.testing.client import EmulatorClient
from pulumi_macie_invitations.testing.environment import pulumi_cli_environment
from pulumi_macie_invitations.testing.server import EmulatorServer

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".pulumi-demo"
REGION = "us-east-1"
STACK = "dev"
DEMO_ACCOUNT = "123456789012"  # the emulator's default account: the one the demo cleans
STALE_SENDERS = ["111122223333", "444455556666", "777788889999"]
ADMINISTRATOR = "210987654321"  # accepted: the current administrator, left alone
PASSPHRASE = "local-demo-passphrase"  # the demo's file backend only; never a real secret


def show(title: str, client: EmulatorClient) -> None:
    print(f"\n== {title}: invitations received by {DEMO_ACCOUNT} in {REGION}")
    for invitation in client.received(DEMO_ACCOUNT, REGION):
        print(f"   from {invitation['accountId']}  {invitation['relationshipStatus']}")


def pulumi_env(endpoint_url: str) -> dict[str, str]:
    return pulumi_cli_environment(
        endpoint_url,
        home=STATE / "home",
        backend=STATE / "backend",
        passphrase=PASSPHRASE,
        region=REGION,
        bin_dir=Path(sys.executable).parent,
    )


def pulumi(*args: str, env: dict[str, str]) -> None:
    print(f"\n$ pulumi {' '.join(args)}", flush=True)
    subprocess.run(["pulumi", *args], cwd=ROOT, env=env, check=True)


def new_stack(env: dict[str, str]) -> None:
    """Remove the stack a previous run left, if any (see the module's docstring)."""
    print("\n== a new demo stack: the emulator starts empty on every run", flush=True)
    listed = subprocess.run(
        ["pulumi", "stack", "ls", "--json"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    if any(stack["name"] == STACK for stack in json.loads(listed.stdout or "[]")):
        subprocess.run(
            ["pulumi", "stack", "rm", "--yes", "--force", STACK],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def main() -> int:
    with EmulatorServer() as emulator:
        client = EmulatorClient(emulator.endpoint_url)
        for sender in [*STALE_SENDERS, ADMINISTRATOR]:
            client.send_invitations(sender, [DEMO_ACCOUNT], REGION)
        client.accept(DEMO_ACCOUNT, ADMINISTRATOR, REGION)
        show("before", client)

        env = pulumi_env(emulator.endpoint_url)
        new_stack(env)
        pulumi("stack", "select", "--create", STACK, env=env)
        pulumi("config", "set", "aws:region", REGION, env=env)
        for index, account in enumerate(STALE_SENDERS):
            pulumi(
                "config",
                "set",
                "--type",
                "string",
                "--path",
                f"accountIds[{index}]",
                account,
                env=env,
            )
        pulumi("preview", "--diff", env=env)
        pulumi("up", "--yes", env=env)
        show("after", client)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as error:
        print(
            f"demo failed: {' '.join(map(str, error.cmd))} exited {error.returncode}",
            file=sys.stderr,
        )
        sys.exit(1)

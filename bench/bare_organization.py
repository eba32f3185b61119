"""The user's alternative to OrganizationInvitationGuard: a bare boto3 script, 16 threads.

    python -m bench.bare_organization clean|list '{"roles": [...], "regions": [...],
        "allowed": [...]}'

Assumes each member's role once, then for every (member, region) inbox: lists it, and
(``clean``) declines the pending invitations from senders not allowed, deletes all of
theirs and lists again. The same calls as the minimum the benchmark counts.
"""

from __future__ import annotations

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

THREADS = 16
PENDING = {"Invited", "Created", "EmailVerificationInProgress"}


def list_all(client: Any) -> dict[str, str]:  # noqa: ANN401 (a boto3 client)
    received: dict[str, str] = {}
    for page in client.get_paginator("list_invitations").paginate(
        PaginationConfig={"PageSize": 25}
    ):
        received.update((i["accountId"], i["relationshipStatus"]) for i in page["invitations"])
    return received


def main(argv: list[str]) -> int:
    mode, spec = argv[0], json.loads(argv[1])
    allowed = set(spec["allowed"])
    sts = boto3.client("sts")

    def assume(role: str) -> tuple[boto3.Session, threading.Lock]:
        keys = sts.assume_role(RoleArn=role, RoleSessionName="bare")["Credentials"]
        session = boto3.Session(
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=keys["SessionToken"],
        )
        return session, threading.Lock()  # a session makes one client at a time

    def inbox(member: tuple[boto3.Session, threading.Lock], region: str) -> None:
        session, lock = member
        with lock:
            client = session.client("macie2", region_name=region)
        received = list_all(client)
        stray = sorted(set(received) - allowed)
        if mode != "clean" or not stray:
            return
        pending = [a for a in stray if received[a] in PENDING]
        if pending:
            client.decline_invitations(accountIds=pending)
        client.delete_invitations(accountIds=stray)
        list_all(client)

    with ThreadPoolExecutor(THREADS) as pool:
        members = list(pool.map(assume, spec["roles"]))
        work = [(member, region) for member in members for region in spec["regions"]]
        list(pool.map(lambda pair: inbox(*pair), work))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The user's alternative to OrganizationInvitationGuard: a bare boto3 script, 16 threads.

    python -m bench.bare_organization clean|list '{"roles": [...], "regions": [...],
        "allowed": [...], "services": ["macie2", ...]}'

Assumes each member's role once, then for every (member, service, region) inbox: lists
it, and (``clean``) declines the pending invitations from senders not allowed, deletes
all of theirs and lists again. The same calls as the minimum the benchmark counts. Every
client comes from one session (the provider shares one botocore loader too): a session a
member would load botocore's endpoints and models again (~0.1 s of CPU and megabytes each).
``services`` defaults to Macie's; each service's names are written out here, as a user's
script would (botocore's models).
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
NAMES = {  # page size, invitations, sender, status, the account ids of decline and delete
    "macie2": (25, "invitations", "accountId", "relationshipStatus", "accountIds"),
    "guardduty": (50, "Invitations", "AccountId", "RelationshipStatus", "AccountIds"),
    "securityhub": (50, "Invitations", "AccountId", "MemberStatus", "AccountIds"),
}


def list_all(client: Any, service: str) -> dict[str, str]:  # noqa: ANN401 (a boto3 client)
    size, invitations, sender, status, _ = NAMES[service]
    received: dict[str, str] = {}
    for page in client.get_paginator("list_invitations").paginate(
        PaginationConfig={"PageSize": size}
    ):
        received.update((i[sender], i[status]) for i in page[invitations])
    return received


def main(argv: list[str]) -> int:
    mode, spec = argv[0], json.loads(argv[1])
    allowed = set(spec["allowed"])
    session = boto3.Session()
    sts = session.client("sts")
    lock = threading.Lock()  # a session makes one client at a time

    def assume(role: str) -> dict[str, str]:
        keys = sts.assume_role(RoleArn=role, RoleSessionName="bare")["Credentials"]
        return {
            "aws_access_key_id": keys["AccessKeyId"],
            "aws_secret_access_key": keys["SecretAccessKey"],
            "aws_session_token": keys["SessionToken"],
        }

    def inbox(member: dict[str, str], service: str, region: str) -> None:
        with lock:
            client = session.client(service, region_name=region, **member)  # type: ignore[call-overload]
        received = list_all(client, service)
        stray = sorted(set(received) - allowed)
        if mode != "clean" or not stray:
            return
        ids = NAMES[service][-1]
        pending = [a for a in stray if received[a] in PENDING]
        if pending:
            client.decline_invitations(**{ids: pending})
        client.delete_invitations(**{ids: stray})
        list_all(client, service)

    services = spec.get("services", ["macie2"])
    with ThreadPoolExecutor(THREADS) as pool:
        members = list(pool.map(assume, spec["roles"]))
        work = [
            (member, service, region)
            for member in members
            for service in services
            for region in spec["regions"]
        ]
        list(pool.map(lambda inbox_of: inbox(*inbox_of), work))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

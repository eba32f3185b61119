"""One pipeline declining and deleting the Macie invitations of several member accounts.

Each member is reached by assuming a role in it; the optional external id is a secret.
"""

import pulumi
from pulumi_macie_invitations import DeclinedInvitations, DeclinedInvitationsArgs


def member_account(role_arn: str) -> str:
    """The account of an IAM role ARN (``arn:<partition>:iam::<account>:role/<name>``)."""
    parts = role_arn.split(":")
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        raise ValueError(
            f"memberRoleArns: {role_arn!r} is not an IAM role ARN "
            "(arn:aws:iam::<account>:role/<name>)"
        )
    return parts[4]


config = pulumi.Config()
account_ids: list[str] = config.require_object("accountIds")
external_id = config.get_secret("externalId")

members: dict[str, str] = {}
for role_arn in config.require_object("memberRoleArns"):
    member = member_account(role_arn)
    if member in members:
        raise ValueError(f"memberRoleArns: account {member} is listed twice")
    members[member] = role_arn

by_member = {
    member: DeclinedInvitations(
        f"member-{member}",
        DeclinedInvitationsArgs(
            account_ids=account_ids, role_arn=role_arn, external_id=external_id
        ),
    )
    for member, role_arn in members.items()
}

pulumi.export("members", sorted(members))
pulumi.export("deletedAccountIds", {m: c.deleted_account_ids for m, c in by_member.items()})
pulumi.export("absentAccountIds", {m: c.absent_account_ids for m, c in by_member.items()})

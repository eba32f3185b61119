"""One shard of the organization: the member accounts fleet.py gave this stack."""

import pulumi
from pulumi_macie_invitations import OrganizationInvitationGuard

config = pulumi.Config()
regions: list[str] = config.get_object("regions") or []

org = OrganizationInvitationGuard(
    "org",
    member_account_ids=config.require_object("memberAccountIds"),
    member_role_name=config.require("memberRoleName"),
    allowed_account_ids=config.require_object("allowedAccountIds"),
    regions=regions or None,
)

pulumi.export("summary", org.summary)
pulumi.export("members", org.members)

"""No Macie invitation but from the allowed senders, in every region of every member account."""

import pulumi
from pulumi_macie_invitations import OrganizationInvitationGuard

config = pulumi.Config()
regions: list[str] = config.get_object("regions") or []

org = OrganizationInvitationGuard(
    "org",
    member_role_arns=config.get_object("memberRoleArns") or [],
    allowed_account_ids=config.require_object("allowedAccountIds"),
    include_own_account=config.get_bool("includeOwnAccount") or False,
    regions=regions or None,
)

pulumi.export("summary", org.summary)
pulumi.export("members", org.members)

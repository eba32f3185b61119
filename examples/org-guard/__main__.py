"""No invitation but from the allowed senders, in every region of every member account, for
each service of the ``services`` config (Macie's alone when unset)."""

import pulumi
from pulumi_macie_invitations import OrganizationInvitationGuard, organization_accounts

config = pulumi.Config()
regions: list[str] = config.get_object("regions") or []
parent_ids: list[str] = config.get_object("parentIds") or []
services: list[str] = config.get_object("services") or []

org = OrganizationInvitationGuard(
    "org",
    # Read from AWS Organizations on every run: an account that joins is guarded by the
    # next `pulumi up`, one that leaves is forgotten (no AWS call).
    member_account_ids=organization_accounts(parent_ids=parent_ids or None),
    member_role_name=config.require("memberRoleName"),
    allowed_account_ids=config.require_object("allowedAccountIds"),
    include_own_account=config.get_bool("includeOwnAccount") or False,
    regions=regions or None,
    services=services or None,
)

pulumi.export("summary", org.summary)
pulumi.export("members", org.members)

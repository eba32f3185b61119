"""No Macie invitation in this account and region but from the senders allowed in stack config."""

import pulumi
from pulumi_macie_invitations import InvitationGuard

config = pulumi.Config()

inbox = InvitationGuard(
    "macie-inbox", allowed_account_ids=config.require_object("allowedAccountIds")
)

pulumi.export("region", inbox.region)
pulumi.export("declinedAccountIds", inbox.declined_account_ids)
pulumi.export("deletedAccountIds", inbox.deleted_account_ids)
pulumi.export("keptAccountIds", inbox.kept_account_ids)

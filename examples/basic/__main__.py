"""Decline and delete the Macie invitations sent by the accounts listed in stack config."""

import pulumi
from pulumi_macie_invitations import DeclinedInvitations

config = pulumi.Config()

cleanup = DeclinedInvitations("stale-invitations", account_ids=config.require_object("accountIds"))

pulumi.export("region", cleanup.region)
pulumi.export("deletedAccountIds", cleanup.deleted_account_ids)
pulumi.export("outcomes", cleanup.outcomes)  # every listed account; an empty list would not show

"""Decline and delete the same senders' Macie invitations in every region of a list."""

import pulumi
from pulumi_macie_invitations import DeclinedInvitations

config = pulumi.Config()
account_ids: list[str] = config.require_object("accountIds")
# Macie is regional: one resource per region, in the order given, duplicates dropped.
regions: list[str] = list(dict.fromkeys(config.get_object("regions") or []))
if not regions:
    regions = [pulumi.Config("aws").require("region")]

by_region = {
    region: DeclinedInvitations(
        f"stale-invitations-{region}", account_ids=account_ids, region=region
    )
    for region in regions
}

pulumi.export("regions", regions)
pulumi.export("deletedAccountIds", {r: c.deleted_account_ids for r, c in by_region.items()})
pulumi.export("absentAccountIds", {r: c.absent_account_ids for r, c in by_region.items()})

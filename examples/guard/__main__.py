"""No Macie, GuardDuty or Security Hub invitation in this account and region but from the
senders allowed in stack config: one InvitationGuard per service."""

import pulumi
from pulumi_macie_invitations import InvitationGuard

INBOXES = {
    "macie2": "macie-inbox",
    "guardduty": "guardduty-inbox",
    "securityhub": "securityhub-inbox",
}
"""Each service this example can guard (boto3's name), and its guard's resource name."""

config = pulumi.Config()
allowed: list[str] = config.require_object("allowedAccountIds")
services: list[str] = config.get_object("services", list(INBOXES))
if not services or not set(services) <= set(INBOXES):
    raise ValueError(f"services: {services!r}: list one or more of {', '.join(INBOXES)}")

guards = {
    service: InvitationGuard(INBOXES[service], allowed_account_ids=allowed, service=service)
    for service in services
}

pulumi.export("region", guards[services[0]].region)
pulumi.export("declinedAccountIds", {s: guard.declined_account_ids for s, guard in guards.items()})
pulumi.export("deletedAccountIds", {s: guard.deleted_account_ids for s, guard in guards.items()})
pulumi.export("keptAccountIds", {s: guard.kept_account_ids for s, guard in guards.items()})

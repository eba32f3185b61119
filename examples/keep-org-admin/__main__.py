"""Enable Macie, accept the trusted administrator, decline and delete every other sender.

The cleanup is ordered after the acceptance (``depends_on``), which is ordered after
Macie is enabled: the administrator's invitation is accepted before anything is cleaned.
"""

import pulumi
from pulumi_aws import macie2
from pulumi_macie_invitations import DeclinedInvitations

config = pulumi.Config()
administrator = config.require("administratorAccountId")
others = [a for a in config.require_object("accountIds") if a != administrator]
if not others:
    raise ValueError("accountIds: list at least one account other than administratorAccountId")

macie = macie2.Account("macie", status="ENABLED")
accepter = macie2.InvitationAccepter(
    "administrator",
    administrator_account_id=administrator,
    opts=pulumi.ResourceOptions(depends_on=[macie]),
)
cleanup = DeclinedInvitations(
    "other-senders",
    account_ids=others,
    opts=pulumi.ResourceOptions(depends_on=[accepter]),
)

pulumi.export("administratorAccountId", accepter.administrator_account_id)
pulumi.export("deletedAccountIds", cleanup.deleted_account_ids)
pulumi.export("outcomes", cleanup.outcomes)  # every listed account; an empty list would not show

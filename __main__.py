"""Decline and delete the Macie invitations sent by the accounts listed in stack config.

pulumi config set --type string --path 'accountIds[0]' 111122223333
pulumi config set aws:region us-east-1
pulumi preview --diff && pulumi up

Set with `--secret`, the ids stay secret: encrypted in state, `[secret]` in the CLI's
output, hidden in messages.
"""

import pulumi
from pulumi_macie_invitations import DeclinedInvitations

config = pulumi.Config()
secret = pulumi.runtime.is_config_secret(config.full_key("accountIds"))
read_accounts = config.require_secret_object if secret else config.require_object

stale = DeclinedInvitations(
    "stale-invitations",
    account_ids=read_accounts("accountIds"),
    region=config.get("region") or None,
)

pulumi.export("accountIds", stale.account_ids)
pulumi.export("region", stale.region)
pulumi.export("declinedAccountIds", stale.declined_account_ids)
pulumi.export("deletedAccountIds", stale.deleted_account_ids)
# Every listed account, with what was done to its invitation. (The CLI hides an empty list,
# such as absentAccountIds when every listed account had an invitation; this map is never empty.)
pulumi.export("outcomes", stale.outcomes)

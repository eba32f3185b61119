"""Test program: one DeclinedInvitations per object of the ``members`` config.

Each object is ``{"roleArn": "arn:aws:iam::<member>:role/<name>", "accountIds": [...]}``;
the secret ``externalId`` is shared by every member, as in examples/cross-account.
``package`` is where the program imported the package from (the stack's virtualenv).
"""

import os

import pulumi
import pulumi_macie_invitations
from pulumi_macie_invitations import DeclinedInvitations

config = pulumi.Config()
external_id = config.require_secret("externalId")

for member in config.require_object("members"):
    account = member["roleArn"].split(":")[4]
    # Written for 0.1.0 and kept as it was: 0.2.0 renamed role_session_name to session_name.
    cleanup = DeclinedInvitations(  # type: ignore[call-overload]
        f"member-{account}",
        account_ids=member["accountIds"],
        role_arn=member["roleArn"],
        role_session_name="macie-invitations-upgrade",
        external_id=external_id,
    )
    pulumi.export(f"deletedAccountIds-{account}", cleanup.deleted_account_ids)

pulumi.export("package", os.path.dirname(pulumi_macie_invitations.__file__))

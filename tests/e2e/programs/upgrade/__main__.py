"""Test program: every resource a release has, each in inboxes of its own.

* one DeclinedInvitations per object of the ``members`` config (every release), each
  ``{"roleArn": "arn:aws:iam::<member>:role/<name>", "accountIds": [...]}``; the secret
  ``externalId`` is shared by every member, as in examples/cross-account;
* where the release has them (0.2.0 on; the program detects them, so it runs unchanged under
  every release) and the stack's config sets them (the stack was created by such a release):
  an InvitationGuard, ``guard`` config ``{"roleArn", "allowedAccountIds"}``, and an
  OrganizationInvitationGuard, ``organization`` config ``{"memberRoleArns",
  "allowedAccountIds", "regions"}``.

``package`` is where the program imported the package from (the stack's virtualenv).
"""

import os

import pulumi
import pulumi_macie_invitations
from pulumi_macie_invitations import DeclinedInvitations

SESSION_NAME = "macie-invitations-upgrade"

config = pulumi.Config()
external_id = config.require_secret("externalId")

for member in config.require_object("members"):
    account = member["roleArn"].split(":")[4]
    # Written for 0.1.0 and kept as it was: 0.2.0 renamed role_session_name to session_name.
    cleanup = DeclinedInvitations(  # type: ignore[call-overload]
        f"member-{account}",
        account_ids=member["accountIds"],
        role_arn=member["roleArn"],
        role_session_name=SESSION_NAME,
        external_id=external_id,
    )
    pulumi.export(f"deletedAccountIds-{account}", cleanup.deleted_account_ids)

guard = config.get_object("guard")
if guard is not None and hasattr(pulumi_macie_invitations, "InvitationGuard"):  # 0.2.0 on
    pulumi_macie_invitations.InvitationGuard(
        "guard",
        allowed_account_ids=guard["allowedAccountIds"],
        role_arn=guard["roleArn"],
        session_name=SESSION_NAME,
        external_id=external_id,
    )

organization = config.get_object("organization")
if organization is not None and hasattr(pulumi_macie_invitations, "OrganizationInvitationGuard"):
    org = pulumi_macie_invitations.OrganizationInvitationGuard(
        "org",
        member_role_arns=organization["memberRoleArns"],
        allowed_account_ids=organization["allowedAccountIds"],
        regions=organization["regions"],
    )
    pulumi.export("summary", org.summary)

pulumi.export("package", os.path.dirname(pulumi_macie_invitations.__file__))

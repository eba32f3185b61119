"""Declarative cleanup of Amazon Macie, GuardDuty and Security Hub membership invitations
for Pulumi.

In a Pulumi program::

    from pulumi_macie_invitations import DeclinedInvitations

    DeclinedInvitations("stale-invites", account_ids=["111122223333", "444455556666"])

``pulumi up`` then leaves no Macie invitation from those accounts in this account's
region: pending ones are declined, then deleted with macie2 ``DeleteInvitations``.
:class:`InvitationGuard` does the same for every sender but the allowed ones, and
:class:`OrganizationInvitationGuard` for every region of every member account
(:func:`organization_accounts` reads them from AWS Organizations). Both inbox resources
take ``service="guardduty"`` or ``service="securityhub"`` for those services'
invitations, the organization's guard ``services=[...]``.
"""

from ._version import __version__
from .errors import (
    AdministratorInvitationError,
    AwsCallError,
    CleanupIncompleteError,
    ClientSetupError,
    EnvironmentSettingError,
    InvalidInputError,
    MacieInvitationsError,
    MemberFailedError,
    ProjectVirtualenvError,
)
from .resources.declined_invitations import DeclinedInvitations, DeclinedInvitationsArgs
from .resources.discovery import OrganizationAccounts, organization_accounts
from .resources.invitation_guard import InvitationGuard, InvitationGuardArgs
from .resources.organization import (
    MemberInvitationGuard,
    OrganizationInvitationGuard,
    OrganizationInvitationGuardArgs,
    macie_regions,
    service_regions,
)

__all__ = [
    "AdministratorInvitationError",
    "AwsCallError",
    "CleanupIncompleteError",
    "ClientSetupError",
    "DeclinedInvitations",
    "DeclinedInvitationsArgs",
    "EnvironmentSettingError",
    "InvalidInputError",
    "InvitationGuard",
    "InvitationGuardArgs",
    "MacieInvitationsError",
    "MemberFailedError",
    "MemberInvitationGuard",
    "OrganizationAccounts",
    "OrganizationInvitationGuard",
    "OrganizationInvitationGuardArgs",
    "ProjectVirtualenvError",
    "__version__",
    "macie_regions",
    "organization_accounts",
    "service_regions",
]

"""Where release 0.2.0 put the provider of OrganizationInvitationGuard's members: stacks
it made record this name in state (a pickle refers to a module and a class), so it stays
importable here. The provider lives in :mod:`.providers.member`."""

from .providers.member import MemberGuardProvider

__all__ = ["MemberGuardProvider"]

"""Where releases 0.1.0 and 0.2.0 put the inbox resources' providers: stacks they made
record these names in state (a pickle refers to a module and a class), so they stay
importable here. The providers live in :mod:`.providers.inbox`."""

from .providers.inbox import DeclinedInvitationsProvider, InboxProvider, InvitationGuardProvider

__all__ = ["DeclinedInvitationsProvider", "InboxProvider", "InvitationGuardProvider"]

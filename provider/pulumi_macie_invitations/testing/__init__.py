"""A local emulator of the membership invitations of Amazon Macie, Amazon GuardDuty and
AWS Security Hub: moto's backends of the three services, extended with received
invitations.

moto models Macie's invitations from the sender's side only, GuardDuty's and Security
Hub's not at all. This package keeps moto (its multi-account backends, accounts chosen
through STS ``AssumeRole``, its server) and adds, per (recipient account, region,
service), the recipient's side: ListInvitations (pages of the service's bound),
DeclineInvitations, DeleteInvitations, GetInvitationsCount, accepting and leaving an
administrator; and the sender's call that sends invitations where moto lacks it
(InviteMembers). Around every call: fault injection, a call log, a delay before every
answer (a network round trip), opt-in regions an account hasn't enabled and roles that
can't be assumed (:mod:`~.accounts`). The shared core is :mod:`~.core` (statuses and the
decline modes, what a declined invitation looks like afterwards, are described in
:mod:`~.core.inbox`); each service is a small package (:mod:`~.macie2`,
:mod:`~.guardduty`, :mod:`~.securityhub`) that is mostly data. Everything that takes a
service (``service=``) means Macie's ``macie2`` when it names none.

In-process, with moto's decorator::

    from moto import mock_aws
    from pulumi_macie_invitations import testing

    testing.install()
    with mock_aws():
        ...  # boto3 macie2, guardduty and securityhub clients now talk to the extended backends

Over HTTP, for the Pulumi CLI or any other process::

    python -m pulumi_macie_invitations.testing.server --port 0

or in-process with :class:`EmulatorServer`, driven by :class:`EmulatorClient`
(:class:`LocalEmulator` offers the same interface inside ``mock_aws()``). pytest
fixtures (``macie_server``, ``macie_emulator``, ``macie_env``) are in
:mod:`pulumi_macie_invitations.testing.fixtures`. Accounts: an STS ``AssumeRole`` into
``arn:aws:iam::<account>:role/<any>`` yields keys of ``<account>``; other keys belong to
moto's default account 123456789012 (unless ``MOTO_ACCOUNT_ID`` is set, which pins
every call to one account).

``faults`` here is the :class:`FaultPlan` singleton (it hides the ``faults`` submodule as
an attribute; ``from pulumi_macie_invitations.testing.faults import ...`` still works).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .accounts import AccountLimits, account_limits
from .client import EmulatorClient, EmulatorControls, LocalEmulator, MacieAccounts
from .core.inbox import ReceivedInvitation, ReceivingBackend
from .core.registry import DEFAULT_SERVICE, EmulatedService, emulated, service_names
from .core.service import DEFAULT_DECLINE_MODE, InvitationService, Unprocessed
from .faults import (
    ALL_OPERATIONS,
    CallDelay,
    CallLog,
    CallRecord,
    FaultPlan,
    call_delay,
    call_log,
    faults,
)
from .macie2.models import MACIE2, InvitationsBackend, macie2_invitation_backends
from .macie2.responses import InvitationsResponse
from .state import (
    decline_mode,
    install,
    is_installed,
    reset,
    seed_invitation,
    set_decline_mode,
    uninstall,
)

UnprocessedAccount = Unprocessed
"""The former name of :class:`Unprocessed`."""
SERVICES = tuple(service_names())
"""The emulated services' names, Macie's (the default) first."""
DECLINE_MODES = MACIE2.decline_modes
"""Macie's decline modes (each service's: ``emulated(name).facts.decline_modes``)."""
DECLINED_STATUS = MACIE2.declined
"""Status of an invitation the recipient declined (or of a membership it left)."""
REMOVED_STATUS = MACIE2.removed
"""Status of a membership the sender ended."""
PENDING_STATUSES = MACIE2.pending
"""Macie's pending statuses."""
ACCEPTED_STATUSES = MACIE2.accepted
"""Macie's accepted statuses."""

if TYPE_CHECKING:
    from .server import EmulatorServer

__all__ = [
    "ACCEPTED_STATUSES",
    "ALL_OPERATIONS",
    "DECLINED_STATUS",
    "DECLINE_MODES",
    "DEFAULT_DECLINE_MODE",
    "DEFAULT_SERVICE",
    "PENDING_STATUSES",
    "REMOVED_STATUS",
    "SERVICES",
    "AccountLimits",
    "CallDelay",
    "CallLog",
    "CallRecord",
    "EmulatedService",
    "EmulatorClient",
    "EmulatorControls",
    "EmulatorServer",
    "FaultPlan",
    "InvitationService",
    "InvitationsBackend",
    "InvitationsResponse",
    "LocalEmulator",
    "MacieAccounts",
    "ReceivedInvitation",
    "ReceivingBackend",
    "Unprocessed",
    "UnprocessedAccount",
    "account_limits",
    "call_delay",
    "call_log",
    "decline_mode",
    "emulated",
    "faults",
    "install",
    "is_installed",
    "macie2_invitation_backends",
    "reset",
    "seed_invitation",
    "service_names",
    "set_decline_mode",
    "uninstall",
]


def __getattr__(name: str) -> object:
    # The server pulls in Flask; load it only when asked for.
    if name == "EmulatorServer":
        from .server import EmulatorServer

        return EmulatorServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

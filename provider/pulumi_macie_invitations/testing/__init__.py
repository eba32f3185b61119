"""A local Amazon Macie emulator: moto's Macie2, extended with received invitations.

moto models invitations from the sender's side only. This package keeps moto (its
multi-account backends, accounts chosen through STS ``AssumeRole``, its server) and adds
the recipient's side: ListInvitations (pages of 25), DeclineInvitations,
DeleteInvitations (declined invitations only), GetInvitationsCount, AcceptInvitation and
DisassociateFromAdministratorAccount, with fault injection, a call log, a delay before
every answer (a network round trip), opt-in regions an account hasn't enabled and roles
that can't be assumed (:mod:`~.accounts`). Statuses, and the decline modes (what a
declined invitation looks like afterwards), are described in
:mod:`pulumi_macie_invitations.testing.models`.

In-process, with moto's decorator::

    from moto import mock_aws
    from pulumi_macie_invitations import testing

    testing.install()
    with mock_aws():
        ...  # boto3 macie2 clients now talk to the extended backend

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
from .models import (
    ACCEPTED_STATUSES,
    DECLINE_MODES,
    DECLINED_STATUS,
    DEFAULT_DECLINE_MODE,
    PENDING_STATUSES,
    REMOVED_STATUS,
    InvitationsBackend,
    ReceivedInvitation,
    UnprocessedAccount,
    macie2_invitation_backends,
)
from .responses import InvitationsResponse
from .state import (
    decline_mode,
    install,
    is_installed,
    reset,
    seed_invitation,
    set_decline_mode,
    uninstall,
)

if TYPE_CHECKING:
    from .server import EmulatorServer

__all__ = [
    "ACCEPTED_STATUSES",
    "ALL_OPERATIONS",
    "DECLINED_STATUS",
    "DECLINE_MODES",
    "DEFAULT_DECLINE_MODE",
    "PENDING_STATUSES",
    "REMOVED_STATUS",
    "AccountLimits",
    "CallDelay",
    "CallLog",
    "CallRecord",
    "EmulatorClient",
    "EmulatorControls",
    "EmulatorServer",
    "FaultPlan",
    "InvitationsBackend",
    "InvitationsResponse",
    "LocalEmulator",
    "MacieAccounts",
    "ReceivedInvitation",
    "UnprocessedAccount",
    "account_limits",
    "call_delay",
    "call_log",
    "decline_mode",
    "faults",
    "install",
    "is_installed",
    "macie2_invitation_backends",
    "reset",
    "seed_invitation",
    "set_decline_mode",
    "uninstall",
]


def __getattr__(name: str) -> object:
    # The server pulls in Flask; load it only when asked for.
    if name == "EmulatorServer":
        from .server import EmulatorServer

        return EmulatorServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

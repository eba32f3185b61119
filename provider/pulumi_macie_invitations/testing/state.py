"""Wiring the extended backend into moto, and whole-emulator state changes."""

from __future__ import annotations

from typing import Any, Final

import moto.macie2
import moto.macie2.models
import moto.macie2.responses

from .accounts import account_limits
from .exceptions import MacieError
from .faults import call_delay, call_log, faults, sts_call_log
from .models import (
    DEFAULT_DECLINE_MODE,
    INVITED_STATUS,
    STATE_LOCK,
    InvitationsBackend,
    decline_mode,
    macie2_invitation_backends,
    set_decline_mode,
)

__all__ = [
    "decline_mode",
    "install",
    "is_installed",
    "received_invitations",
    "reset",
    "seed_invitation",
    "set_decline_mode",
    "uninstall",
]

_BACKENDS_ATTRIBUTE: Final = "macie2_backends"
_MOTO_MODULES: Final = (moto.macie2, moto.macie2.models, moto.macie2.responses)
_MOTO_BACKENDS: Final = moto.macie2.models.macie2_backends


def install() -> None:
    """Make moto's ``macie2`` service use the extended backend. Idempotent.

    moto looks the service up as ``moto.macie2.macie2_backends`` (in ``mock_aws()`` and in
    its server alike) and moto's own Macie code uses the module globals of
    ``moto.macie2.models``/``responses``: all three now point at
    ``macie2_invitation_backends``.
    """
    for module in _MOTO_MODULES:
        setattr(module, _BACKENDS_ATTRIBUTE, macie2_invitation_backends)


def uninstall() -> None:
    """Give moto back its own ``macie2`` backends."""
    for module in _MOTO_MODULES:
        setattr(module, _BACKENDS_ATTRIBUTE, _MOTO_BACKENDS)


def is_installed() -> bool:
    """Whether moto currently uses the extended backend."""
    return all(
        getattr(module, _BACKENDS_ATTRIBUTE) is macie2_invitation_backends
        for module in _MOTO_MODULES
    )


def reset() -> None:
    """Forget all emulated state: every moto backend (as moto's own reset), faults, calls,
    disabled regions and refused roles; the decline mode and the call delay go back to
    their defaults."""
    from moto.moto_api._internal.models import moto_api_backend

    with STATE_LOCK:
        moto_api_backend.reset()
    set_decline_mode(DEFAULT_DECLINE_MODE)
    faults.clear()
    call_log.clear()
    sts_call_log.clear()
    account_limits.clear()
    call_delay.reset()


def _backend(recipient: str, region: str) -> InvitationsBackend:
    """The backend of ``recipient`` in ``region``; ValueError for a bad account or region.
    Call with ``STATE_LOCK`` held."""
    if not (len(recipient) == 12 and recipient.isascii() and recipient.isdigit()):
        raise ValueError(f"recipient must be a 12-digit account ID, not {recipient!r}")
    try:
        return macie2_invitation_backends[recipient][region]
    except KeyError:
        raise ValueError(f"unknown region {region!r}") from None


def seed_invitation(
    recipient: str, sender: str, region: str, status: str = INVITED_STATUS
) -> dict[str, object]:
    """Give ``recipient`` an invitation from ``sender`` in any status, bypassing the API.

    Returns it in ListInvitations' shape, with the ``recipient`` and ``region`` it was
    seeded for. ValueError for an unknown region, a bad account or status, or an accepted
    status while another administrator is set.
    """
    with STATE_LOCK:
        backend = _backend(recipient, region)
        try:
            seeded = backend.seed_invitation(sender, status).to_json()
        except MacieError as error:  # e.g. accepting while another administrator is set
            raise ValueError(error.message) from None
    return seeded | {"recipient": recipient, "region": region}


def received_invitations(recipient: str, region: str) -> list[dict[str, Any]]:
    """The invitations ``recipient`` holds in ``region``, in ListInvitations' shape
    (``accountId`` is the sender), in sender order: what the recipient's ListInvitations
    would list, read without an AWS call (no call logged, no fault applied). ValueError
    for a bad account or region."""
    with STATE_LOCK:
        return [
            invitation.to_json()
            for invitation in _backend(recipient, region).list_received_invitations()
        ]

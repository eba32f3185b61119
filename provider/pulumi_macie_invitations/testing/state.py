"""Wiring the extended backends into moto, and whole-emulator state changes."""

from __future__ import annotations

from typing import Any

from .accounts import account_limits
from .core.inbox import (
    STATE_LOCK,
    ReceivingBackend,
    current_decline_mode,
    is_account_id,
    store_decline_mode,
)
from .core.registry import DEFAULT_SERVICE, emulated, service_names
from .core.service import DEFAULT_DECLINE_MODE
from .exceptions import ServiceError
from .faults import call_delay, call_log, faults, sts_call_log

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


def install() -> None:
    """Make moto's services use the extended backends. Idempotent.

    moto looks a service up as ``moto.<service>.<service>_backends`` (in ``mock_aws()`` and
    in its server alike) and moto's own code of the service uses the module globals of
    ``moto.<service>.models``/``responses``: all three now point at the extended backends.
    """
    for name in service_names():
        service = emulated(name)
        for module in service.moto_modules:
            setattr(module, service.moto_backends_attribute, service.backends)


def uninstall() -> None:
    """Give moto back its own backends."""
    for name in service_names():
        service = emulated(name)
        for module in service.moto_modules:
            setattr(module, service.moto_backends_attribute, service.moto_backends)


def is_installed() -> bool:
    """Whether moto currently uses the extended backends."""
    return all(
        getattr(module, service.moto_backends_attribute) is service.backends
        for service in map(emulated, service_names())
        for module in service.moto_modules
    )


def decline_mode(service: str = DEFAULT_SERVICE) -> str:
    """The decline mode ``service``'s backends follow."""
    emulated(service)
    return current_decline_mode(service)


def set_decline_mode(mode: str, service: str = DEFAULT_SERVICE) -> None:
    """Make ``service``'s backends follow decline ``mode``; ValueError for an unknown one."""
    modes = emulated(service).facts.decline_modes
    if mode not in modes:
        raise ValueError(
            f"the decline mode of {service} must be one of {list(modes)}, not {mode!r}"
        )
    store_decline_mode(service, mode)


def reset() -> None:
    """Forget all emulated state: every moto backend (as moto's own reset), faults, calls,
    disabled regions and refused roles; the decline modes and the call delay go back to
    their defaults."""
    from moto.moto_api._internal.models import moto_api_backend

    with STATE_LOCK:
        moto_api_backend.reset()
    for name in service_names():
        store_decline_mode(name, DEFAULT_DECLINE_MODE)
    faults.clear()
    call_log.clear()
    sts_call_log.clear()
    account_limits.clear()
    call_delay.reset()


def _backend(recipient: str, region: str, service: str) -> ReceivingBackend:
    """The backend of ``recipient`` in ``region``; ValueError for a bad account, region or
    service. Call with ``STATE_LOCK`` held."""
    backends = emulated(service).backends
    if not is_account_id(recipient):
        raise ValueError(f"recipient must be a 12-digit account ID, not {recipient!r}")
    try:
        backend: ReceivingBackend = backends[recipient][region]
    except KeyError:
        raise ValueError(f"unknown region {region!r}") from None
    return backend


def seed_invitation(
    recipient: str,
    sender: str,
    region: str,
    status: str | None = None,
    service: str = DEFAULT_SERVICE,
) -> dict[str, object]:
    """Give ``recipient`` an invitation from ``sender`` in any status (``Invited`` if
    None), bypassing the API.

    Returns it in the service's ListInvitations item shape, with the ``recipient`` and
    ``region`` it was seeded for. ValueError for an unknown service or region, a bad
    account or status, or an accepted status while another administrator is set.
    """
    with STATE_LOCK:
        backend = _backend(recipient, region, service)
        try:
            seeded: dict[str, object] = dict(backend.seed_invitation(sender, status).to_json())
        except ServiceError as error:  # e.g. accepting while another administrator is set
            raise ValueError(error.message) from None
    return seeded | {"recipient": recipient, "region": region}


def received_invitations(
    recipient: str, region: str, service: str = DEFAULT_SERVICE
) -> list[dict[str, Any]]:
    """The invitations ``recipient`` holds in ``region``, in the service's ListInvitations
    item shape (the account ID is the sender's), in sender order: what the recipient's
    ListInvitations would list, read without an AWS call (no call logged, no fault
    applied). ValueError for a bad account, region or service."""
    with STATE_LOCK:
        return [
            dict(invitation.to_json())
            for invitation in _backend(recipient, region, service).list_received_invitations()
        ]

"""The emulated services: each package beside ``core`` whose ``models`` module names an
:class:`EmulatedService` (as ``EMULATED``) is one. Adding a service of the same shape is
adding such a package."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final

from moto.core.base_backend import BackendDict

from .service import InvitationService

__all__ = ["DEFAULT_SERVICE", "EmulatedService", "emulated", "service_names"]

MOTO_MODULES: Final = ("", ".models", ".responses")
"""moto's modules of a service that hold its backends global."""
DEFAULT_SERVICE: Final = "macie2"
"""The service every control call and client method means when it names none."""


@dataclass(frozen=True)
class EmulatedService:
    """One emulated service: its facts, its backends, the moto modules whose backends
    global :func:`~..state.install` points at them, and the two calls a test's client makes
    from the sender's and the recipient's side (they differ by service: Macie's
    CreateInvitations, the others' InviteMembers; GuardDuty's detector)."""

    facts: InvitationService
    backends: BackendDict[Any]
    moto_modules: Sequence[ModuleType]
    moto_backends_attribute: str
    moto_backends: BackendDict[Any]
    send: Callable[[Any, list[str]], list[dict[str, str]]]
    """``send(client, recipients)``: the sender invites ``recipients``; the unprocessed
    entries of the reply."""
    accept: Callable[[Any, str, str], None]
    """``accept(client, sender, invitation_id)``: the recipient accepts."""

    @classmethod
    def of(
        cls,
        facts: InvitationService,
        backends: BackendDict[Any],
        *,
        send: Callable[[Any, list[str]], list[dict[str, str]]],
        accept: Callable[[Any, str, str], None],
    ) -> EmulatedService:
        """The service ``facts`` describe, over moto's package of the same name (whose
        ``<name>_backends`` global ``backends`` replaces)."""
        name = facts.name
        modules = [importlib.import_module(f"moto.{name}{part}") for part in MOTO_MODULES]
        attribute = f"{name}_backends"
        moto_backends = getattr(importlib.import_module(f"moto.{name}.models"), attribute)
        return cls(facts, backends, modules, attribute, moto_backends, send, accept)


@functools.cache
def _registry() -> dict[str, EmulatedService]:
    package = importlib.import_module(__package__.rpartition(".")[0])
    found: dict[str, EmulatedService] = {}
    for module in pkgutil.iter_modules(package.__path__):
        if not module.ispkg or module.name == "core":
            continue
        models = importlib.import_module(f"{package.__name__}.{module.name}.models")
        service: EmulatedService = models.EMULATED
        found[service.facts.name] = service
    return dict(sorted(found.items(), key=lambda item: item[0] != DEFAULT_SERVICE))


def service_names() -> list[str]:
    """The emulated services' names, the default first."""
    return list(_registry())


def emulated(name: object = DEFAULT_SERVICE) -> EmulatedService:
    """The emulated service ``name``; ValueError for any other name."""
    services = _registry()
    if not isinstance(name, str) or name not in services:
        raise ValueError(f"service must be one of {list(services)}, not {name!r}")
    return services[name]

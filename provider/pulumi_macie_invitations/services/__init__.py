"""The services that take membership invitations, each described as data.

Macie, GuardDuty and Security Hub receive invitations the same way (a regional inbox per
account: list, decline, delete); what differs is data: names, page and batch sizes, field
names, statuses, error codes. A :class:`ServiceDescription` holds those facts for one
service, and every layer above (clients, regions, the engine, messages) reads them from
it instead of knowing a service itself. :data:`SERVICES` is the registry, by name: a
service of the same shape is one more description there.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .description import ServiceDescription, UnprocessedFields
from .guardduty import GUARDDUTY
from .macie2 import MACIE2
from .securityhub import SECURITYHUB

__all__ = [
    "DEFAULT_SERVICE",
    "SERVICES",
    "ServiceDescription",
    "UnprocessedFields",
    "described",
]

DEFAULT_SERVICE: Final = MACIE2
"""The service a resource cleans when it names none (every release before had only Macie)."""

SERVICES: Final[Mapping[str, ServiceDescription]] = MappingProxyType(
    {service.name: service for service in (MACIE2, GUARDDUTY, SECURITYHUB)}
)
"""Every service described, by its boto3 name; Macie's first."""


def described(name: str | None) -> ServiceDescription:
    """The description of the service ``name`` (None: :data:`DEFAULT_SERVICE`); KeyError
    for a name not in :data:`SERVICES` (inputs are checked against it first)."""
    return DEFAULT_SERVICE if name is None else SERVICES[name]

"""Test program: one DeclinedInvitations per object of the ``resources`` config.

Each object is ``{"name": ..., <DeclinedInvitations keyword arguments>}``. With
``"account_ids_later": [...]`` instead of ``account_ids``, the ids come from another
resource's output, unknown during preview (as an id read from another stack would be).
``"external_id_config": "<key>"`` reads ``external_id`` from that secret config key.
"""

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource, ResourceProvider
from pulumi_macie_invitations import DeclinedInvitations


class _LaterProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("later", {"source": props["source"], "value": props["source"]})


class Later(Resource):
    """Outputs ``value`` = its ``source`` input, known only once created."""

    value: pulumi.Output[Any]

    def __init__(self, name: str, source: Any) -> None:
        super().__init__(_LaterProvider(), name, {"source": source, "value": None})


config = pulumi.Config()
for spec in config.require_object("resources"):
    kwargs = dict(spec)
    name = kwargs.pop("name")
    if "external_id_config" in kwargs:
        kwargs["external_id"] = config.require_secret(kwargs.pop("external_id_config"))
    if "account_ids_later" in kwargs:
        kwargs["account_ids"] = Later(f"{name}-ids", kwargs.pop("account_ids_later")).value
    DeclinedInvitations(name, **kwargs)

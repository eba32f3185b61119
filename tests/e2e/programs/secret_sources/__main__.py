"""Test program: account ids made secret by the program, as ``source`` config says.

``secretAccountIds`` (set with ``--secret``, read here as plain values) and
``plainAccountIds`` (optional) are the ids; ``source`` is how they become secret:

- ``output-secret``: ``pulumi.Output.secret`` of the whole list;
- ``element``: each secret id an ``Output.secret`` element of a plain list;
- ``resource``: another resource's secret output (the ``accountIds`` of a first
  DeclinedInvitations), unknown at preview.
"""

from typing import Any

import pulumi
from pulumi_macie_invitations import DeclinedInvitations

config = pulumi.Config()
source = config.require("source")
plain_ids: list[str] = config.get_object("plainAccountIds") or []
secret_ids: list[str] = config.require_object("secretAccountIds")

account_ids: Any
if source == "output-secret":
    account_ids = pulumi.Output.secret([*plain_ids, *secret_ids])
elif source == "element":
    account_ids = [*plain_ids, *(pulumi.Output.secret(account) for account in secret_ids)]
elif source == "resource":
    first = DeclinedInvitations("first", account_ids=pulumi.Output.secret(secret_ids))
    account_ids = first.account_ids
else:
    raise ValueError(f"source: unknown {source!r}")

cleaned = DeclinedInvitations("cleaned", account_ids=account_ids)
for name in ("declined", "deleted", "absent", "reappeared"):
    pulumi.export(f"{name}AccountIds", getattr(cleaned, f"{name}_account_ids"))
pulumi.export("secretInputs", cleaned.secret_inputs)

"""Test program: account ids made secret by the program, one DeclinedInvitations a source.

``sources`` is a list; each element names its ``kind`` and, optionally, ``plainIds`` and a
``secretId`` (set with ``--secret``, read here as a plain value), in that order in its list.
``pulumi config set-all --path`` records a plain id as a number: they are read as text.
``kind`` is how the ids become secret:

- ``output-secret``: ``pulumi.Output.secret`` of the whole list;
- ``element``: the secret id an ``Output.secret`` element of a plain list;
- ``resource``: another resource's secret output (the ``accountIds`` of a first
  DeclinedInvitations), unknown at preview.

Each source's resource is ``cleaned-<kind>``; its results are exported under ``<kind>:``.
"""

from typing import Any

import pulumi
from pulumi_macie_invitations import DeclinedInvitations


def account_ids(kind: str, plain_ids: list[str], secret_ids: list[str]) -> Any:
    """The ids of one source, made secret as ``kind`` says."""
    if kind == "output-secret":
        return pulumi.Output.secret([*plain_ids, *secret_ids])
    if kind == "element":
        return [*plain_ids, *(pulumi.Output.secret(account) for account in secret_ids)]
    if kind == "resource":
        first = DeclinedInvitations(
            "first", account_ids=pulumi.Output.secret([*plain_ids, *secret_ids])
        )
        return first.account_ids
    raise ValueError(f"sources: unknown kind {kind!r}")


for source in pulumi.Config().require_object("sources"):
    kind = source["kind"]
    cleaned = DeclinedInvitations(
        f"cleaned-{kind}",
        account_ids=account_ids(
            kind,
            [str(account) for account in source.get("plainIds", [])],
            [source["secretId"]] if "secretId" in source else [],
        ),
    )
    for name in ("declined", "deleted", "absent", "reappeared"):
        pulumi.export(f"{kind}:{name}AccountIds", getattr(cleaned, f"{name}_account_ids"))
    pulumi.export(f"{kind}:secretInputs", cleaned.secret_inputs)

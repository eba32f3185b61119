"""The ``DeclinedInvitations`` resource and its arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import pulumi

from .. import properties as p
from ..providers.inbox import DeclinedInvitationsProvider
from .inbox import InboxResource, TargetArgs, args_and_opts


@p.input_type
class DeclinedInvitationsArgs(TargetArgs):
    """The arguments of a :class:`DeclinedInvitations` resource."""

    account_ids: pulumi.Input[Sequence[pulumi.Input[str]]] = pulumi.property(p.ACCOUNT_IDS)
    """The AWS accounts that SENT the invitations to clean: 12-digit strings, at least one.
    Duplicates are removed and the list is sorted."""


class DeclinedInvitations(InboxResource, module="macie2", name="DeclinedInvitations"):
    """No membership invitation from the listed accounts, in one account, region and service:
    Amazon Macie (``service="macie2"``, the default), Amazon GuardDuty (``"guardduty"``) or
    AWS Security Hub (``"securityhub"``).

    On ``pulumi up`` pending invitations from ``account_ids`` are declined, then every
    invitation from them is deleted (the service's ``DeleteInvitations``) and the result is
    checked by listing again. ``pulumi refresh`` reports invitations that came back,
    ``pulumi preview`` names their senders in ``invitationsToCleanAgain``, and the next
    ``pulumi up`` removes them. Accounts that are not listed are never touched;
    the accepted invitation of the current administrator is refused with a message.
    Removing the resource makes no AWS call: a deleted invitation cannot be restored.
    Account ids given as secrets (the list, or any element of it) keep every output computed
    from them secret, and no message shows them.

    ## Example

    ```python
    from pulumi_macie_invitations import DeclinedInvitations

    stale = DeclinedInvitations("stale-invites", account_ids=["111122223333", "444455556666"])
    pulumi.export("deleted", stale.deleted_account_ids)
    ```
    """

    account_ids: pulumi.Output[list[str]]
    """The accounts whose invitations are cleaned: de-duplicated and sorted."""
    absent_account_ids: pulumi.Output[list[str]]
    """Listed accounts in which this resource has found no invitation to clean."""
    outcomes: pulumi.Output[dict[str, str]]
    """Listed account -> what this resource did to its invitation: ``"declined and deleted"``,
    ``"deleted"`` (it was declined already) or ``"no invitation"``. Never empty, so unlike
    the lists above (the CLI hides empty ones) it always shows in ``pulumi up``'s outputs."""
    reappeared_account_ids: pulumi.Output[list[str]]
    """Listed accounts whose invitation the last refresh found again; empty after every
    create and update, which clean them (so a stack output of it always reads ``[]``)."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: DeclinedInvitationsArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        account_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        region: pulumi.Input[str] | None = None,
        profile: pulumi.Input[str] | None = None,
        role_arn: pulumi.Input[str] | None = None,
        session_name: pulumi.Input[str] | None = None,
        external_id: pulumi.Input[str] | None = None,
        service: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare the cleanup. Pass a :class:`DeclinedInvitationsArgs` or keyword arguments.

        :param resource_name: The unique name of the resource in the stack.
        :param args: The arguments (or pass them as keywords).
        :param opts: Options for the resource.
        """
        resource_args, opts = args_and_opts(
            "DeclinedInvitations", DeclinedInvitationsArgs, args, kwargs
        )
        super().__init__(
            DeclinedInvitationsProvider(), resource_name, resource_args, p.RESULTS, opts
        )

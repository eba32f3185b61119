"""The ``InvitationGuard`` resource and its arguments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import pulumi

from .. import properties as p
from ..providers.inbox import InvitationGuardProvider
from .inbox import InboxResource, TargetArgs, args_and_opts


@p.input_type
class InvitationGuardArgs(TargetArgs):
    """The arguments of an :class:`InvitationGuard` resource."""

    allowed_account_ids: pulumi.Input[Sequence[pulumi.Input[str]]] = pulumi.property(
        p.ALLOWED_ACCOUNT_IDS
    )
    """The senders whose invitations are kept (such as your administrator): 12-digit
    strings; ``[]`` keeps none. Duplicates are removed and the list is sorted."""


class InvitationGuard(InboxResource, module="macie2", name="InvitationGuard"):
    """No membership invitation but from the allowed senders, in one account, region and
    service: Amazon Macie (``service="macie2"``, the default), Amazon GuardDuty
    (``"guardduty"``) or AWS Security Hub (``"securityhub"``); one guard per service.

    On ``pulumi up`` every invitation from a sender not in ``allowed_account_ids`` is
    cleaned: pending ones are declined, then all of them are deleted (the service's
    ``DeleteInvitations``) and the result is checked by listing again. Invitations from
    allowed senders are never touched. An accepted invitation from a sender that is not
    allowed (the current administrator) is refused before any change, with a message.
    ``pulumi refresh`` reports invitations from senders not allowed (``stray_account_ids``),
    and the next ``pulumi up`` removes them. Removing the resource makes no AWS call.

    ## Example

    ```python
    from pulumi_macie_invitations import InvitationGuard

    inbox = InvitationGuard("macie-inbox", allowed_account_ids=["210987654321"])
    findings = InvitationGuard("guardduty-inbox", allowed_account_ids=[], service="guardduty")
    pulumi.export("deleted", inbox.deleted_account_ids)
    ```
    """

    allowed_account_ids: pulumi.Output[list[str]]
    """The senders whose invitations are kept: de-duplicated and sorted."""
    kept_account_ids: pulumi.Output[list[str]]
    """Allowed senders whose invitation was present at the last create or update."""
    stray_account_ids: pulumi.Output[list[str]]
    """Senders not allowed whose invitation the last refresh found (cleaned by the next up)."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: InvitationGuardArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        allowed_account_ids: pulumi.Input[Sequence[pulumi.Input[str]]],
        region: pulumi.Input[str] | None = None,
        profile: pulumi.Input[str] | None = None,
        role_arn: pulumi.Input[str] | None = None,
        session_name: pulumi.Input[str] | None = None,
        external_id: pulumi.Input[str] | None = None,
        service: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare the guard. Pass an :class:`InvitationGuardArgs` or keyword arguments.

        :param resource_name: The unique name of the resource in the stack.
        :param args: The arguments (or pass them as keywords).
        :param opts: Options for the resource.
        """
        resource_args, opts = args_and_opts("InvitationGuard", InvitationGuardArgs, args, kwargs)
        super().__init__(
            InvitationGuardProvider(), resource_name, resource_args, p.GUARD_RESULTS, opts
        )

"""The ``DeclinedInvitations`` resource and its arguments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, overload

import pulumi
import pulumi.dynamic

from . import properties as p
from .provider import DeclinedInvitationsProvider
from .secret_inputs import PROPERTY as SECRET_INPUTS
from .secret_inputs import secret_input_names


@dataclass(frozen=True, kw_only=True)
class DeclinedInvitationsArgs:
    """The arguments of a :class:`DeclinedInvitations` resource."""

    account_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """The AWS accounts that SENT the invitations to clean: 12-digit strings, at least one.
    Duplicates are removed and the list is sorted."""

    region: pulumi.Input[str] | None = None
    """The region to clean. Defaults to the stack's ``aws:region``, then the AWS environment."""

    profile: pulumi.Input[str] | None = None
    """A named profile from the local AWS config. Defaults to boto3's credential chain."""

    role_arn: pulumi.Input[str] | None = None
    """An IAM role to assume in the account to clean (for example a member account)."""

    role_session_name: pulumi.Input[str] | None = None
    """The session name when assuming ``role_arn``. Defaults to ``pulumi-macie-invitations``."""

    external_id: pulumi.Input[str] | None = None
    """The external id the role's trust policy requires. Stored as a secret."""


class DeclinedInvitations(pulumi.dynamic.Resource, module="macie2", name="DeclinedInvitations"):
    """No Amazon Macie membership invitation from the listed accounts, in one account and region.

    On ``pulumi up`` pending invitations from ``account_ids`` are declined, then every
    invitation from them is deleted (macie2 ``DeleteInvitations``) and the result is
    checked by listing again. ``pulumi refresh`` reports invitations that came back, and
    the next ``pulumi up`` removes them. Accounts that are not listed are never touched;
    the accepted invitation of the current Macie administrator is refused with a message.
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
    region: pulumi.Output[str]
    """The region actually cleaned."""
    profile: pulumi.Output[str | None]
    """The AWS profile used, if any."""
    role_arn: pulumi.Output[str | None]
    """The role assumed, if any."""
    role_session_name: pulumi.Output[str | None]
    """The session name used with ``role_arn``, if set."""
    external_id: pulumi.Output[str | None]
    """The external id used with ``role_arn``, if set (secret)."""
    endpoint_url: pulumi.Output[str | None]
    """The macie2 endpoint from ``AWS_ENDPOINT_URL_MACIE2``/``AWS_ENDPOINT_URL``, if set."""
    declined_account_ids: pulumi.Output[list[str]]
    """Accounts whose pending invitation was declined by the last create or update."""
    deleted_account_ids: pulumi.Output[list[str]]
    """Accounts whose invitation was deleted by the last create or update."""
    absent_account_ids: pulumi.Output[list[str]]
    """Listed accounts that had no invitation at the last create or update."""
    reappeared_account_ids: pulumi.Output[list[str]]
    """Listed accounts whose invitation the last refresh found again (cleaned by the next up)."""
    secret_inputs: pulumi.Output[list[str]]
    """The inputs given as secrets (``accountIds``, ``externalId``...): the outputs computed
    from them are secret too, and no message shows their values."""

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
        role_session_name: pulumi.Input[str] | None = None,
        external_id: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """Declare the cleanup. Pass a :class:`DeclinedInvitationsArgs` or keyword arguments.

        :param resource_name: The unique name of the resource in the stack.
        :param args: The arguments (or pass them as keywords).
        :param opts: Options for the resource.
        """
        resource_args, opts = _args_and_opts(args, kwargs)
        props: dict[str, Any] = {
            field.name: getattr(resource_args, field.name) for field in fields(resource_args)
        }
        if props["external_id"] is not None:
            props["external_id"] = pulumi.Output.secret(props["external_id"])
        given = {p.to_camel(name): value for name, value in props.items() if value is not None}
        props[p.to_snake(SECRET_INPUTS)] = secret_input_names(given)
        props.update({p.to_snake(name): None for name in (p.ENDPOINT_URL, *p.RESULTS)})
        secret_outputs = pulumi.ResourceOptions(additional_secret_outputs=["external_id"])
        super().__init__(
            DeclinedInvitationsProvider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(opts, secret_outputs),
        )

    def translate_input_property(self, prop: str) -> str:
        """Python names (``account_ids``) to state names (``accountIds``)."""
        return p.to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        """State names (``accountIds``) to Python names (``account_ids``)."""
        return p.to_snake(prop)


def _args_and_opts(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[DeclinedInvitationsArgs, pulumi.ResourceOptions | None]:
    """Accept both constructor forms, like pulumi-aws's generated classes."""
    if args and isinstance(args[0], DeclinedInvitationsArgs):
        if kwargs.keys() - {"opts"} or len(args) > 2:
            raise TypeError("pass either a DeclinedInvitationsArgs or keyword arguments, not both")
        return args[0], args[1] if len(args) > 1 else kwargs.get("opts")
    if len(args) > 1:
        raise TypeError(
            "DeclinedInvitations takes resource_name and opts positionally; use keywords"
        )
    opts = args[0] if args else kwargs.pop("opts", None)
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"opts must be a pulumi.ResourceOptions, got {type(opts).__name__}")
    return DeclinedInvitationsArgs(**kwargs), opts

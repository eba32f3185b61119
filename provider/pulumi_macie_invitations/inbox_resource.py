"""What the resource classes share: the two constructor forms and the property names.

:class:`~.DeclinedInvitations` and :class:`~.InvitationGuard` each clean one account's
invitations in one region; they differ in their Args class and their provider only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import pulumi
import pulumi.dynamic

from . import properties as p

ArgsT = TypeVar("ArgsT")


@dataclass(frozen=True, kw_only=True)
class TargetArgs:
    """Where a resource cleans: the arguments every resource takes."""

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


class InboxResource(pulumi.dynamic.Resource):
    """A dynamic resource with snake_case arguments and camelCase state, like pulumi-aws."""

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
    """Senders whose pending invitation was declined by the last create or update."""
    deleted_account_ids: pulumi.Output[list[str]]
    """Senders whose invitation was deleted by the last create or update."""

    def __init__(
        self,
        provider: pulumi.dynamic.ResourceProvider,
        resource_name: str,
        resource_args: TargetArgs,
        results: Iterable[str],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        """Register the resource: every field of ``resource_args`` (``external_id`` made a
        secret), and the output-only properties ``results`` and the endpoint."""
        props: dict[str, Any] = {
            field.name: getattr(resource_args, field.name) for field in fields(resource_args)
        }
        if props["external_id"] is not None:
            props["external_id"] = pulumi.Output.secret(props["external_id"])
        props.update({p.to_snake(name): None for name in (p.ENDPOINT_URL, *results)})
        secret_outputs = pulumi.ResourceOptions(additional_secret_outputs=["external_id"])
        super().__init__(
            provider, resource_name, props, pulumi.ResourceOptions.merge(opts, secret_outputs)
        )

    def translate_input_property(self, prop: str) -> str:
        """Python names (``account_ids``) to state names (``accountIds``)."""
        return p.to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        """State names (``accountIds``) to Python names (``account_ids``)."""
        return p.to_snake(prop)


def args_and_opts(
    resource: str, args_type: type[ArgsT], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[ArgsT, pulumi.ResourceOptions | None]:
    """Accept both constructor forms, like pulumi-aws's generated classes: an ``args_type``
    (and opts), or keyword arguments."""
    if args and isinstance(args[0], args_type):
        if kwargs.keys() - {"opts"} or len(args) > 2:
            raise TypeError(f"pass either a {args_type.__name__} or keyword arguments, not both")
        return args[0], args[1] if len(args) > 1 else kwargs.get("opts")
    if len(args) > 1:
        raise TypeError(f"{resource} takes resource_name and opts positionally; use keywords")
    opts = args[0] if args else kwargs.pop("opts", None)
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"opts must be a pulumi.ResourceOptions, got {type(opts).__name__}")
    return args_type(**kwargs), opts

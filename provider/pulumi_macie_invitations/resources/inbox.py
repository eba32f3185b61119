"""What the resource classes share: the two constructor forms, the property names, and
the registration of secrets.

:class:`~.DeclinedInvitations` and :class:`~.InvitationGuard` each clean one account's
invitations in one region; they differ in their Args class and their provider only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import pulumi
import pulumi.dynamic

from .. import properties as p
from ..providers.secrets import secret_input_names
from . import project

ArgsT = TypeVar("ArgsT")


@p.shared_properties
class TargetArgs:
    """Where a resource cleans: the arguments every resource takes."""

    region: pulumi.Input[str] | None = pulumi.property(p.REGION, default=None)
    """The region to clean. Defaults to the stack's ``aws:region``, then the AWS environment."""

    profile: pulumi.Input[str] | None = pulumi.property(p.PROFILE, default=None)
    """A named profile from the local AWS config. Defaults to boto3's credential chain."""

    role_arn: pulumi.Input[str] | None = pulumi.property(p.ROLE_ARN, default=None)
    """An IAM role to assume in the account to clean (for example a member account)."""

    session_name: pulumi.Input[str] | None = pulumi.property(p.SESSION_NAME, default=None)
    """The session name when assuming ``role_arn`` (pulumi-aws's name for it). Defaults to
    ``pulumi-macie-invitations``. 0.1.0's ``role_session_name`` still works, with a warning."""

    external_id: pulumi.Input[str] | None = pulumi.property(p.EXTERNAL_ID, default=None)
    """The external id the role's trust policy requires. Stored as a secret."""

    service: pulumi.Input[str] | None = pulumi.property(p.SERVICE, default=None)
    """The service whose invitations are cleaned, by boto3's name: ``"macie2"`` (the
    default), ``"guardduty"`` or ``"securityhub"``. Changing it replaces the resource."""


class CamelCaseResource(pulumi.dynamic.Resource):
    """A dynamic resource with snake_case arguments and camelCase state, like pulumi-aws,
    registered with its secrets: ``external_id`` made a secret, and the names of the
    inputs given as secrets recorded (:mod:`..providers.secrets`)."""

    def __init__(
        self,
        provider: pulumi.dynamic.ResourceProvider,
        resource_name: str,
        props: dict[str, Any],
        results: Iterable[str],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        """Register the resource: every property of ``props`` (snake_case names), and the
        output-only properties ``results`` (an Output attribute each)."""
        project.check_virtualenv()
        external_id = p.to_snake(p.EXTERNAL_ID)
        if props.get(external_id) is not None:
            props[external_id] = pulumi.Output.secret(props[external_id])
        given = {p.to_camel(name): value for name, value in props.items() if value is not None}
        props[p.to_snake(p.SECRET_INPUTS)] = secret_input_names(given)
        props.update({p.to_snake(name): None for name in results})
        secret_outputs = pulumi.ResourceOptions(additional_secret_outputs=[external_id])
        super().__init__(
            provider, resource_name, props, pulumi.ResourceOptions.merge(opts, secret_outputs)
        )

    def translate_input_property(self, prop: str) -> str:
        """Python names (``account_ids``) to state names (``accountIds``)."""
        return p.to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        """State names (``accountIds``) to Python names (``account_ids``)."""
        return p.to_snake(prop)


class InboxResource(CamelCaseResource):
    """A resource that cleans one inbox: one account's invitations in one region for one
    service."""

    region: pulumi.Output[str]
    """The region actually cleaned."""
    service: pulumi.Output[str]
    """The service whose invitations are cleaned (``macie2``, ``guardduty``,
    ``securityhub``); unset in a stack made before the input existed until its next
    update (Macie)."""
    profile: pulumi.Output[str | None]
    """The AWS profile used, if any."""
    role_arn: pulumi.Output[str | None]
    """The role assumed, if any."""
    session_name: pulumi.Output[str | None]
    """The session name used with ``role_arn``, if set."""
    external_id: pulumi.Output[str | None]
    """The external id used with ``role_arn``, if set (secret)."""
    endpoint_url: pulumi.Output[str | None]
    """The service's endpoint boto3 is given (its variables, or the profile's config), if any."""
    declined_account_ids: pulumi.Output[list[str]]
    """Senders whose pending invitation this resource declined."""
    deleted_account_ids: pulumi.Output[list[str]]
    """Senders whose invitation this resource deleted (and none is back)."""
    secret_inputs: pulumi.Output[list[str]]
    """The inputs given as secrets (``accountIds``, ``externalId``...): the outputs computed
    from them are secret too, and no message shows their values."""

    def __init__(
        self,
        provider: pulumi.dynamic.ResourceProvider,
        resource_name: str,
        resource_args: TargetArgs,
        results: Iterable[str],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        """Register the resource: every field of ``resource_args``, and the output-only
        properties ``results`` and the endpoint."""
        recorded = (p.ENDPOINT_URL, *results)
        super().__init__(provider, resource_name, p.values_of(resource_args), recorded, opts)


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

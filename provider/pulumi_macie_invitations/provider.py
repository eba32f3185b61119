"""The dynamic provider behind :class:`~pulumi_macie_invitations.DeclinedInvitations`.

Pulumi pickles this object into the stack's state (as the secret ``__provider``), so it
holds nothing: no client, no credential, no configuration. Its class lives in this
importable module, so the pickle is a reference to it, not a copy of its code. Clients
are built inside each lifecycle call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

from . import invitations, secret_inputs, target, validation
from . import properties as p
from .errors import MacieInvitationsError, aws_errors, from_botocore
from .invitations import CleanupReport
from .secret_inputs import SecretInputs
from .sweeps import SharedSweeps
from .target import Target
from .validation import UNKNOWN, Failure, InvalidInputError, is_unknown

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client

STACK_REGION_KEY = "aws:region"
"""The stack configuration key pulumi-aws reads its region from; used the same way here."""

_LISTINGS: SharedSweeps[dict[str, str]] = SharedSweeps()
"""ListInvitations sweeps, shared by the concurrent lifecycle calls on one target. Keyed by
the target alone: callers share a sweep only while they run at the same time, in one
process, with one AWS environment."""


class DeclinedInvitationsProvider(ResourceProvider):
    """Declines and deletes the Macie invitations received from the listed accounts."""

    _stack_region: str | None = None

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's ``aws:region``: the default region when none is given."""
        region = req.config.get(STACK_REGION_KEY)
        self._stack_region = region if isinstance(region, str) and region else None

    # check and diff: local only, no AWS call

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs; resolve the region and endpoint. No AWS call."""
        # Secrets reach a dynamic provider unwrapped: the program sends which inputs were
        # secret (secret_inputs.py), so that their values stay out of messages and outputs.
        secrets = SecretInputs.of(news)
        inputs, failures = self._normalise(news)
        if secret_inputs.PROPERTY in news:
            inputs[secret_inputs.PROPERTY] = secrets.recorded()
        return CheckResult(inputs, [secrets.check_failure(f.property, f.reason) for f in failures])

    def _normalise(self, news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
        news = {
            key: _as_written(value) for key, value in news.items() if key != secret_inputs.PROPERTY
        }
        known_profiles = target.known_profiles() if news.get(p.PROFILE) else []
        inputs, failures = validation.normalise(
            news, known_profiles=known_profiles, macie_regions=target.macie_regions()
        )
        if inputs[p.REGION] is None and not failures:
            inputs[p.REGION], region_failures = self._default_region(inputs[p.PROFILE])
            failures += region_failures
        endpoint = target.endpoint_from_environment()
        if endpoint:
            inputs[p.ENDPOINT_URL] = endpoint
        return {key: value for key, value in inputs.items() if value is not None}, failures

    def _default_region(self, profile: str | None) -> tuple[str | None, list[Failure]]:
        if is_unknown(profile):
            return validation.UNKNOWN, []
        region, source = self._stack_region, f"the stack's {STACK_REGION_KEY} config"
        if region is None:
            region, source = target.environment_region(profile), "the AWS environment"
        if region is None:
            return None, [
                Failure(
                    p.REGION,
                    "is not set and no default was found: pass region=..., run "
                    f"`pulumi config set {STACK_REGION_KEY} <region>`, or set AWS_REGION",
                )
            ]
        if region not in target.macie_regions():
            return None, [
                Failure(
                    p.REGION,
                    f"{region!r} (from {source}) is not a region where Amazon Macie is available",
                )
            ]
        return region, []

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare recorded outputs with checked inputs. No AWS call.

        A different target (region, endpoint, profile or role) replaces the resource;
        different accounts, session settings, or invitations found again by refresh
        update it; so does an input becoming secret or plain (its outputs follow).
        """
        replaces = [key for key in p.TARGET if olds.get(key) != news.get(key)]
        changed = [
            key for key in (p.ROLE_SESSION_NAME, p.EXTERNAL_ID) if olds.get(key) != news.get(key)
        ]
        if _account_set(olds) != _account_set(news) or olds.get(p.REAPPEARED_ACCOUNT_IDS):
            changed.append(p.ACCOUNT_IDS)
        if SecretInputs.of(olds).names != SecretInputs.of(news).names:
            changed.append(secret_inputs.PROPERTY)
        return DiffResult(
            changes=bool(replaces or changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    # create, update, read: the only lifecycle steps that call AWS

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Clean the listed accounts' invitations and record what was done."""
        secrets = SecretInputs.of(props)
        with secrets.hidden_in_errors():
            inputs = self._applied_inputs(props)
            report = self._clean(inputs)
        return CreateResult(_resource_id(inputs, secrets), _outputs(inputs, report, secrets))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Clean again for the new inputs: idempotent, and heals invitations that came back."""
        secrets = SecretInputs.of(news)
        with secrets.hidden_in_errors():
            inputs = self._applied_inputs(news)
            report = self._clean(inputs)
        return UpdateResult(_outputs(inputs, report, secrets))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: report the listed accounts whose invitation is back.

        The recorded inputs then leave those accounts out, so the next preview shows them
        being added back to ``accountIds``: an update that removes them again.
        """
        if p.ACCOUNT_IDS not in props or p.REGION not in props:
            raise MacieInvitationsError(
                f"cannot read DeclinedInvitations {id_!r}: import is not supported, declare "
                "the resource in your program instead"
            )
        where = Target.from_properties(props)
        secrets = SecretInputs.of(props)
        with secrets.hidden_in_errors():
            received = _listing(_client(where), where)()
        reappeared = invitations.present(received, props[p.ACCOUNT_IDS])
        outputs = secrets.outputs(dict(props) | {p.REAPPEARED_ACCOUNT_IDS: reappeared}, p.DERIVED)
        inputs = {key: props[key] for key in p.INPUTS if key in props}
        inputs[p.ACCOUNT_IDS] = [a for a in props[p.ACCOUNT_IDS] if a not in reappeared]
        if p.ENDPOINT_URL in props:
            inputs[p.ENDPOINT_URL] = props[p.ENDPOINT_URL]
        if secret_inputs.PROPERTY in props:
            inputs[secret_inputs.PROPERTY] = secrets.recorded()
        return ReadResult(id_, outputs, inputs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Forget the resource. No AWS call: a deleted invitation cannot be restored."""

    def _applied_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Validate again before any AWS call: values unknown at preview are known now."""
        inputs, failures = self._normalise({k: v for k, v in props.items() if k in p.INPUTS})
        failures += [
            Failure(key, "is not known at apply time; nothing can be cleaned for an unknown value")
            for key, value in inputs.items()
            if is_unknown(value) or (isinstance(value, list) and any(map(is_unknown, value)))
        ]
        if failures:
            raise InvalidInputError(failures)
        inputs.pop(p.ENDPOINT_URL, None)  # the endpoint check recorded is the target
        if props.get(p.ENDPOINT_URL):
            inputs[p.ENDPOINT_URL] = props[p.ENDPOINT_URL]
        return inputs

    @staticmethod
    def _clean(inputs: Mapping[str, Any]) -> CleanupReport:
        where = Target.from_properties(inputs)
        client = _client(where)
        return invitations.clean(
            client, inputs[p.ACCOUNT_IDS], where.describe(), listing=_listing(client, where)
        )


def _client(where: Target) -> Macie2Client:
    try:
        return target.macie2_client(where)
    except aws_errors() as error:
        raise from_botocore(
            error, operation="sts:AssumeRole", account_ids=(), where=where.describe()
        ) from None


def _listing(client: Macie2Client, where: Target) -> Callable[[], dict[str, str]]:
    """Every invitation the target received, from a sweep concurrent calls may share."""
    return lambda: _LISTINGS.run(where, lambda: invitations.list_received(client, where.describe()))


def _as_written(value: object) -> object:
    """An input as the program wrote it, from what the SDK hands the provider: values
    unknown at preview come as ``pulumi.output.Unknown`` objects (a whole list, or elements
    of one), made the wire's sentinel string again; whole numbers come as floats (the wire
    has one number type), made integers again so messages show ``111122223333``."""
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_as_written(item) for item in value]
    return value


def _account_set(props: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(props.get(p.ACCOUNT_IDS) or ())


def _resource_id(inputs: Mapping[str, Any], secrets: SecretInputs) -> str:
    """A random id, the region first unless it is secret: nothing in it derives from the
    accounts (a digest of 12-digit ids is cheap to reverse). Only create makes one, so
    the ids of earlier releases' resources stay as they are."""
    random = uuid.uuid4().hex[:16]
    return random if p.REGION in secrets.names else f"{inputs[p.REGION]}-{random}"


def _outputs(
    inputs: Mapping[str, Any], report: CleanupReport, secrets: SecretInputs
) -> dict[str, Any]:
    results = {
        p.DECLINED_ACCOUNT_IDS: report.declined,
        p.DELETED_ACCOUNT_IDS: report.deleted,
        p.ABSENT_ACCOUNT_IDS: report.absent,
        p.REAPPEARED_ACCOUNT_IDS: [],
    }
    return secrets.outputs(dict(inputs) | results, p.DERIVED)

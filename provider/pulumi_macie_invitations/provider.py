"""The dynamic provider behind :class:`~pulumi_macie_invitations.DeclinedInvitations`.

Pulumi pickles this object into the stack's state (as the secret ``__provider``), so it
holds nothing: no client, no credential, no configuration. Its class lives in this
importable module, so the pickle is a reference to it, not a copy of its code. Clients
are built inside each lifecycle call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

from . import drift, invitations, outcomes, target, validation
from . import properties as p
from .errors import MacieInvitationsError, aws_errors, from_botocore
from .invitations import CleanupReport
from .sweeps import SharedSweeps
from .target import Target
from .validation import UNKNOWN, Failure, InvalidInputError, is_unknown

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client

REAPPEARED_REASON = "listed, and its invitation is back since the last cleanup"
"""Why refresh counts a listed sender as drift, as ``pulumi preview --diff`` shows it."""

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

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs; resolve the region and endpoint; carry the drift
        the last refresh recorded into the inputs, where preview names it. No AWS call."""
        inputs, failures = self._normalise(news)
        listed = inputs.get(p.ACCOUNT_IDS)
        if isinstance(listed, list):
            inputs = drift.carried(olds, inputs, lambda sender: sender in listed)
        return CheckResult(
            inputs,
            [CheckFailure(failure.property, failure.reason) for failure in failures],
        )

    def _normalise(self, news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
        news = {key: _as_written(value) for key, value in news.items()}
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
        update it.
        """
        replaces = [key for key in p.TARGET if olds.get(key) != news.get(key)]
        changed = [
            key for key in (p.ROLE_SESSION_NAME, p.EXTERNAL_ID) if olds.get(key) != news.get(key)
        ]
        found_again = drift.found(olds) or olds.get(p.REAPPEARED_ACCOUNT_IDS)  # or 0.1.0's
        if _account_set(olds) != _account_set(news) or found_again:
            changed.append(p.ACCOUNT_IDS)
        return DiffResult(
            changes=bool(replaces or changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    # create, update, read: the only lifecycle steps that call AWS

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Clean the listed accounts' invitations and record what was done."""
        inputs = self._applied_inputs(props)
        report = self._clean(inputs)
        return CreateResult(_resource_id(inputs), _outputs(inputs, report))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Clean again for the new inputs: idempotent, and heals invitations that came back.

        An account cleaned before and found clean now keeps what was done to it, so the
        outputs of a healing update read as what this resource has done, not as an undo.
        """
        inputs = self._applied_inputs(news)
        return UpdateResult(_outputs(inputs, self._clean(inputs), olds))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: report the listed accounts whose invitation is back.

        They are recorded as drift (:mod:`.drift`): the next preview names them in
        ``invitationsToCleanAgain``, and the next update removes them again.
        """
        if p.ACCOUNT_IDS not in props or p.REGION not in props:
            raise MacieInvitationsError(
                f"cannot read DeclinedInvitations {id_!r}: import is not supported, declare "
                "the resource in your program instead"
            )
        where = Target.from_properties(props)
        found = self.drift(_listing(_client(where), where)(), props)
        outputs = dict(props) | {p.REAPPEARED_ACCOUNT_IDS: sorted(found)}
        inputs = {key: props[key] for key in (*p.INPUTS, p.ENDPOINT_URL) if key in props}
        return drift.read_result("DeclinedInvitations", id_, outputs, inputs, found)

    @staticmethod
    def drift(received: Mapping[str, str], props: Mapping[str, Any]) -> dict[str, str]:
        """The senders refresh counts as drift, each with why: listed ones with an invitation."""
        return dict.fromkeys(invitations.present(received, props[p.ACCOUNT_IDS]), REAPPEARED_REASON)

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
            error, operation="sts:AssumeRole", account_ids=(), where=_sts_where(where)
        ) from None


def _sts_where(where: Target) -> str:
    """Where building the client failed, for messages: STS assuming the role, when there is
    one (not the macie2 endpoint, which was never reached)."""
    if not where.role_arn:
        return where.describe()
    endpoint = target.endpoint_from_environment("sts")
    return f"STS in region {where.region}, assuming {where.role_arn}" + (
        f", at {endpoint}" if endpoint else ""
    )


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


def _resource_id(inputs: Mapping[str, Any]) -> str:
    """A stable id: the region and a digest of the target and the accounts."""
    key = "|".join([*(str(inputs.get(k) or "") for k in p.TARGET), *inputs[p.ACCOUNT_IDS]])
    return f"{inputs[p.REGION]}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _outputs(
    inputs: Mapping[str, Any], report: CleanupReport, olds: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    done = outcomes.merged(report, olds or {})
    return dict(inputs) | {
        p.DECLINED_ACCOUNT_IDS: done.declined,
        p.DELETED_ACCOUNT_IDS: done.deleted,
        p.ABSENT_ACCOUNT_IDS: done.absent,
        p.REAPPEARED_ACCOUNT_IDS: [],
        p.OUTCOMES: outcomes.by_account(done),
    }

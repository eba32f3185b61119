"""The dynamic providers behind :class:`~pulumi_macie_invitations.DeclinedInvitations` and
:class:`~pulumi_macie_invitations.InvitationGuard`.

Both clean one account's invitations in one region, with one lifecycle
(:class:`InboxProvider`); each subclass only says which senders are cleaned (an
:class:`~.invitations.Selection`), which property lists them, and how refresh records
drift. :func:`clean_inbox` is that cleanup as a plain function, safe to call from threads.

Pulumi pickles the provider object into the stack's state (as the secret ``__provider``),
so it holds nothing: no client, no credential, no configuration. Its class lives in this
importable module, so the pickle is a reference to it, not a copy of its code. Clients
are built inside each lifecycle call.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

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

from . import invitations, target, validation
from . import properties as p
from .errors import MacieInvitationsError, aws_errors, from_botocore
from .invitations import AllSendersBut, CleanupReport, ListedSenders, Selection
from .sweeps import SharedSweeps
from .target import Target
from .validation import UNKNOWN, Failure, InputSchema, InvalidInputError, is_unknown

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client

STACK_REGION_KEY = "aws:region"
"""The stack configuration key pulumi-aws reads its region from; used the same way here."""

_LISTINGS: SharedSweeps[dict[str, str]] = SharedSweeps()
"""ListInvitations sweeps, shared by the concurrent lifecycle calls on one target. Keyed by
the target alone: callers share a sweep only while they run at the same time, in one
process, with one AWS environment."""


class InboxProvider(ResourceProvider, ABC):
    """The lifecycle of a resource that cleans one account's Macie invitations in one region.

    A subclass sets :attr:`schema` and :attr:`drift_property` and says which senders are
    cleaned (:meth:`selection`), what the outputs report (:meth:`results`) and how refresh
    records the drift it found (:meth:`drift_inputs`).
    """

    schema: ClassVar[InputSchema]
    """The resource's inputs; ``schema.senders`` is the property that lists sender accounts."""
    drift_property: ClassVar[str]
    """The output listing the senders to clean that the last refresh found."""

    _stack_region: str | None = None

    @abstractmethod
    def selection(self, props: Mapping[str, Any]) -> Selection:
        """The senders to clean, from checked inputs or recorded outputs."""

    @abstractmethod
    def results(self, report: CleanupReport) -> dict[str, Any]:
        """The output-only properties after a create or update that did ``report``."""

    @abstractmethod
    def drift_inputs(self, inputs: dict[str, Any], drift: list[str]) -> dict[str, Any]:
        """The inputs refresh records after finding ``drift``: chosen so that the next
        preview shows an update naming those senders."""

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's ``aws:region``: the default region when none is given."""
        region = req.config.get(STACK_REGION_KEY)
        self._stack_region = region if isinstance(region, str) and region else None

    # check and diff: local only, no AWS call

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs; resolve the region and endpoint. No AWS call."""
        inputs, failures = self._normalise(news)
        return CheckResult(
            inputs,
            [CheckFailure(failure.property, failure.reason) for failure in failures],
        )

    def _normalise(self, news: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
        news = {key: _as_written(value) for key, value in news.items()}
        known_profiles = target.known_profiles() if news.get(p.PROFILE) else []
        inputs, failures = validation.normalise(
            news,
            known_profiles=known_profiles,
            macie_regions=target.macie_regions(),
            schema=self.schema,
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
        different senders, session settings, or invitations found by refresh update it.
        """
        replaces = [key for key in p.TARGET if olds.get(key) != news.get(key)]
        changed = [
            key for key in (p.ROLE_SESSION_NAME, p.EXTERNAL_ID) if olds.get(key) != news.get(key)
        ]
        senders = self.schema.senders
        if _account_set(olds, senders) != _account_set(news, senders) or olds.get(
            self.drift_property
        ):
            changed.append(senders)
        return DiffResult(
            changes=bool(replaces or changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    # create, update, read: the only lifecycle steps that call AWS

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Clean the chosen senders' invitations and record what was done."""
        inputs = self._applied_inputs(props)
        report = self._clean(inputs)
        return CreateResult(
            _resource_id(inputs, self.schema.senders), self._outputs(inputs, report)
        )

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Clean again for the new inputs: idempotent, and heals invitations that came back."""
        inputs = self._applied_inputs(news)
        return UpdateResult(self._outputs(inputs, self._clean(inputs)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: report the senders to clean whose invitation is present (the drift).

        The drift goes to :attr:`drift_property`, and the recorded inputs are those of
        :meth:`drift_inputs`, so the next preview shows an update that removes it.
        """
        if self.schema.senders not in props or p.REGION not in props:
            raise MacieInvitationsError(
                f"cannot read {self.schema.resource} {id_!r}: import is not supported, declare "
                "the resource in your program instead"
            )
        drift = self.selection(props).to_clean(received_by(Target.from_properties(props)))
        outputs = dict(props) | {self.drift_property: drift}
        inputs = {key: props[key] for key in self.schema.inputs if key in props}
        if p.ENDPOINT_URL in props:
            inputs[p.ENDPOINT_URL] = props[p.ENDPOINT_URL]
        return ReadResult(id_, outputs, self.drift_inputs(inputs, drift))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Forget the resource. No AWS call: a deleted invitation cannot be restored."""

    def _applied_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Validate again before any AWS call: values unknown at preview are known now."""
        inputs, failures = self._normalise(
            {k: v for k, v in props.items() if k in self.schema.inputs}
        )
        failures += [
            Failure(key, "is not known at apply time; nothing can be cleaned for an unknown value")
            for key, value in inputs.items()
            if is_unknown(value) or (isinstance(value, list) and any(map(is_unknown, value)))
        ]
        if failures:
            raise InvalidInputError(failures, self.schema.resource)
        inputs.pop(p.ENDPOINT_URL, None)  # the endpoint check recorded is the target
        if props.get(p.ENDPOINT_URL):
            inputs[p.ENDPOINT_URL] = props[p.ENDPOINT_URL]
        return inputs

    def _clean(self, inputs: Mapping[str, Any]) -> CleanupReport:
        return clean_inbox(Target.from_properties(inputs), self.selection(inputs))

    def _outputs(self, inputs: Mapping[str, Any], report: CleanupReport) -> dict[str, Any]:
        return dict(inputs) | self.results(report) | {self.drift_property: []}


class DeclinedInvitationsProvider(InboxProvider):
    """Declines and deletes the Macie invitations received from the listed accounts.

    Its name and module are recorded in the state of every stack that has the resource.
    """

    schema = validation.DECLINED_INVITATIONS
    drift_property = p.REAPPEARED_ACCOUNT_IDS

    def selection(self, props: Mapping[str, Any]) -> Selection:
        """The listed senders."""
        return ListedSenders(tuple(props[p.ACCOUNT_IDS]))

    def results(self, report: CleanupReport) -> dict[str, Any]:
        """Declined, deleted, and the listed accounts that had no invitation."""
        return {
            p.DECLINED_ACCOUNT_IDS: report.declined,
            p.DELETED_ACCOUNT_IDS: report.deleted,
            p.ABSENT_ACCOUNT_IDS: report.absent,
        }

    def drift_inputs(self, inputs: dict[str, Any], drift: list[str]) -> dict[str, Any]:
        """``accountIds`` without the senders found again: the next preview adds them back."""
        return inputs | {p.ACCOUNT_IDS: [a for a in inputs[p.ACCOUNT_IDS] if a not in drift]}


class InvitationGuardProvider(InboxProvider):
    """Declines and deletes every Macie invitation but those of the allowed senders."""

    schema = validation.INVITATION_GUARD
    drift_property = p.STRAY_ACCOUNT_IDS

    def selection(self, props: Mapping[str, Any]) -> Selection:
        """Every sender but the allowed ones."""
        return AllSendersBut(tuple(props[p.ALLOWED_ACCOUNT_IDS]))

    def results(self, report: CleanupReport) -> dict[str, Any]:
        """Declined, deleted, and the allowed senders whose invitation is present."""
        return {
            p.DECLINED_ACCOUNT_IDS: report.declined,
            p.DELETED_ACCOUNT_IDS: report.deleted,
            p.KEPT_ACCOUNT_IDS: report.kept,
        }

    def drift_inputs(self, inputs: dict[str, Any], drift: list[str]) -> dict[str, Any]:
        """The stray senders as an input the program never sets: the next preview shows
        them going away."""
        return inputs | ({p.STRAY_ACCOUNT_IDS: drift} if drift else {})


def clean_inbox(where: Target, selection: Selection) -> CleanupReport:
    """Clean one account's invitations in one region: decline and delete those of the
    senders ``selection`` chooses, then verify (:func:`.invitations.clean`).

    Safe to call from several threads at once, for one target or many: clients are shared
    per target, and concurrent listings of one target share a sweep. Raises a
    :class:`~.errors.MacieInvitationsError` for anything that failed.
    """
    client = _client(where)
    return invitations.clean(client, selection, where.describe(), listing=_listing(client, where))


def received_by(where: Target) -> dict[str, str]:
    """Every invitation the target received: sender -> status (a shared sweep; callers
    must not change it)."""
    return _listing(_client(where), where)()


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


def _account_set(props: Mapping[str, Any], senders: str) -> frozenset[str]:
    return frozenset(props.get(senders) or ())


def _resource_id(inputs: Mapping[str, Any], senders: str) -> str:
    """A stable id: the region and a digest of the target and the senders."""
    key = "|".join([*(str(inputs.get(k) or "") for k in p.TARGET), *inputs[senders]])
    return f"{inputs[p.REGION]}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"

"""The dynamic providers behind :class:`~pulumi_macie_invitations.DeclinedInvitations` and
:class:`~pulumi_macie_invitations.InvitationGuard`.

Both clean one account's invitations in one region, with one lifecycle
(:class:`InboxProvider`); each subclass only says which senders are cleaned (an
:class:`~.invitations.Selection`), which property lists them, and how refresh records
drift. :func:`clean_inbox` is that cleanup as a plain function, safe to call from threads.

Pulumi pickles the provider object into the stack's state (as the secret ``__provider``),
so it holds nothing: no client, no credential, no configuration. Its class lives in this
importable module, so the pickle is a reference to it, not a copy of its code. Clients
are built inside each lifecycle call. Refresh and destroy load the pickle a stack recorded,
whatever release wrote it: this module and class name stay importable (CHANGELOG.md,
"Compatibility").
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

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

from . import clients, drift, invitations, outcomes, secret_inputs, validation
from . import properties as p
from .errors import InvalidInputError, MacieInvitationsError, brief_traceback
from .invitations import AllSendersBut, CleanupReport, ListedSenders, Selection
from .secret_inputs import SecretInputs
from .sweeps import SharedSweeps
from .target import Target, macie_regions
from .validation import UNKNOWN, Failure, InputSchema, is_unknown

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

    A subclass sets :attr:`schema`, :attr:`drift_property` and :attr:`drift_reason`, and
    says which senders are cleaned (:meth:`selection`) and what the outputs report
    (:meth:`results`). Refresh records the senders to clean again as drift (:mod:`.drift`).
    """

    schema: ClassVar[InputSchema]
    """The resource's inputs; ``schema.senders`` is the property that lists sender accounts."""
    drift_property: ClassVar[str]
    """The output listing the senders to clean that the last refresh found."""
    drift_reason: ClassVar[str]
    """Why refresh counts a sender as drift, as ``invitationsToCleanAgain`` tells a reviewer."""
    results_properties: ClassVar[tuple[str, ...]]
    """The output-only properties :meth:`results` writes: computed from the senders, so
    secret when they are (:mod:`.secret_inputs`)."""

    _stack_region: str | None = None

    @abstractmethod
    def selection(self, props: Mapping[str, Any]) -> Selection:
        """The senders to clean, from checked inputs or recorded outputs."""

    @abstractmethod
    def results(self, report: CleanupReport, olds: Mapping[str, Any]) -> dict[str, Any]:
        """The output-only properties after a create or update that did ``report``: what this
        resource has done so far, with ``olds`` the outputs recorded before (empty on create)."""

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's ``aws:region``: the default region when none is given."""
        region = req.config.get(STACK_REGION_KEY)
        self._stack_region = region if isinstance(region, str) and region else None

    # check and diff: local only, no AWS call

    @brief_traceback
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs, check the AWS environment, record the endpoint
        boto3's variables give, and carry the drift the last refresh recorded into the
        inputs, where preview names it. No AWS call."""
        # Secrets reach a dynamic provider unwrapped: the program sends which inputs were
        # secret (secret_inputs.py), so that their values stay out of messages and outputs.
        secrets = SecretInputs.of(news)
        inputs, failures, environment = self._normalise(news)
        if environment.endpoint_url:
            inputs[p.ENDPOINT_URL] = environment.endpoint_url
        if isinstance(inputs.get(self.schema.senders), list):
            inputs = drift.carried(olds, inputs, self.selection(inputs).to_clean)
            inputs = self._secret_drift(inputs, secrets, p.INVITATIONS_TO_CLEAN_AGAIN)
        if secret_inputs.PROPERTY in news:
            inputs[secret_inputs.PROPERTY] = secrets.recorded()
        return CheckResult(inputs, [secrets.check_failure(f.property, f.reason) for f in failures])

    def _normalise(
        self, news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[Failure], clients.AwsEnvironment]:
        """The program's inputs checked and normalised (the region resolved), every mistake in
        them or in the environment, and what the environment gives."""
        news = {
            key: _as_written(value) for key, value in news.items() if key != secret_inputs.PROPERTY
        }
        profile = news.get(p.PROFILE)
        environment = clients.read_environment(
            profile=profile if isinstance(profile, str) else None,
            assumes_role=news.get(p.ROLE_ARN) is not None,
        )
        inputs, failures = validation.normalise(
            news,
            known_profiles=environment.profiles,
            macie_regions=macie_regions(),
            schema=self.schema,
        )
        failures += validation.environment_failures(environment.problems)
        if inputs[p.REGION] is None and not failures:
            inputs[p.REGION], region_failures = self._default_region(inputs[p.PROFILE], environment)
            failures += region_failures
        inputs = {key: value for key, value in inputs.items() if value is not None}
        return inputs, failures, environment

    def _default_region(
        self, profile: str | None, environment: clients.AwsEnvironment
    ) -> tuple[str | None, list[Failure]]:
        if is_unknown(profile):
            return UNKNOWN, []
        region, source = self._stack_region, f"the stack's {STACK_REGION_KEY} config"
        if region is None:
            region, source = environment.region, environment.region_source
        if region is None:
            return None, [
                Failure(
                    p.REGION,
                    "is not set and no default was found: pass region=..., run "
                    f"`pulumi config set {STACK_REGION_KEY} <region>`, or set AWS_REGION",
                )
            ]
        return validation.check_region(region, source, macie_regions())

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare recorded outputs with checked inputs. No AWS call.

        A different target (region, endpoint, profile or role) replaces the resource;
        different senders, session settings, or invitations found by refresh update it; so
        does an input becoming secret or plain (its outputs follow).
        """
        olds = p.current(olds)  # recorded by any release
        replaces = [key for key in p.REPLACE_ON_CHANGE if olds.get(key) != news.get(key)]
        changed = [key for key in (p.SESSION_NAME, p.EXTERNAL_ID) if olds.get(key) != news.get(key)]
        senders = self.schema.senders
        found_again = drift.found(olds) or olds.get(self.drift_property)  # or 0.1.0's
        if _account_set(olds, senders) != _account_set(news, senders) or found_again:
            changed.append(senders)
        # Outputs follow the senders' secrecy (the external id is always secret; the region
        # never reaches an output but the id): a state from before secretInputs is plain.
        followed = {senders, p.REGION}
        if SecretInputs.of(olds).names & followed != SecretInputs.of(news).names & followed:
            changed.append(secret_inputs.PROPERTY)
        return DiffResult(
            changes=bool(replaces or changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    # create, update, read: the only lifecycle steps that call AWS

    @brief_traceback
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Clean the chosen senders' invitations and record what was done."""
        secrets = SecretInputs.of(props)
        with secrets.hidden_in_errors():
            inputs = self._applied_inputs(props)
            report = self._clean(inputs)
        return CreateResult(
            _resource_id(inputs, secrets), self._outputs(inputs, report, {}, secrets)
        )

    @brief_traceback
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Clean again for the new inputs: idempotent, and heals invitations that came back.

        The outputs say what this resource has done so far, so those of a healing update
        don't read as an undo of the earlier cleanup.
        """
        secrets = SecretInputs.of(news)
        with secrets.hidden_in_errors():
            inputs = self._applied_inputs(news)
            report = self._clean(inputs)
        return UpdateResult(self._outputs(inputs, report, p.current(olds), secrets))

    @brief_traceback
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: report the senders to clean whose invitation is present (the drift).

        They are recorded as drift (:mod:`.drift`): the next preview names them in
        ``invitationsToCleanAgain``, and the next update removes them again. Properties an
        earlier release recorded come back under today's names.
        """
        props = p.current(props)
        if self.schema.senders not in props or p.REGION not in props:
            raise MacieInvitationsError(
                f"cannot read {self.schema.resource} {id_!r}: import is not supported, declare "
                "the resource in your program instead"
            )
        problems = clients.read_environment(
            profile=props.get(p.PROFILE), assumes_role=p.ROLE_ARN in props
        ).problems
        if problems:
            raise InvalidInputError(validation.environment_failures(problems), self.schema.resource)
        secrets = SecretInputs.of(props)
        with secrets.hidden_in_errors():
            received = received_by(Target.from_properties(props))
        found = dict.fromkeys(self.selection(props).to_clean(received), self.drift_reason)
        outputs = dict(props) | {self.drift_property: sorted(found)}
        kept = (*self.schema.inputs, p.ENDPOINT_URL, secret_inputs.PROPERTY)
        inputs = {key: props[key] for key in kept if key in props}
        read = drift.read_result(
            self.schema.resource, id_, outputs, inputs, found, hide=secrets.hide
        )
        return ReadResult(
            id_,
            secrets.outputs(read.outs or {}, self.derived()),
            self._secret_drift(dict(read.inputs or {}), secrets, p.FOUND_BY_REFRESH),
        )

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Forget the resource. No AWS call: a deleted invitation cannot be restored."""

    def _applied_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Validate again before any AWS call (values unknown at preview are known now, and
        the environment may differ from the preview's); the endpoint is the one check recorded.
        """
        inputs, failures, _ = self._normalise(
            {k: v for k, v in props.items() if k in self.schema.inputs}
        )
        failures += [
            Failure(key, "is not known at apply time; nothing can be cleaned for an unknown value")
            for key, value in inputs.items()
            if is_unknown(value) or (isinstance(value, list) and any(map(is_unknown, value)))
        ]
        if failures:
            raise InvalidInputError(failures, self.schema.resource)
        if props.get(p.ENDPOINT_URL):
            inputs[p.ENDPOINT_URL] = props[p.ENDPOINT_URL]
        return inputs

    def _clean(self, inputs: Mapping[str, Any]) -> CleanupReport:
        return clean_inbox(Target.from_properties(inputs), self.selection(inputs))

    def _outputs(
        self,
        inputs: Mapping[str, Any],
        report: CleanupReport,
        olds: Mapping[str, Any],
        secrets: SecretInputs,
    ) -> dict[str, Any]:
        outputs = dict(inputs) | self.results(report, olds) | {self.drift_property: []}
        return secrets.outputs(outputs, self.derived())

    def derived(self) -> dict[str, tuple[str, ...]]:
        """Output -> the inputs it is computed from: the results and the drift, from the
        senders."""
        computed = (*self.results_properties, self.drift_property, p.INVITATIONS_TO_CLEAN_AGAIN)
        return {name: (self.schema.senders,) for name in computed}

    def _secret_drift(
        self, inputs: dict[str, Any], secrets: SecretInputs, key: str
    ) -> dict[str, Any]:
        """``inputs`` with the drift recorded under ``key`` secret when the senders are."""
        if key in inputs and secrets.is_secret(key, {key: (self.schema.senders,)}):
            inputs[key] = secret_inputs.wrap(inputs[key])
        return inputs


class DeclinedInvitationsProvider(InboxProvider):
    """Declines and deletes the Macie invitations received from the listed accounts.

    Its name and module are recorded in the state of every stack that has the resource.
    """

    schema = validation.DECLINED_INVITATIONS
    drift_property = p.REAPPEARED_ACCOUNT_IDS
    drift_reason = "listed, and its invitation is back since the last cleanup"
    results_properties = p.RESULTS

    def selection(self, props: Mapping[str, Any]) -> Selection:
        """The listed senders."""
        return ListedSenders(tuple(props[p.ACCOUNT_IDS]))

    def results(self, report: CleanupReport, olds: Mapping[str, Any]) -> dict[str, Any]:
        """Declined, deleted, the listed accounts with no invitation, and each one's outcome."""
        done = outcomes.merged(report, olds)
        return {
            p.DECLINED_ACCOUNT_IDS: done.declined,
            p.DELETED_ACCOUNT_IDS: done.deleted,
            p.ABSENT_ACCOUNT_IDS: done.absent,
            p.OUTCOMES: outcomes.by_account(done),
        }


class InvitationGuardProvider(InboxProvider):
    """Declines and deletes every Macie invitation but those of the allowed senders."""

    schema = validation.INVITATION_GUARD
    drift_property = p.STRAY_ACCOUNT_IDS
    drift_reason = "not allowed, and it sent an invitation"
    results_properties = p.GUARD_RESULTS

    def selection(self, props: Mapping[str, Any]) -> Selection:
        """Every sender but the allowed ones."""
        return AllSendersBut(tuple(props[p.ALLOWED_ACCOUNT_IDS]))

    def results(self, report: CleanupReport, olds: Mapping[str, Any]) -> dict[str, Any]:
        """Every sender declined and deleted so far, and the allowed senders whose invitation
        is present."""
        return {
            p.DECLINED_ACCOUNT_IDS: outcomes.accumulated(
                report.declined, olds, p.DECLINED_ACCOUNT_IDS
            ),
            p.DELETED_ACCOUNT_IDS: outcomes.accumulated(
                report.deleted, olds, p.DELETED_ACCOUNT_IDS
            ),
            p.KEPT_ACCOUNT_IDS: report.kept,
        }


def clean_inbox(target: Target, selection: Selection) -> CleanupReport:
    """Clean one account's invitations in one region: decline and delete those of the
    senders ``selection`` chooses, then verify (:func:`.invitations.clean`).

    Safe to call from several threads at once, for one target or many: clients are shared
    per target, and concurrent listings of one target share a sweep. Raises a
    :class:`~.errors.MacieInvitationsError` for anything that failed.
    """
    client = clients.macie2_client(target)
    return invitations.clean(client, selection, target.describe(), listing=_listing(client, target))


def received_by(target: Target) -> dict[str, str]:
    """Every invitation the target received: sender -> status (a shared sweep; callers
    must not change it)."""
    return _listing(clients.macie2_client(target), target)()


def _listing(client: Macie2Client, target: Target) -> Callable[[], dict[str, str]]:
    """Every invitation the target received, from a sweep concurrent calls may share."""
    return lambda: _LISTINGS.run(
        target, lambda: invitations.list_received(client, target.describe())
    )


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


def _resource_id(inputs: Mapping[str, Any], secrets: SecretInputs) -> str:
    """A random id, the region first unless it is secret: nothing in it derives from the
    senders (a digest of 12-digit ids is cheap to reverse). Only create makes one, so the
    ids of earlier releases' resources stay as they are."""
    random = uuid.uuid4().hex[:16]
    return random if p.REGION in secrets.names else f"{inputs[p.REGION]}-{random}"

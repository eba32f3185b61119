"""One lifecycle for every dynamic provider of this package.

check (the environment read once, validation, drift carried, secrets), diff (a policy
given as data: which properties replace and which update), create and update (inputs
checked again before any call, then the engine), read (findings become drift), delete
(no call), brief tracebacks and the stack's configuration: written once here.
:class:`LifecycleProvider` subclasses differ only in data: their schema, how they choose
senders (a selection), how many inboxes they cover, and what their outputs report.

Pulumi pickles a provider object into the stack's state (as the secret ``__provider``),
so it holds nothing: no client, no credential, no configuration but the stack's region.
Its class lives in an importable module, so the pickle is a reference to it, not a copy
of its code. Refresh and destroy load the pickle a stack recorded, whatever release wrote
it: the modules and class names earlier releases recorded stay importable (the shims
``provider.py`` and ``organization_provider.py``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final

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

from .. import properties as p
from .. import validation
from ..aws import regions
from ..aws.environment import AwsEnvironment
from ..engine.selection import Selection
from ..errors import InvalidInputError, MacieInvitationsError, brief_traceback
from ..services import DEFAULT_SERVICE, ServiceDescription
from ..validation import UNKNOWN, Failure, InputSchema, is_unknown
from . import drift, secrets
from .secrets import SecretInputs

STACK_REGION_KEY: Final = "aws:region"
RECORDED_ENDPOINTS: Final = (p.ENDPOINT_URL, p.ENDPOINT_URLS)
"""The endpoints check records from boto3's settings (the service's; a member's, by service)."""
"""The stack configuration key pulumi-aws reads its region from; used the same way here."""


class LifecycleProvider(ResourceProvider, ABC):
    """The lifecycle of a resource that cleans inboxes; subclasses give data.

    A subclass sets :attr:`schema` and the diff policy, validates (:meth:`normalise`),
    chooses senders (:meth:`selection`), cleans (:meth:`clean`), refreshes
    (:meth:`refresh`) and says what its outputs report (:meth:`results`).
    """

    service: ClassVar[ServiceDescription] = DEFAULT_SERVICE
    """The service whose inboxes the resource cleans, unless its inputs choose one
    (:meth:`service_of`)."""
    schema: ClassVar[InputSchema]
    """The resource's inputs; ``schema.senders`` is the property that lists sender accounts."""
    replace_on_change: ClassVar[tuple[str, ...]]
    """Properties that say whose inboxes are cleaned: a change replaces the resource."""
    update_on_change: ClassVar[tuple[str, ...]]
    """Properties compared as they are: a change updates."""
    sets_update_on_change: ClassVar[tuple[str, ...]]
    """Lists compared as sets (the senders, the regions): a change updates."""
    results_properties: ClassVar[tuple[str, ...]]
    """The output-only properties computed from the senders, so secret when they are
    (:mod:`.secrets`)."""
    found_output: ClassVar[str]
    """The public output that lists what the last refresh found (0.1.0 recorded drift only
    there): emptied by create and update, written by read."""
    recorded_defaults: ClassVar[Mapping[str, object]] = MappingProxyType({})
    """What a state recorded before a property existed means by leaving it out (diff
    compares it so: a stack made before the property previews no change)."""
    failures_output: ClassVar[str | None] = None
    """The output recording what could not be done (where -> why), for a resource whose
    failure is a result and not an error (a member): diff sees a record there as a change,
    so the next update retries it. Its text never holds a secret value."""

    _stack_region: str | None = None

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's ``aws:region``: the default region when none is given."""
        region = req.config.get(STACK_REGION_KEY)
        self._stack_region = region if isinstance(region, str) and region else None

    # what subclasses give

    @abstractmethod
    def normalise(
        self, news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[Failure], AwsEnvironment]:
        """The program's inputs checked and normalised, every mistake in them or in the
        environment, and what the environment gives. No AWS call."""

    @abstractmethod
    def selection(self, props: Mapping[str, Any]) -> Selection:
        """The senders to clean, from checked inputs or recorded outputs."""

    @abstractmethod
    def clean(self, inputs: Mapping[str, Any], olds: Mapping[str, Any]) -> dict[str, Any]:
        """Clean every inbox the inputs cover: the output-only properties saying what the
        resource has done so far (``olds``: the outputs recorded before, empty on create)."""

    @abstractmethod
    def resource_id(
        self, inputs: Mapping[str, Any], results: Mapping[str, Any], given: SecretInputs
    ) -> str:
        """The id create gives the resource (only create makes one, so the ids of earlier
        releases' resources stay as they are)."""

    @abstractmethod
    def refresh(self, props: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
        """List every inbox the recorded ``props`` cover, changing nothing: the drift found
        (sender -> why) and the outputs the listing updates (:attr:`found_output` among
        them)."""

    def readable(self, props: Mapping[str, Any]) -> bool:
        """Whether ``props`` are a state this provider recorded (not an import)."""
        return self.schema.senders in props

    # check and diff: local only, no AWS call

    @brief_traceback
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs, check the AWS environment, record the endpoint
        boto3's variables give, and carry the drift the last refresh recorded into the
        inputs, where preview names it. No AWS call."""
        # Secrets reach a dynamic provider unwrapped: the program sends which inputs were
        # secret (secrets.py), so that their values stay out of messages and outputs.
        given = SecretInputs.of(news)
        inputs, failures, environment = self.normalise(_as_written(news))
        if environment.endpoint_url:
            inputs[p.ENDPOINT_URL] = environment.endpoint_url
        if isinstance(inputs.get(self.schema.senders), list):
            inputs = drift.carried(p.current(olds), inputs, self.selection(inputs).to_clean)
            inputs = self._secret_drift(inputs, given, p.INVITATIONS_TO_CLEAN_AGAIN)
        if secrets.PROPERTY in news:
            inputs[secrets.PROPERTY] = given.recorded()
        return CheckResult(inputs, [given.check_failure(f.property, f.reason) for f in failures])

    @brief_traceback
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare recorded outputs with checked inputs. No AWS call.

        A different target replaces the resource; different senders, settings, or
        invitations found by refresh update it; so does an input becoming secret or plain
        (its outputs follow).
        """
        olds = {**self.recorded_defaults, **p.current(olds)}  # recorded by any release
        news = {**self.recorded_defaults, **news}
        replaces = [key for key in self.replace_on_change if olds.get(key) != news.get(key)]
        changed = [key for key in self.update_on_change if olds.get(key) != news.get(key)]
        changed += [
            key
            for key in self.sets_update_on_change
            if frozenset(olds.get(key) or ()) != frozenset(news.get(key) or ())
        ]
        if self.failures_output and olds.get(self.failures_output):
            changed.append(self.failures_output)  # the next update retries
        senders = self.schema.senders
        if drift.found(olds, self.found_output) and senders not in changed:
            changed.append(senders)
        # Outputs follow the senders' secrecy (the external id is always secret; the region
        # never reaches an output but the id): a state from before secretInputs is plain.
        followed = {senders, p.REGION}
        if SecretInputs.of(olds).names & followed != SecretInputs.of(news).names & followed:
            changed.append(secrets.PROPERTY)
        return DiffResult(
            changes=bool(replaces or changed), replaces=replaces, delete_before_replace=False
        )

    # create, update, read: the only lifecycle steps that call AWS

    @brief_traceback
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Clean the chosen senders' invitations and record what was done."""
        given = SecretInputs.of(props)
        with given.hidden_in_errors():
            inputs = self._applied_inputs(props)
            results = self.clean(inputs, {})
        return CreateResult(
            self.resource_id(inputs, results, given), self._outputs(inputs, results, given)
        )

    @brief_traceback
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Clean again for the new inputs: idempotent, and heals invitations that came back.

        The outputs say what this resource has done so far, so those of a healing update
        don't read as an undo of the earlier cleanup.
        """
        given = SecretInputs.of(news)
        with given.hidden_in_errors():
            inputs = self._applied_inputs(news)
            results = self.clean(inputs, p.current(olds))
        return UpdateResult(self._outputs(inputs, results, given))

    @brief_traceback
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: report the senders to clean whose invitation is present (the drift).

        They are recorded as drift (:mod:`.drift`): the next preview names them in
        ``invitationsToCleanAgain``, and the next update removes them again. Properties an
        earlier release recorded come back under today's names.
        """
        props = p.current(props)
        if not self.readable(props):
            raise MacieInvitationsError(
                f"cannot read {self.schema.resource} {id_!r}: import is not supported, declare "
                "the resource in your program instead"
            )
        problems = self.environment(props).problems
        if problems:
            raise InvalidInputError(validation.environment_failures(problems), self.schema.resource)
        given = SecretInputs.of(props)
        with given.hidden_in_errors():
            found, listed = self.refresh(props)
        listed = self._hidden_failures(listed, given, announce=f"{self.schema.resource} {id_}")
        outputs = dict(props) | listed
        kept = (*self.schema.inputs, *RECORDED_ENDPOINTS, secrets.PROPERTY)
        inputs = {key: props[key] for key in kept if key in props}
        read = drift.read_result(self.schema.resource, id_, outputs, inputs, found, hide=given.hide)
        return ReadResult(
            id_,
            given.outputs(read.outs or {}, self.derived()),
            self._secret_drift(dict(read.inputs or {}), given, p.FOUND_BY_REFRESH),
        )

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Forget the resource. No AWS call: a deleted invitation cannot be restored."""

    # shared steps

    def service_of(self, props: Mapping[str, Any]) -> ServiceDescription:
        """The service whose inboxes ``props`` (inputs or a recorded state) cover."""
        return self.service

    def environment(
        self, props: Mapping[str, Any], service: ServiceDescription | None = None
    ) -> AwsEnvironment:
        """The AWS environment the clients of ``props`` are built from (read once a call),
        for ``service`` (by default the one ``props`` cover)."""
        from ..aws.environment import read_environment

        profile = props.get(p.PROFILE)
        return read_environment(
            profile=profile if isinstance(profile, str) else None,
            assumes_role=props.get(p.ROLE_ARN) is not None,
            service=(service or self.service_of(props)).name,
        )

    def service_regions(self, service: ServiceDescription | None = None) -> validation.Regions:
        """The regions where ``service`` (by default the provider's) is available, for
        validation."""
        service = service or self.service
        return validation.Regions(service.display_name, regions.service_regions(service.name))

    def sts_failures(self, role_arn: object, sts_region: str | None) -> list[Failure]:
        """A failure when STS in ``sts_region`` can't assume ``role_arn`` (another
        partition), naming both."""
        if not isinstance(role_arn, str) or is_unknown(role_arn) or not sts_region:
            return []
        if is_unknown(sts_region) or validation.role_arn_problem(role_arn):
            return []
        mismatch = regions.partition_mismatch(role_arn, sts_region)
        return (
            [Failure(p.ROLE_ARN, f"{role_arn} cannot be assumed: {mismatch}")] if mismatch else []
        )

    def _applied_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Validate again before any AWS call (values unknown at preview are known now, and
        the environment may differ from the preview's); the endpoint is the one check recorded.
        """
        inputs, failures, _ = self.normalise(
            _as_written({k: v for k, v in props.items() if k in self.schema.inputs})
        )
        failures += [
            Failure(key, "is not known at apply time; nothing can be cleaned for an unknown value")
            for key, value in inputs.items()
            if is_unknown(value) or (isinstance(value, list) and any(map(is_unknown, value)))
        ]
        if failures:
            raise InvalidInputError(failures, self.schema.resource)
        for recorded in RECORDED_ENDPOINTS:
            if props.get(recorded):
                inputs[recorded] = props[recorded]
        return inputs

    def _outputs(
        self, inputs: Mapping[str, Any], results: Mapping[str, Any], given: SecretInputs
    ) -> dict[str, Any]:
        results = self._hidden_failures(results, given)
        return given.outputs(dict(inputs) | dict(results), self.derived())

    def _hidden_failures(
        self, results: Mapping[str, Any], given: SecretInputs, *, announce: str | None = None
    ) -> dict[str, Any]:
        """``results`` with the recorded failures' text free of secret values; with
        ``announce`` (the resource, on refresh), said on standard error too, which the CLI
        prints under Diagnostics."""
        failures = results.get(self.failures_output) if self.failures_output else None
        if not failures or self.failures_output is None:
            return dict(results)
        hidden = {where: given.hide(str(why)) for where, why in failures.items()}
        if announce:
            drift.announce_failures(announce, hidden)
        return dict(results) | {self.failures_output: hidden}

    def derived(self) -> dict[str, tuple[str, ...]]:
        """Output -> the inputs it is computed from: the results and the drift, from the
        senders."""
        computed = (*self.results_properties, p.INVITATIONS_TO_CLEAN_AGAIN)
        return {name: (self.schema.senders,) for name in computed}

    def _secret_drift(
        self, inputs: dict[str, Any], given: SecretInputs, key: str
    ) -> dict[str, Any]:
        """``inputs`` with the drift recorded under ``key`` secret when the senders are."""
        if key in inputs and given.is_secret(key, {key: (self.schema.senders,)}):
            inputs[key] = secrets.wrap(inputs[key])
        return inputs


def _as_written(news: Mapping[str, Any]) -> dict[str, Any]:
    """The program's inputs as written, without the list of secret inputs."""
    return {key: _value_as_written(v) for key, v in news.items() if key != secrets.PROPERTY}


def _value_as_written(value: object) -> object:
    """An input as the program wrote it, from what the SDK hands the provider: values
    unknown at preview come as ``pulumi.output.Unknown`` objects (a whole list, or elements
    of one), made the wire's sentinel string again; whole numbers come as floats (the wire
    has one number type), made integers again so messages show ``111122223333``."""
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_value_as_written(item) for item in value]
    return value

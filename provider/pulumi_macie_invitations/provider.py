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

from . import clients, invitations, validation
from . import properties as p
from .errors import InvalidInputError, MacieInvitationsError, brief_traceback
from .invitations import CleanupReport
from .sweeps import SharedSweeps
from .target import Target, macie_regions
from .validation import UNKNOWN, Failure, is_unknown

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

    @brief_traceback
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise inputs, check the AWS environment, and record the endpoint
        boto3's variables give. No AWS call."""
        inputs, failures, environment = self._normalise(news)
        if environment.endpoint_url:
            inputs[p.ENDPOINT_URL] = environment.endpoint_url
        return CheckResult(
            inputs,
            [CheckFailure(failure.property, failure.reason) for failure in failures],
        )

    def _normalise(
        self, news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[Failure], clients.AwsEnvironment]:
        """The program's inputs checked and normalised (the region resolved), every mistake in
        them or in the environment, and what the environment gives."""
        news = {key: _as_written(value) for key, value in news.items()}
        profile = news.get(p.PROFILE)
        environment = clients.read_environment(
            profile=profile if isinstance(profile, str) else None,
            assumes_role=news.get(p.ROLE_ARN) is not None,
        )
        inputs, failures = validation.normalise(
            news, known_profiles=environment.profiles, macie_regions=macie_regions()
        )
        failures += [Failure("", str(problem)) for problem in environment.problems]
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
        different accounts, session settings, or invitations found again by refresh
        update it.
        """
        replaces = [key for key in p.REPLACE_ON_CHANGE if olds.get(key) != news.get(key)]
        changed = [
            key for key in (p.ROLE_SESSION_NAME, p.EXTERNAL_ID) if olds.get(key) != news.get(key)
        ]
        if _account_set(olds) != _account_set(news) or olds.get(p.REAPPEARED_ACCOUNT_IDS):
            changed.append(p.ACCOUNT_IDS)
        return DiffResult(
            changes=bool(replaces or changed),
            replaces=replaces,
            delete_before_replace=False,
        )

    # create, update, read: the only lifecycle steps that call AWS

    @brief_traceback
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Clean the listed accounts' invitations and record what was done."""
        inputs = self._applied_inputs(props)
        report = self._clean(inputs)
        return CreateResult(_resource_id(inputs), _outputs(inputs, report))

    @brief_traceback
    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Clean again for the new inputs: idempotent, and heals invitations that came back."""
        inputs = self._applied_inputs(news)
        return UpdateResult(_outputs(inputs, self._clean(inputs)))

    @brief_traceback
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
        problems = clients.read_environment(
            profile=props.get(p.PROFILE), assumes_role=p.ROLE_ARN in props
        ).problems
        if problems:
            raise InvalidInputError([Failure("", str(problem)) for problem in problems])
        target = Target.from_properties(props)
        received = _listing(clients.macie2_client(target), target)()
        reappeared = invitations.present(received, props[p.ACCOUNT_IDS])
        outputs = dict(props) | {p.REAPPEARED_ACCOUNT_IDS: reappeared}
        inputs = {key: props[key] for key in (*p.INPUTS, p.ENDPOINT_URL) if key in props}
        inputs[p.ACCOUNT_IDS] = [a for a in props[p.ACCOUNT_IDS] if a not in reappeared]
        return ReadResult(id_, outputs, inputs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Forget the resource. No AWS call: a deleted invitation cannot be restored."""

    def _applied_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """Validate again before any AWS call (values unknown at preview are known now, and
        the environment may differ from the preview's); the endpoint is the one check recorded.
        """
        inputs, failures, _ = self._normalise({k: v for k, v in props.items() if k in p.INPUTS})
        failures += [
            Failure(key, "is not known at apply time; nothing can be cleaned for an unknown value")
            for key, value in inputs.items()
            if is_unknown(value) or (isinstance(value, list) and any(map(is_unknown, value)))
        ]
        if failures:
            raise InvalidInputError(failures)
        if props.get(p.ENDPOINT_URL):
            inputs[p.ENDPOINT_URL] = props[p.ENDPOINT_URL]
        return inputs

    @staticmethod
    def _clean(inputs: Mapping[str, Any]) -> CleanupReport:
        target = Target.from_properties(inputs)
        client = clients.macie2_client(target)
        return invitations.clean(
            client, inputs[p.ACCOUNT_IDS], target.describe(), listing=_listing(client, target)
        )


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


def _account_set(props: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(props.get(p.ACCOUNT_IDS) or ())


def _resource_id(inputs: Mapping[str, Any]) -> str:
    """A stable id: the region and a digest of the target and the accounts."""
    key = "|".join(
        [*(str(inputs.get(k) or "") for k in p.REPLACE_ON_CHANGE), *inputs[p.ACCOUNT_IDS]]
    )
    return f"{inputs[p.REGION]}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _outputs(inputs: Mapping[str, Any], report: CleanupReport) -> dict[str, Any]:
    return dict(inputs) | {
        p.DECLINED_ACCOUNT_IDS: report.declined,
        p.DELETED_ACCOUNT_IDS: report.deleted,
        p.ABSENT_ACCOUNT_IDS: report.absent,
        p.REAPPEARED_ACCOUNT_IDS: [],
    }

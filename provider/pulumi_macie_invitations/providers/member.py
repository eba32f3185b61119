"""The provider behind each member of an
:class:`~pulumi_macie_invitations.OrganizationInvitationGuard`: one account, the inboxes
of many regions and services, on the one lifecycle (:mod:`.lifecycle`).

``services`` is recorded only when it is not Macie's alone (a state without it is Macie's,
as every release recorded): changing it updates the member (the same account, more or
fewer inboxes), as changing its regions does. Each inbox is named in the outputs by
:func:`~..engine.outcomes.inbox_key` (the region for Macie's).

STS is called in the stack's ``aws:region``, else the environment's region; with neither,
check fails (never a hard-coded region). Its role is assumed with ``externalId`` and
``sessionName`` as the inbox resources' are.

A member that fails (its role refused, access denied, throttled past the retries) is not
a failed step: its outputs record which inboxes failed and why (``failedInboxes``), diff
sees that record as a change, so the next ``pulumi up`` retries it, and the component
reports it and fails the command once every member is done. A member keeps what it did:
each inbox's record of the senders declined and deleted survives later updates and
refreshes (a refresh adds findings, it never erases history).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar, Final

from .. import properties as p
from .. import validation
from ..aws import regions
from ..aws.credentials import Identity
from ..aws.environment import AwsEnvironment
from ..engine.member import MemberRun, guard_member, member_inboxes
from ..engine.outcomes import inbox_key, key_of
from ..engine.selection import AllSendersBut, Selection
from ..errors import InvalidInputError
from ..services import DEFAULT_SERVICE, SERVICES, ServiceDescription
from ..validation import Failure
from . import drift
from .lifecycle import STACK_REGION_KEY, LifecycleProvider
from .secrets import SecretInputs

__all__ = ["MemberGuardProvider"]

OWN_ACCOUNT_ID: Final = "own-account"
"""The id of the caller's own account's member when its first step could not find the
account (its failure recorded)."""
NO_STS_REGION: Final = (
    "no region to call STS in for the member's role: run "
    f"`pulumi config set {STACK_REGION_KEY} <region>`, or set AWS_REGION"
)


class MemberGuardProvider(LifecycleProvider):
    """No invitation but from the allowed senders, in every listed region of one member
    account (its role assumed once; the inboxes worked at once)."""

    __module__ = "pulumi_macie_invitations.organization_provider"
    """The module Pulumi's pickle names, as 0.2.0 wrote it (the shim imports the class
    there): state written today stays readable by 0.2.0, and the other way round."""
    schema = validation.MEMBER
    replace_on_change = (p.ROLE_ARN, p.OWN_ACCOUNT, p.ENDPOINT_URL)
    update_on_change = (p.SESSION_NAME, p.EXTERNAL_ID, p.ENDPOINT_URLS)
    sets_update_on_change = (p.REGIONS, p.ALLOWED_ACCOUNT_IDS, p.SERVICES)
    recorded_defaults: ClassVar[Mapping[str, object]] = MappingProxyType(
        {p.SERVICES: (DEFAULT_SERVICE.name,)}
    )
    """Releases before the ``services`` input guarded Macie's inboxes only."""
    results_properties = (p.INBOXES, p.STRAY_INVITATIONS)
    failures_output = p.FAILED_INBOXES
    found_output = p.STRAY_INVITATIONS

    def normalise(
        self, news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[Failure], AwsEnvironment]:
        """The member's inputs checked, every mistake (STS's region included), the
        environment."""
        services, failures = validation.normalise_services(news.get(p.SERVICES), SERVICES)
        described = self.services_of({p.SERVICES: services})
        catalogue = validation.Regions(
            " or ".join(service.display_name for service in described),
            frozenset().union(*(self.service_regions(s).names for s in described)),
        )
        inputs, input_failures = validation.normalise_member(news, regions=catalogue)
        failures += input_failures
        environment = self.environment(news)
        failures += validation.environment_failures(environment.problems)
        if services is not None and services != [DEFAULT_SERVICE.name]:
            inputs[p.SERVICES] = services
            # Macie's endpoint stays in endpointUrl, as every release recorded it (so adding
            # a service never replaces the member); each other service's, by service.
            endpoints: dict[str, str] = {}
            for service in described:
                if service == DEFAULT_SERVICE:
                    continue
                own = self.environment(news, service)
                failures += validation.environment_failures(own.problems)
                if own.endpoint_url:
                    endpoints[service.name] = own.endpoint_url
            if endpoints:
                inputs[p.ENDPOINT_URLS] = endpoints
        sts_region = self._sts_region(environment)
        if sts_region is None:
            failures.append(Failure("", NO_STS_REGION))
        elif not failures:
            failures += self.sts_failures(inputs.get(p.ROLE_ARN), sts_region)
        return inputs, failures, environment

    def _sts_region(self, environment: AwsEnvironment) -> str | None:
        return regions.sts_region(None, self._stack_region, environment.region)

    def readable(self, props: Mapping[str, Any]) -> bool:
        """A recorded state has the regions and the allowed senders."""
        return p.REGIONS in props and p.ALLOWED_ACCOUNT_IDS in props

    def services_of(self, props: Mapping[str, Any]) -> list[ServiceDescription]:
        """The services ``props`` guard: Macie's alone when none is recorded (or none is
        known yet: check has refused or will check again the others)."""
        names = props.get(p.SERVICES) or [DEFAULT_SERVICE.name]
        known = [SERVICES[name] for name in names if isinstance(name, str) and name in SERVICES]
        return known or [DEFAULT_SERVICE]

    def inbox_keys(self, props: Mapping[str, Any]) -> list[str]:
        """Every inbox ``props`` cover, as the outputs name them."""
        return [
            inbox_key(service.name, region)
            for service, region in member_inboxes(self.services_of(props), props[p.REGIONS])
        ]

    def selection(self, props: Mapping[str, Any]) -> Selection:
        """Every sender but the allowed ones."""
        return AllSendersBut(tuple(props[p.ALLOWED_ACCOUNT_IDS]))

    def clean(self, inputs: Mapping[str, Any], olds: Mapping[str, Any]) -> dict[str, Any]:
        """Clean every region's inbox of the member: the failures of this run only."""
        run = self._run(inputs, change=True)
        return _results(run, self.inbox_keys(inputs), olds, run.failures)

    def refresh(self, props: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
        """List every region's inbox: senders not allowed are drift, named with the regions
        where they were found. The failures recorded before stay (a refresh cleans nothing)."""
        run = self._run(props, change=False)
        failures = dict(_recorded_failures(props)) | run.failures
        listed = _results(run, self.inbox_keys(props), props, failures)
        return drift.in_inboxes(listed[self.found_output], drift.NOT_ALLOWED), listed

    def resource_id(
        self, inputs: Mapping[str, Any], results: Mapping[str, Any], given: SecretInputs
    ) -> str:
        """The member's account id (for the caller's own account, when STS could not say
        whose it is, :data:`OWN_ACCOUNT_ID`)."""
        return str(results[p.ACCOUNT_ID] or OWN_ACCOUNT_ID)

    def _run(self, props: Mapping[str, Any], *, change: bool) -> MemberRun:
        sts_region = self._sts_region(self.environment(props))
        if sts_region is None:
            raise InvalidInputError([Failure("", NO_STS_REGION)], self.schema.resource)
        identity = Identity(
            role_arn=props.get(p.ROLE_ARN),
            session_name=props.get(p.SESSION_NAME),
            external_id=props.get(p.EXTERNAL_ID),
            sts_region=sts_region,
        )
        endpoints = props.get(p.ENDPOINT_URLS) or {}
        return guard_member(
            identity,
            props[p.REGIONS],
            props[p.ALLOWED_ACCOUNT_IDS],
            services=self.services_of(props),
            endpoint_urls={**endpoints, DEFAULT_SERVICE.name: props.get(p.ENDPOINT_URL)},
            change=change,
        )


def _results(
    run: MemberRun, keys: Sequence[str], olds: Mapping[str, Any], failures: Mapping[str, str]
) -> dict[str, Any]:
    """The outputs of a run over the inboxes ``keys``, with what ``olds`` recorded before:
    each inbox's earlier declines and deletes, the record of an inbox that failed this
    time, the senders an earlier refresh found where this run could not look."""
    previous = {
        key_of(entry): entry for entry in olds.get(p.INBOXES) or [] if isinstance(entry, Mapping)
    }
    done = {inbox.key: inbox.with_history(previous.get(inbox.key, {})) for inbox in run.inboxes}
    inboxes: list[Mapping[str, Any]] = []
    for key in keys:
        if key in done and done[key].notable:
            inboxes.append(done[key].to_json())
        elif key not in done and key in previous:
            inboxes.append(previous[key])
    found_before = olds.get(p.STRAY_INVITATIONS)
    found = {
        key: list(senders)
        for key, senders in (found_before if isinstance(found_before, Mapping) else {}).items()
        if key in failures
    } | {inbox.key: inbox.found for inbox in run.inboxes if inbox.found}
    return {
        p.ACCOUNT_ID: run.account_id or olds.get(p.ACCOUNT_ID),
        # Only the inboxes with something to say: 2,200 entries of "clean" made Pulumi's
        # program and engine slower for every later command (bench/RESULTS.md).
        p.INBOXES: inboxes,
        p.STRAY_INVITATIONS: dict(sorted(found.items())),
        p.FAILED_INBOXES: {key: failures[key] for key in keys if key in failures},
    }


def _recorded_failures(props: Mapping[str, Any]) -> Mapping[str, str]:
    failures = props.get(p.FAILED_INBOXES)
    return failures if isinstance(failures, Mapping) else {}

"""The providers of the inbox resources, :class:`~pulumi_macie_invitations.DeclinedInvitations`
and :class:`~pulumi_macie_invitations.InvitationGuard`: one inbox each (one account, one
region, one service), on the one lifecycle (:mod:`.lifecycle`). They differ in data: the
schema, the selection of senders, and what the outputs report.
"""

from __future__ import annotations

import uuid
from abc import abstractmethod
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final

from .. import properties as p
from .. import validation
from ..aws import regions
from ..aws.credentials import Identity
from ..aws.environment import AwsEnvironment
from ..engine import outcomes
from ..engine.inbox import Inbox, clean_inbox, received_by
from ..engine.selection import AllSendersBut, ListedSenders, Selection
from ..services import DEFAULT_SERVICE, SERVICES, ServiceDescription
from ..validation import UNKNOWN, Failure, is_unknown
from . import drift
from .lifecycle import STACK_REGION_KEY, LifecycleProvider
from .secrets import SecretInputs

PICKLED_MODULE: Final = "pulumi_macie_invitations.provider"
"""The module Pulumi's pickle names for these providers, as every release has written it
(the shim ``provider.py`` imports them there): state written today stays readable by
the releases before, and the other way round."""


class InboxProvider(LifecycleProvider):
    """The lifecycle of a resource that cleans one inbox: its service is the ``service``
    input (Macie's by default); its region is the ``region`` input, else the stack's
    ``aws:region``, else the environment's, and STS (for a role) is called there too."""

    replace_on_change = p.REPLACE_ON_CHANGE
    update_on_change = (p.SESSION_NAME, p.EXTERNAL_ID)
    recorded_defaults: ClassVar[Mapping[str, object]] = MappingProxyType(
        {p.SERVICE: DEFAULT_SERVICE.name}
    )
    """Releases before the ``service`` input cleaned Macie's inboxes only."""
    drift_reason: ClassVar[str]
    """Why refresh counts a sender as drift, as ``invitationsToCleanAgain`` tells a reviewer."""

    def normalise(
        self, news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[Failure], AwsEnvironment]:
        """The inputs checked (the service chosen, the region resolved in its catalogue),
        every mistake, the environment."""
        service, failures = validation.normalise_service(news.get(p.SERVICE), SERVICES)
        environment = self.environment(news)
        # The region is checked in the service's catalogue once the service is known.
        known = None if failures or is_unknown(service) else self.service_of(news)
        catalogue = self.service_regions(known) if known else None
        inputs, input_failures = validation.normalise(
            news, known_profiles=environment.profiles, regions=catalogue, schema=self.schema
        )
        inputs[p.SERVICE] = service
        failures += input_failures + validation.environment_failures(environment.problems)
        if inputs[p.REGION] is None and not failures:
            inputs[p.REGION], region_failures = self._default_region(
                inputs[p.PROFILE], environment, catalogue
            )
            failures += region_failures
        if not failures:
            failures += self.sts_failures(inputs[p.ROLE_ARN], inputs[p.REGION])
        inputs = {key: value for key, value in inputs.items() if value is not None}
        return inputs, failures, environment

    def _default_region(
        self,
        profile: str | None,
        environment: AwsEnvironment,
        catalogue: validation.Regions | None,
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
        return validation.check_region(region, source, catalogue)

    def service_of(self, props: Mapping[str, Any]) -> ServiceDescription:
        """The ``service`` input's description: Macie's when it is not set (a state recorded
        before the input existed), or not known or valid (check has refused the latter)."""
        name = props.get(p.SERVICE)
        return SERVICES[name] if isinstance(name, str) and name in SERVICES else DEFAULT_SERVICE

    def readable(self, props: Mapping[str, Any]) -> bool:
        """A recorded state has the senders and the region."""
        return self.schema.senders in props and p.REGION in props

    def inbox(self, props: Mapping[str, Any]) -> Inbox:
        """The inbox of checked inputs or recorded outputs; STS in its region."""
        region: str = props[p.REGION]
        identity = Identity(
            profile=props.get(p.PROFILE),
            role_arn=props.get(p.ROLE_ARN),
            session_name=props.get(p.SESSION_NAME),
            external_id=props.get(p.EXTERNAL_ID),
            sts_region=regions.sts_region(region, self._stack_region, None),
        )
        return Inbox(region, identity, props.get(p.ENDPOINT_URL), self.service_of(props))

    def clean(self, inputs: Mapping[str, Any], olds: Mapping[str, Any]) -> dict[str, Any]:
        """Clean the inbox; the outputs say what was done so far."""
        report = clean_inbox(self.inbox(inputs), self.selection(inputs))
        return self.results(report, olds) | {self.found_output: []}

    @abstractmethod
    def results(self, report: outcomes.CleanupReport, olds: Mapping[str, Any]) -> dict[str, Any]:
        """The output-only properties after a cleanup that did ``report``."""

    def refresh(self, props: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
        """The senders to clean whose invitation is present."""
        received = received_by(self.inbox(props))
        found = dict.fromkeys(self.selection(props).to_clean(received), self.drift_reason)
        return found, {self.found_output: sorted(found)}

    def resource_id(
        self, inputs: Mapping[str, Any], results: Mapping[str, Any], given: SecretInputs
    ) -> str:
        """A random id, the region first unless it is secret: nothing in it derives from the
        senders (a digest of 12-digit ids is cheap to reverse)."""
        random = uuid.uuid4().hex[:16]
        return random if p.REGION in given.names else f"{inputs[p.REGION]}-{random}"


class DeclinedInvitationsProvider(InboxProvider):
    """Declines and deletes the invitations received from the listed senders.

    Its name and module (:data:`PICKLED_MODULE`) are recorded in the state of every stack
    that has the resource.
    """

    __module__ = PICKLED_MODULE
    schema = validation.DECLINED_INVITATIONS
    sets_update_on_change = (p.ACCOUNT_IDS,)
    found_output = p.REAPPEARED_ACCOUNT_IDS
    drift_reason = "listed, and its invitation is back since the last cleanup"
    results_properties = p.RESULTS

    def selection(self, props: Mapping[str, Any]) -> Selection:
        """The listed senders."""
        return ListedSenders(tuple(props[p.ACCOUNT_IDS]))

    def results(self, report: outcomes.CleanupReport, olds: Mapping[str, Any]) -> dict[str, Any]:
        """Declined, deleted, the listed senders with no invitation, and each one's outcome."""
        done = outcomes.merged(report, olds)
        return {
            p.DECLINED_ACCOUNT_IDS: done.declined,
            p.DELETED_ACCOUNT_IDS: done.deleted,
            p.ABSENT_ACCOUNT_IDS: done.absent,
            p.OUTCOMES: outcomes.by_sender(done),
        }


class InvitationGuardProvider(InboxProvider):
    """Declines and deletes every invitation but those of the allowed senders."""

    __module__ = PICKLED_MODULE
    schema = validation.INVITATION_GUARD
    sets_update_on_change = (p.ALLOWED_ACCOUNT_IDS,)
    found_output = p.STRAY_ACCOUNT_IDS
    drift_reason = drift.NOT_ALLOWED
    results_properties = p.GUARD_RESULTS

    def selection(self, props: Mapping[str, Any]) -> Selection:
        """Every sender but the allowed ones."""
        return AllSendersBut(tuple(props[p.ALLOWED_ACCOUNT_IDS]))

    def results(self, report: outcomes.CleanupReport, olds: Mapping[str, Any]) -> dict[str, Any]:
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

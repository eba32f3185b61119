"""The services that take membership invitations, each described as data.

Macie, GuardDuty and Security Hub receive invitations the same way (a regional inbox per
account: list, decline, delete); what differs is data: names, page and batch sizes, field
names, statuses, error codes. A :class:`ServiceDescription` holds those facts for one
service, and every layer above (clients, regions, the engine, messages) reads them from
it instead of knowing a service itself.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServiceDescription", "UnprocessedFields"]


@dataclass(frozen=True)
class UnprocessedFields:
    """Where a decline or delete reply lists the accounts it did not process."""

    list: str
    """The reply's list of unprocessed accounts."""
    account: str
    """An item's sender account id."""
    message: str
    """An item's explanation (free text)."""
    code: str | None = None
    """An item's error code; None for a service that gives only the free text."""


@dataclass(frozen=True)
class ServiceDescription:
    """One service's invitation facts (its botocore model and API reference)."""

    name: str
    """The boto3/botocore service name (``macie2``), also the endpoints.json key of its
    region catalogue and the ``<SERVICE>`` of ``AWS_ENDPOINT_URL_<SERVICE>``."""
    display_name: str
    """The service's name for people (``Amazon Macie``)."""
    short_name: str
    """The short name messages use (``Macie``)."""
    iam_prefix: str
    """The prefix of its IAM actions (``macie2``)."""
    list_operation: str
    """The operation that lists received invitations, which has a botocore paginator."""
    decline_operation: str
    delete_operation: str
    page_size: int
    """The largest page the list operation returns (the model's maximum)."""
    page_size_parameter: str
    """The list operation's page size parameter."""
    batch_size: int
    """Account ids sent per decline/delete call."""
    request_field: str
    """The decline/delete request's list of sender account ids."""
    invitations_field: str
    """The list reply's list of invitations."""
    sender_field: str
    """An invitation's sender account id."""
    status_field: str
    """An invitation's status."""
    unprocessed: UnprocessedFields
    pending_statuses: frozenset[str]
    """An invitation still waiting for an answer: declined first."""
    accepted_statuses: frozenset[str]
    """An accepted invitation: its sender is the current administrator (never touched)."""
    resubmitted_codes: frozenset[str]
    """Unprocessed codes worth sending again (the service could not process them)."""
    tolerated_codes: frozenset[str]
    """Unprocessed codes that may mean done already (another cleanup got there first): a
    decline answered so is deleted all the same, and the listing afterwards decides."""
    not_enabled_codes: frozenset[str]
    """What the service answers, in a region the account has not enabled, to credentials
    that are good elsewhere."""
    leave_member_command: str
    """The CLI command a member runs to leave its administrator."""
    leave_administrator_command: str
    """The CLI command an administrator runs to let a member go."""

    @property
    def endpoint_variable(self) -> str:
        """boto3's variable for this service's endpoint."""
        return f"AWS_ENDPOINT_URL_{self.name.upper()}"

    def iam_action(self, operation: str) -> str:
        """The IAM action of one of its operations."""
        return f"{self.iam_prefix}:{operation}"

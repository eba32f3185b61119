"""What a service description holds: one service's invitation facts, as data."""

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
    """An item's error code; None for a service that gives only the free text (GuardDuty's
    ``Result``, Security Hub's ``ProcessingResult``): its items are then classified as
    the code ``None`` (see :attr:`ServiceDescription.resubmitted_codes`)."""


@dataclass(frozen=True, kw_only=True)
class ServiceDescription:
    """One service's invitation facts (its botocore model and API reference).

    Field and parameter names are botocore's member names (what a boto3 client takes and
    returns: GuardDuty's ``AccountIds``, though its wire name is ``accountIds``).

    An unprocessed account is classified by its code (``None`` for a service that gives
    only free text): a code in :attr:`resubmitted_codes` is sent again, a bounded number of
    times; one still unprocessed after that, or never resubmitted, is deleted all the same
    when its code is in :attr:`tolerated_codes` (the listing afterwards decides), else left
    pending. Macie's codes are one or the other (``InternalError`` resubmitted,
    ``ClientError`` tolerated). A free-text reason can't tell "AWS could not process it
    now" from "done already" (another cleanup got there first, or a retried call whose
    first reply was lost), so such a service's ``None`` is both: sent again, then deleted
    all the same, and the listing afterwards decides.
    """

    name: str
    """The boto3/botocore service name (``macie2``), also the endpoints.json key of its
    region catalogue and the ``<SERVICE>`` of ``AWS_ENDPOINT_URL_<SERVICE>``."""
    display_name: str
    """The service's name for people (``Amazon Macie``)."""
    short_name: str
    """The short name messages use (``Macie``)."""
    iam_prefix: str
    """The prefix of its IAM actions (``macie2``)."""
    list_operation: str = "ListInvitations"
    """The operation that lists received invitations, which has a botocore paginator."""
    decline_operation: str = "DeclineInvitations"
    delete_operation: str = "DeleteInvitations"
    page_size: int
    """The largest page the list operation returns (the model's maximum)."""
    page_size_parameter: str
    """The list operation's page size parameter."""
    batch_size: int = 50
    """Account ids sent per decline/delete call (GuardDuty's bound; the others document
    none)."""
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
    resubmitted_codes: frozenset[str | None]
    """Unprocessed codes worth sending again (the service could not process them)."""
    tolerated_codes: frozenset[str | None]
    """Unprocessed codes that may mean done already (another cleanup got there first): a
    decline answered so is deleted all the same, and the listing afterwards decides."""
    not_enabled_codes: frozenset[str] = frozenset(
        {"UnrecognizedClientException", "InvalidClientTokenId"}
    )
    """What the service answers, in a region the account has not enabled, to credentials
    that are good elsewhere."""
    leave_member_command: str
    """The CLI command a member runs to leave its administrator."""
    leave_administrator_command: str
    """The CLI command an administrator runs to let a member go."""
    named_in_call_errors: bool = True
    """Whether a failed call's message names the service (``GuardDuty region us-east-1``):
    Macie's messages name none, as when it was the only service."""

    @property
    def endpoint_variable(self) -> str:
        """boto3's variable for this service's endpoint."""
        return f"AWS_ENDPOINT_URL_{self.name.upper()}"

    def iam_action(self, operation: str) -> str:
        """The IAM action of one of its operations."""
        return f"{self.iam_prefix}:{operation}"

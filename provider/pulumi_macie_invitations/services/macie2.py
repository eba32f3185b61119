"""Amazon Macie (``macie2``): the facts of its invitation calls.

``ListInvitations`` (GET /invitations) pages at most 25 items; ``DeclineInvitations`` and
``DeleteInvitations`` take ``accountIds`` (no documented bound: 50 a call, GuardDuty's
bound on such lists) and answer ``unprocessedAccounts`` of ``{accountId, errorCode
(ClientError/InternalError), errorMessage}`` in a 200 reply. Only a declined invitation
can be deleted; an accepted one (Enabled, Paused) is the current administrator's.
"""

from __future__ import annotations

from typing import Final

from .description import ServiceDescription, UnprocessedFields

MACIE2: Final = ServiceDescription(
    name="macie2",
    display_name="Amazon Macie",
    short_name="Macie",
    iam_prefix="macie2",
    page_size=25,
    page_size_parameter="maxResults",
    request_field="accountIds",
    invitations_field="invitations",
    sender_field="accountId",
    status_field="relationshipStatus",
    unprocessed=UnprocessedFields(
        list="unprocessedAccounts", account="accountId", message="errorMessage", code="errorCode"
    ),
    pending_statuses=frozenset({"Invited", "Created", "EmailVerificationInProgress"}),
    accepted_statuses=frozenset({"Enabled", "Paused"}),
    resubmitted_codes=frozenset({"InternalError"}),
    tolerated_codes=frozenset({"ClientError"}),
    leave_member_command="aws macie2 disassociate-from-administrator-account",
    leave_administrator_command="aws macie2 disassociate-member",
    named_in_call_errors=False,
)
"""Amazon Macie."""

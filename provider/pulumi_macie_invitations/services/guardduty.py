"""Amazon GuardDuty (``guardduty``): the facts of its invitation calls.

``ListInvitations`` (GET /invitation) pages at most 50 items; ``DeclineInvitations`` and
``DeleteInvitations`` take ``AccountIds`` (1..50) and answer ``UnprocessedAccounts`` of
``{AccountId, Result}`` (free text, no code) in a 200 reply. None of the four invitation
calls takes a detector id. The status is a free string in the model; the reference lists
Created, Invited, Enabled, Disabled, Removed, Resigned, EmailVerificationInProgress and
EmailVerificationFailed. Enabled, and Disabled (a membership accepted, then suspended),
are the current administrator's. Whether delete needs a decline first is not documented:
pending ones are declined first, then deleted, and the listing afterwards decides.
"""

from __future__ import annotations

from typing import Final

from .description import ServiceDescription, UnprocessedFields

GUARDDUTY: Final = ServiceDescription(
    name="guardduty",
    display_name="Amazon GuardDuty",
    short_name="GuardDuty",
    iam_prefix="guardduty",
    page_size=50,
    page_size_parameter="MaxResults",
    request_field="AccountIds",
    invitations_field="Invitations",
    sender_field="AccountId",
    status_field="RelationshipStatus",
    unprocessed=UnprocessedFields(
        list="UnprocessedAccounts", account="AccountId", message="Result"
    ),
    pending_statuses=frozenset({"Invited", "Created", "EmailVerificationInProgress"}),
    accepted_statuses=frozenset({"Enabled", "Disabled"}),
    resubmitted_codes=frozenset({None}),
    tolerated_codes=frozenset({None}),
    leave_member_command=(
        "aws guardduty disassociate-from-administrator-account --detector-id <detector id>"
    ),
    leave_administrator_command="aws guardduty disassociate-members",
)
"""Amazon GuardDuty."""

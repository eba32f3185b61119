"""AWS Security Hub (``securityhub``): the facts of its invitation calls.

``ListInvitations`` (GET /invitations) pages at most 50 items; ``DeclineInvitations`` and
``DeleteInvitations`` take ``AccountIds`` (no documented bound: 50 a call, GuardDuty's
bound) and answer ``UnprocessedAccounts`` of ``{AccountId, ProcessingResult}`` (free
text, no code) in a 200 reply. The status (``MemberStatus``) is a free string in the
model; the reference lists Created, Invited, Enabled, Removed, Resigned, Deleted and
AccountSuspended. Enabled is the current administrator's. Accounts of an AWS organization
don't receive invitations (the organization manages them); accounts managed by
invitation do. Whether delete needs a decline first is not documented: pending ones are
declined first, then deleted, and the listing afterwards decides.
"""

from __future__ import annotations

from typing import Final

from .description import ServiceDescription, UnprocessedFields

SECURITYHUB: Final = ServiceDescription(
    name="securityhub",
    display_name="AWS Security Hub",
    short_name="Security Hub",
    iam_prefix="securityhub",
    page_size=50,
    page_size_parameter="MaxResults",
    request_field="AccountIds",
    invitations_field="Invitations",
    sender_field="AccountId",
    status_field="MemberStatus",
    unprocessed=UnprocessedFields(
        list="UnprocessedAccounts", account="AccountId", message="ProcessingResult"
    ),
    pending_statuses=frozenset({"Invited", "Created"}),
    accepted_statuses=frozenset({"Enabled"}),
    resubmitted_codes=frozenset({None}),
    tolerated_codes=frozenset({None}),
    leave_member_command="aws securityhub disassociate-from-administrator-account",
    leave_administrator_command="aws securityhub disassociate-members",
)
"""AWS Security Hub."""

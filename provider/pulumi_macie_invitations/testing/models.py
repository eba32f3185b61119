"""moto's Macie2 backend, extended with the receiving side of membership invitations.

moto stores an invitation only on the sender's backend, keyed by recipient, and its
``ListInvitations`` shows the sender's view. :class:`InvitationsBackend` keeps all of
that (``CreateInvitations``, ``ListMembers``, ``DeleteMember``... behave as in moto) and
also delivers each invitation to the recipient's backend in the same region
(``macie2_invitation_backends[recipient][region]``), where the recipient lists, accepts,
declines, deletes and counts it, as Amazon Macie does.

Relationship statuses of a received invitation (``relationshipStatus``):

* ``Invited`` - pending; the only status ``CreateInvitations`` produces. ``Created`` and
  ``EmailVerificationInProgress`` (reachable only by seeding) count as pending too.
* ``Enabled`` - accepted: the sender is this account's administrator. ``Paused`` counts as
  accepted too. Neither can be declined nor deleted.
* ``Resigned`` - the *recipient* ended the relationship: it declined the invitation
  (``DeclineInvitations``) or left its administrator
  (``DisassociateFromAdministratorAccount``).
* ``Removed`` - the *sender* ended it (``DisassociateMember`` / ``DeleteMember``).

Why ``Resigned`` for a declined invitation: Macie's API reference names no dedicated
"declined" status, and across AWS's security services ``Resigned`` means the member
side ended the relationship while ``Removed`` means the administrator did; a decline is
the recipient saying no. Declined invitations are the only ones that can be deleted;
they no longer count in ``GetInvitationsCount``, which counts pending invitations only.

Macie's reference leaves open what a declined invitation looks like afterwards, so the
emulator offers each plausible reading as a *decline mode* (:data:`DECLINE_MODES`, set
with ``state.set_decline_mode`` or the control API, back to the default on reset):

* ``stays-listed`` (the default) - it stays listed as ``Resigned`` (that is why
  ``DeleteInvitations`` exists); declining it again changes nothing.
* ``leaves-listing`` - it leaves the listing at once (as Detective's ListInvitations drops
  declined invitations): a later DeleteInvitations, or a second decline, answers
  ``ClientError`` "doesn't exist".
* ``not-pending`` - it stays listed as ``Resigned``, and declining it again answers
  ``ClientError`` "isn't pending".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal, cast, get_args

from moto.core.base_backend import BackendDict
from moto.macie2.models import Invitation, MacieBackend, Member

from .exceptions import ConflictException, ResourceNotFoundException

__all__ = [
    "ACCEPTED_STATUSES",
    "DECLINED_STATUS",
    "DECLINE_MODES",
    "DEFAULT_DECLINE_MODE",
    "ENABLED_STATUS",
    "INVITED_STATUS",
    "PENDING_STATUSES",
    "RELATIONSHIP_STATUSES",
    "REMOVED_STATUS",
    "STATE_LOCK",
    "DeclineMode",
    "InvitationsBackend",
    "ReceivedInvitation",
    "UnprocessedAccount",
    "decline_mode",
    "macie2_invitation_backends",
    "set_decline_mode",
]

INVITED_STATUS: Final = "Invited"
ENABLED_STATUS: Final = "Enabled"
DECLINED_STATUS: Final = "Resigned"
"""Status of an invitation the recipient declined (or of a membership it left)."""
REMOVED_STATUS: Final = "Removed"
"""Status of a membership the sender ended."""
PENDING_STATUSES: Final = frozenset({INVITED_STATUS, "Created", "EmailVerificationInProgress"})
ACCEPTED_STATUSES: Final = frozenset({ENABLED_STATUS, "Paused"})
RELATIONSHIP_STATUSES: Final = frozenset(
    {
        *PENDING_STATUSES,
        *ACCEPTED_STATUSES,
        DECLINED_STATUS,
        REMOVED_STATUS,
        "EmailVerificationFailed",
        "RegionDisabled",
        "AccountSuspended",
    }
)

STATE_LOCK: Final = threading.RLock()
"""Serialises every Macie call and control-API change: an operation spans several accounts."""

CLIENT_ERROR: Final = "ClientError"

DeclineMode = Literal["stays-listed", "leaves-listing", "not-pending"]
"""What a declined invitation looks like afterwards (see the module docstring)."""
DECLINE_MODES: Final[tuple[DeclineMode, ...]] = get_args(DeclineMode)
DEFAULT_DECLINE_MODE: Final[DeclineMode] = "stays-listed"
_decline_mode: list[DeclineMode] = [DEFAULT_DECLINE_MODE]


def decline_mode() -> DeclineMode:
    """The decline mode every backend follows."""
    return _decline_mode[0]


def set_decline_mode(mode: str) -> None:
    """Make every backend follow decline ``mode``; ValueError for an unknown one."""
    if mode not in DECLINE_MODES:
        raise ValueError(f"the decline mode must be one of {list(DECLINE_MODES)}, not {mode!r}")
    with STATE_LOCK:
        _decline_mode[0] = cast(DeclineMode, mode)  # checked just above


def _iso8601(moment: datetime) -> str:
    """moto keeps naive UTC datetimes; Macie writes ISO 8601 with an explicit UTC offset."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _is_account_id(value: str) -> bool:
    return len(value) == 12 and value.isascii() and value.isdigit()


@dataclass(frozen=True)
class UnprocessedAccount:
    """One entry of a reply's ``unprocessedAccounts``."""

    account_id: str
    error_code: str
    error_message: str

    def to_json(self) -> dict[str, str]:
        """The entry as Macie serialises it."""
        return {
            "accountId": self.account_id,
            "errorCode": self.error_code,
            "errorMessage": self.error_message,
        }


class ReceivedInvitation(Invitation):
    """An invitation as its recipient sees it: ``account_id`` is the *sender*.

    It shares ``invitation_id`` and ``invited_at`` with moto's sender-side record.
    """

    def __init__(
        self,
        sender_account_id: str,
        recipient_account_id: str,
        region_name: str,
        invitation_id: str,
        invited_at: datetime,
        relationship_status: str = INVITED_STATUS,
    ) -> None:
        super().__init__(
            account_id=sender_account_id,
            region_name=region_name,
            admin_account_id=sender_account_id,
        )
        self.invitation_id = invitation_id
        self.invited_at = invited_at
        self.relationship_status = relationship_status
        self.recipient_account_id = recipient_account_id
        self.arn = f"arn:aws:macie2:{region_name}:{sender_account_id}:invitation/{invitation_id}"

    @property
    def sender_account_id(self) -> str:
        """The account that sent the invitation (the would-be administrator)."""
        return str(self.account_id)

    @property
    def is_pending(self) -> bool:
        """Not yet answered: can be accepted or declined."""
        return self.relationship_status in PENDING_STATUSES

    @property
    def is_accepted(self) -> bool:
        """The sender is this account's administrator: neither declinable nor deletable."""
        return self.relationship_status in ACCEPTED_STATUSES

    def to_json(self) -> dict[str, Any]:
        """The invitation in ListInvitations' ``Invitation`` shape."""
        return {
            "accountId": self.sender_account_id,
            "invitationId": self.invitation_id,
            "invitedAt": _iso8601(self.invited_at),
            "relationshipStatus": self.relationship_status,
        }


class InvitationsBackend(MacieBackend):
    """moto's Macie2 backend for one (account, region), plus the invitations it received."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.received: dict[str, ReceivedInvitation] = {}

    def _peer(self, account_id: str) -> InvitationsBackend:
        """The backend of another account in this region."""
        return macie2_invitation_backends[account_id][self.region_name]

    # -- sender side -------------------------------------------------------------------

    def create_invitations(self, account_ids: list[str]) -> None:
        """moto's signature; the invitations are delivered as :meth:`send_invitations` does."""
        self.send_invitations(account_ids)

    def send_invitations(self, account_ids: list[str]) -> list[UnprocessedAccount]:
        """Invite ``account_ids`` from this account; report the ones that can't be invited."""
        unprocessed: list[UnprocessedAccount] = []
        accepted: list[str] = []
        for recipient in dict.fromkeys(account_ids):
            reason = self._cannot_invite(recipient)
            if reason:
                unprocessed.append(UnprocessedAccount(recipient, CLIENT_ERROR, reason))
            else:
                accepted.append(recipient)
        super().create_invitations(accepted)
        for recipient in accepted:
            sent: Invitation = self.invitations[recipient]
            self._peer(recipient).receive_invitation(self.account_id, sent)
        return unprocessed

    def _cannot_invite(self, recipient: str) -> str | None:
        if not _is_account_id(recipient):
            return f"{recipient!r} isn't a valid AWS account ID."
        if recipient == self.account_id:
            return "An account can't invite itself."
        if recipient in self.members:
            return f"Account {recipient} is already a member of this organization."
        return None

    def receive_invitation(self, sender_account_id: str, sent: Invitation) -> ReceivedInvitation:
        """Store (or renew) the invitation ``sent`` by ``sender_account_id`` to this account."""
        invitation = ReceivedInvitation(
            sender_account_id=sender_account_id,
            recipient_account_id=self.account_id,
            region_name=self.region_name,
            invitation_id=sent.invitation_id,
            invited_at=sent.invited_at,
        )
        self.received[sender_account_id] = invitation
        return invitation

    def delete_member(self, member_account_id: str) -> None:
        """moto's DeleteMember; the member's invitation becomes ``Removed``."""
        super().delete_member(member_account_id)
        self._end_membership(member_account_id)

    def disassociate_member(self, member_account_id: str) -> None:
        """moto's DisassociateMember; the member's invitation becomes ``Removed``."""
        super().disassociate_member(member_account_id)
        self._end_membership(member_account_id)

    def _end_membership(self, member_account_id: str) -> None:
        member = self._peer(member_account_id)
        administrator = member.administrator_account
        if administrator is not None and administrator.administrator_account_id == self.account_id:
            member.administrator_account = None
        invitation = member.received.get(self.account_id)
        if invitation is not None and invitation.is_accepted:
            invitation.relationship_status = REMOVED_STATUS

    # -- recipient side ----------------------------------------------------------------

    def list_received_invitations(self) -> list[ReceivedInvitation]:
        """Every invitation this account received, in sender-account order."""
        return [self.received[sender] for sender in sorted(self.received)]

    def list_invitations(self) -> list[Invitation]:
        """The received invitations (moto lists the sent ones), as moto's type."""
        return list(self.list_received_invitations())

    def get_invitations_count(self) -> int:
        """How many received invitations are pending."""
        return sum(1 for invitation in self.received.values() if invitation.is_pending)

    def decline_invitations(self, account_ids: list[str]) -> None:
        """moto's signature; see :meth:`decline_received_invitations`."""
        self.decline_received_invitations(account_ids)

    def decline_received_invitations(self, account_ids: list[str]) -> list[UnprocessedAccount]:
        """Decline the pending invitations from the senders ``account_ids``.

        A missing or accepted invitation is reported as a ``ClientError``; an already
        declined one is left as is, or reported in the ``not-pending`` decline mode. In the
        ``leaves-listing`` mode a declined invitation is gone at once.
        """
        unprocessed: list[UnprocessedAccount] = []
        for sender in dict.fromkeys(account_ids):
            invitation = self.received.get(sender)
            if invitation is None or invitation.is_accepted:
                unprocessed.append(self._refusal(sender, invitation, "declined"))
            elif invitation.is_pending:
                invitation.relationship_status = DECLINED_STATUS
                self._withdraw_sent(sender, invitation.invitation_id)
                if decline_mode() == "leaves-listing":
                    del self.received[sender]
            elif decline_mode() == "not-pending":
                unprocessed.append(self._refusal(sender, invitation, "declined"))
        return unprocessed

    def delete_invitations(self, account_ids: list[str]) -> list[UnprocessedAccount]:
        """Delete the declined invitations from the senders ``account_ids``.

        A missing, pending or accepted invitation is reported as a ``ClientError`` and
        left untouched.
        """
        unprocessed: list[UnprocessedAccount] = []
        for sender in dict.fromkeys(account_ids):
            invitation = self.received.get(sender)
            if invitation is None or invitation.is_accepted or invitation.is_pending:
                unprocessed.append(self._refusal(sender, invitation, "deleted"))
            else:
                del self.received[sender]
        return unprocessed

    @staticmethod
    def _refusal(
        sender: str, invitation: ReceivedInvitation | None, verb: str
    ) -> UnprocessedAccount:
        if invitation is None:
            message = (
                f"The request failed because the invitation from account {sender} doesn't exist."
            )
        elif invitation.is_accepted:
            message = (
                f"The invitation from account {sender} was accepted: that account is this "
                f"account's Macie administrator, so its invitation can't be {verb}. "
                "Disassociate from the administrator account first."
            )
        elif verb == "declined":
            message = (
                f"The invitation from account {sender} isn't pending: it is "
                f"{invitation.relationship_status}."
            )
        else:
            message = (
                f"The invitation from account {sender} is {invitation.relationship_status}: "
                "only a declined invitation can be deleted. Decline it first."
            )
        return UnprocessedAccount(sender, CLIENT_ERROR, message)

    def _withdraw_sent(self, sender: str, invitation_id: str) -> None:
        """Drop the sender's own record of an invitation that was answered (as moto does)."""
        sent = self._peer(sender).invitations
        if self.account_id in sent and sent[self.account_id].invitation_id == invitation_id:
            del sent[self.account_id]

    def accept_invitation(self, administrator_account_id: str, invitation_id: str) -> None:
        """Accept the pending invitation ``invitation_id`` from ``administrator_account_id``.

        The sender gets moto's ``Member`` record and becomes this account's administrator.
        """
        invitation = self.received.get(administrator_account_id)
        if invitation is None or invitation.invitation_id != invitation_id:
            raise ResourceNotFoundException(
                f"No Macie membership invitation {invitation_id} from account "
                f"{administrator_account_id} was received."
            )
        if not invitation.is_pending:
            raise ConflictException(
                f"The invitation from account {administrator_account_id} is "
                f"{invitation.relationship_status}; only a pending invitation can be accepted."
            )
        if self.administrator_account is not None:
            raise ConflictException(
                "This account is already associated with the Macie administrator account "
                f"{self.administrator_account.administrator_account_id}."
            )
        member = Member(
            account_id=self.account_id,
            region_name=self.region_name,
            admin_account_id=administrator_account_id,
            invitation=invitation,
        )
        self._peer(administrator_account_id).members[self.account_id] = member
        self.administrator_account = member
        invitation.relationship_status = ENABLED_STATUS
        self._withdraw_sent(administrator_account_id, invitation_id)

    def disassociate_from_administrator_account(self) -> None:
        """Leave the current administrator: its invitation becomes ``Resigned``."""
        administrator = self.administrator_account
        if administrator is None:
            raise ResourceNotFoundException(
                "This account isn't associated with a Macie administrator account."
            )
        administrator_id: str = administrator.administrator_account_id
        self._peer(administrator_id).members.pop(self.account_id, None)
        self.administrator_account = None
        invitation = self.received.get(administrator_id)
        if invitation is not None:
            invitation.relationship_status = DECLINED_STATUS

    def disable_macie(self) -> None:
        """moto's DisableMacie; received invitations are dropped too."""
        super().disable_macie()
        self.received.clear()

    # -- test seeding ------------------------------------------------------------------

    def seed_invitation(
        self, sender_account_id: str, relationship_status: str = INVITED_STATUS
    ) -> ReceivedInvitation:
        """Put an invitation from ``sender_account_id`` in any status, bypassing the API.

        An accepted status also makes the sender this account's administrator (with a
        member record on the sender), as accepting would. ValueError for a bad sender or
        status.
        """
        if relationship_status not in RELATIONSHIP_STATUSES:
            raise ValueError(f"relationshipStatus must be one of {sorted(RELATIONSHIP_STATUSES)}")
        if not _is_account_id(sender_account_id) or sender_account_id == self.account_id:
            raise ValueError(f"{sender_account_id!r} can't invite {self.account_id}")
        sent = Invitation(self.account_id, self.region_name, sender_account_id)
        self._peer(sender_account_id).invitations[self.account_id] = sent
        invitation = self.receive_invitation(sender_account_id, sent)
        if relationship_status in ACCEPTED_STATUSES:
            self.accept_invitation(sender_account_id, invitation.invitation_id)
        invitation.relationship_status = relationship_status
        return invitation


macie2_invitation_backends: BackendDict[InvitationsBackend] = BackendDict(
    InvitationsBackend, "macie2"
)

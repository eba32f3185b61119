"""The receiving side of membership invitations, shared by every service: an inbox per
(recipient account, region, service), its statuses, and the decline modes.

moto stores invitations (where it has any) on the sender's backend. A service's backend
here is moto's backend of that service with :class:`ReceivingBackend` mixed in: each
invitation sent is also delivered to the recipient's backend in the same region, where
the recipient lists, accepts, declines, deletes and counts it.

Statuses of a received invitation (each service names them in its facts,
:class:`~.service.InvitationService`):

* ``Invited`` - pending; the only status sending produces. The service's other pending
  statuses (``Created``, ``EmailVerificationInProgress``...) are reachable by seeding.
* ``Enabled`` - accepted: the sender is this account's administrator (so are the
  service's other accepted statuses, such as Macie's ``Paused``). Neither can be declined
  nor deleted.
* ``Resigned`` - the *recipient* ended the relationship: it declined the invitation or
  left its administrator.
* ``Removed`` - the *sender* ended it.

Why ``Resigned`` for a declined invitation: none of the services names a dedicated
"declined" status, and across AWS's security services ``Resigned`` means the member side
ended the relationship while ``Removed`` means the administrator did; a decline is the
recipient saying no. Declined invitations no longer count in GetInvitationsCount, which
counts pending invitations only.

What a declined invitation looks like afterwards, and (outside Macie) whether delete
needs a decline first, the references leave open: the emulator offers each plausible
reading as a *decline mode*, per service (set with ``state.set_decline_mode`` or the
control API, back to the default on reset):

* ``stays-listed`` (the default) - it stays listed as ``Resigned`` (that is why
  DeleteInvitations exists); declining it again changes nothing. Only a declined (or
  ended) invitation can be deleted, as Macie documents.
* ``leaves-listing`` - it leaves the listing at once (as Detective's ListInvitations drops
  declined invitations): a later DeleteInvitations, or a second decline, answers "doesn't
  exist".
* ``not-pending`` - it stays listed as ``Resigned``, and declining it again answers
  "isn't pending".
* ``deletes-pending`` (GuardDuty and Security Hub only) - as ``stays-listed``, and
  DeleteInvitations also deletes a *pending* invitation, no decline needed: their
  references describe DeleteInvitations as deleting the invitations the account received
  from the listed accounts, without Macie's "declined only" (an accepted one still can't
  be deleted: that sender is the administrator).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import ClassVar, Final, TypeVar

from moto.core.base_backend import BackendDict, BaseBackend

from .service import DEFAULT_DECLINE_MODE, InvitationService, Unprocessed

__all__ = [
    "CLIENT_ERROR",
    "STATE_LOCK",
    "ReceivedInvitation",
    "ReceivingBackend",
    "current_decline_mode",
    "invitation_backends",
    "is_account_id",
    "iso8601",
    "store_decline_mode",
]

STATE_LOCK: Final = threading.RLock()
"""Serialises every emulated call and control-API change: an operation spans several
accounts."""
CLIENT_ERROR: Final = "ClientError"
_decline_modes: dict[str, str] = {}


def current_decline_mode(service: str) -> str:
    """The decline mode ``service``'s backends follow."""
    return _decline_modes.get(service, DEFAULT_DECLINE_MODE)


def store_decline_mode(service: str, mode: str) -> None:
    """Make ``service``'s backends follow ``mode`` (checked by the caller)."""
    with STATE_LOCK:
        _decline_modes[service] = mode


def is_account_id(value: object) -> bool:
    """A 12-digit account ID string."""
    return isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()


def iso8601(moment: datetime) -> str:
    """moto keeps naive UTC datetimes; AWS writes ISO 8601 with an explicit UTC offset."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ReceivedInvitation:
    """An invitation as its recipient sees it: ``account_id`` is the *sender*."""

    def __init__(
        self,
        service: InvitationService,
        sender_account_id: str,
        recipient_account_id: str,
        region_name: str,
        invitation_id: str,
        invited_at: datetime,
        relationship_status: str | None = None,
    ) -> None:
        self.service = service
        self.account_id = sender_account_id
        self.recipient_account_id = recipient_account_id
        self.region_name = region_name
        self.invitation_id = invitation_id
        self.invited_at = invited_at
        self.relationship_status = relationship_status or service.invited
        self.arn = (
            f"arn:aws:{service.name}:{region_name}:{sender_account_id}:invitation/{invitation_id}"
        )

    @property
    def sender_account_id(self) -> str:
        """The account that sent the invitation (the would-be administrator)."""
        return self.account_id

    @property
    def is_pending(self) -> bool:
        """Not yet answered: can be accepted or declined."""
        return self.relationship_status in self.service.pending

    @property
    def is_accepted(self) -> bool:
        """The sender is this account's administrator: neither declinable nor deletable."""
        return self.relationship_status in self.service.accepted

    def to_json(self) -> dict[str, str]:
        """The invitation in the service's ListInvitations item shape."""
        wire = self.service.wire
        return {
            wire["accountId"]: self.sender_account_id,
            wire["invitationId"]: self.invitation_id,
            wire["invitedAt"]: iso8601(self.invited_at),
            wire["status"]: self.relationship_status,
        }


Backend = TypeVar("Backend", bound="ReceivingBackend")


class ReceivingBackend(BaseBackend):
    """Mixed into moto's backend of a service (before it): the invitations this (account,
    region) received, and the calls that answer them. A service overrides the hooks
    (``_record_sent``, ``_answered``, ``_administrator``...) where moto keeps records of its
    own (Macie's sender-side invitations and members)."""

    service: ClassVar[InvitationService]
    peers: ClassVar[BackendDict[ReceivingBackend]]
    """Every account's backends of the service (set by :func:`invitation_backends`)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.received: dict[str, ReceivedInvitation] = {}
        self.administrator_id: str | None = None

    def _peer(self, account_id: str) -> ReceivingBackend:
        """The backend of another account in this region."""
        return self.peers[account_id][self.region_name]

    def _refusal(self, sender: str, message: str) -> Unprocessed:
        return Unprocessed(sender, CLIENT_ERROR, message)

    # -- hooks ---------------------------------------------------------------------------

    def _record_sent(self, recipient: str) -> tuple[str, datetime]:
        """Keep the sender's own record of an invitation to ``recipient``; its id and time."""
        return uuid.uuid4().hex, datetime.now(UTC)

    def _answered(self, sender: str, invitation: ReceivedInvitation) -> None:
        """The recipient answered ``sender``'s invitation (accepted or declined it)."""

    def _administrator(self) -> str | None:
        """The account this one is a member of, if any."""
        return self.administrator_id

    def _associate(self, invitation: ReceivedInvitation) -> None:
        """Make the invitation's sender this account's administrator."""
        self.administrator_id = invitation.sender_account_id

    def _dissociate(self, administrator_id: str) -> None:
        """This account is no longer ``administrator_id``'s member."""
        self.administrator_id = None

    def _cannot_invite(self, recipient: str) -> str | None:
        if not is_account_id(recipient):
            return f"{recipient!r} isn't a valid AWS account ID."
        if recipient == self.account_id:
            return "An account can't invite itself."
        return None

    # -- sender side -----------------------------------------------------------------------

    def send_invitations(self, account_ids: Iterable[str]) -> list[Unprocessed]:
        """Invite ``account_ids`` from this account; report the ones that can't be invited."""
        unprocessed: list[Unprocessed] = []
        for recipient in dict.fromkeys(account_ids):
            reason = self._cannot_invite(recipient)
            if reason:
                unprocessed.append(self._refusal(recipient, reason))
                continue
            invitation_id, invited_at = self._record_sent(recipient)
            self._peer(recipient).receive_invitation(self.account_id, invitation_id, invited_at)
        return unprocessed

    def receive_invitation(
        self, sender: str, invitation_id: str, invited_at: datetime
    ) -> ReceivedInvitation:
        """Store (or renew) the invitation from ``sender`` to this account."""
        invitation = ReceivedInvitation(
            self.service, sender, self.account_id, self.region_name, invitation_id, invited_at
        )
        self.received[sender] = invitation
        return invitation

    def end_membership(self, member_account_id: str) -> None:
        """The sender (this account) ends ``member_account_id``'s membership: its accepted
        invitation becomes ``Removed``."""
        member = self._peer(member_account_id)
        if member._administrator() == self.account_id:
            member._dissociate(self.account_id)
        invitation = member.received.get(self.account_id)
        if invitation is not None and invitation.is_accepted:
            invitation.relationship_status = self.service.removed

    # -- recipient side --------------------------------------------------------------------

    def list_received_invitations(self) -> list[ReceivedInvitation]:
        """Every invitation this account received, in sender-account order."""
        return [self.received[sender] for sender in sorted(self.received)]

    def count_pending_invitations(self) -> int:
        """How many received invitations are pending."""
        return sum(1 for invitation in self.received.values() if invitation.is_pending)

    def decline_received_invitations(self, account_ids: Iterable[str]) -> list[Unprocessed]:
        """Decline the pending invitations from the senders ``account_ids``.

        A missing or accepted invitation is reported; an already declined one is left as
        is, or reported in the ``not-pending`` decline mode. In the ``leaves-listing`` mode
        a declined invitation is gone at once.
        """
        mode = current_decline_mode(self.service.name)
        unprocessed: list[Unprocessed] = []
        for sender in dict.fromkeys(account_ids):
            invitation = self.received.get(sender)
            if invitation is None or invitation.is_accepted:
                unprocessed.append(self._why_not(sender, invitation, "declined"))
            elif invitation.is_pending:
                invitation.relationship_status = self.service.declined
                self._answered(sender, invitation)
                if mode == "leaves-listing":
                    del self.received[sender]
            elif mode == "not-pending":
                unprocessed.append(self._why_not(sender, invitation, "declined"))
        return unprocessed

    def delete_received_invitations(self, account_ids: Iterable[str]) -> list[Unprocessed]:
        """Delete the declined invitations from the senders ``account_ids`` (pending ones
        too in the ``deletes-pending`` mode). The others are reported and left untouched."""
        deletes_pending = current_decline_mode(self.service.name) == "deletes-pending"
        unprocessed: list[Unprocessed] = []
        for sender in dict.fromkeys(account_ids):
            invitation = self.received.get(sender)
            if (
                invitation is None
                or invitation.is_accepted
                or (invitation.is_pending and not deletes_pending)
            ):
                unprocessed.append(self._why_not(sender, invitation, "deleted"))
            else:
                del self.received[sender]
        return unprocessed

    def _why_not(
        self, sender: str, invitation: ReceivedInvitation | None, verb: str
    ) -> Unprocessed:
        if invitation is None:
            message = (
                f"The request failed because the invitation from account {sender} doesn't exist."
            )
        elif invitation.is_accepted:
            message = (
                f"The invitation from account {sender} was accepted: that account is this "
                f"account's {self.service.title} administrator, so its invitation can't be "
                f"{verb}. Disassociate from the administrator account first."
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
        return self._refusal(sender, message)

    def accept_received_invitation(self, administrator_id: str, invitation_id: str) -> None:
        """Accept the pending invitation ``invitation_id`` from ``administrator_id``: the
        sender becomes this account's administrator."""
        errors = self.service.errors
        invitation = self.received.get(administrator_id)
        if invitation is None or invitation.invitation_id != invitation_id:
            raise errors.not_found(
                f"No {self.service.title} membership invitation {invitation_id} from account "
                f"{administrator_id} was received."
            )
        if not invitation.is_pending:
            raise errors.conflict(
                f"The invitation from account {administrator_id} is "
                f"{invitation.relationship_status}; only a pending invitation can be accepted."
            )
        current = self._administrator()
        if current is not None:
            raise errors.conflict(
                f"This account is already associated with the {self.service.title} "
                f"administrator account {current}."
            )
        self._associate(invitation)
        invitation.relationship_status = self.service.enabled
        self._answered(administrator_id, invitation)

    def leave_administrator(self) -> None:
        """Leave the current administrator: its invitation becomes ``Resigned``."""
        administrator_id = self._administrator()
        if administrator_id is None:
            raise self.service.errors.not_found(
                f"This account isn't associated with a {self.service.title} administrator account."
            )
        self._dissociate(administrator_id)
        invitation = self.received.get(administrator_id)
        if invitation is not None:
            invitation.relationship_status = self.service.declined

    def administrator_invitation(self) -> ReceivedInvitation | None:
        """The accepted invitation of the current administrator, if any."""
        administrator_id = self._administrator()
        return None if administrator_id is None else self.received.get(administrator_id)

    # -- test seeding ----------------------------------------------------------------------

    def seed_invitation(self, sender: str, status: str | None = None) -> ReceivedInvitation:
        """Put an invitation from ``sender`` in any status, bypassing the API.

        An accepted status also makes the sender this account's administrator, as
        accepting would. ValueError for a bad sender or status; the service's conflict
        error for an accepted status while another administrator is set.
        """
        status = status or self.service.invited
        if status not in self.service.statuses:
            field = self.service.wire["status"]
            raise ValueError(f"{field} must be one of {sorted(self.service.statuses)}")
        if not is_account_id(sender) or sender == self.account_id:
            raise ValueError(f"{sender!r} can't invite {self.account_id}")
        invitation_id, invited_at = self._peer(sender)._record_sent(self.account_id)
        invitation = self.receive_invitation(sender, invitation_id, invited_at)
        if status in self.service.accepted:
            self.accept_received_invitation(sender, invitation_id)
        invitation.relationship_status = status
        return invitation


def invitation_backends(backend: type[Backend]) -> BackendDict[Backend]:
    """moto's ``BackendDict`` of ``backend`` (every account, every region of its service),
    which its backends also reach each other through."""
    backends: BackendDict[Backend] = BackendDict(backend, backend.service.name)
    backend.peers = backends  # type: ignore[assignment]
    return backends

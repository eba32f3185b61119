"""Request handlers every invitation service shares, mixed into moto's response class of
the service (before it).

Every call of the service, moto's inherited handlers included, goes through
:meth:`InboxResponse.call_action`: the per-call delay, then the account's region check (a
region it has not enabled refuses the call), then fault injection, then the handler under
:data:`~.inbox.STATE_LOCK`, then a lost reply if one is due (the call applied, a 500
answered), then an entry in the call log.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, ClassVar

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import BaseResponse

from ..accounts import NOT_ENABLED_ERROR, account_limits
from ..exceptions import CredentialsRejected, ServiceError
from ..faults import call_delay, call_log, faults
from .inbox import STATE_LOCK, ReceivingBackend
from .service import InvitationService, Unprocessed

__all__ = ["Accepting", "InboxResponse", "validation_error"]

Accepting = dict[str, tuple[tuple[str, ...], str]]
"""Per accepting operation of a service: the members naming the administrator (the first
given wins) and the member naming the invitation."""

INJECTED_MESSAGE = "Not processed (injected by the emulator)."


def validation_error(
    service: InvitationService, value: object, member: str, constraint: str
) -> ServiceError:
    """The service's validation error, worded like AWS's own."""
    return service.errors.validation(
        f"1 validation error detected: Value {json.dumps(value)} at '{member}' "
        f"failed to satisfy constraint: {constraint}"
    )


def _encode_token(last_sender: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_sender}).encode()).decode()


class InboxResponse(BaseResponse):
    """The receiving side's handlers (ListInvitations, DeclineInvitations,
    DeleteInvitations, GetInvitationsCount, accepting and leaving an administrator) on the
    service's :class:`~.inbox.ReceivingBackend`, with faults, the region check and the call
    log around every call."""

    service: ClassVar[InvitationService]
    backends: ClassVar[Any]  # the service's BackendDict of ReceivingBackend
    accepting: ClassVar[Accepting]

    @property
    def inbox(self) -> ReceivingBackend:
        """The backend of the calling account in the request's region."""
        backend: ReceivingBackend = self.backends[self.current_account][self.region]
        return backend

    def call_action(self) -> TYPE_RESPONSE:
        """Wait the call delay, refuse a disabled region, inject faults, run the handler, lose
        its reply if a fault says so, log the call; in progress until logged."""
        operation = self._get_action()
        if not operation:
            return super().call_action()
        name = self.service.name
        with call_log.in_progress(operation, self.current_account, self.region, name):
            call_delay.wait()
            try:
                if not account_limits.region_enabled(self.current_account, self.region):
                    raise CredentialsRejected(NOT_ENABLED_ERROR)
                faults.before_call(operation, name)
                with STATE_LOCK:
                    status, headers, body = super().call_action()
                if status < 400:
                    faults.after_call(operation, name)
            except ServiceError as error:
                status = error.code
                headers = {**self.response_headers, **dict(error.get_headers())}
                body = error.get_body()
            call_log.record(
                operation,
                self.current_account,
                self.region,
                status,
                self._logged_account_ids(),
                self.headers.get("User-Agent"),
                service=name,
            )
        return status, headers, body

    def _logged_account_ids(self) -> list[str] | None:
        value = self._get_param(self.service["accountIds"])
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None

    def _invalid(self, value: object, member: str, constraint: str) -> ServiceError:
        return validation_error(self.service, value, member, constraint)

    def _required_account_ids(self) -> list[str]:
        member, bound = self.service["accountIds"], self.service.account_ids_bound
        value = self._get_param(member)
        if value is None:
            raise self._invalid(None, member, "Member must not be null")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._invalid(value, member, "Member must be a list of strings")
        if not value:
            raise self._invalid(value, member, "Member must have at least 1 item")
        if bound is not None and len(value) > bound:
            raise self._invalid(
                value, member, f"Member must have length less than or equal to {bound}"
            )
        return value

    def _required_string(self, *members: str) -> str:
        """The first of ``members`` the request gives, a non-empty string."""
        for member in members:
            value = self._get_param(member)
            if value is not None:
                if not isinstance(value, str) or not value:
                    raise self._invalid(value, member, "Member must be a non-empty string")
                return value
        raise self._invalid(None, members[0], "Member must not be null")

    def unprocessed_reply(self, process: Callable[[list[str]], list[Unprocessed]]) -> str:
        """Run ``process`` on the request's account IDs, minus those a fault holds back;
        the reply lists the unprocessed ones in the service's shape."""
        account_ids = self._required_account_ids()
        forced = faults.take_unprocessed(self._get_action(), account_ids, self.service.name)
        unprocessed = [
            Unprocessed(account_id, error_code, INJECTED_MESSAGE)
            for account_id, error_code in forced.items()
        ]
        unprocessed += process([each for each in account_ids if each not in forced])
        entries = [self.service.unprocessed(entry) for entry in unprocessed]
        return json.dumps({self.service["unprocessedAccounts"]: entries})

    def _max_results(self) -> int:
        member, bound = self.service["maxResults"], self.service.page_size
        raw = self._get_param(member)
        if raw is None:
            return bound
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise self._invalid(raw, member, "Member must be an integer") from None
        if value < 1:
            raise self._invalid(value, member, "Member must have value greater than or equal to 1")
        if value > bound:
            raise self._invalid(
                value, member, f"Member must have value less than or equal to {bound}"
            )
        return value

    def _after(self) -> str | None:
        """The sender account the previous page ended with (from the request's token)."""
        member = self.service["nextToken"]
        token = self._get_param(member)
        if token is None:
            return None
        try:
            decoded = json.loads(base64.urlsafe_b64decode(str(token).encode()))
        except (binascii.Error, UnicodeError, ValueError):
            decoded = None
        after = decoded.get("after") if isinstance(decoded, dict) else None
        if not isinstance(after, str):
            raise self.service.errors.validation(f"The {member} value isn't valid.")
        return after

    # -- the operations --------------------------------------------------------------------

    def list_invitations(self) -> str:
        """ListInvitations: the invitations the caller received, in pages."""
        page_size, after = self._max_results(), self._after()
        remaining = [
            invitation
            for invitation in self.inbox.list_received_invitations()
            if after is None or invitation.sender_account_id > after
        ]
        page = remaining[:page_size]
        reply: dict[str, object] = {
            self.service["invitations"]: [invitation.to_json() for invitation in page]
        }
        if len(remaining) > page_size:
            reply[self.service["nextToken"]] = _encode_token(page[-1].sender_account_id)
        return json.dumps(reply)

    def decline_invitations(self) -> str:
        """DeclineInvitations: decline the pending invitations from the listed senders."""
        return self.unprocessed_reply(self.inbox.decline_received_invitations)

    def delete_invitations(self) -> str:
        """DeleteInvitations: delete the declined invitations from the listed senders."""
        return self.unprocessed_reply(self.inbox.delete_received_invitations)

    def get_invitations_count(self) -> str:
        """GetInvitationsCount: how many received invitations are pending."""
        return json.dumps(
            {self.service["invitationsCount"]: self.inbox.count_pending_invitations()}
        )

    def send_reply(self) -> str:
        """The sender's call that sends invitations (CreateInvitations, InviteMembers)."""
        return self.unprocessed_reply(self.inbox.send_invitations)

    def invite_members(self) -> str:
        """InviteMembers: the sender invites accounts (the emulator doesn't require
        CreateMembers first)."""
        return self.send_reply()

    def _accept(self) -> str:
        """Accepting an invitation, by the members :attr:`accepting` names."""
        administrator_members, invitation_member = self.accepting[self._get_action()]
        invitation_id = self._required_string(invitation_member)
        administrator = self._required_string(*administrator_members)
        self.inbox.accept_received_invitation(administrator, invitation_id)
        return "{}"

    def accept_invitation(self) -> str:
        """AcceptInvitation (each service names the administrator its own way)."""
        return self._accept()

    def accept_administrator_invitation(self) -> str:
        """AcceptAdministratorInvitation (GuardDuty's and Security Hub's current name)."""
        return self._accept()

    def disassociate_from_administrator_account(self) -> str:
        """DisassociateFromAdministratorAccount: leave the current administrator."""
        self.inbox.leave_administrator()
        return "{}"

    def disassociate_from_master_account(self) -> str:
        """DisassociateFromMasterAccount, the deprecated name of the same operation."""
        return self.disassociate_from_administrator_account()

    def get_administrator_account(self) -> str:
        """GetAdministratorAccount: the invitation that made the association, else moto's
        answer."""
        invitation = self.inbox.administrator_invitation()
        if invitation is None:
            moto_reply: Callable[[], str] = super().get_administrator_account  # type: ignore[misc]
            return moto_reply()
        return json.dumps({self.service["administrator"]: invitation.to_json()})

"""Request handlers: moto's ``MacieResponse`` plus the receiving side of invitations.

Every Macie call, moto's inherited handlers included, goes through :meth:`call_action`:
the per-call delay, then the account's region check (a region it has not enabled refuses
the call), then fault injection, then the handler under :data:`~.models.STATE_LOCK`, then
a lost reply if one is due (the call applied, a 500 answered), then an entry in the call
log.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Final

from moto.core.common_types import TYPE_RESPONSE
from moto.macie2.responses import MacieResponse

from .accounts import NOT_ENABLED_ERROR, account_limits
from .exceptions import CredentialsRejected, MacieError, ValidationException
from .faults import call_delay, call_log, faults
from .models import (
    STATE_LOCK,
    InvitationsBackend,
    UnprocessedAccount,
    macie2_invitation_backends,
)

__all__ = ["MAX_PAGE_SIZE", "InvitationsResponse"]

MAX_PAGE_SIZE: Final = 25
"""ListInvitations' ``maxResults`` bound and default."""


def _validation_error(value: object, member: str, constraint: str) -> ValidationException:
    """A ValidationException worded like AWS's own."""
    return ValidationException(
        f"1 validation error detected: Value {json.dumps(value)} at '{member}' "
        f"failed to satisfy constraint: {constraint}"
    )


def _encode_token(last_sender: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_sender}).encode()).decode()


def _decode_token(token: str) -> str:
    """The sender account the previous page ended with."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, UnicodeError, ValueError):
        decoded = None
    after = decoded.get("after") if isinstance(decoded, dict) else None
    if not isinstance(after, str):
        raise ValidationException("The nextToken value isn't valid.")
    return after


class InvitationsResponse(MacieResponse):
    """moto's Macie2 handlers on :class:`~.models.InvitationsBackend`, with faults and a log."""

    @property
    def macie_backend(self) -> InvitationsBackend:
        """The backend of the calling account in the request's region."""
        return macie2_invitation_backends[self.current_account][self.region]

    def call_action(self) -> TYPE_RESPONSE:
        """Wait the call delay, refuse a disabled region, inject faults, run the handler, lose
        its reply if a fault says so, log the call; in progress until logged."""
        operation = self._get_action()
        if not operation:
            return super().call_action()
        with call_log.in_progress(operation, self.current_account, self.region):
            call_delay.wait()
            try:
                if not account_limits.region_enabled(self.current_account, self.region):
                    raise CredentialsRejected(NOT_ENABLED_ERROR)
                faults.before_call(operation)
                with STATE_LOCK:
                    status, headers, body = super().call_action()
                if status < 400:
                    faults.after_call(operation)
            except MacieError as error:
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
            )
        return status, headers, body

    def _logged_account_ids(self) -> list[str] | None:
        value = self._get_param("accountIds")
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None

    def _required_account_ids(self) -> list[str]:
        value = self._get_param("accountIds")
        if value is None:
            raise _validation_error(None, "accountIds", "Member must not be null")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _validation_error(value, "accountIds", "Member must be a list of strings")
        if not value:
            raise _validation_error(value, "accountIds", "Member must have at least 1 item")
        return value

    def _unprocessed_reply(self, process: Callable[[list[str]], list[UnprocessedAccount]]) -> str:
        """Run ``process`` on the request's accountIds, minus those a fault holds back."""
        account_ids = self._required_account_ids()
        forced = faults.take_unprocessed(self._get_action(), account_ids)
        unprocessed = [
            UnprocessedAccount(account_id, error_code, "Not processed (injected by the emulator).")
            for account_id, error_code in forced.items()
        ]
        unprocessed += process([each for each in account_ids if each not in forced])
        return json.dumps({"unprocessedAccounts": [entry.to_json() for entry in unprocessed]})

    def _max_results(self) -> int:
        raw = self._get_param("maxResults")
        if raw is None:
            return MAX_PAGE_SIZE
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise _validation_error(raw, "maxResults", "Member must be an integer") from None
        if value < 1:
            raise _validation_error(
                value, "maxResults", "Member must have value greater than or equal to 1"
            )
        if value > MAX_PAGE_SIZE:
            raise _validation_error(
                value, "maxResults", f"Member must have value less than or equal to {MAX_PAGE_SIZE}"
            )
        return value

    def create_invitations(self) -> str:
        """CreateInvitations, reporting the accounts that can't be invited."""
        return self._unprocessed_reply(self.macie_backend.send_invitations)

    def list_invitations(self) -> str:
        """ListInvitations: the invitations the caller received, in pages."""
        page_size = self._max_results()
        token = self._get_param("nextToken")
        after = _decode_token(token) if token is not None else None
        remaining = [
            invitation
            for invitation in self.macie_backend.list_received_invitations()
            if after is None or invitation.sender_account_id > after
        ]
        page = remaining[:page_size]
        reply: dict[str, object] = {"invitations": [invitation.to_json() for invitation in page]}
        if len(remaining) > page_size:
            reply["nextToken"] = _encode_token(page[-1].sender_account_id)
        return json.dumps(reply)

    def decline_invitations(self) -> str:
        """DeclineInvitations: decline the pending invitations from the listed senders."""
        return self._unprocessed_reply(self.macie_backend.decline_received_invitations)

    def delete_invitations(self) -> str:
        """DeleteInvitations: delete the declined invitations from the listed senders."""
        return self._unprocessed_reply(self.macie_backend.delete_invitations)

    def get_invitations_count(self) -> str:
        """GetInvitationsCount: how many received invitations are pending."""
        return json.dumps({"invitationsCount": self.macie_backend.get_invitations_count()})

    def accept_invitation(self) -> str:
        """AcceptInvitation (``administratorAccountId``, or the deprecated ``masterAccount``)."""
        invitation_id = self._get_param("invitationId")
        administrator = self._get_param("administratorAccountId") or self._get_param(
            "masterAccount"
        )
        if not isinstance(invitation_id, str) or not invitation_id:
            raise _validation_error(invitation_id, "invitationId", "Member must not be null")
        if not isinstance(administrator, str) or not administrator:
            raise _validation_error(
                administrator, "administratorAccountId", "Member must not be null"
            )
        self.macie_backend.accept_invitation(administrator, invitation_id)
        return "{}"

    def get_administrator_account(self) -> str:
        """GetAdministratorAccount, with the invitation that made the association."""
        backend = self.macie_backend
        administrator = backend.get_administrator_account()
        if administrator is None:
            return "{}"
        invitation = backend.received.get(administrator.administrator_account_id)
        if invitation is None:
            return super().get_administrator_account()
        return json.dumps({"administrator": invitation.to_json()})

    def disassociate_from_administrator_account(self) -> str:
        """DisassociateFromAdministratorAccount: leave the current administrator."""
        self.macie_backend.disassociate_from_administrator_account()
        return "{}"

    def disassociate_from_master_account(self) -> str:
        """DisassociateFromMasterAccount, the deprecated name of the same operation."""
        return self.disassociate_from_administrator_account()

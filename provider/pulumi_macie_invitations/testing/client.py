"""Clients for the emulator: its control API over HTTP, and real boto3 clients per account.

:class:`MacieAccounts` makes boto3 sessions for any account (STS ``AssumeRole`` into
``arn:aws:iam::<account>:role/...``, which moto maps to that account) and drives the
invitation flows from the right side: senders invite, recipients list and accept. Its
``endpoint_url`` is None inside ``moto.mock_aws()``.

:class:`EmulatorControls` adds control of the emulator (faults, call log, reset,
seeding, reading an inbox), with one interface for both transports:
:class:`EmulatorClient` drives a running server over its HTTP control API,
:class:`LocalEmulator` the emulator in this process (inside ``moto.mock_aws()``). Their
``received`` reads an inbox from the emulator, no AWS call made; ``listed`` lists it
through ListInvitations, as the recipient.
"""

from __future__ import annotations

import functools
import json
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final, cast

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from . import state
from .accounts import account_limits
from .faults import CallRecord, call_delay, call_log
from .faults import faults as fault_plan
from .models import INVITED_STATUS

if TYPE_CHECKING:
    from mypy_boto3_macie2 import Macie2Client
    from mypy_boto3_macie2.type_defs import InvitationTypeDef, UnprocessedAccountTypeDef
    from mypy_boto3_sts import STSClient

__all__ = [
    "DUMMY_CREDENTIALS",
    "AccountCredentials",
    "EmulatorClient",
    "EmulatorControlError",
    "EmulatorControls",
    "LocalEmulator",
    "MacieAccounts",
]

DUMMY_CREDENTIALS: Final = ("testing", "testing")
"""Access key id and secret of the base session: moto accepts any, they reach no AWS."""
DEFAULT_REGION: Final = "us-east-1"
ROLE_NAME: Final = "macie-emulator"


@functools.cache
def _shared_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


@dataclass(frozen=True)
class AccountCredentials:
    """Temporary keys of one emulated account."""

    access_key_id: str
    secret_access_key: str
    session_token: str


class MacieAccounts:
    """boto3 sessions and clients for emulated accounts, and the invitation flows.

    Not thread-safe: it caches a boto3 session and an STS client per region.
    """

    def __init__(self, endpoint_url: str | None = None) -> None:
        self.endpoint_url = endpoint_url
        self._base_sessions: dict[str, boto3.Session] = {}
        self._sts_clients: dict[str, STSClient] = {}

    def _base_session(self, region: str) -> boto3.Session:
        # A boto3 session costs tens of milliseconds, reading botocore's data files costs
        # hundreds: clients for every account come from one session per region, with the
        # account's keys passed in, and all sessions share one (caching) data loader.
        if region not in self._base_sessions:
            core = botocore.session.Session()
            core.register_component("data_loader", _shared_loader())
            access_key, secret_key = DUMMY_CREDENTIALS
            self._base_sessions[region] = boto3.Session(
                aws_access_key_id=access_key,
                aws_secret_access_key=secret_key,
                region_name=region,
                botocore_session=core,
            )
        return self._base_sessions[region]

    def credentials_for(self, account_id: str, region: str = DEFAULT_REGION) -> AccountCredentials:
        """Fresh keys of ``account_id``, from STS AssumeRole into a role of that account."""
        if region not in self._sts_clients:
            self._sts_clients[region] = self._base_session(region).client(
                "sts", endpoint_url=self.endpoint_url
            )
        credentials = self._sts_clients[region].assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/{ROLE_NAME}",
            RoleSessionName=ROLE_NAME,
        )["Credentials"]
        return AccountCredentials(
            credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
        )

    def session_for(self, account_id: str, region: str = DEFAULT_REGION) -> boto3.Session:
        """A boto3 session whose credentials belong to ``account_id`` (via STS AssumeRole).

        Pass ``endpoint_url`` to the clients made from it when using a server.
        """
        keys = self.credentials_for(account_id, region)
        return boto3.Session(
            aws_access_key_id=keys.access_key_id,
            aws_secret_access_key=keys.secret_access_key,
            aws_session_token=keys.session_token,
            region_name=region,
        )

    def macie2(
        self, account_id: str, region: str = DEFAULT_REGION, config: Config | None = None
    ) -> Macie2Client:
        """A macie2 client acting as ``account_id`` in ``region``."""
        keys = self.credentials_for(account_id, region)
        return self._base_session(region).client(
            "macie2",
            endpoint_url=self.endpoint_url,
            config=config,
            aws_access_key_id=keys.access_key_id,
            aws_secret_access_key=keys.secret_access_key,
            aws_session_token=keys.session_token,
        )

    def send_invitations(
        self, sender: str, recipients: Iterable[str], region: str = DEFAULT_REGION
    ) -> list[UnprocessedAccountTypeDef]:
        """``sender`` invites ``recipients`` (CreateInvitations); returns the unprocessed ones."""
        reply = self.macie2(sender, region).create_invitations(accountIds=list(recipients))
        return reply.get("unprocessedAccounts", [])

    def listed(self, recipient: str, region: str = DEFAULT_REGION) -> list[InvitationTypeDef]:
        """Every invitation ``recipient`` lists itself (ListInvitations, all pages): AWS
        calls made as the recipient, so logged, and subject to faults."""
        paginator = self.macie2(recipient, region).get_paginator("list_invitations")
        return [invitation for page in paginator.paginate() for invitation in page["invitations"]]

    def received(self, recipient: str, region: str = DEFAULT_REGION) -> list[InvitationTypeDef]:
        """Every invitation ``recipient`` received: here, what it lists (:meth:`listed`)."""
        return self.listed(recipient, region)

    def accept(self, recipient: str, sender: str, region: str = DEFAULT_REGION) -> None:
        """``recipient`` accepts the invitation it received from ``sender``."""
        client = self.macie2(recipient, region)
        paginator = client.get_paginator("list_invitations")
        for page in paginator.paginate():
            for invitation in page["invitations"]:
                if invitation.get("accountId") == sender:
                    client.accept_invitation(
                        administratorAccountId=sender, invitationId=invitation["invitationId"]
                    )
                    return
        raise LookupError(f"account {recipient} has no invitation from {sender} in {region}")


def _as_listed(invitation: dict[str, object]) -> InvitationTypeDef:
    """An invitation in ListInvitations' JSON as boto3 returns it (``invitedAt`` a datetime)."""
    invited_at = datetime.fromisoformat(str(invitation["invitedAt"]))
    return cast("InvitationTypeDef", invitation | {"invitedAt": invited_at})


class EmulatorControls(MacieAccounts, ABC):
    """Control of an emulator (faults, call log, reset, seeding), over some transport."""

    def received(self, recipient: str, region: str = DEFAULT_REGION) -> list[InvitationTypeDef]:
        """Every invitation ``recipient`` holds in ``region``, by sender, as ListInvitations
        would list it, read from the emulator without an AWS call: not in the call log, no
        fault applies (:meth:`listed` makes the calls)."""
        return [_as_listed(invitation) for invitation in self._inbox(recipient, region)]

    @abstractmethod
    def _inbox(self, recipient: str, region: str) -> list[dict[str, object]]:
        """The invitations ``recipient`` holds in ``region``, in ListInvitations' JSON."""

    @abstractmethod
    def add_fault(self, spec: dict[str, object]) -> None:
        """Register a fault from its JSON form (see ``FaultPlan.apply``)."""

    @abstractmethod
    def faults(self) -> list[dict[str, object]]:
        """The active faults."""

    @abstractmethod
    def clear_faults(self) -> None:
        """Remove every fault."""

    @abstractmethod
    def set_decline_mode(self, mode: str) -> None:
        """What a declined invitation looks like afterwards: ``"stays-listed"`` (the
        default), ``"leaves-listing"`` or ``"not-pending"`` (see ``testing.models``)."""

    @abstractmethod
    def decline_mode(self) -> str:
        """The decline mode in force."""

    @abstractmethod
    def calls(self, operation: str | None = None) -> list[CallRecord]:
        """The Macie calls answered, oldest first, optionally only those of ``operation``."""

    @abstractmethod
    def calls_in_progress(self, operation: str | None = None) -> list[dict[str, str]]:
        """The Macie calls being answered (not yet in :meth:`calls`): ``{"operation",
        "account_id", "region"}``, optionally only those of ``operation``."""

    @abstractmethod
    def clear_calls(self) -> None:
        """Forget the recorded calls."""

    @abstractmethod
    def reset(self) -> None:
        """Forget all state: moto backends (every account), faults, calls, decline mode."""

    @abstractmethod
    def seed_invitation(
        self,
        recipient: str,
        sender: str,
        region: str = DEFAULT_REGION,
        status: str = INVITED_STATUS,
    ) -> dict[str, object]:
        """Give ``recipient`` an invitation from ``sender`` in any relationship status."""

    @abstractmethod
    def set_call_latency(self, milliseconds: float) -> None:
        """Answer every call after ``milliseconds`` (a network round trip), until reset.

        Over HTTP every AWS call waits, STS included; in-process, the Macie calls (STS is
        moto's own there)."""

    @abstractmethod
    def call_latency(self) -> float:
        """The delay, in milliseconds, before every call is answered."""

    @abstractmethod
    def disable_region(self, account_id: str, region: str) -> None:
        """``account_id`` has not enabled the opt-in ``region``: every Macie call it makes
        there gets AWS's 403 UnrecognizedClientException, until reset."""

    @abstractmethod
    def disabled_regions(self) -> list[dict[str, str]]:
        """The disabled regions: ``[{"accountId", "region"}]``, sorted."""

    def throttle(self, operation: str, times: int) -> None:
        """The next ``times`` calls of ``operation`` get 429 ThrottlingException."""
        self.add_fault({"action": "throttle", "operation": operation, "times": times})

    def fail(self, operation: str, times: int, status: int = 500) -> None:
        """The next ``times`` calls get the Macie error of HTTP ``status``."""
        self.add_fault({"action": "fail", "operation": operation, "times": times, "status": status})

    def unprocessed(
        self,
        operation: str,
        account_ids: Iterable[str],
        times: int = 1,
        error_code: str = "InternalError",
    ) -> None:
        """``account_ids`` come back unprocessed in the next ``times`` calls of ``operation``."""
        self.add_fault(
            {
                "action": "unprocessed",
                "operation": operation,
                "accountIds": list(account_ids),
                "times": times,
                "errorCode": error_code,
            }
        )

    def deny(self, operation: str) -> None:
        """Every call of ``operation`` gets 403 AccessDeniedException until cleared."""
        self.add_fault({"action": "deny", "operation": operation})

    def reject_credentials(self, operation: str, error_code: str) -> None:
        """Every call of ``operation`` gets AWS's 403 for bad credentials until cleared:
        ``UnrecognizedClientException``, ``ExpiredTokenException`` or
        ``InvalidSignatureException``."""
        self.add_fault({"action": "credentials", "operation": operation, "errorCode": error_code})

    def latency(self, operation: str, seconds: float) -> None:
        """Every call of ``operation`` is delayed by ``seconds`` until cleared."""
        self.add_fault({"action": "latency", "operation": operation, "seconds": seconds})

    def lose_reply(self, operation: str, times: int = 1) -> None:
        """The next ``times`` calls of ``operation`` are applied, then answered 500."""
        self.add_fault({"action": "lose_reply", "operation": operation, "times": times})


class LocalEmulator(EmulatorControls):
    """The emulator in this process: use inside ``moto.mock_aws()`` after ``install()``."""

    def __init__(self) -> None:
        super().__init__(endpoint_url=None)

    def add_fault(self, spec: dict[str, object]) -> None:
        """Register a fault from its JSON form (see ``FaultPlan.apply``)."""
        fault_plan.apply(spec)

    def faults(self) -> list[dict[str, object]]:
        """The active faults."""
        return fault_plan.rules()

    def clear_faults(self) -> None:
        """Remove every fault."""
        fault_plan.clear()

    def set_decline_mode(self, mode: str) -> None:
        """What a declined invitation looks like afterwards (see ``testing.models``)."""
        state.set_decline_mode(mode)

    def decline_mode(self) -> str:
        """The decline mode in force."""
        return state.decline_mode()

    def calls(self, operation: str | None = None) -> list[CallRecord]:
        """The Macie calls answered, oldest first, optionally only those of ``operation``."""
        return call_log.calls(operation)

    def calls_in_progress(self, operation: str | None = None) -> list[dict[str, str]]:
        """The Macie calls being answered, optionally only those of ``operation``."""
        return call_log.calls_in_progress(operation)

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        call_log.clear()

    def reset(self) -> None:
        """Forget all state: moto backends (every account), faults, calls, decline mode."""
        state.reset()

    def seed_invitation(
        self,
        recipient: str,
        sender: str,
        region: str = DEFAULT_REGION,
        status: str = INVITED_STATUS,
    ) -> dict[str, object]:
        """Give ``recipient`` an invitation from ``sender`` in any relationship status."""
        return state.seed_invitation(recipient, sender, region, status)

    def _inbox(self, recipient: str, region: str) -> list[dict[str, object]]:
        return state.received_invitations(recipient, region)

    def set_call_latency(self, milliseconds: float) -> None:
        """Answer every Macie call after ``milliseconds`` (STS is moto's own here)."""
        call_delay.set(milliseconds)

    def call_latency(self) -> float:
        """The delay, in milliseconds, before every Macie call is answered."""
        return call_delay.milliseconds

    def disable_region(self, account_id: str, region: str) -> None:
        """Every Macie call of ``account_id`` in ``region`` gets 403 UnrecognizedClientException."""
        account_limits.disable_region(account_id, region)

    def disabled_regions(self) -> list[dict[str, str]]:
        """The disabled regions: ``[{"accountId", "region"}]``, sorted."""
        return account_limits.disabled_regions()


class EmulatorControlError(RuntimeError):
    """The control API refused a request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"emulator control API answered {status}: {message}")
        self.status = status


def _query(**parameters: str | None) -> str:
    """A control URL's query string (``?a=1&b=2``) of the parameters given (not None)."""
    given = {name: value for name, value in parameters.items() if value is not None}
    return "?" + urllib.parse.urlencode(given) if given else ""


class EmulatorClient(EmulatorControls):
    """A running emulator server: its control API over HTTP (urllib), and its accounts."""

    endpoint_url: str

    def __init__(self, endpoint_url: str, *, timeout: float = 10.0) -> None:
        super().__init__(endpoint_url.rstrip("/"))
        self.timeout = timeout

    def _control(self, method: str, resource: str, body: object = None) -> object:
        url = f"{self.endpoint_url}/_emulator/{resource}"
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) endpoint: {self.endpoint_url!r}")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
                return json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read().decode(errors="replace")
            try:
                message = str(json.loads(payload).get("error", payload))
            except (ValueError, AttributeError):
                message = payload
            raise EmulatorControlError(error.code, message) from None

    def health(self) -> dict[str, str]:
        """``{"status": "ok"}`` when the server is up."""
        return cast(dict[str, str], self._control("GET", "health"))

    def add_fault(self, spec: dict[str, object]) -> None:
        """Register a fault from its JSON form (see ``FaultPlan.apply``)."""
        self._control("POST", "faults", spec)

    def faults(self) -> list[dict[str, object]]:
        """The active faults."""
        return cast(list[dict[str, object]], self._control("GET", "faults"))

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._control("DELETE", "faults")

    def set_decline_mode(self, mode: str) -> None:
        """What a declined invitation looks like afterwards (see ``testing.models``)."""
        self._control("PUT", "mode", {"decline": mode})

    def decline_mode(self) -> str:
        """The decline mode in force."""
        return cast(dict[str, str], self._control("GET", "mode"))["decline"]

    def calls(self, operation: str | None = None) -> list[CallRecord]:
        """The Macie calls answered, oldest first, optionally only those of ``operation``."""
        return cast(list[CallRecord], self._control("GET", "calls" + _query(operation=operation)))

    def calls_in_progress(self, operation: str | None = None) -> list[dict[str, str]]:
        """The Macie calls being answered, optionally only those of ``operation``."""
        resource = "calls-in-progress" + _query(operation=operation)
        return cast(list[dict[str, str]], self._control("GET", resource))

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        self._control("DELETE", "calls")

    def reset(self) -> None:
        """Forget all state: moto backends (every account), faults, calls, decline mode."""
        self._control("POST", "reset")

    def seed_invitation(
        self,
        recipient: str,
        sender: str,
        region: str = DEFAULT_REGION,
        status: str = INVITED_STATUS,
    ) -> dict[str, object]:
        """Give ``recipient`` an invitation from ``sender`` in any relationship status."""
        body = {
            "recipient": recipient,
            "sender": sender,
            "region": region,
            "relationshipStatus": status,
        }
        return cast(dict[str, object], self._control("POST", "invitations", body))

    def _inbox(self, recipient: str, region: str) -> list[dict[str, object]]:
        resource = "invitations" + _query(recipient=recipient, region=region)
        return cast(list[dict[str, object]], self._control("GET", resource))

    def set_call_latency(self, milliseconds: float) -> None:
        """Answer every AWS call (STS too) after ``milliseconds``; a reset brings back the
        server's ``--latency-ms``."""
        self._control("PUT", "latency", {"milliseconds": milliseconds})

    def call_latency(self) -> float:
        """The delay, in milliseconds, before every call is answered."""
        reply = cast(dict[str, float], self._control("GET", "latency"))
        return reply["milliseconds"]

    def disable_region(self, account_id: str, region: str) -> None:
        """Every Macie call of ``account_id`` in ``region`` gets 403 UnrecognizedClientException."""
        self._control("POST", "disabled-regions", {"accountId": account_id, "region": region})

    def disabled_regions(self) -> list[dict[str, str]]:
        """The disabled regions: ``[{"accountId", "region"}]``, sorted."""
        return cast(list[dict[str, str]], self._control("GET", "disabled-regions"))

    def refuse_role(self, role_arn: str) -> None:
        """STS AssumeRole into ``role_arn`` gets 403 AccessDenied, until reset (a server
        feature: in-process, STS is moto's own)."""
        self._control("POST", "refused-roles", {"roleArn": role_arn})

    def refused_roles(self) -> list[str]:
        """The refused role ARNs, sorted."""
        return cast(list[str], self._control("GET", "refused-roles"))

    def accept_all_roles(self) -> None:
        """Every role can be assumed again (disabled regions stay disabled)."""
        self._control("DELETE", "refused-roles")

    def enable_all_regions(self) -> None:
        """Every region enabled again for every account (refused roles stay refused)."""
        self._control("DELETE", "disabled-regions")

    def sts_calls(self, operation: str | None = None) -> list[CallRecord]:
        """The STS calls answered (``AssumeRole``: the role's account as ``account_id``),
        oldest first; :meth:`clear_calls` clears them too."""
        return cast(
            list[CallRecord], self._control("GET", "sts-calls" + _query(operation=operation))
        )

"""Clients for the emulator: its control API over HTTP, and real boto3 clients per account.

:class:`MacieAccounts` makes boto3 sessions for any account (STS ``AssumeRole`` into
``arn:aws:iam::<account>:role/...``, which moto maps to that account) and drives the
invitation flows of any emulated service (``service=``, Macie's ``macie2`` by default)
from the right side: senders invite, recipients list and accept. It also makes an AWS
organization with moto's own Organizations calls (``create_organization``,
``create_accounts``, ``create_organizational_unit``, ``close_account``). Its
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
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

import boto3
import botocore.loaders
import botocore.parsers
import botocore.session
from botocore.config import Config
from botocore.model import ListShape, ServiceModel, StructureShape

from . import state
from .accounts import account_limits
from .core.registry import DEFAULT_SERVICE, emulated
from .faults import DEFAULT_BARRIER_SECONDS, CallRecord, call_delay, call_log
from .faults import faults as fault_plan

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
MANAGEMENT_ACCOUNT: Final = "123456789012"
"""moto's default account: the one the emulator's dummy keys act as, without a role."""
INVITED_STATUS: Final = "Invited"
ALL_SERVICES: Final = "*"
"""The control API's ``service`` that selects every service's calls."""


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

    def client(
        self,
        service: str,
        account_id: str,
        region: str = DEFAULT_REGION,
        config: Config | None = None,
    ) -> Any:  # noqa: ANN401 (boto3's client of the service)
        """A boto3 client of ``service`` acting as ``account_id`` in ``region``."""
        keys = self.credentials_for(account_id, region)
        return self._base_session(region).client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoint_url,
            config=config,
            aws_access_key_id=keys.access_key_id,
            aws_secret_access_key=keys.secret_access_key,
            aws_session_token=keys.session_token,
        )

    def macie2(
        self, account_id: str, region: str = DEFAULT_REGION, config: Config | None = None
    ) -> Macie2Client:
        """A macie2 client acting as ``account_id`` in ``region``."""
        client: Macie2Client = self.client("macie2", account_id, region, config)
        return client

    def organizations(self, management_account: str = MANAGEMENT_ACCOUNT) -> Any:  # noqa: ANN401
        """A boto3 Organizations client acting as ``management_account`` (moto's default
        account, the emulator's dummy keys, unless named)."""
        return self.client("organizations", management_account)

    def create_organization(self, management_account: str = MANAGEMENT_ACCOUNT) -> str:
        """``management_account`` creates an organization (moto's CreateOrganization);
        returns its root's id."""
        client = self.organizations(management_account)
        client.create_organization(FeatureSet="ALL")
        root: str = client.list_roots()["Roots"][0]["Id"]
        return root

    def create_accounts(
        self,
        count: int,
        *,
        parent_id: str | None = None,
        management_account: str = MANAGEMENT_ACCOUNT,
    ) -> list[str]:
        """``count`` new accounts in the organization (moto's CreateAccount: random ids),
        moved under ``parent_id`` (an OU) when given; their ids, in the order created."""
        client = self.organizations(management_account)
        root = client.list_roots()["Roots"][0]["Id"]
        created = []
        for _ in range(count):
            name = f"member-{uuid.uuid4().hex[:12]}"
            status = client.create_account(AccountName=name, Email=f"{name}@example.com")[
                "CreateAccountStatus"
            ]
            account: str = status["AccountId"]
            if parent_id is not None:
                client.move_account(
                    AccountId=account, SourceParentId=root, DestinationParentId=parent_id
                )
            created.append(account)
        return created

    def create_organizational_unit(
        self, name: str, parent_id: str, management_account: str = MANAGEMENT_ACCOUNT
    ) -> str:
        """A new OU under ``parent_id`` (the root or an OU); its id."""
        unit = self.organizations(management_account).create_organizational_unit(
            ParentId=parent_id, Name=name
        )
        ou: str = unit["OrganizationalUnit"]["Id"]
        return ou

    def close_account(self, account_id: str, management_account: str = MANAGEMENT_ACCOUNT) -> None:
        """Close a member account (moto's CloseAccount): it is then SUSPENDED."""
        self.organizations(management_account).close_account(AccountId=account_id)

    def send_invitations(
        self,
        sender: str,
        recipients: Iterable[str],
        region: str = DEFAULT_REGION,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> list[UnprocessedAccountTypeDef]:
        """``sender`` invites ``recipients`` (Macie's CreateInvitations, the others'
        InviteMembers); returns the unprocessed ones, in the service's shape."""
        client = self.client(service, sender, region)
        unprocessed = emulated(service).send(client, list(recipients))
        return cast("list[UnprocessedAccountTypeDef]", unprocessed)

    def listed(
        self, recipient: str, region: str = DEFAULT_REGION, *, service: str = DEFAULT_SERVICE
    ) -> list[InvitationTypeDef]:
        """Every invitation ``recipient`` lists itself (ListInvitations, all pages): AWS
        calls made as the recipient, so logged, and subject to faults."""
        paginator = self.client(service, recipient, region).get_paginator("list_invitations")
        key = _listed_name(service, "invitations")
        return [invitation for page in paginator.paginate() for invitation in page[key]]

    def received(
        self, recipient: str, region: str = DEFAULT_REGION, *, service: str = DEFAULT_SERVICE
    ) -> list[InvitationTypeDef]:
        """Every invitation ``recipient`` received: here, what it lists (:meth:`listed`)."""
        return self.listed(recipient, region, service=service)

    def accept(
        self,
        recipient: str,
        sender: str,
        region: str = DEFAULT_REGION,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        """``recipient`` accepts the invitation it received from ``sender``."""
        account_id, invitation_id = (
            _listed_name(service, "accountId"),
            _listed_name(service, "invitationId"),
        )
        for invitation in self.listed(recipient, region, service=service):
            found = cast("dict[str, str]", invitation)
            if found.get(account_id) == sender:
                client = self.client(service, recipient, region)
                emulated(service).accept(client, sender, found[invitation_id])
                return
        raise LookupError(
            f"account {recipient} has no {service} invitation from {sender} in {region}"
        )


@functools.cache
def _list_output(service: str) -> StructureShape:
    """ListInvitations' output shape in botocore's model of ``service``."""
    model = ServiceModel(_shared_loader().load_service_model(service, "service-2"), service)
    shape = model.operation_model("ListInvitations").output_shape
    assert isinstance(shape, StructureShape)
    return shape


def _listed_name(service: str, concept: str) -> str:
    """The name boto3 gives the member of ListInvitations' reply (``invitations``) or of
    a listed invitation that ``concept`` is on the wire (GuardDuty's ``accountId`` is
    boto3's ``AccountId``)."""
    wire = emulated(service).facts[concept]
    reply = _list_output(service)
    items = (
        reply.members[_listed_name(service, "invitations")] if concept != "invitations" else None
    )
    shape = reply if items is None else cast(ListShape, items).member
    assert isinstance(shape, StructureShape)
    return next(
        name
        for name, member in shape.members.items()
        if member.serialization.get("name", name) == wire
    )


def _as_listed(invitations: list[dict[str, object]], service: str) -> list[InvitationTypeDef]:
    """Invitations in ListInvitations' JSON as boto3 returns them (parsed by botocore:
    its member names, a timestamp a datetime)."""
    body = json.dumps({emulated(service).facts["invitations"]: invitations}).encode()
    reply = {"body": body, "headers": {}, "status_code": 200}
    parsed = botocore.parsers.create_parser("rest-json").parse(reply, _list_output(service))
    return cast("list[InvitationTypeDef]", parsed[_listed_name(service, "invitations")])


def _spec(action: str, operation: str, service: str, **fields: object) -> dict[str, object]:
    """A fault's JSON form (``service`` named only when not Macie's)."""
    spec: dict[str, object] = {"action": action, "operation": operation, **fields}
    if service != DEFAULT_SERVICE:
        spec["service"] = service
    return spec


class EmulatorControls(MacieAccounts, ABC):
    """Control of an emulator (faults, call log, reset, seeding), over some transport.

    Every method about invitations, faults, decline modes or calls takes ``service=``
    (Macie's ``macie2`` when left out)."""

    def received(
        self, recipient: str, region: str = DEFAULT_REGION, *, service: str = DEFAULT_SERVICE
    ) -> list[InvitationTypeDef]:
        """Every invitation ``recipient`` holds in ``region``, by sender, as ListInvitations
        would list it, read from the emulator without an AWS call: not in the call log, no
        fault applies (:meth:`listed` makes the calls)."""
        return _as_listed(self._inbox(recipient, region, service), service)

    @abstractmethod
    def _inbox(self, recipient: str, region: str, service: str) -> list[dict[str, object]]:
        """The invitations ``recipient`` holds in ``region``, in ListInvitations' JSON."""

    @abstractmethod
    def add_fault(self, spec: dict[str, object]) -> None:
        """Register a fault from its JSON form (see ``FaultPlan.apply``)."""

    @abstractmethod
    def faults(self, *, service: str = DEFAULT_SERVICE) -> list[dict[str, object]]:
        """The active faults of ``service``."""

    @abstractmethod
    def clear_faults(self, *, service: str | None = None) -> None:
        """Remove every fault (only ``service``'s, when given)."""

    @abstractmethod
    def set_decline_mode(self, mode: str, *, service: str = DEFAULT_SERVICE) -> None:
        """What a declined invitation of ``service`` looks like afterwards:
        ``"stays-listed"`` (the default), ``"leaves-listing"``, ``"not-pending"``, or for
        GuardDuty and Security Hub ``"deletes-pending"`` too (see ``testing.core.inbox``)."""

    @abstractmethod
    def decline_mode(self, *, service: str = DEFAULT_SERVICE) -> str:
        """The decline mode of ``service`` in force."""

    @abstractmethod
    def calls(
        self, operation: str | None = None, *, service: str | None = DEFAULT_SERVICE
    ) -> list[CallRecord]:
        """The calls of ``service`` (every service's if None) answered, oldest first,
        optionally only those of ``operation``."""

    @abstractmethod
    def calls_in_progress(
        self, operation: str | None = None, *, service: str | None = DEFAULT_SERVICE
    ) -> list[dict[str, str]]:
        """The calls of ``service`` (every service's if None) being answered (not yet in
        :meth:`calls`): ``{"operation", "account_id", "region"}``, optionally only those of
        ``operation``."""

    @abstractmethod
    def clear_calls(self) -> None:
        """Forget the recorded calls."""

    @abstractmethod
    def reset(self) -> None:
        """Forget all state: moto backends (every account), faults, calls, decline modes."""

    @abstractmethod
    def seed_invitation(
        self,
        recipient: str,
        sender: str,
        region: str = DEFAULT_REGION,
        status: str = INVITED_STATUS,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> dict[str, object]:
        """Give ``recipient`` an invitation from ``sender`` in any relationship status."""

    @abstractmethod
    def set_call_latency(self, milliseconds: float) -> None:
        """Answer every call after ``milliseconds`` (a network round trip), until reset.

        Over HTTP every AWS call waits, STS included; in-process, the emulated services'
        calls (STS is moto's own there)."""

    @abstractmethod
    def call_latency(self) -> float:
        """The delay, in milliseconds, before every call is answered."""

    @abstractmethod
    def disable_region(self, account_id: str, region: str) -> None:
        """``account_id`` has not enabled the opt-in ``region``: every call it makes there
        (any emulated service) gets AWS's 403 UnrecognizedClientException, until reset."""

    @abstractmethod
    def disabled_regions(self) -> list[dict[str, str]]:
        """The disabled regions: ``[{"accountId", "region"}]``, sorted."""

    def throttle(
        self, operation: str, times: int, every: int = 1, *, service: str = DEFAULT_SERVICE
    ) -> None:
        """The next ``times`` calls of ``operation`` get the service's 429 (with
        ``every``: one matching call in ``every``, ``times`` of them)."""
        every_field: dict[str, object] = {"every": every} if every != 1 else {}
        self.add_fault(_spec("throttle", operation, service, times=times, **every_field))

    def fail(
        self, operation: str, times: int, status: int = 500, *, service: str = DEFAULT_SERVICE
    ) -> None:
        """The next ``times`` calls get the service's error of HTTP ``status``."""
        self.add_fault(_spec("fail", operation, service, times=times, status=status))

    def unprocessed(
        self,
        operation: str,
        account_ids: Iterable[str],
        times: int = 1,
        error_code: str = "InternalError",
        *,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        """``account_ids`` come back unprocessed in the next ``times`` calls of ``operation``."""
        self.add_fault(
            _spec(
                "unprocessed",
                operation,
                service,
                accountIds=list(account_ids),
                times=times,
                errorCode=error_code,
            )
        )

    def deny(self, operation: str, *, service: str = DEFAULT_SERVICE) -> None:
        """Every call of ``operation`` gets 403 AccessDeniedException until cleared."""
        self.add_fault(_spec("deny", operation, service))

    def reject_credentials(
        self, operation: str, error_code: str, *, service: str = DEFAULT_SERVICE
    ) -> None:
        """Every call of ``operation`` gets AWS's 403 for bad credentials until cleared:
        ``UnrecognizedClientException``, ``ExpiredTokenException`` or
        ``InvalidSignatureException``."""
        self.add_fault(_spec("credentials", operation, service, errorCode=error_code))

    def latency(self, operation: str, seconds: float, *, service: str = DEFAULT_SERVICE) -> None:
        """Every call of ``operation`` is delayed by ``seconds`` until cleared."""
        self.add_fault(_spec("latency", operation, service, seconds=seconds))

    def lose_reply(self, operation: str, times: int = 1, *, service: str = DEFAULT_SERVICE) -> None:
        """The next ``times`` calls of ``operation`` are applied, then answered 500."""
        self.add_fault(_spec("lose_reply", operation, service, times=times))

    def barrier(
        self,
        operation: str,
        calls: int,
        seconds: float = DEFAULT_BARRIER_SECONDS,
        times: int = 1,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        """Each call of ``operation`` is held until ``calls`` of them are in progress
        together (``times`` such groups); after ``seconds`` without them all, the calls
        held, and every later one until cleared, get the service's 500 naming the barrier."""
        self.add_fault(
            _spec("barrier", operation, service, calls=calls, seconds=seconds, times=times)
        )


class LocalEmulator(EmulatorControls):
    """The emulator in this process: use inside ``moto.mock_aws()`` after ``install()``."""

    def __init__(self) -> None:
        super().__init__(endpoint_url=None)

    def add_fault(self, spec: dict[str, object]) -> None:
        """Register a fault from its JSON form (see ``FaultPlan.apply``)."""
        fault_plan.apply(spec)

    def faults(self, *, service: str = DEFAULT_SERVICE) -> list[dict[str, object]]:
        """The active faults of ``service``."""
        emulated(service)
        return fault_plan.rules(service)

    def clear_faults(self, *, service: str | None = None) -> None:
        """Remove every fault (only ``service``'s, when given)."""
        fault_plan.clear(service)

    def set_decline_mode(self, mode: str, *, service: str = DEFAULT_SERVICE) -> None:
        """What a declined invitation looks like afterwards (see ``testing.core.inbox``)."""
        state.set_decline_mode(mode, service)

    def decline_mode(self, *, service: str = DEFAULT_SERVICE) -> str:
        """The decline mode of ``service`` in force."""
        return state.decline_mode(service)

    def calls(
        self, operation: str | None = None, *, service: str | None = DEFAULT_SERVICE
    ) -> list[CallRecord]:
        """The calls answered, oldest first, optionally only those of ``operation``."""
        return call_log.calls(operation, service)

    def calls_in_progress(
        self, operation: str | None = None, *, service: str | None = DEFAULT_SERVICE
    ) -> list[dict[str, str]]:
        """The calls being answered, optionally only those of ``operation``."""
        return call_log.calls_in_progress(operation, service)

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        call_log.clear()

    def reset(self) -> None:
        """Forget all state: moto backends (every account), faults, calls, decline modes."""
        state.reset()

    def seed_invitation(
        self,
        recipient: str,
        sender: str,
        region: str = DEFAULT_REGION,
        status: str = INVITED_STATUS,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> dict[str, object]:
        """Give ``recipient`` an invitation from ``sender`` in any relationship status."""
        return state.seed_invitation(recipient, sender, region, status, service)

    def _inbox(self, recipient: str, region: str, service: str) -> list[dict[str, object]]:
        return state.received_invitations(recipient, region, service)

    def set_call_latency(self, milliseconds: float) -> None:
        """Answer every emulated call after ``milliseconds`` (STS is moto's own here)."""
        call_delay.set(milliseconds)

    def call_latency(self) -> float:
        """The delay, in milliseconds, before every emulated call is answered."""
        return call_delay.milliseconds

    def disable_region(self, account_id: str, region: str) -> None:
        """Every call of ``account_id`` in ``region`` gets 403 UnrecognizedClientException."""
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


def _service_query(service: str | None) -> str | None:
    """The ``service`` parameter of the control API: Macie's left out, every service ``*``."""
    if service is None:
        return ALL_SERVICES
    return None if service == DEFAULT_SERVICE else service


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

    def faults(self, *, service: str = DEFAULT_SERVICE) -> list[dict[str, object]]:
        """The active faults of ``service``."""
        resource = "faults" + _query(service=_service_query(service))
        return cast(list[dict[str, object]], self._control("GET", resource))

    def clear_faults(self, *, service: str | None = None) -> None:
        """Remove every fault (only ``service``'s, when given)."""
        self._control("DELETE", "faults" + _query(service=service))

    def set_decline_mode(self, mode: str, *, service: str = DEFAULT_SERVICE) -> None:
        """What a declined invitation looks like afterwards (see ``testing.core.inbox``)."""
        self._control("PUT", "mode", {"decline": mode, "service": service})

    def decline_mode(self, *, service: str = DEFAULT_SERVICE) -> str:
        """The decline mode of ``service`` in force."""
        reply = self._control("GET", "mode" + _query(service=_service_query(service)))
        return cast(dict[str, str], reply)["decline"]

    def calls(
        self, operation: str | None = None, *, service: str | None = DEFAULT_SERVICE
    ) -> list[CallRecord]:
        """The calls answered, oldest first, optionally only those of ``operation``."""
        query = _query(operation=operation, service=_service_query(service))
        return cast(list[CallRecord], self._control("GET", "calls" + query))

    def calls_in_progress(
        self, operation: str | None = None, *, service: str | None = DEFAULT_SERVICE
    ) -> list[dict[str, str]]:
        """The calls being answered, optionally only those of ``operation``."""
        query = _query(operation=operation, service=_service_query(service))
        return cast(list[dict[str, str]], self._control("GET", "calls-in-progress" + query))

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        self._control("DELETE", "calls")

    def reset(self) -> None:
        """Forget all state: moto backends (every account), faults, calls, decline modes."""
        self._control("POST", "reset")

    def seed_invitation(
        self,
        recipient: str,
        sender: str,
        region: str = DEFAULT_REGION,
        status: str = INVITED_STATUS,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> dict[str, object]:
        """Give ``recipient`` an invitation from ``sender`` in any relationship status."""
        body = {
            "recipient": recipient,
            "sender": sender,
            "region": region,
            emulated(service).facts["status"]: status,
            "service": service,
        }
        return cast(dict[str, object], self._control("POST", "invitations", body))

    def _inbox(self, recipient: str, region: str, service: str) -> list[dict[str, object]]:
        query = _query(recipient=recipient, region=region, service=_service_query(service))
        return cast(list[dict[str, object]], self._control("GET", "invitations" + query))

    def set_call_latency(self, milliseconds: float) -> None:
        """Answer every AWS call (STS too) after ``milliseconds``; a reset brings back the
        server's ``--latency-ms``."""
        self._control("PUT", "latency", {"milliseconds": milliseconds})

    def call_latency(self) -> float:
        """The delay, in milliseconds, before every call is answered."""
        reply = cast(dict[str, float], self._control("GET", "latency"))
        return reply["milliseconds"]

    def disable_region(self, account_id: str, region: str) -> None:
        """Every call of ``account_id`` in ``region`` gets 403 UnrecognizedClientException."""
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

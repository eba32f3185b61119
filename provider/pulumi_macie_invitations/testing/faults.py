"""Fault injection and a call log for the emulator, every service's.

Both are process-global and thread-safe: the emulator's request handlers consult the
:data:`faults` plan before every call and append every call to :data:`call_log`.
Operations are named as in the API (``"ListInvitations"``, ``"DeleteInvitations"``...);
``"*"`` matches every operation of the service. Each fault is the service's own
(``service=``, Macie's ``macie2`` when left out) and answers with that service's errors.

>>> faults.throttle("DeleteInvitations", times=2)   # two 429s, then normal replies
>>> faults.throttle("*", times=100, every=10)  # one call in ten answered 429, 100 times
>>> faults.unprocessed("DeclineInvitations", ["111122223333"])
>>> faults.reject_credentials("*", "ExpiredTokenException")  # 403, AWS's own code and message
>>> faults.lose_reply("DeleteInvitations")  # applied, then answered 500: a lost reply
>>> faults.barrier("DeclineInvitations", calls=2, service="guardduty")  # held until 2 arrive
>>> faults.clear()
"""

from __future__ import annotations

import copy
import functools
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal, NotRequired, TypedDict, cast, get_args

from .core.registry import DEFAULT_SERVICE, emulated
from .exceptions import CREDENTIAL_ERRORS, CredentialsRejected

if TYPE_CHECKING:
    from botocore.model import ServiceModel

    from .core.service import ServiceErrors
    from .exceptions import ServiceError

__all__ = [
    "ALL_OPERATIONS",
    "DEFAULT_BARRIER_SECONDS",
    "CallDelay",
    "CallLog",
    "CallRecord",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "call_delay",
    "call_log",
    "faults",
    "sts_call_log",
]

ALL_OPERATIONS: Final = "*"
FaultKind = Literal[
    "throttle", "fail", "unprocessed", "deny", "credentials", "latency", "lose_reply", "barrier"
]
UNPROCESSED_ERROR_CODES: Final = frozenset({"ClientError", "InternalError"})
MAX_CALL_DELAY_MS: Final = 60_000
"""The longest per-call delay accepted: a minute, well past any client's read timeout."""
DEFAULT_BARRIER_SECONDS: Final = 30.0
"""How long a barrier holds the calls that arrived before giving up on the others."""
MAX_BARRIER_SECONDS: Final = 600.0
_FAILING_RANK: Final[dict[FaultKind, int]] = {"credentials": 0, "deny": 1, "throttle": 2, "fail": 2}
"""Fault kinds that fail a call, and which wins when several are due: bad credentials (AWS
checks them first), then permissions, then throttling and failures in the order added."""


@functools.cache
def _model(service: str) -> ServiceModel:
    """botocore's model of ``service`` (loaded once, on first use)."""
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


def _operation_names(service: str) -> frozenset[str]:
    return frozenset(_model(service).operation_names)


def _injected(service: str) -> str:
    """How an injected error says so: ``(injected by the Macie2 emulator)``."""
    return f"(injected by the {_model(service).service_id} emulator)"


def _check_operation(operation: object, service: str) -> str:
    if not isinstance(operation, str):
        raise ValueError("operation must be a string")
    if operation != ALL_OPERATIONS and operation not in _operation_names(service):
        raise ValueError(f"unknown {service} operation {operation!r} (use the API name, or '*')")
    return operation


def _check_times(times: int) -> int:
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be a positive integer, not {times!r}")
    return times


def _check_seconds(seconds: float, name: str, most: float | None = None) -> float:
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or seconds < 0
        or (most is not None and not 0 < seconds <= most)
    ):
        bounds = "a non-negative number" if most is None else f"a number above 0, at most {most:g}"
        raise ValueError(f"{name} must be {bounds}, not {seconds!r}")
    return float(seconds)


def _errors(service: str) -> ServiceErrors:
    return emulated(service).facts.errors


@dataclass
class FaultRule:
    """One registered fault. ``remaining`` is None for faults that last until cleared."""

    kind: FaultKind
    operation: str
    remaining: int | None = None
    status: int = 500
    account_ids: frozenset[str] = frozenset()
    error_code: str = "InternalError"
    seconds: float = 0.0
    service: str = DEFAULT_SERVICE
    calls: int = 0
    """A barrier's number of calls held until they are in progress together."""
    every: int = 1
    """A throttle that answers one matching call in ``every`` (the others go on)."""
    seen: int = 0
    arrived: int = 0
    released: int = 0
    broken: bool = False
    """A barrier whose calls didn't all arrive in time: it fails every call until cleared."""

    def matches(self, operation: str, service: str = DEFAULT_SERVICE) -> bool:
        """Whether the rule applies to ``operation`` of ``service`` and is not used up."""
        return (
            self.service == service
            and self.operation in (ALL_OPERATIONS, operation)
            and self.remaining != 0
        )

    def due(self) -> bool:
        """Count a matching call; whether the rule fires on it (one in ``every``)."""
        self.seen += 1
        return self.seen % self.every == 0

    def consume(self) -> None:
        """Count one firing of a rule limited to a number of times."""
        if self.remaining is not None:
            self.remaining -= 1

    def error(self) -> ServiceError:
        """The exception a failing rule makes the call raise (the service's own)."""
        errors, injected = _errors(self.service), _injected(self.service)
        if self.kind == "deny":
            return errors.denied(f"Access to {self.operation} is denied {injected}.")
        if self.kind == "credentials":
            return CredentialsRejected(self.error_code)
        if self.kind == "throttle":
            return errors.throttling(f"Rate exceeded {injected}.")
        if self.kind == "lose_reply":
            return errors.internal(
                f"The request failed after it was applied (a lost reply, {injected[1:-1]})."
            )
        if self.kind == "barrier":
            return errors.internal(
                f"The barrier on {self.operation} gave up: {self.arrived} of the {self.calls} "
                f"calls it waits for were in progress after {self.seconds:g} s {injected}."
            )
        return errors.for_status(self.status)(f"The request failed {injected}.")

    def to_json(self) -> dict[str, object]:
        """The rule in the control API's JSON form (``service`` only when not Macie's)."""
        data: dict[str, object] = {"action": self.kind, "operation": self.operation}
        if self.service != DEFAULT_SERVICE:
            data["service"] = self.service
        if self.remaining is not None:
            data["times"] = self.remaining
        if self.kind == "fail":
            data["status"] = self.status
        if self.kind == "unprocessed":
            data["accountIds"] = sorted(self.account_ids)
        if self.kind in ("unprocessed", "credentials"):
            data["errorCode"] = self.error_code
        if self.kind == "barrier":
            data["calls"] = self.calls
        if self.every != 1:
            data["every"] = self.every
        if self.kind in ("latency", "barrier"):
            data["seconds"] = self.seconds
        if self.broken:
            data["broken"] = True
        return data


class FaultPlan:
    """The faults the emulator injects; see the module docstring. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._rules: list[FaultRule] = []

    def _add(self, rule: FaultRule) -> None:
        emulated(rule.service)
        _check_operation(rule.operation, rule.service)
        with self._lock:
            self._rules.append(rule)

    def throttle(
        self, operation: str, times: int, every: int = 1, *, service: str = DEFAULT_SERVICE
    ) -> None:
        """Answer the next ``times`` calls of ``operation`` with the service's throttling
        error (429: Macie's ThrottlingException, Security Hub's LimitExceededException);
        with ``every``, only one call in ``every`` (the ``every``-th, the 2 x ``every``-th...
        of the calls it matches, retries included), ``times`` such calls in all."""
        rule = FaultRule(
            "throttle", operation, _check_times(times), every=_check_times(every), service=service
        )
        self._add(rule)

    def fail(
        self, operation: str, times: int, status: int = 500, *, service: str = DEFAULT_SERVICE
    ) -> None:
        """Answer the next ``times`` calls with the service's error of HTTP ``status``.

        500 (the default) is the service's internal error; Macie's 400, 402, 403, 404,
        409 and 429, GuardDuty's 400, Security Hub's 400, 401, 403, 404, 409 and 429
        select the others.
        """
        _errors(service).for_status(status)
        rule = FaultRule("fail", operation, _check_times(times), status=status, service=service)
        self._add(rule)

    def unprocessed(
        self,
        operation: str,
        account_ids: Iterable[str],
        times: int = 1,
        error_code: str = "InternalError",
        *,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        """Report ``account_ids`` unprocessed (not touching them) in the next ``times`` calls.

        Applies to the calls that take account IDs and answer unprocessed accounts
        (DeclineInvitations, DeleteInvitations, and the sender's CreateInvitations or
        InviteMembers) and name at least one of these accounts; ``error_code`` is
        ``"InternalError"`` or ``"ClientError"`` (Macie's reply carries it; the others'
        carry a message only).
        """
        ids = frozenset(account_ids)
        if not ids or not all(isinstance(account_id, str) for account_id in ids):
            raise ValueError("account_ids must be a non-empty list of account ID strings")
        if operation not in {ALL_OPERATIONS, *emulated(service).facts.unprocessed_operations}:
            raise ValueError(f"{operation} has no unprocessed accounts to report")
        if error_code not in UNPROCESSED_ERROR_CODES:
            raise ValueError(f"error_code must be one of {sorted(UNPROCESSED_ERROR_CODES)}")
        rule = FaultRule(
            "unprocessed",
            operation,
            _check_times(times),
            account_ids=ids,
            error_code=error_code,
            service=service,
        )
        self._add(rule)

    def deny(self, operation: str, *, service: str = DEFAULT_SERVICE) -> None:
        """Answer every call of ``operation`` with 403 AccessDeniedException until cleared."""
        self._add(FaultRule("deny", operation, service=service))

    def reject_credentials(
        self, operation: str, error_code: str, *, service: str = DEFAULT_SERVICE
    ) -> None:
        """Answer every call of ``operation`` as AWS answers bad credentials, until cleared.

        ``error_code`` is ``"UnrecognizedClientException"`` (unknown key or token),
        ``"ExpiredTokenException"`` or ``"InvalidSignatureException"`` (wrong secret key):
        403, with AWS's own message.
        """
        if error_code not in CREDENTIAL_ERRORS:
            raise ValueError(f"error_code must be one of {sorted(CREDENTIAL_ERRORS)}")
        self._add(FaultRule("credentials", operation, error_code=error_code, service=service))

    def lose_reply(self, operation: str, times: int = 1, *, service: str = DEFAULT_SERVICE) -> None:
        """Apply the next ``times`` calls of ``operation``, then answer each with the
        service's 500: the write happened, its reply was lost (botocore retries)."""
        self._add(FaultRule("lose_reply", operation, _check_times(times), service=service))

    def latency(self, operation: str, seconds: float, *, service: str = DEFAULT_SERVICE) -> None:
        """Delay every call of ``operation`` by ``seconds`` until cleared."""
        delay = _check_seconds(seconds, "seconds")
        self._add(FaultRule("latency", operation, seconds=delay, service=service))

    def barrier(
        self,
        operation: str,
        calls: int,
        seconds: float = DEFAULT_BARRIER_SECONDS,
        times: int = 1,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        """Hold each call of ``operation`` until ``calls`` of them are in progress, then let
        them all go on together; ``times`` such groups, then the fault is used up.

        The wait is bounded: when ``seconds`` pass before ``calls`` arrived, the calls
        waiting are answered with the service's 500, naming the barrier and how many
        arrived, and so is every later call of ``operation`` until cleared (the fault is
        listed ``"broken": true``). Keep ``seconds`` under the clients' read timeout: a
        client that gives up and retries would count as a second call.
        """
        if isinstance(calls, bool) or not isinstance(calls, int) or calls < 2:
            raise ValueError(f"calls must be an integer of at least 2, not {calls!r}")
        timeout = _check_seconds(seconds, "seconds", MAX_BARRIER_SECONDS)
        rule = FaultRule(
            "barrier", operation, _check_times(times), seconds=timeout, calls=calls, service=service
        )
        self._add(rule)

    def clear(self, service: str | None = None) -> None:
        """Remove every fault (of ``service`` only, when given); calls held at a barrier go on."""
        with self._lock:
            self._rules[:] = [
                rule for rule in self._rules if service is not None and rule.service != service
            ]
            self._lock.notify_all()

    def rules(self, service: str = DEFAULT_SERVICE) -> list[dict[str, object]]:
        """The active faults of ``service``, in the control API's JSON form."""
        with self._lock:
            return [
                rule.to_json()
                for rule in self._rules
                if rule.remaining != 0 and rule.service == service
            ]

    def apply(self, spec: Mapping[str, object]) -> None:
        """Register a fault from its JSON form, e.g. ``{"action": "throttle",
        "operation": "DeleteInvitations", "times": 3}``. ValueError if malformed.

        Keys per action (each may name its ``service``, Macie's ``macie2`` if left out):
        throttle ``times``, ``every``; fail ``times``, ``status``; unprocessed ``accountIds``,
        ``times``, ``errorCode``; deny none; credentials ``errorCode``; latency
        ``seconds``; lose_reply ``times``; barrier ``calls``, ``seconds``, ``times``.
        """
        action, operation = spec.get("action"), spec.get("operation")
        if action not in get_args(FaultKind):
            raise ValueError(f"action must be one of {list(get_args(FaultKind))}, not {action!r}")
        service = cast(str, spec.get("service", DEFAULT_SERVICE))
        emulated(service)
        operation = _check_operation(operation, service)
        times = cast(int, spec.get("times", 1))
        if action == "throttle":
            self.throttle(operation, times, cast(int, spec.get("every", 1)), service=service)
        elif action == "fail":
            self.fail(operation, times, cast(int, spec.get("status", 500)), service=service)
        elif action == "unprocessed":
            account_ids = spec.get("accountIds")
            if not isinstance(account_ids, list):
                raise ValueError("accountIds must be a list of account IDs")
            error_code = cast(str, spec.get("errorCode", "InternalError"))
            self.unprocessed(operation, account_ids, times, error_code, service=service)
        elif action == "deny":
            self.deny(operation, service=service)
        elif action == "credentials":
            self.reject_credentials(operation, cast(str, spec.get("errorCode")), service=service)
        elif action == "lose_reply":
            self.lose_reply(operation, times, service=service)
        elif action == "barrier":
            seconds = cast(float, spec.get("seconds", DEFAULT_BARRIER_SECONDS))
            self.barrier(operation, cast(int, spec.get("calls")), seconds, times, service=service)
        else:
            self.latency(operation, cast(float, spec.get("seconds")), service=service)

    def _wait_at_barrier(self, operation: str, service: str) -> None:
        """Hold the call at the first barrier due until its group is complete; raise the
        barrier's error when it gave up (now, or before)."""
        with self._lock:
            rule = next(
                (r for r in self._rules if r.kind == "barrier" and r.matches(operation, service)),
                None,
            )
            if rule is None:
                return
            if rule.broken:
                raise rule.error()
            rule.arrived += 1
            group = rule.released
            if rule.arrived >= rule.calls:
                rule.arrived = 0
                rule.released += 1
                rule.consume()
                self._lock.notify_all()
                return
            self._lock.wait_for(
                lambda: rule.released != group or rule.broken or rule not in self._rules,
                timeout=rule.seconds,
            )
            if rule.released != group or rule not in self._rules:
                return
            rule.broken = True
            self._lock.notify_all()
            raise rule.error()

    def before_call(self, operation: str, service: str = DEFAULT_SERVICE) -> None:
        """Wait at a barrier, sleep for latency faults, then raise the first
        credentials/deny/throttle/fail fault due (credentials are checked first, as AWS
        does, then permissions)."""
        self._wait_at_barrier(operation, service)
        with self._lock:
            delay = sum(
                rule.seconds
                for rule in self._rules
                if rule.kind == "latency" and rule.matches(operation, service)
            )
            failing = [
                rule
                for rule in self._rules
                if rule.kind in _FAILING_RANK and rule.matches(operation, service) and rule.due()
            ]
            failing.sort(key=lambda rule: _FAILING_RANK[rule.kind])
            due = failing[0] if failing else None
            if due is not None:
                due.consume()
        if delay:
            time.sleep(delay)
        if due is not None:
            raise due.error()

    def after_call(self, operation: str, service: str = DEFAULT_SERVICE) -> None:
        """Raise the 500 of the first lose_reply fault due: the call itself was applied."""
        with self._lock:
            due = next(
                (
                    r
                    for r in self._rules
                    if r.kind == "lose_reply" and r.matches(operation, service)
                ),
                None,
            )
            if due is not None:
                due.consume()
        if due is not None:
            raise due.error()

    def take_unprocessed(
        self, operation: str, account_ids: Iterable[str], service: str = DEFAULT_SERVICE
    ) -> dict[str, str]:
        """The accounts of this call to report unprocessed, with their error codes."""
        requested = set(account_ids)
        forced: dict[str, str] = {}
        with self._lock:
            for rule in self._rules:
                hit = rule.account_ids & requested
                if rule.kind == "unprocessed" and rule.matches(operation, service) and hit:
                    rule.consume()
                    forced.update(dict.fromkeys(sorted(hit - forced.keys()), rule.error_code))
        return forced


def _check_milliseconds(milliseconds: float) -> float:
    if (
        isinstance(milliseconds, bool)
        or not isinstance(milliseconds, int | float)
        or not 0 <= milliseconds <= MAX_CALL_DELAY_MS
    ):
        raise ValueError(
            f"milliseconds must be a number from 0 to {MAX_CALL_DELAY_MS}, not {milliseconds!r}"
        )
    return float(milliseconds)


class CallDelay:
    """How long the emulator waits before answering each AWS call: a network round trip.

    Unlike a ``latency`` fault it applies to every call, STS included (over HTTP), and
    survives a reset, which brings back the server's starting value (``--latency-ms``).
    The wait holds no lock: concurrent callers wait side by side. Thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._default_ms = 0.0
        self._ms = 0.0

    def set(self, milliseconds: float) -> None:
        """Answer each call after ``milliseconds`` (0 answers at once)."""
        value = _check_milliseconds(milliseconds)
        with self._lock:
            self._ms = value

    def set_default(self, milliseconds: float) -> None:
        """Set the delay and make it the one :meth:`reset` brings back."""
        value = _check_milliseconds(milliseconds)
        with self._lock:
            self._default_ms = self._ms = value

    def reset(self) -> None:
        """Back to the default delay."""
        with self._lock:
            self._ms = self._default_ms

    @property
    def milliseconds(self) -> float:
        """The current delay."""
        with self._lock:
            return self._ms

    def wait(self) -> None:
        """Sleep for the current delay (outside any lock)."""
        delay = self.milliseconds
        if delay:
            time.sleep(delay / 1000)


class CallRecord(TypedDict):
    """One call as the emulator saw it."""

    operation: str
    account_id: str
    region: str
    status: int
    service: str
    account_ids: NotRequired[list[str]]
    user_agent: NotRequired[str]


class CallLog:
    """Every call the emulator answered, oldest first, and the calls it is answering.
    Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[CallRecord] = []
        self._in_progress: dict[int, tuple[str, dict[str, str]]] = {}
        self._started = 0

    @contextmanager
    def in_progress(
        self, operation: str, account_id: str, region: str, service: str = DEFAULT_SERVICE
    ) -> Iterator[None]:
        """A call being answered (waiting on its delay, a barrier or a latency fault, or
        running) for the duration of the ``with``: record it before the block ends, so
        that it is always either in progress or answered."""
        with self._lock:
            self._started += 1
            token = self._started
            call = {"operation": operation, "account_id": account_id, "region": region}
            self._in_progress[token] = (service, call)
        try:
            yield
        finally:
            with self._lock:
                del self._in_progress[token]

    def calls_in_progress(
        self, operation: str | None = None, service: str | None = DEFAULT_SERVICE
    ) -> list[dict[str, str]]:
        """The calls of ``service`` (every service's if None) being answered, oldest first,
        optionally only those of ``operation``."""
        with self._lock:
            return [
                dict(call)
                for call_service, call in self._in_progress.values()
                if (operation is None or call["operation"] == operation)
                and service in (None, call_service)
            ]

    def record(
        self,
        operation: str,
        account_id: str,
        region: str,
        status: int,
        account_ids: list[str] | None = None,
        user_agent: str | None = None,
        *,
        service: str = DEFAULT_SERVICE,
    ) -> None:
        """Append a call; ``account_ids`` is the request's account IDs when it had some,
        ``user_agent`` its User-Agent header (which tells the code under test from setup)."""
        entry = CallRecord(
            operation=operation,
            account_id=account_id,
            region=region,
            status=status,
            service=service,
        )
        if account_ids is not None:
            entry["account_ids"] = list(account_ids)
        if user_agent is not None:
            entry["user_agent"] = user_agent
        with self._lock:
            self._calls.append(entry)

    def calls(
        self, operation: str | None = None, service: str | None = DEFAULT_SERVICE
    ) -> list[CallRecord]:
        """A copy of the recorded calls of ``service`` (every service's if None),
        optionally only those of ``operation``."""
        with self._lock:
            return [
                copy.deepcopy(entry)
                for entry in self._calls
                if (operation is None or entry["operation"] == operation)
                and service in (None, entry["service"])
            ]

    def clear(self) -> None:
        """Forget every recorded call."""
        with self._lock:
            self._calls.clear()


faults: Final = FaultPlan()
"""The process-global fault plan the emulator consults."""
call_log: Final = CallLog()
"""The process-global log of the emulated services' calls (every service's)."""
sts_call_log: Final = CallLog()
"""The process-global log of STS calls answered by the emulator server (``AssumeRole``
with the role's account as ``account_id``; service ``sts``)."""
call_delay: Final = CallDelay()
"""The process-global delay before each call is answered."""

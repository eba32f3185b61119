"""Fault injection and a call log for the Macie2 emulator.

Both are process-global and thread-safe: the emulator's request handlers consult the
:data:`faults` plan before every Macie call and append every call to :data:`call_log`.
Operations are named as in the API (``"ListInvitations"``, ``"DeleteInvitations"``...);
``"*"`` matches every operation.

>>> faults.throttle("DeleteInvitations", times=2)   # two 429s, then normal replies
>>> faults.unprocessed("DeclineInvitations", ["111122223333"])
>>> faults.reject_credentials("*", "ExpiredTokenException")  # 403, AWS's own code and message
>>> faults.lose_reply("DeleteInvitations")  # applied, then answered 500: a lost reply
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
from typing import Final, Literal, NotRequired, TypedDict, cast, get_args

from .exceptions import (
    CREDENTIAL_ERRORS,
    AccessDeniedException,
    CredentialsRejected,
    InternalServerException,
    MacieError,
    ThrottlingException,
    error_for_status,
)

__all__ = [
    "ALL_OPERATIONS",
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
    "throttle", "fail", "unprocessed", "deny", "credentials", "latency", "lose_reply"
]
UNPROCESSED_ERROR_CODES: Final = frozenset({"ClientError", "InternalError"})
UNPROCESSED_OPERATIONS: Final = frozenset(
    {ALL_OPERATIONS, "CreateInvitations", "DeclineInvitations", "DeleteInvitations"}
)
"""The operations whose replies carry ``unprocessedAccounts``."""
_INJECTED: Final = "(injected by the Macie2 emulator)"
MAX_CALL_DELAY_MS: Final = 60_000
"""The longest per-call delay accepted: a minute, well past any client's read timeout."""
_FAILING_RANK: Final[dict[FaultKind, int]] = {"credentials": 0, "deny": 1, "throttle": 2, "fail": 2}
"""Fault kinds that fail a call, and which wins when several are due: bad credentials (AWS
checks them first), then permissions, then throttling and failures in the order added."""


@functools.cache
def _operation_names() -> frozenset[str]:
    """The operations of botocore's macie2 model (loaded once, on first use)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("macie2")
    return frozenset(model.operation_names)


def _check_operation(operation: str) -> str:
    if operation != ALL_OPERATIONS and operation not in _operation_names():
        raise ValueError(f"unknown Macie2 operation {operation!r} (use the API name, or '*')")
    return operation


def _check_times(times: int) -> int:
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be a positive integer, not {times!r}")
    return times


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

    def matches(self, operation: str) -> bool:
        """Whether the rule applies to ``operation`` and is not used up."""
        return self.operation in (ALL_OPERATIONS, operation) and self.remaining != 0

    def consume(self) -> None:
        """Count one firing of a rule limited to a number of times."""
        if self.remaining is not None:
            self.remaining -= 1

    def error(self) -> MacieError:
        """The exception a throttle/fail/deny/credentials/lose_reply rule makes the call raise."""
        if self.kind == "deny":
            return AccessDeniedException(f"Access to {self.operation} is denied {_INJECTED}.")
        if self.kind == "credentials":
            return CredentialsRejected(self.error_code)
        if self.kind == "throttle":
            return ThrottlingException(f"Rate exceeded {_INJECTED}.")
        if self.kind == "lose_reply":
            return InternalServerException(
                f"The request failed after it was applied (a lost reply, {_INJECTED[1:-1]})."
            )
        return error_for_status(self.status)(f"The request failed {_INJECTED}.")

    def to_json(self) -> dict[str, object]:
        """The rule in the control API's JSON form."""
        data: dict[str, object] = {"action": self.kind, "operation": self.operation}
        if self.remaining is not None:
            data["times"] = self.remaining
        if self.kind == "fail":
            data["status"] = self.status
        if self.kind == "unprocessed":
            data["accountIds"] = sorted(self.account_ids)
        if self.kind in ("unprocessed", "credentials"):
            data["errorCode"] = self.error_code
        if self.kind == "latency":
            data["seconds"] = self.seconds
        return data


class FaultPlan:
    """The faults the emulator injects; see the module docstring. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def _add(self, rule: FaultRule) -> None:
        _check_operation(rule.operation)
        with self._lock:
            self._rules.append(rule)

    def throttle(self, operation: str, times: int) -> None:
        """Answer the next ``times`` calls of ``operation`` with 429 ThrottlingException."""
        self._add(FaultRule("throttle", operation, remaining=_check_times(times)))

    def fail(self, operation: str, times: int, status: int = 500) -> None:
        """Answer the next ``times`` calls with the Macie error of HTTP ``status``.

        500 (the default) is InternalServerException; 400, 402, 403, 404, 409 and 429
        select the other documented errors.
        """
        error_for_status(status)
        self._add(FaultRule("fail", operation, remaining=_check_times(times), status=status))

    def unprocessed(
        self,
        operation: str,
        account_ids: Iterable[str],
        times: int = 1,
        error_code: str = "InternalError",
    ) -> None:
        """Report ``account_ids`` unprocessed (not touching them) in the next ``times`` calls.

        Applies to the calls that take ``accountIds`` and answer ``unprocessedAccounts``
        (DeclineInvitations, DeleteInvitations, CreateInvitations) and name at least one of
        these accounts; ``error_code`` is ``"InternalError"`` or ``"ClientError"``.
        """
        ids = frozenset(account_ids)
        if not ids or not all(isinstance(account_id, str) for account_id in ids):
            raise ValueError("account_ids must be a non-empty list of account ID strings")
        if operation not in UNPROCESSED_OPERATIONS:
            raise ValueError(f"{operation} has no unprocessedAccounts to report")
        if error_code not in UNPROCESSED_ERROR_CODES:
            raise ValueError(f"error_code must be one of {sorted(UNPROCESSED_ERROR_CODES)}")
        self._add(
            FaultRule(
                "unprocessed",
                operation,
                remaining=_check_times(times),
                account_ids=ids,
                error_code=error_code,
            )
        )

    def deny(self, operation: str) -> None:
        """Answer every call of ``operation`` with 403 AccessDeniedException until cleared."""
        self._add(FaultRule("deny", operation))

    def reject_credentials(self, operation: str, error_code: str) -> None:
        """Answer every call of ``operation`` as AWS answers bad credentials, until cleared.

        ``error_code`` is ``"UnrecognizedClientException"`` (unknown key or token),
        ``"ExpiredTokenException"`` or ``"InvalidSignatureException"`` (wrong secret key):
        403, with AWS's own message.
        """
        if error_code not in CREDENTIAL_ERRORS:
            raise ValueError(f"error_code must be one of {sorted(CREDENTIAL_ERRORS)}")
        self._add(FaultRule("credentials", operation, error_code=error_code))

    def lose_reply(self, operation: str, times: int = 1) -> None:
        """Apply the next ``times`` calls of ``operation``, then answer each with 500
        InternalServerException: the write happened, its reply was lost (botocore retries)."""
        self._add(FaultRule("lose_reply", operation, remaining=_check_times(times)))

    def latency(self, operation: str, seconds: float) -> None:
        """Delay every call of ``operation`` by ``seconds`` until cleared."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError(f"seconds must be a non-negative number, not {seconds!r}")
        self._add(FaultRule("latency", operation, seconds=float(seconds)))

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[dict[str, object]]:
        """The active faults, in the control API's JSON form."""
        with self._lock:
            return [rule.to_json() for rule in self._rules if rule.remaining != 0]

    def apply(self, spec: Mapping[str, object]) -> None:
        """Register a fault from its JSON form, e.g. ``{"action": "throttle",
        "operation": "DeleteInvitations", "times": 3}``. ValueError if malformed.

        Keys per action: throttle ``times``; fail ``times``, ``status``; unprocessed
        ``accountIds``, ``times``, ``errorCode``; deny none; credentials ``errorCode``;
        latency ``seconds``; lose_reply ``times``.
        """
        action = spec.get("action")
        operation = spec.get("operation")
        if action not in get_args(FaultKind):
            raise ValueError(f"action must be one of {list(get_args(FaultKind))}, not {action!r}")
        if not isinstance(operation, str):
            raise ValueError("operation must be a string")
        times = cast(int, spec.get("times", 1))
        if action == "throttle":
            self.throttle(operation, times)
        elif action == "fail":
            self.fail(operation, times, cast(int, spec.get("status", 500)))
        elif action == "unprocessed":
            account_ids = spec.get("accountIds")
            if not isinstance(account_ids, list):
                raise ValueError("accountIds must be a list of account IDs")
            error_code = cast(str, spec.get("errorCode", "InternalError"))
            self.unprocessed(operation, account_ids, times, error_code)
        elif action == "deny":
            self.deny(operation)
        elif action == "credentials":
            self.reject_credentials(operation, cast(str, spec.get("errorCode")))
        elif action == "lose_reply":
            self.lose_reply(operation, times)
        else:
            self.latency(operation, cast(float, spec.get("seconds")))

    def before_call(self, operation: str) -> None:
        """Sleep for latency faults, then raise the first credentials/deny/throttle/fail
        fault due (credentials are checked first, as AWS does, then permissions)."""
        with self._lock:
            delay = sum(
                rule.seconds
                for rule in self._rules
                if rule.kind == "latency" and rule.matches(operation)
            )
            failing = [
                rule
                for rule in self._rules
                if rule.kind in _FAILING_RANK and rule.matches(operation)
            ]
            failing.sort(key=lambda rule: _FAILING_RANK[rule.kind])
            due = failing[0] if failing else None
            if due is not None:
                due.consume()
        if delay:
            time.sleep(delay)
        if due is not None:
            raise due.error()

    def after_call(self, operation: str) -> None:
        """Raise the 500 of the first lose_reply fault due: the call itself was applied."""
        with self._lock:
            due = next(
                (r for r in self._rules if r.kind == "lose_reply" and r.matches(operation)), None
            )
            if due is not None:
                due.consume()
        if due is not None:
            raise due.error()

    def take_unprocessed(self, operation: str, account_ids: Iterable[str]) -> dict[str, str]:
        """The accounts of this call to report unprocessed, with their error codes."""
        requested = set(account_ids)
        forced: dict[str, str] = {}
        with self._lock:
            for rule in self._rules:
                hit = rule.account_ids & requested
                if rule.kind == "unprocessed" and rule.matches(operation) and hit:
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
    """One Macie call as the emulator saw it."""

    operation: str
    account_id: str
    region: str
    status: int
    account_ids: NotRequired[list[str]]
    user_agent: NotRequired[str]


class CallLog:
    """Every Macie call the emulator answered, oldest first, and the calls it is answering.
    Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[CallRecord] = []
        self._in_progress: dict[int, dict[str, str]] = {}
        self._started = 0

    @contextmanager
    def in_progress(self, operation: str, account_id: str, region: str) -> Iterator[None]:
        """A call being answered (waiting on its delay or a latency fault, or running) for
        the duration of the ``with``: record it before the block ends, so that it is
        always either in progress or answered."""
        with self._lock:
            self._started += 1
            token = self._started
            self._in_progress[token] = {
                "operation": operation,
                "account_id": account_id,
                "region": region,
            }
        try:
            yield
        finally:
            with self._lock:
                del self._in_progress[token]

    def calls_in_progress(self, operation: str | None = None) -> list[dict[str, str]]:
        """The calls being answered, oldest first, optionally only those of ``operation``."""
        with self._lock:
            return [
                dict(call)
                for call in self._in_progress.values()
                if operation is None or call["operation"] == operation
            ]

    def record(
        self,
        operation: str,
        account_id: str,
        region: str,
        status: int,
        account_ids: list[str] | None = None,
        user_agent: str | None = None,
    ) -> None:
        """Append a call; ``account_ids`` is the request's ``accountIds`` when it had one,
        ``user_agent`` its User-Agent header (which tells the code under test from setup)."""
        entry = CallRecord(operation=operation, account_id=account_id, region=region, status=status)
        if account_ids is not None:
            entry["account_ids"] = list(account_ids)
        if user_agent is not None:
            entry["user_agent"] = user_agent
        with self._lock:
            self._calls.append(entry)

    def calls(self, operation: str | None = None) -> list[CallRecord]:
        """A copy of the recorded calls, optionally only those of ``operation``."""
        with self._lock:
            return [
                copy.deepcopy(entry)
                for entry in self._calls
                if operation is None or entry["operation"] == operation
            ]

    def clear(self) -> None:
        """Forget every recorded call."""
        with self._lock:
            self._calls.clear()


faults: Final = FaultPlan()
"""The process-global fault plan the emulator consults."""
call_log: Final = CallLog()
"""The process-global log of Macie calls answered by the emulator."""
sts_call_log: Final = CallLog()
"""The process-global log of STS calls answered by the emulator server (``AssumeRole``
with the role's account as ``account_id``)."""
call_delay: Final = CallDelay()
"""The process-global delay before each call is answered."""

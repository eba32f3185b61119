"""Shared listings: concurrent lifecycle calls on one target share one ListInvitations sweep.

Pulumi creates, updates and refreshes independent resources concurrently, and the
provider serves several of those calls at once. Each call that cleans an account and
region lists every invitation the account received (before and after its changes), so
ten resources on one account would each read the same pages. :class:`SharedSweeps`
lets them share: a caller joins a sweep only if that sweep *starts after* the caller
asked, so what it gets is as fresh as a listing of its own, never one that predates its
own declines and deletes.

At most two sweeps per key exist at a time: the one running, and the one queued behind
it that every caller arriving meanwhile joins. A failed sweep fails everyone who joined
it; the next caller starts a new one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, wait
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["SharedSweeps"]

T = TypeVar("T")


@dataclass
class _Sweeps(Generic[T]):
    running: Future[T] | None = None
    queued: Future[T] | None = None
    waiting: int = 0
    """Callers of the queued sweep: the one that will run it, and those who joined it."""


class SharedSweeps(Generic[T]):
    """Runs one sweep for all the concurrent callers of a key that may share it.

    For example, each concurrent caller of one target::

        listings: SharedSweeps[dict[str, str]] = SharedSweeps()
        received = listings.run(target, lambda: list_received(client, where))
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[Hashable, _Sweeps[T]] = {}

    def run(self, key: Hashable, sweep: Callable[[], T]) -> T:
        """The result of a ``sweep`` for ``key`` that started after this call was made.

        Either this thread runs ``sweep`` (nothing is running for ``key``, or it is the
        first to queue behind the running one), or it waits for the queued sweep another
        caller will run. The result is shared: callers must not change it.
        """
        with self._lock:
            sweeps = self._by_key.setdefault(key, _Sweeps())
            if sweeps.queued is not None:
                joined = sweeps.queued
                sweeps.waiting += 1
            else:
                joined = None
                mine: Future[T] = Future()
                behind = sweeps.running
                if behind is None:
                    sweeps.running = mine
                else:
                    sweeps.queued, sweeps.waiting = mine, 1
        if joined is not None:
            return joined.result()
        if behind is not None:
            wait([behind])  # it started before some of our callers asked: don't share it
        outcome: T | BaseException
        try:
            outcome = sweep()
        except BaseException as error:  # handed to every caller that joined
            outcome = error
        with self._lock:  # hand over before anyone wakes: the queued sweep is running now
            sweeps.running, sweeps.queued, sweeps.waiting = sweeps.queued, None, 0
            if sweeps.running is None:
                del self._by_key[key]
        if isinstance(outcome, BaseException):
            mine.set_exception(outcome)
        else:
            mine.set_result(outcome)
        return mine.result()

    def waiting(self, key: Hashable) -> int:
        """How many callers wait for the sweep queued for ``key`` (0 when none is queued)."""
        with self._lock:
            sweeps = self._by_key.get(key)
            return sweeps.waiting if sweeps is not None else 0

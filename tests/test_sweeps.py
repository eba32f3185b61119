"""SharedSweeps: concurrent callers share a sweep only if it started after they asked."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from pulumi_macie_invitations.engine.sweeps import SharedSweeps

WAIT = 10.0
"""Seconds a test waits for another thread before it fails (never reached when it passes)."""


class Gate:
    """A sweep that blocks until released, numbering each run: which sweep a caller got."""

    def __init__(self) -> None:
        self.runs = 0
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self._lock = threading.Lock()

    def sweep(self) -> int:
        with self._lock:
            self.runs += 1
            number = self.runs
        self.started.release()
        assert self.release.wait(WAIT)
        return number

    def wait_started(self) -> None:
        assert self.started.acquire(timeout=WAIT)


def eventually(condition: Callable[[], bool]) -> None:
    done = threading.Event()
    for _ in range(int(WAIT / 0.01)):
        if condition():
            return
        done.wait(0.01)
    pytest.fail("the condition never held")


def test_one_caller_runs_its_own_sweep() -> None:
    sweeps: SharedSweeps[str] = SharedSweeps()
    assert sweeps.run("key", lambda: "listing") == "listing"
    assert sweeps._by_key == {}  # nothing left behind


def test_callers_arriving_during_a_sweep_share_the_next_one_not_the_running_one() -> None:
    sweeps: SharedSweeps[int] = SharedSweeps()
    gate = Gate()
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(sweeps.run, "key", gate.sweep)
        gate.wait_started()  # sweep 1 is running
        later: list[Future[int]] = [pool.submit(sweeps.run, "key", gate.sweep) for _ in range(3)]
        eventually(lambda: sweeps.waiting("key") == 3)  # one leads sweep 2, two joined it
        assert gate.runs == 1
        gate.release.set()
        assert first.result(WAIT) == 1
        assert [f.result(WAIT) for f in later] == [2, 2, 2]
    assert gate.runs == 2
    assert sweeps._by_key == {}


def test_different_keys_never_share() -> None:
    sweeps: SharedSweeps[int] = SharedSweeps()
    gate = Gate()
    with ThreadPoolExecutor(max_workers=2) as pool:
        east = pool.submit(sweeps.run, ("us-east-1",), gate.sweep)
        west = pool.submit(sweeps.run, ("us-west-2",), gate.sweep)
        gate.wait_started()
        gate.wait_started()  # both run at once: neither waited for the other
        gate.release.set()
        assert sorted([east.result(WAIT), west.result(WAIT)]) == [1, 2]


def test_a_failed_sweep_fails_everyone_who_joined_it_and_the_next_caller_starts_afresh() -> None:
    sweeps: SharedSweeps[int] = SharedSweeps()
    gate = Gate()

    def sweep() -> int:
        number = gate.sweep()
        if number == 2:
            raise RuntimeError(f"sweep {number} failed")
        return number

    with ThreadPoolExecutor(max_workers=3) as pool:
        first = pool.submit(sweeps.run, "key", sweep)
        gate.wait_started()
        queued = [pool.submit(sweeps.run, "key", sweep) for _ in range(2)]
        eventually(lambda: sweeps.waiting("key") == 2)
        gate.release.set()
        assert first.result(WAIT) == 1
        for future in queued:
            with pytest.raises(RuntimeError, match="sweep 2 failed"):
                future.result(WAIT)
    assert sweeps.run("key", sweep) == 3

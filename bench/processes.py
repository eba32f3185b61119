"""Where a CLI command's CPU goes: CPU seconds per kind of process, read from Linux /proc.

Polls every process on the machine while the command runs, so it costs CPU itself: the
bench uses it only in an extra run that is not timed.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Final, Self

POLL_SECONDS: Final = 0.05
KINDS: Final = (
    ("dynamic provider (python -m pulumi.dynamic)", "-m pulumi.dynamic"),
    ("Pulumi program (python)", "pulumi-language-python-exec"),
    ("pip list (the language host's plugin query)", " -m pip list"),
    ("Python language host (Go)", "pulumi-language-python"),
    ("engine (pulumi CLI, Go)", "pulumi"),
)
"""Kinds of process, each with a piece of its command line, tried in this order."""


def kind_of(command_line: str) -> str | None:
    """The kind of a process from its command line, or None when it is not Pulumi's."""
    return next((kind for kind, piece in KINDS if piece in command_line), None)


def _pulumi_processes(exclude: set[int], file: str, marker: str) -> Iterator[tuple[int, str, str]]:
    """(pid, kind, text of /proc/<pid>/<file>) of every Pulumi process running now whose
    environment holds ``marker`` (other users' Pulumi runs are left out)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in exclude:
            continue
        try:
            kind = kind_of((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            if kind is None or marker.encode() not in (entry / "environ").read_bytes():
                continue  # read the rest only of this benchmark's Pulumi processes
            yield int(entry.name), kind, (entry / file).read_text()
        except OSError:
            continue  # it ended meanwhile


class _Sampler:
    """Samples Pulumi's processes every :data:`POLL_SECONDS` while the block runs."""

    def __init__(self, exclude: set[int], marker: str) -> None:
        self._exclude = exclude | {os.getpid()}
        self._marker = marker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll_until_stopped, daemon=True)

    def _sample(self) -> None:
        raise NotImplementedError

    def _poll_until_stopped(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._sample()

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_seconds(stat: str, tick: int) -> float:
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick


class ProcessCpu(_Sampler):
    """CPU seconds (user + system) each kind of process used while the block ran.

    Processes are sampled every :data:`POLL_SECONDS`; one that starts and ends between
    two samples is missed, so the figures are a lower bound.
    """

    def __init__(self, exclude: set[int], marker: str) -> None:
        super().__init__(exclude, marker)
        self._tick = os.sysconf("SC_CLK_TCK")
        self._before = {
            pid: _cpu_seconds(stat, self._tick)
            for pid, _, stat in _pulumi_processes(self._exclude, "stat", marker)
        }
        self._last: dict[int, tuple[str, float]] = {}

    def _sample(self) -> None:
        for pid, kind, stat in _pulumi_processes(self._exclude, "stat", self._marker):
            self._last[pid] = (kind, _cpu_seconds(stat, self._tick))

    def seconds_by_kind(self) -> dict[str, float]:
        """CPU seconds per kind, over the processes seen while the block ran."""
        totals: dict[str, float] = defaultdict(float)
        for pid, (kind, seconds) in self._last.items():
            totals[kind] += seconds - self._before.get(pid, 0.0)
        return {kind: round(totals[kind], 2) for kind, _ in KINDS if kind in totals}


class PeakMemory(_Sampler):
    """The peak resident memory (VmHWM) of each kind of process seen while the block ran
    (the kernel keeps the peak: a sample taken before a process ends sees it)."""

    def __init__(self, exclude: set[int], marker: str) -> None:
        super().__init__(exclude, marker)
        self._peaks: dict[int, tuple[str, int]] = {}

    def _sample(self) -> None:
        for pid, kind, status in _pulumi_processes(self._exclude, "status", self._marker):
            peak = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "")
            if peak:
                self._peaks[pid] = (kind, int(peak.split()[1]) * 1024)

    def peak_bytes_by_kind(self) -> dict[str, int]:
        """The largest peak of any one process of each kind."""
        peaks: dict[str, int] = {}
        for kind, peak in self._peaks.values():
            peaks[kind] = max(peaks.get(kind, 0), peak)
        return peaks

"""Where a CLI command's CPU goes: CPU seconds per kind of process, read from Linux /proc.

Polls every process on the machine while the command runs, so it costs CPU itself: the
bench uses it only in an extra run that is not timed.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
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


class ProcessCpu:
    """CPU seconds (user + system) each kind of process used while the block ran.

    Processes are sampled every :data:`POLL_SECONDS`; one that starts and ends between
    two samples is missed, so the figures are a lower bound.
    """

    def __init__(self, exclude: set[int]) -> None:
        self._exclude = exclude | {os.getpid()}
        self._tick = os.sysconf("SC_CLK_TCK")
        self._before: dict[int, float] = {}
        self._last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll_until_stopped, daemon=True)

    def _sample(self) -> dict[int, tuple[str, float]]:
        seen: dict[int, tuple[str, float]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in self._exclude:
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # it ended meanwhile
            kind = kind_of(command)
            if kind is not None:
                seen[int(entry.name)] = (kind, (int(fields[11]) + int(fields[12])) / self._tick)
        return seen

    def _poll_until_stopped(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._last.update(self._sample())

    def __enter__(self) -> Self:
        self._before = {pid: seconds for pid, (_, seconds) in self._sample().items()}
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

    def seconds_by_kind(self) -> dict[str, float]:
        """CPU seconds per kind, over the processes seen while the block ran."""
        totals: dict[str, float] = defaultdict(float)
        for pid, (kind, seconds) in self._last.items():
            totals[kind] += seconds - self._before.get(pid, 0.0)
        return {kind: round(totals[kind], 2) for kind, _ in KINDS if kind in totals}


class PeakMemory:
    """The peak resident memory (VmHWM) of each kind of process seen while the block ran,
    sampled every :data:`POLL_SECONDS` (the kernel keeps the peak: a sample taken before a
    process ends sees it)."""

    def __init__(self, exclude: set[int]) -> None:
        self._exclude = exclude | {os.getpid()}
        self._peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll_until_stopped, daemon=True)

    def _sample(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in self._exclude:
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                status = (entry / "status").read_text()
            except OSError:
                continue  # it ended meanwhile
            kind = kind_of(command)
            peak = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "")
            if kind is not None and peak:
                self._peaks[int(entry.name)] = (kind, int(peak.split()[1]) * 1024)

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

    def peak_bytes_by_kind(self) -> dict[str, int]:
        """The largest peak of any one process of each kind."""
        peaks: dict[str, int] = {}
        for kind, peak in self._peaks.values():
            peaks[kind] = max(peaks.get(kind, 0), peak)
        return peaks

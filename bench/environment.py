"""Process environment for boto3 clients that talk to the emulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from pulumi_macie_invitations.testing.environment import emulator_variables


@contextmanager
def pointed_at(endpoint_url: str) -> Iterator[None]:
    """Set the emulator variables in this process for the duration of the block."""
    saved = dict(os.environ)
    os.environ.update(emulator_variables(endpoint_url))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)

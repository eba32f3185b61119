"""Process environment for boto3 clients that talk to the emulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


def emulator_variables(endpoint_url: str) -> dict[str, str]:
    """The variables that point boto3 (and so the provider) at the emulator."""
    return {
        "AWS_ENDPOINT_URL_MACIE2": endpoint_url,
        "AWS_ENDPOINT_URL_STS": endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


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

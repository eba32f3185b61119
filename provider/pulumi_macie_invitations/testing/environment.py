"""Environment variables for running code, or the Pulumi CLI, against the emulator offline.

For example, a project's ``pulumi up`` against an :class:`~.server.EmulatorServer`::

    env = pulumi_cli_environment(
        server.endpoint_url, home=tmp / "home", backend=tmp / "backend", passphrase="test"
    )
    subprocess.run(["pulumi", "up", "--yes"], cwd=project, env=env, check=True)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["emulator_variables", "offline_pulumi_variables", "pulumi_cli_environment"]

DUMMY_KEY = "testing"
"""Access key id and secret key for the emulator (moto's default account)."""


def emulator_variables(endpoint_url: str, region: str = "us-east-1") -> dict[str, str]:
    """boto3's own variables pointing every emulated service (macie2, guardduty,
    securityhub), STS and Organizations at the emulator, with dummy keys."""
    from .core.registry import service_names

    endpoints = {f"AWS_ENDPOINT_URL_{name.upper()}": endpoint_url for name in service_names()}
    return endpoints | {
        "AWS_ENDPOINT_URL_STS": endpoint_url,
        "AWS_ENDPOINT_URL_ORGANIZATIONS": endpoint_url,
        "AWS_ACCESS_KEY_ID": DUMMY_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
        "AWS_DEFAULT_REGION": region,
    }


def offline_pulumi_variables(home: Path, backend: Path, passphrase: str) -> dict[str, str]:
    """The Pulumi CLI with a private PULUMI_HOME, a file backend and no network."""
    backend.mkdir(parents=True, exist_ok=True)
    return {
        "PULUMI_HOME": str(home),
        "PULUMI_BACKEND_URL": backend.resolve().as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }


def pulumi_cli_environment(
    endpoint_url: str,
    *,
    home: Path,
    backend: Path,
    passphrase: str,
    region: str = "us-east-1",
    bin_dir: Path | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The whole environment of a Pulumi CLI run against the emulator, offline.

    ``base`` (default: this process's environment) less its ``AWS_*`` and ``PULUMI_*``
    variables, so nothing reaches a real account or a real backend; ``bin_dir`` first on
    PATH (the virtualenv whose Python and ``pulumi`` to use); no AWS config files and no
    instance metadata, so only the emulator's dummy keys are found.
    """
    source = os.environ if base is None else base
    env = {k: v for k, v in source.items() if not k.startswith(("AWS_", "PULUMI_"))}
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return (
        env
        | offline_pulumi_variables(home, backend, passphrase)
        | emulator_variables(endpoint_url, region)
        | {
            "AWS_CONFIG_FILE": str(home / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )

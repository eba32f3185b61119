"""Environment variables for running code, or the Pulumi CLI, against the emulator offline.

>>> env = os.environ | emulator_variables(server.endpoint_url) | offline_pulumi_variables(
...     home=tmp / "pulumi-home", backend=tmp / "backend", passphrase="test")
>>> subprocess.run(["pulumi", "up", "--yes"], env=env, check=True)
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["emulator_variables", "offline_pulumi_variables"]

DUMMY_KEY = "testing"
"""Access key id and secret key for the emulator (moto's default account)."""


def emulator_variables(endpoint_url: str, region: str = "us-east-1") -> dict[str, str]:
    """boto3's own variables pointing macie2 and STS at the emulator, with dummy keys."""
    return {
        "AWS_ENDPOINT_URL_MACIE2": endpoint_url,
        "AWS_ENDPOINT_URL_STS": endpoint_url,
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

"""The package's metadata: ranges, not pins; the floors tested; one version; documented."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pulumi_macie_invitations
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _requirements() -> list[Requirement]:
    """What a user's install resolves: the dependencies and the ``testing`` extra."""
    listed = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["testing"]]
    return [Requirement(text) for text in listed]


def _pins(path: Path) -> dict[str, str]:
    """``name == version`` lines of a requirements file, by normalised name."""
    pins = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_normalised(name)] = version.strip()
    return pins


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _floor(requirement: Requirement) -> str | None:
    return next((s.version for s in requirement.specifier if s.operator == ">="), None)


def test_runtime_and_testing_requirements_are_ranges_with_a_floor() -> None:
    for requirement in _requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators, f"{requirement} pins an exact version"
        assert ">=" in operators, f"{requirement} has no tested floor"
    pulumi = next(r for r in _requirements() if r.name == "pulumi")
    assert "4.0.0" not in pulumi.specifier, "pulumi's range stops before the next major"


def test_the_oldest_environment_pins_exactly_the_floors() -> None:
    floors = {_normalised(r.name): _floor(r) for r in _requirements()}
    assert _pins(ROOT / "requirements" / "oldest.txt") == floors


def test_the_development_pins_satisfy_the_ranges() -> None:
    pins = _pins(ROOT / "requirements" / "dev.txt")
    for requirement in _requirements():
        pinned = pins[_normalised(requirement.name)]
        assert requirement.specifier.contains(pinned), f"{requirement.name}=={pinned}"


def test_the_version_has_one_source() -> None:
    assert PROJECT["dynamic"] == ["version"]
    assert "version" not in PROJECT
    installed = importlib.metadata.version("pulumi-macie-invitations")
    assert installed == pulumi_macie_invitations.__version__


def test_classifiers_list_every_supported_python() -> None:
    floor = re.fullmatch(r">=(\d+)\.(\d+)", PROJECT["requires-python"])
    assert floor is not None
    listed = sorted(
        int(match.group(1))
        for classifier in PROJECT["classifiers"]
        if (match := re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", classifier))
    )
    assert listed[0] == int(floor.group(2))
    assert listed == list(range(listed[0], listed[-1] + 1))
    assert "Typing :: Typed" in PROJECT["classifiers"]


def test_the_docs_state_the_supported_ranges() -> None:
    development = (ROOT / "docs" / "development.md").read_text()
    install = development[development.index("## Supported versions") :]
    for requirement in _requirements():
        if requirement.name in {"pulumi", "boto3", "botocore", "moto"}:
            assert f">={_floor(requirement)}," in install, requirement.name
    go_mod = (ROOT / "tools" / "pulumi-cli" / "go.mod").read_text()
    cli = re.findall(r"github.com/pulumi/pulumi/pkg/v3 v(\S+)", go_mod)[0]
    assert f"| Pulumi CLI | `>={cli},<4` |" in install
    assert f"`{PROJECT['requires-python']}`" in install
    for text in (development, (ROOT / "README.md").read_text()):
        assert "not on PyPI" not in text

"""The package's imports run one way, downwards: resources -> providers -> engine -> aws ->
services, with errors, validation and properties at the bottom (DESIGN.md, module map)."""

from __future__ import annotations

import ast
from pathlib import Path

import pulumi_macie_invitations

PACKAGE = Path(pulumi_macie_invitations.__file__).parent
LAYERS = ["resources", "providers", "engine", "aws", "services"]
BOTTOM = {"errors", "validation", "properties", "_version"}
TOP = {"__init__", "provider", "organization_provider"}
"""The public names, and the shims that keep earlier releases' pickled names importable."""


def layer(parts: tuple[str, ...]) -> int:
    """A module's rank (its path inside the package), top 0."""
    if parts[0] in LAYERS:
        return LAYERS.index(parts[0]) + 1
    if parts[0] in BOTTOM:
        return len(LAYERS) + 1
    assert parts[0] in TOP, parts
    return 0


def test_imports_run_downwards() -> None:
    upward = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] == "testing":
            continue
        here = layer(parts)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = parts[: len(parts) - node.level]
                target = (*base, *(node.module or "").split(".")) if node.module else base
                names = [target] if target else [(alias.name,) for alias in node.names]
                upward += [f"{'/'.join(parts)} -> {'.'.join(t)}" for t in names if layer(t) < here]
    assert upward == []

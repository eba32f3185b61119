"""The docs name only what exists: repository paths, Python modules and public symbols,
make targets, and the working tree's wheel. No CLI: reads the Markdown and imports."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import ROOT

PACKAGE = "pulumi_macie_invitations"

GENERATED = {
    ".venv": "made by `make setup`",
    ".venvs": "made by `make test` (the supported-version environments)",
    "dist": "made by `make dist`",
    ".pulumi-demo": "made by `make demo`",
    ".pulumi-state": "made by the offline block of docs/testing.md",
    ".pytest_cache": "pytest's cache, where the wheel tests keep their wheelhouse",
}
"""Top-level folders that exist only once a command made them: a path under one is not
looked for in the checkout (each is in .gitignore, see below)."""

NOT_PATHS = {
    "pkg/v3": "the Go module of the Pulumi CLI, in the pulumi repository",
    "sdk/v3": "the Go module of the Python language host, in the pulumi repository",
}
"""Backticked words shaped like paths that name no file of this repository."""

WHEEL = re.compile(rf"{PACKAGE}-([^\s/`'\"()\[\]]+?)(?:-py3-none-any)?\.whl")
RELEASED_WHEELS = "tests/upgrade/releases/"
MODULE = re.compile(rf"\b{PACKAGE}(?:\.\w+)+")
FROM_IMPORT = re.compile(rf"^\s*from ({PACKAGE}(?:\.\w+)*) import ([\w, ()]+)$", re.MULTILINE)
MAKE = re.compile(r"(?<![\w-])make\s+([A-Za-z][\w-]*)")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
FILE_SUFFIXES = (".md", ".py", ".txt", ".toml", ".yaml", ".yml", ".sh", ".json", ".in", ".mod")


@dataclass(frozen=True)
class Doc:
    """One Markdown file (or the part of it that is checked): where it is, and its text."""

    path: Path
    text: str

    def code(self) -> str:
        """The fenced blocks and the code spans: where commands and names are written."""
        blocks = FENCE.findall(self.text)
        spans = SPAN.findall(FENCE.sub("", self.text))
        return "\n".join([*blocks, *spans])


def checked_docs(root: Path) -> list[Doc]:
    """Every page a reader is sent to; of the changelog, the current (unreleased) section."""
    pages = [
        root / "README.md",
        *sorted((root / "docs").glob("*.md")),
        root / "RELIABILITY.md",
        root / "bench" / "RESULTS.md",
        *sorted((root / "examples").glob("*/README.md")),
    ]
    docs = [Doc(page, page.read_text()) for page in pages]
    changelog = (root / "CHANGELOG.md").read_text()
    current = re.search(r"^## \[Unreleased\]\n(.*?)(?=^## \[)", changelog, re.M | re.S)
    assert current, "CHANGELOG.md lost its [Unreleased] section"
    return [*docs, Doc(root / "CHANGELOG.md", current.group(1))]


def path_problems(doc: Doc, root: Path) -> Iterator[str]:
    """Backticked paths and relative links that name nothing in the checkout. A path is
    looked for from the repository root and from the page's own folder."""
    spans = SPAN.findall(FENCE.sub("", doc.text))
    for word in (span.split("::")[0] for span in spans):
        if _is_path(word) and not _exists(word, doc.path.parent, root):
            yield f"`{word}`: no such file or folder"
    for target in LINK.findall(doc.text):
        if re.match(r"[a-z]+:|#", target):  # a URL, or an anchor on the same page
            continue
        if not (doc.path.parent / target.split("#")[0]).exists():
            yield f"link ({target}): no such file or folder"


def _is_path(word: str) -> bool:
    """Whether a code span is meant as one path of this repository."""
    if word in NOT_PATHS or re.search(r"[\s:<>{}$*=|]|^[/.]{1,2}/|^/|\.whl$", word):
        return False  # commands, URNs, ARNs, URLs, placeholders, globs, routes; wheels below
    return "/" in word or word.endswith(FILE_SUFFIXES)


def _exists(word: str, folder: Path, root: Path) -> bool:
    if word.split("/")[0] in GENERATED:
        return True
    return (root / word).exists() or (folder / word).exists()


def name_problems(doc: Doc) -> Iterator[str]:
    """Modules, symbols and ``from ... import`` names of the package that don't resolve."""
    names = set(MODULE.findall(doc.text))
    for module, imported in FROM_IMPORT.findall(doc.code()):
        names.update(f"{module}.{name.strip()}" for name in imported.strip("()").split(","))
    for name in sorted(names):
        if not _resolves(name):
            yield f"`{name}`: the package has no such module or name"


def _resolves(dotted: str) -> bool:
    """Whether ``dotted`` is a module of the package, or a name in one."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def make_problems(doc: Doc, targets: set[str]) -> Iterator[str]:
    """``make <target>`` in a command or a code span, for a target the Makefile lacks."""
    for target in sorted(set(MAKE.findall(doc.code())) - targets):
        yield f"`make {target}`: the Makefile has no such target"


def wheel_problems(doc: Doc, root: Path) -> Iterator[str]:
    """A wheel of the working tree is named ``dist/pulumi_macie_invitations-*.whl``: a
    version in its name goes stale at the next release. A released wheel is named by its
    path in tests/upgrade/releases/, and must be there."""
    for found in WHEEL.finditer(doc.text):
        name, version = found.group(0), found.group(1)
        released = doc.text[: found.start()].endswith(RELEASED_WHEELS)
        if released and not (root / RELEASED_WHEELS / name).exists():
            yield f"`{RELEASED_WHEELS}{name}`: no such release wheel"
        elif not released and version != "*":
            yield f"`{name}`: name the working tree's wheel `{PACKAGE}-*.whl`"


def makefile_targets(root: Path) -> set[str]:
    rules = re.findall(r"^([A-Za-z][\w -]*):(?!=)", (root / "Makefile").read_text(), re.M)
    return {target for rule in rules for target in rule.split()}


def problems(doc: Doc, root: Path) -> list[str]:
    """Every wrong name on one page."""
    return [
        *path_problems(doc, root),
        *name_problems(doc),
        *make_problems(doc, makefile_targets(root)),
        *wheel_problems(doc, root),
    ]


@pytest.mark.parametrize("doc", checked_docs(ROOT), ids=lambda d: str(d.path.relative_to(ROOT)))
def test_the_docs_name_only_what_exists(doc: Doc) -> None:
    found = problems(doc, ROOT)
    assert not found, f"{doc.path.relative_to(ROOT)}:\n" + "\n".join(found)


def test_generated_folders_are_ignored_by_git() -> None:
    """The folders whose paths are not looked for are truly made by a command, not kept."""
    ignored = {line.strip().strip("/") for line in (ROOT / ".gitignore").read_text().splitlines()}
    assert set(GENERATED) <= ignored


WRONG = """# A page with one wrong name of each kind

See `tests/e2e/test_nothing.py`, `examples/nowhere` and [the errors](docs/nothing.md).
`pulumi_macie_invitations.no_such_module` and `pulumi_macie_invitations.NoSuchResource`.
Run `make deploy`. Install `dist/pulumi_macie_invitations-0.0.1-py3-none-any.whl`, or
`tests/upgrade/releases/pulumi_macie_invitations-9.9.9-py3-none-any.whl`.

```python
from pulumi_macie_invitations import DeclinedInvitations, Missing
```
"""

RIGHT = """# A page that names only what exists

See `tests/e2e/test_drift.py::test_readme_drift_loop_names_the_senders`, `examples/guard`,
[the errors](docs/errors.md#when-something-is-wrong), `.venv/bin/pulumi` and `pkg/v3`.
`pulumi_macie_invitations.testing.install()`, `pulumi_macie_invitations.macie_regions`.
Run `make check`. Install `dist/pulumi_macie_invitations-*.whl`, or
`tests/upgrade/releases/pulumi_macie_invitations-0.1.0-py3-none-any.whl`.
`arn:aws:iam::<account>:role/<name>`, `pulumi-python:dynamic/macie2:InvitationGuard`.

```python
from pulumi_macie_invitations.testing import EmulatorClient
```
"""


def test_the_checks_find_each_kind_of_wrong_name() -> None:
    wrong = problems(Doc(ROOT / "page.md", WRONG), ROOT)
    assert wrong == [
        "`tests/e2e/test_nothing.py`: no such file or folder",
        "`examples/nowhere`: no such file or folder",
        "link (docs/nothing.md): no such file or folder",
        "`pulumi_macie_invitations.Missing`: the package has no such module or name",
        "`pulumi_macie_invitations.NoSuchResource`: the package has no such module or name",
        "`pulumi_macie_invitations.no_such_module`: the package has no such module or name",
        "`make deploy`: the Makefile has no such target",
        "`pulumi_macie_invitations-0.0.1-py3-none-any.whl`: name the working tree's wheel "
        "`pulumi_macie_invitations-*.whl`",
        "`tests/upgrade/releases/pulumi_macie_invitations-9.9.9-py3-none-any.whl`: "
        "no such release wheel",
    ]
    assert problems(Doc(ROOT / "page.md", RIGHT), ROOT) == []

"""Run the version-sensitive tests at both ends of the supported ranges.

Usage: python tools/supported_versions.py newest|oldest [PYTEST_ARGUMENT ...]  (see USAGE)

- ``newest``: the newest Python that pyproject.toml's classifiers list, and the newest release
  of every dependency (the ``pulumi`` SDK first of all), brought up to date at every run.
- ``oldest``: the oldest Python that ``requires-python`` allows, and the floors of
  ``requirements/oldest.txt`` (the lower bounds of pyproject.toml's ranges).

Each environment is a virtualenv in ``.venvs/<name>``, made from a bare interpreter the first
time and again whenever what it is made from changes (the interpreter, pyproject.toml, the
requirements file); otherwise it is reused, and pip's cache serves what it downloaded once.
The package goes in editable with its ``testing`` extra, the Pulumi CLI that ``make setup``
found or built is linked in (tools/pulumi-cli/build.sh), and the provider tests and the
end-to-end lifecycle through the real CLI run there.

The interpreter is ``pythonX.Y`` on PATH, else pyenv's newest ``X.Y.*`` when pyenv is
installed; without either the run stops, saying which Python to install.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

USAGE = "usage: python tools/supported_versions.py newest|oldest [PYTEST_ARGUMENT ...]"
ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENTS = ROOT / ".venvs"
OLDEST_PINS = ROOT / "requirements" / "oldest.txt"
TEST_REQUIREMENTS = ["PyYAML"]
"""What the tests import besides the package and its ``testing`` extra."""
TESTS = [
    "tests/test_check.py",
    "tests/test_diff.py",
    "tests/test_pickle.py",
    "tests/test_compatibility.py",
    "tests/test_guard.py",
    "tests/test_provider.py",
    "tests/test_resource.py",
    "tests/test_secret_inputs.py",
    # The real CLI: create, a no-change preview, an update, refresh drift and its repair, destroy.
    "tests/e2e/test_lifecycle.py::test_up_cleans_listed_accounts_only_and_converges",
    "tests/e2e/test_lifecycle.py::test_adding_an_account_previews_an_update_naming_it",
    "tests/e2e/test_lifecycle.py::test_refresh_notices_an_invitation_that_came_back",
    "tests/e2e/test_lifecycle.py::test_destroy_makes_no_mutating_call",
]
REPORTED = ["pulumi", "boto3", "botocore", "moto", "werkzeug", "pytest"]


class SetupError(Exception):
    """An environment could not be made; the message says why and what to do."""


def python_versions() -> tuple[str, str]:
    """The oldest and newest Python (``X.Y``) the package supports, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floor = re.fullmatch(r">=\s*(\d+\.\d+)", project["requires-python"])
    if floor is None:
        raise SetupError(f"requires-python {project['requires-python']!r} is not '>=X.Y'")
    listed = [
        match.group(1)
        for classifier in project["classifiers"]
        if (match := re.fullmatch(r"Programming Language :: Python :: (\d+\.\d+)", classifier))
    ]
    if not listed:
        raise SetupError("pyproject.toml's classifiers list no Python version")
    return floor.group(1), max(listed, key=_numbers)


def find_python(version: str) -> Path:
    """A bare interpreter of Python ``version`` (``X.Y``): on PATH, else from pyenv."""
    candidates = [
        Path(found)
        for directory in os.environ.get("PATH", "").split(os.pathsep)
        if directory and (found := shutil.which(f"python{version}", path=directory))
    ]
    candidates += _pyenv_pythons(version)
    for candidate in candidates:
        if _python_version(candidate) == version:
            return candidate
    raise SetupError(
        f"Python {version} is needed for this environment and none was found: neither "
        f"python{version} on PATH nor a pyenv version {version}.* (looked at: "
        f"{', '.join(map(str, candidates)) or 'nothing'}). Install Python {version} "
        f"(for example `pyenv install {version}`) or put python{version} on PATH."
    )


def _pyenv_pythons(version: str) -> list[Path]:
    """pyenv's interpreters of ``version``, newest first (none without pyenv)."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return []
    listed = subprocess.run(
        [pyenv, "versions", "--bare", "--skip-aliases"], capture_output=True, text=True
    ).stdout.split()
    matching = [v for v in listed if re.fullmatch(re.escape(version) + r"\.\d+", v)]
    found = []
    for name in sorted(matching, key=_numbers, reverse=True):
        prefix = subprocess.run([pyenv, "prefix", name], capture_output=True, text=True)
        if prefix.returncode == 0:
            found.append(Path(prefix.stdout.strip()) / "bin" / f"python{version}")
    return found


def _python_version(python: Path) -> str | None:
    """``X.Y`` of an interpreter; None when it does not run (a pyenv shim can refuse) or
    belongs to a virtualenv (the environments are made from a bare interpreter)."""
    probe = "import sys; print('%d.%d' % sys.version_info[:2], sys.prefix == sys.base_prefix)"
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
    version, bare = done.stdout.split() if done.returncode == 0 else ("", "False")
    return version if bare == "True" else None


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


class Environment:
    """One virtualenv of ``.venvs``: how it is made, and the tests run in it."""

    def __init__(self, name: str, python: Path, pins: Path | None) -> None:
        self.name = name
        self.python = python
        self.pins = pins
        self.path = ENVIRONMENTS / name
        self.bin = self.path / "bin"

    def prepare(self) -> None:
        """Make the environment anew if its inputs changed, bring it up to date, link the CLI."""
        stamp = self.path / ".made-from"
        inputs = self._inputs()
        if not stamp.exists() or stamp.read_text() != inputs:
            shutil.rmtree(self.path, ignore_errors=True)
            _run([str(self.python), "-m", "venv", str(self.path)])
            _run([str(self.bin / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
            self._install()
            stamp.write_text(inputs)
        elif self.pins is None:
            self._install()  # the newest releases move: ask the index again every run
        _run([str(ROOT / "tools" / "pulumi-cli" / "build.sh"), str(self.bin)])

    def _install(self) -> None:
        command = [str(self.bin / "python"), "-m", "pip", "install", "--quiet"]
        if self.pins is None:
            command += ["--upgrade", "--upgrade-strategy", "eager"]
        else:
            command += ["--constraint", str(self.pins)]
        _run([*command, "--editable", f"{ROOT}[testing]", *TEST_REQUIREMENTS])

    def _inputs(self) -> str:
        """What the environment is made from; a change makes it anew. Of pyproject.toml only
        the parts an install reads count, so a new lint rule keeps the environments."""
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
        installed = {key: pyproject[key] for key in ("build-system", "project")}
        digests = {"pyproject.toml": _digest(json.dumps(installed, sort_keys=True).encode())}
        if self.pins is not None:
            digests[str(self.pins.relative_to(ROOT))] = _digest(self.pins.read_bytes())
        version = subprocess.run(
            [str(self.python), "-c", "import sys; print(sys.version)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return json.dumps({"python": str(self.python), "version": version, **digests}, indent=1)

    def versions(self) -> str:
        """The Python and the versions of the packages that matter, as one line."""
        script = (
            "import sys, importlib.metadata as m; "
            f"names = {REPORTED!r}; "
            "print('Python %d.%d.%d' % sys.version_info[:3], "
            "*(f'{n} {m.version(n)}' for n in names), sep=', ')"
        )
        return subprocess.run(
            [str(self.bin / "python"), "-c", script], capture_output=True, text=True, check=True
        ).stdout.strip()

    def test(self, arguments: Sequence[str]) -> int:
        """Run the version-sensitive tests with this environment first on PATH."""
        env = dict(os.environ, PATH=f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}")
        command = [str(self.bin / "python"), "-m", "pytest", "-p", "no:cacheprovider"]
        return subprocess.run([*command, *TESTS, *arguments], cwd=ROOT, env=env).returncode


def environment(name: str) -> Environment:
    """The environment called ``name``: ``newest`` or ``oldest``."""
    oldest, newest = python_versions()
    if name == "newest":
        return Environment(name, find_python(newest), None)
    if name == "oldest":
        return Environment(name, find_python(oldest), OLDEST_PINS)
    raise SetupError(f"unknown environment {name!r}: choose newest or oldest")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(command: list[str]) -> None:
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SetupError(f"$ {' '.join(command)}\n{done.stdout}{done.stderr}".rstrip())
    if done.stdout.strip():
        print(done.stdout.strip(), flush=True)


def main(arguments: Sequence[str]) -> int:
    """Prepare the environment named first, then run the tests with the other arguments."""
    if not arguments:
        print(USAGE, file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        chosen = environment(arguments[0])
        chosen.prepare()
    except SetupError as error:
        print(f"supported_versions.py: {error}", file=sys.stderr)
        return 1
    print(
        f"{chosen.name}: {chosen.versions()} (ready in {time.monotonic() - started:.0f} s)",
        flush=True,
    )
    return chosen.test(arguments[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

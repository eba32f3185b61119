"""tools/supported_versions.py: which Pythons the two environments use, and how it fails."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "supported_versions.py"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("supported_versions", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_ends_are_the_oldest_and_newest_python_of_the_metadata(tool: ModuleType) -> None:
    assert tool.python_versions() == ("3.11", "3.13")


def test_each_end_finds_an_interpreter_of_its_version(tool: ModuleType) -> None:
    for version in tool.python_versions():
        python = tool.find_python(version)
        reported = subprocess.run(
            [str(python), "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert reported.strip() == str(tuple(int(n) for n in version.split(".")))


def test_a_missing_python_stops_the_run_saying_what_to_install(tool: ModuleType) -> None:
    with pytest.raises(tool.SetupError) as missing:
        tool.find_python("3.99")
    assert "Python 3.99 is needed" in str(missing.value)
    assert "pyenv install 3.99" in str(missing.value)


def test_an_unknown_environment_is_refused() -> None:
    done = subprocess.run([sys.executable, str(TOOL), "latest"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "unknown environment 'latest': choose newest or oldest" in done.stderr


def test_an_interpreter_of_a_virtualenv_is_passed_over(
    tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path)], check=True)
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert tool.find_python(version).parent != tmp_path / "bin"

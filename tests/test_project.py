"""A project copied out of the repository: its Pulumi.yaml's virtualenv is named as the fix."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pulumi_macie_invitations import MacieInvitationsError, ProjectVirtualenvError
from pulumi_macie_invitations.resources.project import check_virtualenv

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "basic"


def test_a_copied_example_says_which_option_to_change(tmp_path: Path) -> None:
    copy = tmp_path / "my-cleanup"
    copy.mkdir()
    (copy / "Pulumi.yaml").write_text((EXAMPLE / "Pulumi.yaml").read_text())
    with pytest.raises(ProjectVirtualenvError) as raised:
        check_virtualenv(copy)
    message = str(raised.value)
    assert f"{copy / 'Pulumi.yaml'} sets runtime.options.virtualenv to '../../.venv'" in message
    assert f"{tmp_path.parent / '.venv'} doesn't exist" in message
    assert f"`virtualenv: {sys.prefix}`" in message
    assert isinstance(raised.value, MacieInvitationsError)


def test_the_example_in_place_and_other_projects_pass(tmp_path: Path) -> None:
    check_virtualenv(EXAMPLE)  # ../../.venv is this repository's
    check_virtualenv(tmp_path)  # no Pulumi.yaml: not a project folder
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    check_virtualenv(tmp_path)  # no virtualenv option

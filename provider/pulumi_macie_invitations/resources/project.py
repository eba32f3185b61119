"""The Pulumi project a program runs in: settings a copied project gets wrong.

Pulumi runs a dynamic provider (this package's) with the python of the virtualenv that
Pulumi.yaml's ``runtime.options.virtualenv`` names, even where the program itself ran
with another python; a project copied out of this repository keeps a relative path to a
virtualenv that isn't there, and the provider then fails with advice about a
``requirements.txt`` the project doesn't have. The program checks first and says what
to change.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from ..errors import ProjectVirtualenvError

PROJECT_FILE = "Pulumi.yaml"


@functools.cache
def check_virtualenv(directory: Path | None = None) -> None:
    """Raise :class:`ProjectVirtualenvError` when ``directory``'s (default: the current
    one, where Pulumi runs a program) Pulumi.yaml names a virtualenv that doesn't exist."""
    import yaml

    project_file = (directory or Path.cwd()) / PROJECT_FILE
    try:
        project = yaml.safe_load(project_file.read_text())
    except (OSError, yaml.YAMLError):
        return  # not run by Pulumi from a project folder, or Pulumi reports the file itself
    runtime = project.get("runtime") if isinstance(project, dict) else None
    options = runtime.get("options") if isinstance(runtime, dict) else None
    written = options.get("virtualenv") if isinstance(options, dict) else None
    if not isinstance(written, str) or not written:
        return
    resolved = (project_file.parent / written).resolve()
    if not resolved.exists():
        raise ProjectVirtualenvError(str(project_file), written, str(resolved), sys.prefix)

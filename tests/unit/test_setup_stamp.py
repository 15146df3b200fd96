"""scripts/setup.sh runs pip only when pyproject.toml or the install mode changed (a stand-in python records what
pip would have been asked, so no package is installed here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT

FAKE_PYTHON = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/../../pip.log"
exit "$(cat "$(dirname "$0")/../../pip.status" 2>/dev/null || echo 0)"
"""

# The dev install compiles everything (the tests make warnings errors, and some packages warn when compiled).
DEV_INSTALL = ["-m pip install --quiet -e .[dev]", "-m compileall -q -j 0 .venv/lib"]


def project(tmp_path: Path) -> Path:
    """A copy of the script and pyproject.toml, with a venv whose python only logs its arguments."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    return tmp_path


def setup(root: Path, *mode: str) -> list[str]:
    """Run the script; the pip commands it ran."""
    log = root / "pip.log"
    before = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    subprocess.run(["bash", "scripts/setup.sh", *mode], cwd=root, capture_output=True, text=True, timeout=30)
    after = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return after[len(before):]


def test_pip_runs_once_per_pyproject_and_mode_and_dev_covers_runtime(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert setup(root, "runtime") == ["-m pip install --quiet --no-compile -e ."]
    assert setup(root, "runtime") == []
    assert setup(root) == DEV_INSTALL  # the test command's default
    assert setup(root) == []
    assert setup(root, "runtime") == []  # dev holds every runtime dependency
    with (root / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("\n# a changed dependency\n")
    assert setup(root, "runtime") == ["-m pip install --quiet --no-compile -e ."]
    assert setup(root) == DEV_INSTALL


def test_a_failed_install_is_tried_again(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert setup(root, "runtime") == ["-m pip install --quiet --no-compile -e ."]
    (root / "pyproject.toml").write_text("# changed\n", encoding="utf-8")
    (root / "pip.status").write_text("1", encoding="utf-8")
    assert setup(root, "runtime") == ["-m pip install --quiet --no-compile -e ."]
    (root / "pip.status").unlink()
    assert setup(root, "runtime") == ["-m pip install --quiet --no-compile -e ."]
    assert setup(root, "runtime") == []


def test_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(["bash", "scripts/setup.sh", "everything"], cwd=project(tmp_path), capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2 and "runtime|dev" in done.stderr

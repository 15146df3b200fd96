"""Issue 19, point 5: the container's file set runs. The Dockerfile's COPY set is copied alone into a scratch
directory, installed from there the way the image installs it (`pip install .`, here without dependencies and
without network), and the CLI runs from that install alone: `studygraph --help`, an ingest of a small note
(the glossary and the segmenter's word list are package data) and the API app's construction."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import ROOT


def copy_set() -> list[tuple[str, str]]:
    """(source, destination) of every COPY line, as the image build reads them."""
    pairs = []
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*COPY\s+(.+)$", line)
        if match:
            *sources, destination = match.group(1).split()
            pairs += [(source, destination) for source in sources]
    return pairs


def test_the_image_file_set_installs_and_runs(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    for source, destination in copy_set():
        target = app / destination if not destination.endswith("/") else app / destination / Path(source).name
        if destination in ("./", "."):
            target = app / Path(source).name
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / source, target)
    installed = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(installed), str(app)], check=True, capture_output=True, timeout=300)
    # -S: no .pth files, so the project's editable install cannot stand in for what the image holds.
    runner = (f"import sys; sys.path[:0] = [{str(installed)!r}, {sysconfig.get_paths()['purelib']!r}]; "
              "import cli.app, api.app; assert cli.app.__file__.startswith({0!r}), cli.app.__file__; "
              "api.app.create_app; sys.argv = ['studygraph'] + sys.argv[1:]; cli.app.app()").format(str(installed))
    help_run = subprocess.run([sys.executable, "-S", "-c", runner, "--help"], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
    assert help_run.returncode == 0, help_run.stderr
    assert "ingest" in help_run.stdout and "serve" in help_run.stdout
    note = tmp_path / "n.md"
    note.write_text("# 笔记\n\nLLaMA 采用 RoPE 位置编码。\n", encoding="utf-8")
    ingest_run = subprocess.run([sys.executable, "-S", "-c", runner, "ingest", "-q", str(note)], capture_output=True,
                                text=True, cwd=tmp_path, timeout=120,
                                env={"STUDYGRAPH_DATA_DIR": str(tmp_path / "store"), "PATH": "/usr/bin:/bin"})
    assert ingest_run.returncode == 0, ingest_run.stderr

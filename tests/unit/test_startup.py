"""Starting `studygraph ingest` stays light: the study, map and graph-algorithm libraries load only when used."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_ingest_path_does_not_import_networkx_or_pyvis() -> None:
    probe = ("import sys, cli.app, graph.store.embedded, ingest.pipeline; "
             "print(sorted(m for m in ('networkx', 'pyvis', 'networkit', 'scipy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"

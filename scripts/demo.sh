#!/usr/bin/env bash
# Set up, ingest the example notes into the embedded store and print the summary and top concepts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/studygraph ingest examples/notes
.venv/bin/studygraph concepts --top 15

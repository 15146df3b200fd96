#!/usr/bin/env bash
# Set up, ingest the example notes into the embedded store, print the summary, then serve the API on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/studygraph ingest examples/notes
.venv/bin/studygraph concepts --top 15
port="${STUDYGRAPH_PORT:-8000}"
echo "serving http://127.0.0.1:${port} (OpenAPI docs at /docs); Ctrl-C stops"
exec .venv/bin/studygraph serve --host 127.0.0.1 --port "${port}"

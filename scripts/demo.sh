#!/usr/bin/env bash
# Install what the product needs to run, ingest the example notes into the embedded store, print the summary, then
# serve the API and the page on loopback (`serve` prints the address once the port is bound, or says what to change).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
.venv/bin/studygraph ingest examples/notes
.venv/bin/studygraph concepts --top 15
exec .venv/bin/studygraph serve --host 127.0.0.1 --port "${STUDYGRAPH_PORT:-8000}"

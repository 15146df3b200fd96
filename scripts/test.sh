#!/usr/bin/env bash
# Set up, then lint and run every test (unit, integration, end-to-end in a real browser, quality on
# ../shared/seeds when present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"

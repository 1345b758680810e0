#!/usr/bin/env bash
# Set everything up on a fresh machine (Python 3.11+) and run the demo: an SQLite database
# with the bundled example assessments (Peru), served at http://127.0.0.1:8000/.
# Usage: scripts/demo.sh [--host H] [--port P]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec riskatlas demo "$@"

#!/usr/bin/env bash
# Installs what is missing, then serves the editor on http://127.0.0.1:${PORT:-8080}/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
port=${PORT:-8080}
echo "ArchSim: building, then serving at http://127.0.0.1:$port/"
exec trunk serve --offline --address 127.0.0.1 --port "$port"

#!/usr/bin/env bash
# Builds the web page (docs/web.md) and serves it on http://127.0.0.1:${PORT:-8000}/ until Ctrl-C.
# Needs what tools/install-deps.sh installs (emscripten, node, npm) and the npm registry for the first build.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset dev -DHEADROOM_WEB=ON >/dev/null
cmake --build build/dev --target headroom_web
echo "serving build/dev/web on http://127.0.0.1:${PORT:-8000}/ (Ctrl-C stops)"
exec python3 -m http.server "${PORT:-8000}" --bind 127.0.0.1 --directory build/dev/web

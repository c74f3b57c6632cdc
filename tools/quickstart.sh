#!/usr/bin/env bash
# One command from a fresh clone to an answer: installs dependencies, builds the CLI (release),
# then asks "does Llama-3-70B QLoRA fit on a 24 GB RTX 4090?". Extra arguments go to `headroom fit`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release -DHEADROOM_BUILD_TESTS=OFF -DHEADROOM_BUILD_EXAMPLES=OFF -DHEADROOM_BUILD_BENCH=OFF -DHEADROOM_WEB=OFF >/dev/null
cmake --build --preset release --target headroom-cli >/dev/null
set +e
build/release/bin/headroom fit llama-3-70b --gpu rtx-4090 --method qlora --gc full "$@"
code=$?
# Exit code 10 means "does not fit": an answer, not a failure of this script.
[ $code -eq 10 ] && exit 0 || exit $code

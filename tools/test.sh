#!/usr/bin/env bash
# The whole test run (README, CI): every test in the dev preset, then the unit, io, CLI and fuzz
# corpus tests again under AddressSanitizer and UndefinedBehaviorSanitizer (the asan preset,
# docs/sanitizers.md). Run tools/install-deps.sh first on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() { printf '\n==== %s\n' "$*"; }

stage "dev: configure, build, every test"
cmake --workflow --preset dev

stage "asan: configure"
cmake --preset asan
stage "asan: build the test programs"
cmake --build --preset asan
stage "asan: unit, io, cli and fuzz tests"
ctest --preset asan

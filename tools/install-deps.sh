#!/usr/bin/env bash
# Installs what headroom needs to build and test, from Debian packages only (clang-14 and its
# sanitizer and libFuzzer runtimes, libclang-rt-14-dev, for the asan preset and tests/fuzz; libcurl
# for downloading Hugging Face configs, python3 for the tests' stand-in Hub server; pybind11, the
# Python headers, pytest, venv, setuptools and wheel for the Python module, its tests and its offline
# pip install, docs/python.md; librsvg2-bin's rsvg-convert renders the README's plots in the tests,
# tools/render_plots.sh, with the DejaVu fonts the charts name; emscripten, node and npm for the web
# page, chromium and firefox-esr for its browser tests, docs/web.md: the npm packages themselves come
# from web/package-lock.json at build time).
set -euo pipefail
pkgs=(cmake ninja-build g++ clang-14 libclang-rt-14-dev libeigen3-dev libfmt-dev catch2 nlohmann-json3-dev libcli11-dev libbenchmark-dev libcurl4-openssl-dev python3
      pybind11-dev python3-dev python3-pytest python3-venv python3-setuptools python3-wheel librsvg2-bin fonts-dejavu-core
      emscripten chromium firefox-esr nodejs)
# npm comes with a nodejs from elsewhere (NodeSource); Debian's own nodejs has it as a package.
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

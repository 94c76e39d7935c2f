#!/usr/bin/env bash
# Installs the Debian packages Scale or Fail builds and runs with.
# Idempotent: only packages that are missing are installed, and apt is not
# touched at all when everything is present (so `make test` stays fast).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git python3
  libcaf-dev
  libboost-dev libboost-system-dev
  libcurl4-openssl-dev libssl-dev
  libmsgpack-cxx-dev
  libfaiss-dev libopenblas0-pthread libopenblas-dev
  libspdlog-dev libfmt-dev
  libsqlite3-dev
  libstemmer-dev          # Snowball stemmers (base/text/stem)
  libpocketsphinx-dev pocketsphinx-en-us sphinxbase-utils
  pocketsphinx-testdata   # calibration speech for stt_eval (extra-read)
  libespeak-ng-dev espeak-ng
  flite1-dev flite
  libsndfile1-dev libsamplerate0-dev
  libpoppler-cpp-dev
  nlohmann-json3-dev
  libcli11-dev libtoml11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  irstlm python3
  sox
  chromium fonts-dejavu-core
  clang libclang-rt-14-dev   # libFuzzer targets (make fuzz, tests/fuzz)
)
# The web UI is bundled with node (web/package.json); the machine's own
# node is kept when there is one (it may be newer than Debian's).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# FAISS links the generic libblas.so.3/liblapack.so.3; Debian's alternatives
# pick the implementation. OpenBLAS (priority 100) builds the knowledge-base
# index ~5x faster than the reference BLAS (docs/BENCHMARKS.md, Retrieval):
# say so when something else is selected.
check_blas() {
  local triplet blas
  triplet=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
  blas=$(readlink -f "/usr/lib/${triplet}/libblas.so.3" 2>/dev/null || true)
  case "$blas" in
    *openblas*) ;;
    *) echo "setup: warning: libblas.so.3 is '${blas}', not OpenBLAS; select it with:" \
         "sudo update-alternatives --config libblas.so.3-${triplet}" ;;
  esac
}

# npm packages of the web UI (bundler, msgpack, the browser driver for the
# end-to-end test), exactly as web/package-lock.json pins them; skipped when
# node_modules already matches the lock file.
npm_install() {
  local web
  web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/web"
  if [ -f "$web/node_modules/.package-lock.json" ] &&
     [ "$web/node_modules/.package-lock.json" -nt "$web/package-lock.json" ]; then
    return 0
  fi
  echo "setup: npm ci in web/ (esbuild, @msgpack/msgpack, playwright-core)"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  check_blas
  npm_install
  exit 0
fi

echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
check_blas
npm_install

#!/usr/bin/env bash
# setup.sh: install what is missing (Debian 12 packages only), build, then
# either run the demo (`run`) or the whole test suite twice (`test`): on the
# normal build, then on a second build under ASan and UBSan. `sanitize` runs
# the second pass alone.
# Idempotent: packages already installed are not touched, builds are incremental.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGES=(
  g++ cmake ninja-build pkg-config
  libsodium-dev libprotobuf-dev protobuf-compiler libcli11-dev libssl-dev
  librocksdb-dev libspdlog-dev libfmt-dev
  libboost1.81-dev libboost-program-options1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libgtest-dev libgmock-dev zlib1g-dev
  age curl
)
# The browser tests drive Debian's Chromium, the deployment files are checked
# with Tor and systemd's analyzer, the packages' dependencies are found by
# dpkg-dev's dpkg-shlibdeps, the package's postinst adds its account with
# adduser, and the sanitizer pass builds with Clang; only
# `test` and `sanitize` install them.
TEST_PACKAGES=(chromium tor systemd dpkg-dev adduser clang)
BUILD_DIR=${AMPARO_BUILD_DIR:-build}
SANITIZE_DIR=${AMPARO_SANITIZE_DIR:-build-sanitize}

install_missing() {
  local missing=() package
  # Node.js and npm build the page; a Node.js package that bundles npm
  # provides the command without Debian's npm package.
  command -v node >/dev/null || missing+=(nodejs)
  command -v node >/dev/null && ! command -v npm >/dev/null && missing+=(npm)
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# build builds the product and the suite. The product's libraries are merged
# into unity sources, so that each parses its headers once: a third less
# compile time for the same objects (crypto/, tests and fuzz targets opt out,
# see their CMakeLists.txt).
build() {
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAMPARO_WERROR=ON \
    -DCMAKE_UNITY_BUILD=ON
  cmake --build "$BUILD_DIR" -j "$(nproc)"
  install_web_packages
}

# build_sanitized builds a second tree under AddressSanitizer and
# UndefinedBehaviorSanitizer, on which `sanitize` runs the whole suite.
# Clang without optimisation or debug information: with both sanitizers it
# builds in well under half the time GCC takes; the product's sources merged
# into unity sources, so that each library parses its headers once; fewer
# kill-and-restart rounds, because every process runs several times slower.
build_sanitized() {
  cmake -S . -B "$SANITIZE_DIR" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g0" -DCMAKE_UNITY_BUILD=ON \
    -DAMPARO_SANITIZE=ON -DAMPARO_WERROR=ON -DAMPARO_CRASH_ROUNDS=50
  cmake --build "$SANITIZE_DIR" -j "$(nproc)"
}

# test_sanitized builds the sanitizer tree and runs the whole suite on it.
# A finding aborts the process that made it (-fno-sanitize-recover), so the
# test that ran it fails.
test_sanitized() {
  build_sanitized
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$SANITIZE_DIR" -j "$(nproc)" --output-on-failure
}

# install_web_packages installs the page's npm packages exactly as
# web/package-lock.json pins them (integrity-checked), again only when the
# lock file changed.
install_web_packages() {
  local stamp=web/node_modules/.amparo-lock-sha256 want
  want=$(sha256sum web/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    (cd web && npm ci --no-audit --no-fund --ignore-scripts)
    echo "$want" >"$stamp"
  fi
}

case "${1:-}" in
  run)
    install_missing "${PACKAGES[@]}"
    build
    exec deploy/demo.sh "$BUILD_DIR"
    ;;
  test)
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    build
    ctest --test-dir "$BUILD_DIR" -j "$(nproc)" --output-on-failure
    test_sanitized
    ;;
  sanitize)
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    install_web_packages
    test_sanitized
    ;;
  *)
    echo "usage: deploy/setup.sh run|test|sanitize" >&2
    exit 2
    ;;
esac

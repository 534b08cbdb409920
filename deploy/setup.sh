#!/usr/bin/env bash
# setup.sh: install what is missing (Debian 12 packages only), build, then
# either run the demo (`run`) or the whole test suite (`test`).
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
BUILD_DIR=${AMPARO_BUILD_DIR:-build}

install_missing() {
  local missing=() package
  for package in "${PACKAGES[@]}"; do
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

build() {
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAMPARO_WERROR=ON
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

case "${1:-}" in
  run)
    install_missing
    build
    exec deploy/demo.sh "$BUILD_DIR"
    ;;
  test)
    install_missing
    build
    ctest --test-dir "$BUILD_DIR" -j "$(nproc)" --output-on-failure
    ;;
  *)
    echo "usage: deploy/setup.sh run|test" >&2
    exit 2
    ;;
esac

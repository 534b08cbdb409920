#!/usr/bin/env bash
# packages.sh: the Debian packages, built with cpack from this build, as an
# operator installs them.
#   - amparo-gateway holds the gateway, the operator's tool, the systemd unit,
#     the sample configurations and the guide, and no decryption tool;
#     amparo-workstation holds amparo-review and nothing of the gateway;
#   - apt resolves `apt-get install ./file.deb` for each on this system;
#   - dpkg installs both into a clean folder, where the programs run and the
#     unit starts the binary the package installed;
#   - the gateway's postinst, run for real with the host's /etc behind an
#     overlay, adds its account and configuration with the right modes, and
#     an upgrade keeps the operator's edits.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: packages.sh BUILD_DIR" >&2; exit 2; }
build=$1
source "$(dirname "${BASH_SOURCE[0]}")/../integration/harness.sh"
require_tools packages cpack dpkg dpkg-deb apt-get unshare setpriv adduser sha256sum
harness_begin packages

cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.txt" 2>&1 ||
  { cat "$work/cpack.txt" >&2; exit 1; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
arch=$(dpkg --print-architecture)
gateway_deb=$work/out/amparo-gateway_${version}_${arch}.deb
workstation_deb=$work/out/amparo-workstation_${version}_${arch}.deb
check "the gateway host's package is built" test -f "$gateway_deb"
check "the workstation's package is built" test -f "$workstation_deb"

contents() { dpkg-deb -c "$1" | awk '{ print $6 }'; }
contents "$gateway_deb" >"$work/gateway.txt"
contents "$workstation_deb" >"$work/workstation.txt"
for file in ./usr/bin/amparo-gateway ./usr/bin/amparo-admin \
            ./usr/lib/systemd/system/amparo-gateway.service \
            ./usr/share/amparo/gateway.conf ./usr/share/amparo/amparo-onion.conf \
            ./usr/share/doc/amparo-gateway/OPERATIONS.md; do
  check "amparo-gateway ships $file" grep -qx "$file" "$work/gateway.txt"
done
check "amparo-gateway ships no decryption tool" bash -c "! grep -q amparo-review '$work/gateway.txt'"
check "amparo-workstation ships amparo-review" grep -qx ./usr/bin/amparo-review "$work/workstation.txt"
check "amparo-workstation ships nothing of the gateway" \
  bash -c "! grep -qE 'amparo-(gateway|admin)$|systemd' '$work/workstation.txt'"
check "amparo-gateway depends on its libraries" \
  bash -c "dpkg-deb -f '$gateway_deb' Depends | grep -q librocksdb"
check "amparo-gateway recommends tor" test "$(dpkg-deb -f "$gateway_deb" Recommends)" = tor
check "the postinst is valid shell" bash -c "dpkg-deb -e '$gateway_deb' '$work/control' && sh -n '$work/control/postinst'"

for deb in "$gateway_deb" "$workstation_deb"; do
  name=$(dpkg-deb -f "$deb" Package)
  apt-get install -s "$deb" >"$work/apt-$name.txt" 2>&1 || true
  check "apt would install $name" grep -q "^Inst $name " "$work/apt-$name.txt"
done

# A clean folder with an empty package database of its own.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"
dpkg --root="$root" --force-not-root --force-depends --log=/dev/null \
  --unpack "$gateway_deb" "$workstation_deb" >"$work/dpkg.txt" 2>&1 ||
  { cat "$work/dpkg.txt" >&2; exit 1; }
check "dpkg records both packages" \
  test "$(dpkg --root="$root" -l | grep -cE '^.U +amparo-(gateway|workstation) ')" = 2
for tool in amparo-gateway amparo-admin amparo-review; do
  check "the installed $tool runs" "$root/usr/bin/$tool" --help >/dev/null
done
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$root/usr/lib/systemd/system/amparo-gateway.service")
check "the unit starts the installed gateway" test -x "$root$exec_start"

# The postinst, run for real in a private mount namespace (see
# postinst_in_namespace.sh): the account, the configuration and its modes as
# an operator's host gets them, and an upgrade that keeps the operator's edits.
# The host's own account files must come out unchanged.
# It needs root (mounts); without root the whole test reports itself skipped
# (77) once the checks above have run, never passed.
if [ "$(id -u)" -ne 0 ]; then
  harness_end || exit 1
  echo "packages: SKIPPED: the postinst needs root to run in a mount namespace" >&2
  exit 77
fi
host_accounts=$(cat /etc/passwd /etc/group | sha256sum)
bash "$(dirname "${BASH_SOURCE[0]}")/postinst_in_namespace.sh" "$root" "$work/control" "$work/postinst" ||
  { echo "packages: the postinst could not be run" >&2; exit 1; }
fact() { sed -n "s/^$1: //p" "$work/postinst/facts"; }
check "the postinst configures" test "$(fact first_configure)" = 0
check "the postinst adds the account amparo, with no shell" \
  test "$(fact account)" = /var/lib/amparo:/usr/sbin/nologin
check "the account is a system account" test "$(fact account_is_system)" = yes
check "the account has its own group" test "$(fact group)" = amparo
check "/etc/amparo is the group's to read only" test "$(fact etc_amparo)" = "750 root amparo"
check "/etc/amparo/tls is the group's to read only" test "$(fact etc_amparo_tls)" = "750 root amparo"
check "the configuration is the group's to read only" test "$(fact config)" = "640 root amparo"
check "the configuration installed is the one shipped" test "$(fact config_is_shipped)" = yes
check "the account reads its configuration" test "$(fact account_reads_config)" = yes
check "the account cannot change its configuration" test "$(fact account_writes_config)" = no
check "configure runs again on an upgrade" test "$(fact second_configure)" = 0
check "an upgrade adds no second account" test "$(fact accounts_after_upgrade)" = 1
check "an upgrade keeps the operator's configuration" test "$(fact edit_kept)" = yes
check "the host's accounts are untouched" test "$(cat /etc/passwd /etc/group | sha256sum)" = "$host_accounts"

harness_end

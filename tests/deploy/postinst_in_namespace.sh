#!/usr/bin/env bash
# postinst_in_namespace.sh: runs the gateway package's postinst for real, as
# dpkg would on an operator's host (configure, then configure again as an
# upgrade does), and writes what it left as `name: value` lines to
# OUT/facts for packages.sh to check.
#
# Run it under `unshare --mount --propagation private`: /etc and /usr/share
# become overlays on the host's, with their changes kept under OUT, so the
# account and files the postinst makes never reach the host.
#
# Usage: postinst_in_namespace.sh PACKAGE_ROOT CONTROL_DIR OUT
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: postinst_in_namespace.sh PACKAGE_ROOT CONTROL_DIR OUT" >&2; exit 2; }
package_root=$1
control=$2
out=$3

for dir in /etc /usr/share; do
  name=$(basename "$dir")
  mkdir -p "$out/$name-upper" "$out/$name-work"
  mount -t overlay overlay \
    -o "lowerdir=$dir,upperdir=$out/$name-upper,workdir=$out/$name-work" "$dir"
done
# What dpkg unpacked before running the postinst.
cp -a "$package_root/usr/share/amparo" /usr/share/amparo

facts=$out/facts
: >"$facts"
fact() { printf '%s: %s\n' "$1" "$2" >>"$facts"; }
mode() { stat -c '%a %U %G' "$1" 2>/dev/null || echo missing; }
as_amparo() { setpriv --reuid amparo --regid amparo --init-groups "$@" 2>/dev/null; }

status=0
sh "$control/postinst" configure >"$out/first.txt" 2>&1 || status=$?
fact first_configure "$status"
fact account "$(getent passwd amparo | cut -d: -f6,7)"
fact account_is_system "$(awk -F: '$1 == "amparo" { print ($3 < 1000 ? "yes" : "no") }' /etc/passwd)"
fact group "$(getent group amparo | cut -d: -f1)"
fact etc_amparo "$(mode /etc/amparo)"
fact etc_amparo_tls "$(mode /etc/amparo/tls)"
fact config "$(mode /etc/amparo/gateway.conf)"
fact config_is_shipped "$(cmp -s /usr/share/amparo/gateway.conf /etc/amparo/gateway.conf && echo yes || echo no)"
fact account_reads_config "$(as_amparo cat /etc/amparo/gateway.conf >/dev/null && echo yes || echo no)"
fact account_writes_config "$(as_amparo sh -c ': >>/etc/amparo/gateway.conf' && echo yes || echo no)"

# The operator edits the configuration; an upgrade runs configure again.
echo "# edited by the operator" >>/etc/amparo/gateway.conf
status=0
sh "$control/postinst" configure >"$out/second.txt" 2>&1 || status=$?
fact second_configure "$status"
fact accounts_after_upgrade "$(grep -c '^amparo:' /etc/passwd)"
fact edit_kept "$(grep -qx '# edited by the operator' /etc/amparo/gateway.conf && echo yes || echo no)"

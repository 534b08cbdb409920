#!/usr/bin/env bash
# postinst_in_namespace.sh: runs the gateway package's postinst for real, as
# dpkg would on an operator's host (configure, then configure again as an
# upgrade does), and writes what it left as `name: value` lines to
# OUT/facts for packages.sh to check.
#
# It runs itself again under `unshare --mount` and refuses to go on in the
# host's mount namespace. There, /etc, /usr/share and /var/log become
# overlays on the host's, with their changes kept under OUT, and /run an
# empty tmpfs (no systemd to reload, no journal socket to log to), so that
# the account and files the postinst makes never reach the host. Needs root.
#
# Usage: postinst_in_namespace.sh PACKAGE_ROOT CONTROL_DIR OUT
set -euo pipefail

if [ "${1:-}" != --inside ]; then
  [ $# -eq 3 ] || { echo "usage: postinst_in_namespace.sh PACKAGE_ROOT CONTROL_DIR OUT" >&2; exit 2; }
  exec unshare --mount --propagation private bash "${BASH_SOURCE[0]}" --inside "$@"
fi
shift
package_root=$1
control=$2
out=$3

# unshare runs this shell in place of itself, so the parent is whoever called
# the script: a namespace of our own differs from the parent's. Anything
# else, or a namespace that cannot be read, and nothing is mounted.
own_namespace=$(readlink /proc/self/ns/mnt || true)
parent_namespace=$(readlink "/proc/$PPID/ns/mnt" || true)
if [ -z "$own_namespace" ] || [ -z "$parent_namespace" ] ||
   [ "$own_namespace" = "$parent_namespace" ]; then
  echo "postinst_in_namespace: not in a mount namespace of its own; refusing" >&2
  exit 1
fi
for dir in /etc /usr/share /var/log; do
  name=$(basename "$dir")
  mkdir -p "$out/$name-upper" "$out/$name-work"
  mount -t overlay overlay \
    -o "lowerdir=$dir,upperdir=$out/$name-upper,workdir=$out/$name-work" "$dir"
done
mount -t tmpfs tmpfs /run
if [ -S /dev/log ]; then mount --bind /dev/null /dev/log; fi
# What dpkg unpacked before running the postinst, whatever the host has.
rm -rf /usr/share/amparo
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

#!/usr/bin/env bash
# privilege_drop.sh: the gateway started as root with `user = nobody` binds
# its port, then runs as nobody with no way back, no new privileges, no
# capabilities and its system call filter in force, and still serves: a
# submission is acknowledged and stored in files that nobody owns, amparo-
# admin reaches it through the control socket, SIGHUP reloads the
# certificate. A data folder that belongs to another account is refused
# before anything is served. Needs root: exits 77 (skipped) without.
set -euo pipefail

submit=${1:?usage: privilege_drop.sh AMPARO_SUBMIT AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY}
review=${2:?}
admin=${3:?}
gateway=${4:?}
if [ "$(id -u)" -ne 0 ]; then
  echo "privilege_drop: needs root to drop it; skipped"
  exit 77
fi
nobody_uid=$(id -u nobody)
nobody_gid=$(id -g nobody)

source "$(dirname "$0")/harness.sh"
harness_begin privilege_drop
# nobody must be able to reach its folders through the test's own.
chmod 0711 "$work"

"$review" demo-keys -o "$work/keys" >/dev/null
fingerprint=$(cat "$work/keys/DEMO-root-fingerprint.txt")
mkdir -p "$work/site/run"
chown nobody "$work/site/run"
config=$work/site/gateway.conf
printf '%s\n' "listen_address = 127.0.0.1" "port = 0" "data_dir = data" \
  "self_signed_certificate = yes" "root_fingerprint = $fingerprint" \
  "user = nobody" "control_socket = run/control.sock" >"$config"
"$admin" -c "$config" init >/dev/null
"$admin" -c "$config" keys install "$work/keys/DEMO-key-bundle.bin" >/dev/null

# The store was made by root: the gateway refuses it rather than serve from
# files it could not write.
rc=0
"$gateway" -c "$config" 2>"$work/refused.log" || rc=$?
check "a data folder of another account is refused" test "$rc" -ne 0
check "with a clear message" grep -q 'must belong to user nobody' "$work/refused.log"
check "before anything is served" bash -c "! grep -q 'listening' '$work/refused.log'"

chown -R nobody "$work/site/data"
start_gateway
log=$work/gateway.log
proc=/proc/$gateway_pid/status
field() { awk -v f="$1:" '$1 == f { $1 = ""; sub(/^[ \t]+/, ""); gsub(/[ \t]+/, " "); print }' "$proc"; }
check "runs as nobody (real, effective, saved, file system)" \
  test "$(field Uid)" = "$nobody_uid $nobody_uid $nobody_uid $nobody_uid"
check "in nobody's group" \
  test "$(field Gid)" = "$nobody_gid $nobody_gid $nobody_gid $nobody_gid"
check "with no supplementary group" test -z "$(field Groups)"
check "with no capability" test "$(field CapEff)" = 0000000000000000
check "and none to regain" test "$(field CapPrm)" = 0000000000000000
check "no new privileges" test "$(field NoNewPrivs)" = 1
check "under a seccomp filter" test "$(field Seccomp)" = 2
check "the filter covers every thread" \
  test "$(grep -h '^Seccomp:' /proc/"$gateway_pid"/task/*/status | sort -u | awk '{print $2}')" = 2
check "the log says whom it runs as" grep -q 'running as user nobody' "$log"

printf 'Threatened after the session.\n' >"$work/narrative.txt"
out=$("$submit" send --gateway "$url" --insecure-demo --root-fingerprint "$fingerprint" \
        --body CAT --narrative-file "$work/narrative.txt" --no-progress 2>/dev/null)
check "a submission is acknowledged" grep -Eq '^envelope id: [0-9a-f]{32}$' <<<"$out"
check "amparo-admin reaches it through the socket" \
  bash -c "'$admin' -c '$config' status | grep -q '^envelopes waiting for export: 1 '"
check "every file of the store belongs to nobody" \
  test -z "$(find "$work/site/data" ! -user nobody -print -quit)"

kill -HUP "$gateway_pid"
for _ in $(seq 1 50); do grep -q 'certificate reloaded' "$log" && break; sleep 0.1; done
check "SIGHUP reloads the certificate as nobody" grep -q 'certificate reloaded' "$log"
check "health still answers" test "$(curl -sk "$url/v1/health")" = ok
check "no call was blocked" bash -c "! grep -q 'blocked system call' '$log'"

stop_gateway
[ "$failed" -eq 0 ] || cat "$log" >&2
check "it stopped gracefully" grep -q 'stopped' "$log"
harness_end

#!/usr/bin/env bash
# gateway_e2e.sh: the real gateway on a loopback port over a real RocksDB in
# a temp folder, driven by amparo-submit and curl: small and resumable
# submissions are acknowledged and counted, over TLS and, through a SOCKS5
# proxy standing in for Tor, over the onion listener; bad input gets its
# fixed answer and stores nothing; and afterwards neither the data folder nor
# the log holds the marker, the user agent, the client address or the
# request times.
set -euo pipefail

submit=${1:?usage: gateway_e2e.sh AMPARO_SUBMIT AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY SOCKS5_RELAY}
review=${2:?}
admin=${3:?}
gateway=${4:?}
relay=${5:?}
for tool in curl "$submit" "$review" "$admin" "$gateway" "$relay"; do
  command -v "$tool" >/dev/null || { echo "e2e: missing $tool" >&2; exit 1; }
done

source "$(dirname "$0")/harness.sh"
harness_begin e2e

marker="amparo-e2e-marker-$RANDOM$RANDOM"
agent="MarkerAgent/$RANDOM.$RANDOM"

"$review" demo-keys -o "$work/keys" >/dev/null
fingerprint=$(cat "$work/keys/DEMO-root-fingerprint.txt")
mkdir -p "$work/site"
cat >"$work/site/gateway.conf" <<CONF
listen_address = 127.0.0.1
port = 0
onion_port = 0
data_dir = data
self_signed_certificate = yes
root_fingerprint = $fingerprint
CONF
config="$work/site/gateway.conf"
"$admin" -c "$config" init >/dev/null
"$admin" -c "$config" keys install "$work/keys/DEMO-key-bundle.bin" >/dev/null

start_gateway
log=$work/gateway.log
times=()
note_time() { times+=("$(date -u +%s)"); }

note_time
check "health" test "$(curl -sk -A "$agent" "$url/v1/health")" = "ok"
curl -sk -A "$agent" -o "$work/keys.bin" "$url/v1/keys"
check "keys byte for byte" cmp -s "$work/keys.bin" "$work/keys/DEMO-key-bundle.bin"

printf 'Narrative %s: threatened after briefing the Committee.\n' "$marker" >"$work/narrative.txt"
note_time
out=$("$submit" send --gateway "$url" --insecure-demo --root-fingerprint "$fingerprint" \
        --body CAT --narrative-file "$work/narrative.txt" --no-progress 2>/dev/null)
check "small submission acknowledged" grep -Eq '^envelope id: [0-9a-f]{32}$' <<<"$out"

head -c $((3 * 1024 * 1024 + 5)) /dev/urandom >"$work/evidence.bin"
note_time
out=$("$submit" send --gateway "$url" --insecure-demo --root-fingerprint "$fingerprint" \
        --body CAT --body SPT --narrative-file "$work/narrative.txt" \
        --attach "$work/evidence.bin" --no-progress 2>/dev/null)
check "resumable submission acknowledged" grep -Eq '^envelope id: [0-9a-f]{32}$' <<<"$out"

# The onion path: amparo-submit asks the proxy for the .onion name (never the
# system's resolver) and speaks plain HTTP inside the tunnel, which the proxy
# relays to the onion listener, as Tor would.
onion_port=$(wait_for_value "$log" 's/.*onion listener .* on port \([0-9]*\).*/\1/p')
onion=abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion
"$relay" "${onion_port:-1}" "$work/proxied.txt" >"$work/relay.out" &
relay_pid=$!
trap 'kill "$relay_pid" 2>/dev/null || true; harness_cleanup' EXIT
relay_port=$(wait_for_value "$work/relay.out" 's/^port \([0-9]*\)$/\1/p')
note_time
out=$("$submit" send --gateway "http://$onion" --socks5 "127.0.0.1:${relay_port:-1}" \
        --root-fingerprint "$fingerprint" --body CAT --narrative-file "$work/narrative.txt" \
        --attach "$work/evidence.bin" --no-progress 2>"$work/onion-err.txt")
check "submission over the onion listener acknowledged" \
  grep -Eq '^envelope id: [0-9a-f]{32}$' <<<"$out"
check "the onion name went to the proxy, port 80" grep -qx "$onion:80" "$work/proxied.txt"
# Refused as a usage error, before any connection: the proxy here is the
# working relay, and it must not see the name.
check "plain HTTP to a name that is not an onion is refused" test "$(status "$submit" send \
  --gateway http://gw.example --socks5 "127.0.0.1:${relay_port:-1}" \
  --root-fingerprint "$fingerprint" --body CAT --narrative-file "$work/narrative.txt" \
  --no-progress)" = 1
check "with a usage message" grep -q -- '--gateway must be' "$work/err"
check "and the proxy never saw the name" sh -c "! grep -q gw.example '$work/proxied.txt'"
check "no certificate options over plain HTTP" test "$(status "$submit" send \
  --gateway "http://$onion" --insecure-demo --socks5 "127.0.0.1:${relay_port:-1}" \
  --root-fingerprint "$fingerprint" --body CAT --narrative-file "$work/narrative.txt" \
  --no-progress)" = 1
kill "$relay_pid" 2>/dev/null || true

status_of() { curl -sk -A "$agent" -o /dev/null -w '%{http_code}' "$@"; }
note_time
check "garbage envelope refused 400" test "$(status_of -X POST --data-binary "$marker" "$url/v1/submissions")" = 400
# With curl's Expect: 100-continue the refusal comes before any body byte is
# sent; a client that pushes the whole body first can see the connection
# reset before it reads the 413 (the raw-client integration tests cover it).
check "oversized body refused 413" test "$(head -c $((1024 * 1024 + 1)) /dev/zero |
  status_of -X POST --data-binary @- "$url/v1/submissions")" = 413
check "oversized headers refused 431" test "$(status_of -H "X-Pad: $(head -c 9000 /dev/zero | tr '\0' a)" "$url/v1/health")" = 431
check "unknown upload 404" test "$(status_of "$url/v1/uploads/$(printf '%032d' 7)")" = 404
check "wrong method 405" test "$(status_of -X POST "$url/v1/health")" = 405
check "upload chunk without an upload refused" test \
  "$(status_of -X PUT --data-binary x "$url/v1/uploads/$(printf '%032d' 7)?offset=0")" = 404

# While the gateway runs, the operator's tool reads the totals through it.
running_status=$("$admin" -c "$config" status)
check "status works while the gateway runs" grep -q '^envelopes waiting for export: 3 ' <<<"$running_status"
writes=$(sed -n 's/^durable writes since the store was opened: \([0-9]*\) in \([0-9]*\) synced batches$/\1 \2/p' <<<"$running_status")
check "the running store counts its durable writes" \
  awk -v w="${writes% *}" -v s="${writes#* }" 'BEGIN { exit !(w >= 3 && s >= 1 && s <= w) }'

stop_gateway
check "gateway stopped gracefully" grep -q 'stopped' "$log"

status=$("$admin" -c "$config" status)
check "exactly the three acknowledged envelopes stored" grep -q '^envelopes waiting for export: 3 ' <<<"$status"
check "audit chain intact" grep -q 'intact' <<<"$status"

# Nothing identifying in the data folder or the log.
scan() {  # scan PATTERN: true if found nowhere
  ! grep -rqaF -- "$1" "$work/site/data" "$log"
}
check "marker absent" scan "$marker"
check "user agent absent" scan "$agent"
check "client address absent" scan "127.0.0.1"
for t in "${times[@]}"; do
  for s in $((t - 1)) "$t" $((t + 1)); do
    check "epoch second $s absent" scan "$s"
    check "time of day $(date -u -d "@$s" +%H:%M:%S) absent" scan "$(date -u -d "@$s" +%H:%M:%S)"
  done
done

harness_end

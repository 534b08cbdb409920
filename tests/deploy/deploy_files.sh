#!/usr/bin/env bash
# deploy_files.sh: the files of deploy/ as an operator installs them.
#   - the systemd unit passes `systemd-analyze verify`, and its exposure
#     score from `systemd-analyze security` stays at or under the recorded
#     bound;
#   - the Tor configuration passes `tor --verify-config`: a v3 onion service
#     to the gateway's onion listener on loopback, and no SOCKS or relay
#     port; and the real tor, started with it (offline: no circuit is built),
#     makes the service's keys and the onion address an operator publishes;
#   - the sample gateway.conf, moved under a temporary root, serves: a real
#     gateway with it answers /v1/health and accepts a demo submission, on
#     its TLS port and, named by that onion address, on its onion listener.
# Every tool it needs must be present: a missing one fails the test.
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: deploy_files.sh DEPLOY_DIR REVIEW ADMIN GATEWAY MAKE_ENVELOPE" >&2; exit 2; }
deploy=$1 review=$2 admin=$3 gateway=$(realpath "$4") make_envelope=$5
source "$(dirname "${BASH_SOURCE[0]}")/../integration/harness.sh"
harness_begin deploy_files

# The exposure score of the unit (0 best, 10 worst), times ten, that the
# unit must not exceed; docs/OPERATIONS.md records the measured score.
max_exposure_tenths=15

require_tools deploy_files systemd-analyze tor openssl curl

# --- systemd unit ---------------------------------------------------------
unit=$deploy/systemd/amparo-gateway.service
# verify resolves ExecStart; the copy points it at the built gateway and
# differs from the shipped unit in that one line only.
sed "s|^ExecStart=/usr/bin/amparo-gateway |ExecStart=$gateway |" "$unit" >"$work/amparo-gateway.service"
check "the copy differs from the unit in ExecStart only" \
  test "$(diff "$unit" "$work/amparo-gateway.service" | grep -c '^[<>]')" -eq 2
check "systemd-analyze verify" systemd-analyze verify "$work/amparo-gateway.service"
systemd-analyze security --offline=yes "$work/amparo-gateway.service" >"$work/security.txt" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for amparo-gateway.service: \([0-9.]*\).*/\1/p' "$work/security.txt")
echo "deploy_files: exposure level of amparo-gateway.service: ${exposure:-none}"
exposure_ok() {
  [ -n "$exposure" ] && awk -v e="$exposure" -v m="$max_exposure_tenths" 'BEGIN { exit !(e * 10 <= m) }'
}
check "exposure at most $max_exposure_tenths/10" exposure_ok
# The settings the unit promises, one by one: a lost line would otherwise
# only move the score a little.
for setting in 'User=amparo' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' \
               'MemoryDenyWriteExecute=yes' 'CapabilityBoundingSet=' \
               'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'SystemCallFilter=@system-service'; do
  check "unit sets $setting" grep -q "^$setting" "$unit"
done

# --- Tor onion service ----------------------------------------------------
torrc=$deploy/tor/amparo-onion.conf
mkdir -m 700 "$work/tor" "$work/tor/amparo"
sed "s|^HiddenServiceDir /var/lib/tor/amparo/|HiddenServiceDir $work/tor/amparo/|" "$torrc" >"$work/torrc"
echo "DataDirectory $work/tor" >>"$work/torrc"
tor_verify() {
  tor --verify-config -f "$work/torrc" --defaults-torrc /dev/null >"$work/tor.txt" 2>&1 ||
    { cat "$work/tor.txt" >&2; return 1; }
}
check "tor --verify-config" tor_verify
check "a v3 onion service" grep -q '^HiddenServiceVersion 3$' "$torrc"
# Port 80 of the onion address reaches the gateway's plain onion listener;
# no other port is published.
check "the onion port reaches the onion listener on loopback only" \
  test "$(grep '^HiddenServicePort' "$torrc")" = "HiddenServicePort 80 127.0.0.1:8080"
check "no SOCKS port" grep -q '^SocksPort 0$' "$torrc"
check "no relay port" grep -q '^ORPort 0$' "$torrc"

# The real tor with it: section 5's `cat /var/lib/tor/amparo/hostname`. It
# makes the keys and the address at start, before reaching any relay.
tor -f "$work/torrc" --defaults-torrc /dev/null >"$work/tor-run.txt" 2>&1 &
tor_pid=$!
onion_address=$(wait_for_value "$work/tor/amparo/hostname" '1p' 2>/dev/null)
kill "$tor_pid" 2>/dev/null || true
wait "$tor_pid" 2>/dev/null || true
check "tor publishes a v3 onion address" \
  grep -Eqx '[a-z2-7]{56}\.onion' <<<"${onion_address:-none}"
check "its secret key is the owner's alone" \
  test "$(stat -c %a "$work/tor/amparo/hs_ed25519_secret_key")" = 600
check "tor opened no SOCKS, relay or control listener" \
  sh -c "! grep -q 'Opening .* listener' '$work/tor-run.txt'"

# --- the sample configuration ---------------------------------------------
sample=$deploy/gateway.conf
check "the sample listens on loopback" grep -q '^listen_address = 127.0.0.1$' "$sample"
check "the sample's TLS port is 8443" grep -q '^port = 8443$' "$sample"
check "the sample's onion listener is the onion service's" grep -q '^onion_port = 8080$' "$sample"
root=$work/root
mkdir -p "$root/etc/amparo/tls" "$root/var/lib/amparo" "$root/run/amparo"
"$review" demo-keys -o "$work/keys" >/dev/null
fingerprint=$(cat "$work/keys/DEMO-root-fingerprint.txt")
config=$root/etc/amparo/gateway.conf
sed -e "s|/etc/amparo|$root/etc/amparo|; s|/var/lib/amparo|$root/var/lib/amparo|; s|/run/amparo|$root/run/amparo|" \
    -e "s|^port = 8443$|port = 0|" -e "s|^onion_port = 8080$|onion_port = 0|" \
    -e "s|^root_fingerprint = .*|root_fingerprint = $fingerprint|" \
    "$sample" >"$config"
mkdir -p "$root/var/lib/amparo/web"
printf '<!doctype html><title>Amparo</title>\n' >"$root/var/lib/amparo/web/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
  -keyout "$root/etc/amparo/tls/private-key.pem" -out "$root/etc/amparo/tls/certificate.pem" 2>/dev/null
"$admin" -c "$config" init >/dev/null
"$admin" -c "$config" keys install "$work/keys/DEMO-key-bundle.bin" >/dev/null
start_gateway
check "health answers" curl -sfk "$url/v1/health" -o /dev/null
"$make_envelope" --key-bundle "$work/keys/DEMO-key-bundle.bin" --root-fingerprint "$fingerprint" \
  --out "$work/envelope.bin" >/dev/null
check "a submission is accepted" test "$(curl -sk -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/octet-stream' --data-binary @"$work/envelope.bin" \
  "$url/v1/submissions")" = 201
check "the control socket is where the sample puts it" test -S "$root/run/amparo/control.sock"

# The onion listener: what Tor hands it, plain HTTP naming the .onion host.
onion_port=$(wait_for_value "$work/gateway.log" 's/.*onion listener .* on port \([0-9]*\).*/\1/p')
check "the onion listener is open" test -n "$onion_port"
# The address tor made above, as Tor Browser sends it.
onion_host=${onion_address:-none.onion}
onion_url="http://127.0.0.1:${onion_port:-1}"
check "health answers over the onion listener" \
  curl -sf -H "Host: $onion_host" "$onion_url/v1/health" -o /dev/null
check "a submission is accepted over the onion listener" test "$(curl -s -o /dev/null \
  -w '%{http_code}' -H "Host: $onion_host" -H 'Content-Type: application/octet-stream' \
  --data-binary @"$work/envelope.bin" "$onion_url/v1/submissions")" = 201
curl -s -D "$work/onion-headers.txt" -o /dev/null -H "Host: $onion_host" "$onion_url/v1/health" || true
check "the onion listener sends the CSP" grep -qi '^content-security-policy: ' "$work/onion-headers.txt"
check "the onion listener sends no HSTS" \
  sh -c "! grep -qi '^strict-transport-security' '$work/onion-headers.txt'"
check "a host that is not an onion gets 421" test "$(curl -s -o /dev/null -w '%{http_code}' \
  "$onion_url/v1/health")" = 421
stop_gateway

harness_end

#!/usr/bin/env bash
# crash_consistency.sh: a gateway node on a loopback port chosen by the
# system (demo keys, amparo-admin init, the key bundle installed), on which
# the crash-consistency driver (crash_consistency.cc) kills and restarts the
# real gateway ROUNDS times under load, then checks the store it left and an
# export of it. AMPARO_CRASH_SEED in the environment replays a failed run's
# random choices (the kill moments still vary with timing).
set -euo pipefail

usage="usage: crash_consistency.sh DRIVER AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY [ROUNDS]"
driver=${1:?$usage}
review=${2:?$usage}
admin=${3:?$usage}
gateway=${4:?$usage}
rounds=${5:-200}
for tool in "$driver" "$review" "$admin" "$gateway"; do
  command -v "$tool" >/dev/null || { echo "crash_consistency: missing $tool" >&2; exit 1; }
done

source "$(dirname "$0")/harness.sh"
harness_begin crash_consistency

"$review" demo-keys -o "$work/keys" >/dev/null
bundle=$work/keys/DEMO-key-bundle.bin
fingerprint=$(cat "$work/keys/DEMO-root-fingerprint.txt")
mkdir -p "$work/site"
config=$work/site/gateway.conf
expiry_days=7
cat >"$config" <<CONF
listen_address = 127.0.0.1
port = 0
data_dir = data
self_signed_certificate = yes
root_fingerprint = $fingerprint
upload_expiry_days = $expiry_days
CONF
"$admin" -c "$config" init >"$work/admin-init.txt"
node_key=$(sed -n 's/^node key: //p' "$work/admin-init.txt")
if [ -z "$node_key" ]; then
  echo "crash_consistency: amparo-admin init printed no node key" >&2
  exit 1
fi
"$admin" -c "$config" keys install "$bundle" >/dev/null

"$driver" --gateway "$gateway" --config "$config" --data-dir "$work/site/data" \
  --key-bundle "$bundle" --root-fingerprint "$fingerprint" \
  --admin "$admin" --node-key "$node_key" --export-file "$work/export.amparo" \
  --rounds "$rounds" --seed "${AMPARO_CRASH_SEED:-0}" --upload-expiry-days "$expiry_days"

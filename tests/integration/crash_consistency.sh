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

expiry_days=7
set_up_demo_site "upload_expiry_days = $expiry_days"

"$driver" --gateway "$gateway" --config "$config" --data-dir "$work/site/data" \
  --key-bundle "$bundle" --root-fingerprint "$fingerprint" \
  --admin "$admin" --node-key "$node_key" --export-file "$work/export.amparo" \
  --rounds "$rounds" --seed "${AMPARO_CRASH_SEED:-0}" --upload-expiry-days "$expiry_days"

#!/usr/bin/env bash
# rotation_cycle.sh: the key life cycle and the air gap, end to end, with the
# real binaries, a real gateway on a loopback port and real RocksDB:
#   a workstation keystore and a gateway node are set up and pinned to each
#   other; the gateway starts with no bundle and accepts submissions once
#   bundle v1 is installed through its control socket; a submission is sealed
#   under v1; a key is rotated and bundle v2 installed; a second submission is
#   sealed under it; the gateway exports, the workstation imports and opens
#   both; the acknowledgement purges them on the gateway and no file of its
#   store keeps their bytes. The gateway runs throughout: every amparo-admin
#   command reaches the store through the control socket; once it is stopped,
#   amparo-admin opens the store itself.
# And the refusals: an envelope sealed against a bundle below the lowest
# accepted version, a rolled-back bundle, a bundle of a foreign root, a
# tampered export (nothing imported), an acknowledgement for another node.
# Re-importing an export is harmless; destroying the last key of a case
# makes it unreadable.
set -euo pipefail

review=${1:?usage: rotation_cycle.sh AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY AMPARO_SUBMIT MAKE_ENVELOPE}
admin=${2:?}
gateway=${3:?}
submit=${4:?}
make_envelope=${5:?}
for tool in curl cmp "$review" "$admin" "$gateway" "$submit" "$make_envelope"; do
  command -v "$tool" >/dev/null || { echo "rotation: missing $tool" >&2; exit 1; }
done

source "$(dirname "$0")/harness.sh"
source "$(dirname "$0")/../support/flip_byte.sh"
harness_begin rotation

# --- the key ceremony: workstation, then the gateway node, pinned both ways -----
set_up_site
check "admin init prints the node key" test -n "$node_key"
check "the node key file is private" test "$(stat -c %a "$work/site/node-export.key")" = 600
rv keys add --body CAT --label "CAT reprisals focal point" >/dev/null
rv keys add --body CCPR --label "Human Rights Committee" >/dev/null
rv bundle sign -o "$work/v1.bin" >/dev/null

send() {  # send BODY NARRATIVE: prints the envelope id
  printf '%s\n' "$2" >"$work/narrative.txt"
  "$submit" send --gateway "$url" --insecure-demo --root-fingerprint "$fingerprint" \
    --body "$1" --narrative-file "$work/narrative.txt" --no-progress 2>"$work/send-err" |
    sed -n 's/^envelope id: //p'
}

# --- the gateway starts with no bundle; v1 installed while it runs ----------------
start_gateway
check "the control socket is private" test "$(stat -c %a "$work/site/control.sock")" = 600
code=$(curl -sk -o /dev/null -w '%{http_code}' "$url/v1/keys")
check "no bundle is served before one is installed" test "$code" = 503
"$admin" -c "$config" import "$work/v1.bin" >"$work/install-v1.txt"
check "bundle v1 is installed through the running gateway" grep -q "installed key bundle version 1" "$work/install-v1.txt"
first=$(send CAT "sealed under bundle one")
check "submission under v1 acknowledged without a restart" test -n "$first"

# --- rotation: a new CAT key, bundle v2, the gateway still running -----------------
rv keys rotate CAT-1 >/dev/null
rv bundle sign -o "$work/v2.bin" >/dev/null
"$admin" -c "$config" import "$work/v2.bin" >/dev/null
curl -sk -o "$work/served.bin" "$url/v1/keys"
check "the gateway serves bundle v2 byte for byte at once" cmp -s "$work/served.bin" "$work/v2.bin"
second=$(send CAT "sealed under bundle two")
check "submission under v2 acknowledged" test -n "$second"
"$make_envelope" --key-bundle "$work/v2.bin" --root-fingerprint "$fingerprint" \
  --out "$work/sealed-v2.bin" >/dev/null

# --- revocation raises the lowest accepted version: v2 envelopes are refused ------
rv keys revoke CCPR-2 >/dev/null
rv bundle sign -o "$work/v3.bin" >/dev/null
"$admin" -c "$config" import "$work/v3.bin" >/dev/null
code=$(curl -sk -o "$work/stale.txt" -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
         --data-binary @"$work/sealed-v2.bin" "$url/v1/submissions")
check "an envelope sealed against v2 is refused once v3 is the lowest" test "$code" = 409
check "the refusal tells the client to refresh the keys" grep -aq "stale_key_bundle" "$work/stale.txt"
# A hostile envelope: well formed, sealed to the current keys, but its last
# chunk altered. The gateway cannot tell; the workstation must report it and
# go on with the others.
"$make_envelope" --key-bundle "$work/v3.bin" --root-fingerprint "$fingerprint" \
  --out "$work/hostile.bin" >/dev/null
size=$(stat -c %s "$work/hostile.bin")
flip_byte "$work/hostile.bin" $((size - 20))
code=$(curl -sk -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
         --data-binary @"$work/hostile.bin" "$url/v1/submissions")
check "the gateway stores a well-formed hostile envelope" test "$code" = 201

# --- bundles the node must refuse --------------------------------------------------
check "a rolled-back bundle is refused" test "$(status "$admin" -c "$config" import "$work/v1.bin")" = 9
"$review" demo-keys -o "$work/foreign" >/dev/null
check "a bundle of a foreign root is refused" \
  test "$(status "$admin" -c "$config" import "$work/foreign/DEMO-key-bundle.bin")" = 10

# --- export, then a tampered copy: refused, nothing imported -----------------------
"$admin" -c "$config" export --out "$work/export.amparo" --no-progress >"$work/export.txt"
check "the export carries the three envelopes" grep -q ": 3 envelopes" "$work/export.txt"
cp "$work/export.amparo" "$work/tampered.amparo"
size=$(stat -c %s "$work/tampered.amparo")
flip_byte "$work/tampered.amparo" $((size - 100))
keystore_before=$(sha256sum "$keystore/keystore.amparo" | cut -d' ' -f1)
check "a tampered export is refused" \
  test "$(status rv import "$work/tampered.amparo" --ack-out "$work/ack-bad.amparo")" != 0
check "the refusal says nothing was imported" grep -q "nothing was imported" "$work/err"
check "no case file was written" test -z "$(ls -A "$keystore/cases")"
check "the keystore did not change" test "$(sha256sum "$keystore/keystore.amparo" | cut -d' ' -f1)" = "$keystore_before"
check "no acknowledgement was written" test ! -e "$work/ack-bad.amparo"

# --- import: both envelopes open, under the retiring and the new key --------------
rv import "$work/export.amparo" --ack-out "$work/ack.amparo" >"$work/import.txt"
check "both real envelopes are imported" grep -q "2 imported, 0 imported before, 0 opened by none of this workstation's keys, 1 opened but unreadable" "$work/import.txt"
check "the hostile one is reported and not acknowledged" grep -q "unreadable (payload failure.*not acknowledged" "$work/import.txt"
rv list >"$work/list.txt"
check "list shows both cases" test "$(grep -cE '^[0-9a-f]{32}	' "$work/list.txt")" = 2
check "the first case opens (retiring key)" bash -c "$(declare -f rv); review='$review' keystore='$keystore' work='$work' rv show $first | grep -q 'sealed under bundle one'"
check "the second case opens (new key)" bash -c "$(declare -f rv); review='$review' keystore='$keystore' work='$work' rv show $second | grep -q 'sealed under bundle two'"
rv import "$work/export.amparo" --ack-out "$work/ack-again.amparo" >"$work/import-again.txt"
check "re-importing the same export is harmless" grep -q "0 imported, 2 imported before" "$work/import-again.txt"
check "and it is reported as a replay" grep -q "replay" "$work/import-again.txt"

# --- the acknowledgement purges the gateway, leaving no copy ------------------------
# A 64-byte piece of the first envelope's ciphertext, to look for afterwards.
probe=$work/probe.bin
tail -c 200 "$keystore/cases/$first.envelope" | head -c 64 >"$probe"
probe_hex=$(od -An -tx1 "$probe" | tr -d ' \n')
check "the store holds the envelope before the purge" python3 - "$work/site/data" "$probe_hex" <<'PY'
import os, sys
root, probe = sys.argv[1], bytes.fromhex(sys.argv[2])
sys.exit(0 if any(probe in open(os.path.join(d, f), 'rb').read() for d, _, fs in os.walk(root) for f in fs) else 1)
PY
"$admin" -c "$config" import "$work/ack.amparo" >"$work/purge.txt"
check "the acknowledgement purges both" grep -q "purged 2 of 2" "$work/purge.txt"
"$admin" -c "$config" status >"$work/status.txt"
check "only the unreadable envelope waits for export" grep -q "^envelopes waiting for export: 1 " "$work/status.txt"
check "no file of the store keeps the envelope after compaction" python3 - "$work/site/data" "$probe_hex" <<'PY'
import os, sys
root, probe = sys.argv[1], bytes.fromhex(sys.argv[2])
sys.exit(1 if any(probe in open(os.path.join(d, f), 'rb').read() for d, _, fs in os.walk(root) for f in fs) else 0)
PY
check "a repeated acknowledgement is harmless" test "$(status "$admin" -c "$config" import "$work/ack.amparo")" = 0
check "the gateway kept serving throughout" test "$(curl -sk -o /dev/null -w '%{http_code}' "$url/v1/health")" = 200

# --- with the gateway stopped, amparo-admin opens the store itself ----------------
stop_gateway
check "the control socket is gone once the gateway stopped" test ! -e "$work/site/control.sock"
"$admin" -c "$config" status >"$work/status-stopped.txt"
check "status reads the store directly" grep -q "^envelopes waiting for export: 1 " "$work/status-stopped.txt"

# --- crypto-shredding on the workstation -----------------------------------------
check "destroying the only key of a case is refused" test "$(status rv keys destroy CAT-1)" = 9
rv keys destroy CAT-1 --force >/dev/null
check "after the key is destroyed the case cannot be opened" test "$(status rv show "$first")" = 5
check "the other case still opens" bash -c "$(declare -f rv); review='$review' keystore='$keystore' work='$work' rv show $second | grep -q 'sealed under bundle two'"

harness_end

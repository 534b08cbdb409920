#!/usr/bin/env bash
# multi_node.sh: two gateway nodes with export keys of their own, pinned on
# one workstation, take submissions for the same key bundle (as behind an
# onion balancer, where a submitter reaches either). Their exports, imported
# on the workstation in either order and twice over, merge: every envelope
# acknowledged by either node is a case, none twice, and each node's
# acknowledgement purges its own store only.
set -euo pipefail

review=${1:?usage: multi_node.sh AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY AMPARO_SUBMIT}
admin=${2:?}
gateway=${3:?}
submit=${4:?}
source "$(dirname "$0")/harness.sh"
require_tools multi_node curl "$review" "$admin" "$gateway" "$submit"
harness_begin multi_node

# --- the workstation and node A (set_up_site pins A) -----------------------------
set_up_site
rv keys add --body CAT --label "CAT reprisals focal point" >/dev/null
rv bundle sign -o "$work/v1.bin" >/dev/null
config_a=$config
# --- node B: its own store and export key, pinned as well ------------------------
mkdir -p "$work/site-b"
config_b=$work/site-b/gateway.conf
printf '%s\n' "listen_address = 127.0.0.1" "port = 0" "data_dir = data" \
  "self_signed_certificate = yes" "root_fingerprint = $fingerprint" >"$config_b"
node_b=$("$admin" -c "$config_b" init | sed -n 's/^node key: //p')
check "node B has an export key of its own" test -n "$node_b" -a "$node_b" != "$node_key"
rv gateway pin "$node_b" >/dev/null

ids=()
for node in a b; do
  config=$([ "$node" = a ] && echo "$config_a" || echo "$config_b")
  "$admin" -c "$config" import "$work/v1.bin" >/dev/null
  start_gateway
  for n in 1 2 3; do ids+=("$(send_allegation "node $node, allegation $n")"); done
  stop_gateway
  "$admin" -c "$config" export --out "$work/export-$node.amparo" --no-progress >/dev/null
done
check "six envelopes acknowledged" test "$(printf '%s\n' "${ids[@]}" | grep -c .)" -eq 6

# --- B first, then A, then both again --------------------------------------------
rv import "$work/export-b.amparo" --ack-out "$work/ack-b.amparo" >"$work/import-b.txt"
rv import "$work/export-a.amparo" --ack-out "$work/ack-a.amparo" >"$work/import-a.txt"
check "node B's three are imported" grep -q ": 3 envelopes; 3 imported, 0 imported before" "$work/import-b.txt"
check "node A's three are imported" grep -q ": 3 envelopes; 3 imported, 0 imported before" "$work/import-a.txt"
for node in a b; do
  rv import "$work/export-$node.amparo" --ack-out "$work/ack-again-$node.amparo" >"$work/again-$node.txt"
  check "node $node's export again adds nothing" \
    grep -q ": 3 envelopes; 0 imported, 3 imported before" "$work/again-$node.txt"
done
rv list >"$work/list.txt"
check "six cases, none twice" test "$(grep -cE '^[0-9a-f]{32}	' "$work/list.txt")" = 6
for id in "${ids[@]}"; do
  check "case $id is listed once" test "$(grep -c "^$id	" "$work/list.txt")" = 1
done

# --- each acknowledgement purges its own node, and is refused by the other --------
check "A's acknowledgement is refused by node B" \
  test "$(status "$admin" -c "$config_b" import "$work/ack-a.amparo")" != 0
for node in a b; do
  config=$([ "$node" = a ] && echo "$config_a" || echo "$config_b")
  "$admin" -c "$config" import "$work/ack-$node.amparo" >/dev/null
  check "node $node is empty after its acknowledgement" \
    grep -q '^envelopes waiting for export: 0 ' <<<"$("$admin" -c "$config" status)"
done

harness_end

#!/usr/bin/env bash
# backup_restore.sh: a backup of a running node's sealed store, restored on
# a fresh node with the node's offline secrets, serves and exports exactly
# what was backed up: the workstation imports those envelopes and no other.
# Restore refuses a running gateway, a data folder that holds a store, and a
# folder that is not a backup, and changes nothing when it refuses.
set -euo pipefail

review=${1:?usage: backup_restore.sh AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY AMPARO_SUBMIT}
admin=${2:?}
gateway=${3:?}
submit=${4:?}
source "$(dirname "$0")/harness.sh"
require_tools backup curl "$review" "$admin" "$gateway" "$submit"
harness_begin backup

# --- node A: three envelopes, a backup while it runs, then a fourth --------------
set_up_site
rv keys add --body CAT --label "CAT reprisals focal point" >/dev/null
rv bundle sign -o "$work/v1.bin" >/dev/null
start_gateway
"$admin" -c "$config" import "$work/v1.bin" >/dev/null
backed_up=()
for n in 1 2 3; do backed_up+=("$(send_allegation "backed up $n")"); done
check "three envelopes acknowledged" test "${#backed_up[@]}" -eq 3 -a -n "${backed_up[2]}"
check "backup of the running node" "$admin" -c "$config" backup "$work/backup"
check "the backup is private" test "$(stat -c %a "$work/backup")" = 700
check "no checkpoint is left in the data folder" test ! -e "$work/site/data/backup-in-progress"
check "a second backup into the same folder is refused" \
  test "$(status "$admin" -c "$config" backup "$work/backup")" = 1
later=$(send_allegation "after the backup")
check "a fourth envelope acknowledged" test -n "$later"
check "restore refuses a running gateway" \
  test "$(status "$admin" -c "$config" restore "$work/backup")" = 1
stop_gateway

# --- node B: the offline secrets of A, its store from the backup -----------------
site_b=$work/site-b
mkdir -p "$site_b"
cp "$work/site/node-export.key" "$work/site/mailbox.key" "$site_b/"
printf '%s\n' "listen_address = 127.0.0.1" "port = 0" "data_dir = data" \
  "self_signed_certificate = yes" "root_fingerprint = $fingerprint" >"$site_b/gateway.conf"
config=$site_b/gateway.conf
mkdir -p "$work/not-a-backup"
check "a folder that is not a backup is refused" \
  test "$(status "$admin" -c "$config" restore "$work/not-a-backup")" = 1
check "and nothing is created" test ! -e "$site_b/data"
"$admin" -c "$config" restore "$work/backup" >"$work/restore.txt"
check "restore counts the backed-up envelopes" grep -q '^envelopes waiting for export: 3$' "$work/restore.txt"
check "restore keeps the key bundle" grep -q '^key bundle version: 1$' "$work/restore.txt"
before=$(find "$site_b/data" -type f -exec sha256sum {} + | sort)
check "restoring over a store is refused" \
  test "$(status "$admin" -c "$config" restore "$work/backup")" = 1
check "and the store is unchanged" test "$(find "$site_b/data" -type f -exec sha256sum {} + | sort)" = "$before"

start_gateway
check "the restored node serves" curl -sfk "$url/v1/health" -o /dev/null
check "and serves its key bundle" curl -sfk "$url/v1/keys" -o /dev/null
"$admin" -c "$config" export --out "$work/export.amparo" --no-progress >"$work/export.txt"
check "the export carries the three backed-up envelopes" grep -q ": 3 envelopes" "$work/export.txt"
stop_gateway
rv import "$work/export.amparo" --ack-out "$work/ack.amparo" >"$work/import.txt"
check "the workstation imports them" grep -q ": 3 envelopes; 3 imported, 0 imported before" "$work/import.txt"
rv list >"$work/list.txt"
for id in "${backed_up[@]}"; do
  check "backed-up case $id is listed" grep -q "^$id	" "$work/list.txt"
done
check "the envelope sent after the backup is not" bash -c "! grep -q '^$later	' '$work/list.txt'"

harness_end

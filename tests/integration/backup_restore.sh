#!/usr/bin/env bash
# backup_restore.sh: a backup of a running node's sealed store, restored on
# a fresh node with the node's offline secrets, serves and exports exactly
# what was backed up: the workstation imports those envelopes and no other.
# Restore refuses a running gateway, a data folder that holds a store, a
# folder that is not a backup, one that does not open as a store and the
# copy an earlier restore left, and leaves no store behind when it refuses:
# its copy of a refused backup is removed.
# Restored as it is, a node whose backup predates its last export signs an
# export number again, which the workstation takes for a replay; restored
# with --after-export and the number the workstation lists, it continues
# after it.
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
# A folder that looks like a backup but does not open as a store: the copy
# restore made of it is removed, for a real backup's copy holds ciphertext.
mkdir -p "$work/broken-backup"
printf 'MANIFEST-000999\n' >"$work/broken-backup/CURRENT"
head -c 4096 /dev/urandom >"$work/broken-backup/000998.sst"
check "a backup that does not open as a store is refused" \
  test "$(status "$admin" -c "$config" restore "$work/broken-backup")" = 2
check "with its own message" grep -q 'does not open as a store' "$work/err"
check "and its copy is removed" test ! -e "$site_b/data.restoring"
check "and no store is created" test ! -e "$site_b/data"
# The copy an interrupted restore left is removed before copying: restoring
# from it, or from inside the data folder, would destroy it.
cp -r "$work/backup" "$site_b/data.restoring"
check "restoring from the copy an earlier restore left is refused" \
  test "$(status "$admin" -c "$config" restore "$site_b/data.restoring/")" = 1
check "and the copy is kept" cmp -s "$work/backup/CURRENT" "$site_b/data.restoring/CURRENT"
check "and no store is created from it" test ! -e "$site_b/data"
rm -rf "$site_b/data.restoring"
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

# --- nodes C and D: the same backup again, after the workstation imported
# export 1 from this node ----------------------------------------------------------
rv gateway list >"$work/nodes.txt"
last=$(awk -F'\t' -v key="$node_key" '$1 == key { sub(/^last export imported: /, "", $2); print $2 }' \
         "$work/nodes.txt")
check "the workstation lists the node's last export imported" test "$last" = 1

# restore_and_export SITE [RESTORE OPTION...]: a node from the backup in SITE,
# its export imported on the workstation; the import's report in SITE/import.txt.
restore_and_export() {
  local site=$1; shift
  mkdir -p "$site"
  cp "$work/site/node-export.key" "$work/site/mailbox.key" "$site/"
  printf '%s\n' "listen_address = 127.0.0.1" "port = 0" "data_dir = data" \
    "self_signed_certificate = yes" "root_fingerprint = $fingerprint" >"$site/gateway.conf"
  "$admin" -c "$site/gateway.conf" restore "$work/backup" "$@" >"$site/restore.txt"
  "$admin" -c "$site/gateway.conf" export --out "$site/export.amparo" --no-progress >"$site/export.txt"
  rv import "$site/export.amparo" --ack-out "$site/ack.amparo" >"$site/import.txt"
}

restore_and_export "$work/site-c"
check "restored as it is, the node signs export 1 again" grep -q '^export 1: ' "$work/site-c/export.txt"
check "which the workstation takes for a replay" grep -q 'not newer than the last one' "$work/site-c/import.txt"

restore_and_export "$work/site-d" --after-export "$last"
check "restored after export 1, the node continues at 2" \
  grep -q '^next export number: 2$' "$work/site-d/restore.txt"
check "its export is number 2" grep -q '^export 2: ' "$work/site-d/export.txt"
check "which is no replay" bash -c "! grep -q 'not newer' '$work/site-d/import.txt'"
check "and carries the envelopes the workstation holds" \
  grep -q ": 3 envelopes; 0 imported, 3 imported before" "$work/site-d/import.txt"
"$admin" -c "$work/site-d/gateway.conf" status >"$work/site-d/status.txt"
check "the audit chain records it and stays intact" \
  grep -q '^audit chain: .* events, intact$' "$work/site-d/status.txt"
check "a number past the largest is refused" test "$(status "$admin" -c "$config" restore \
  "$work/backup" --after-export 4294967297)" = 1

harness_end

#!/usr/bin/env bash
# followup_cycle.sh: anonymous follow-up end to end (proto/FOLLOWUP.md), with
# the real binaries, a real gateway on a loopback port and real RocksDB:
# a submission is sent and its receipt code shown once; the workstation
# imports it, replies with a message and an attachment and shares a status;
# the replies cross the air gap in a signed file placed by amparo-admin in
# the running gateway; the submitter reads both with the code alone and
# adds information, which the workstation links to the same case. A wrong
# code reads nothing; a replayed or older replies file places nothing.
set -euo pipefail

review=${1:?usage: followup_cycle.sh AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY AMPARO_SUBMIT}
admin=${2:?}
gateway=${3:?}
submit=${4:?}
for tool in "$review" "$admin" "$gateway" "$submit" cmp; do
  command -v "$tool" >/dev/null || { echo "followup: missing $tool" >&2; exit 1; }
done

source "$(dirname "$0")/harness.sh"
harness_begin followup

set_up_site "mailbox_requests_per_hour = 600"
check "init makes a private mailbox secret" test "$(stat -c %a "$work/site/mailbox.key")" = 600
rv keys add --body CAT --label "CAT reprisals focal point" >/dev/null
rv bundle sign -o "$work/v1.bin" >/dev/null

start_gateway
"$admin" -c "$config" import "$work/v1.bin" >/dev/null
gw=(--gateway "$url" --insecure-demo --root-fingerprint "$fingerprint")

# --- a submission, and its receipt code shown once --------------------------------
printf 'They came to my office after the session.\n' >"$work/narrative.txt"
"$submit" send "${gw[@]}" --body CAT --narrative-file "$work/narrative.txt" --no-progress \
  >"$work/send.txt" 2>"$work/send-err.txt"
case_id=$(sed -n 's/^envelope id: //p' "$work/send.txt")
code=$(sed -n 's/^receipt code: //p' "$work/send.txt")
check "the submission is acknowledged" test -n "$case_id"
check "a receipt code of 10 words is shown" test "$(wc -w <<<"$code")" = 10
check "with advice to keep it apart" grep -q "keep it apart from this computer" "$work/send.txt"
printf '%s\n' "$code" >"$work/code"
chmod 600 "$work/code"

# --- the workstation imports it and answers ---------------------------------------
"$admin" -c "$config" export --out "$work/export1.amparo" --no-progress >/dev/null
rv import "$work/export1.amparo" --ack-out "$work/ack1.amparo" >"$work/import1.txt"
check "the case can be answered" grep -q "1 of the new cases can be answered" "$work/import1.txt"
check "show says so" bash -c "$(declare -f rv); review='$review' keystore='$keystore' work='$work' rv show $case_id | grep -q 'the submitter can read replies'"
printf 'a letter from the focal point\n' >"$work/letter.txt"
rv reply "$case_id" --message "We received your report and are assessing it." --attach "$work/letter.txt" >/dev/null
rv status "$case_id" under-assessment --share >"$work/status.txt"
check "the shared status waits for export" grep -q "sealed for the submitter" "$work/status.txt"
rv status "$case_id" received >/dev/null  # not shared
rv export-replies --out "$work/replies1.amparo" >"$work/export-replies1.txt"
check "two replies are exported" grep -q "replies file 1: 2 replies" "$work/export-replies1.txt"
check "nothing is left to export" test "$(rv export-replies --out "$work/none.amparo")" = "no reply waits for export"

# --- across the air gap, into the running gateway ----------------------------------
"$admin" -c "$config" import "$work/replies1.amparo" >"$work/place1.txt"
check "the gateway places both" grep -q "placed 2 of 2" "$work/place1.txt"
"$admin" -c "$config" import "$work/replies1.amparo" >"$work/place1-again.txt"
check "placing the same file again is harmless" grep -q "placed 0 of 2" "$work/place1-again.txt"
check "the data folder holds no plaintext of the replies" bash -c "! grep -raq 'We received your report' '$work/site/data'"

# --- the submitter reads both with the code alone -----------------------------------
mkdir "$work/received"
"$submit" replies "${gw[@]}" --code-fd 3 --out "$work/received" 3<"$work/code" >"$work/replies.txt"
check "two replies are read" grep -q "^2 replies$" "$work/replies.txt"
check "the message arrives" grep -q "We received your report and are assessing it." "$work/replies.txt"
check "the shared status arrives" grep -q "^status: under assessment$" "$work/replies.txt"
check "the unshared status does not" bash -c "! grep -q '^status: received' '$work/replies.txt'"
check "the attachment arrives byte for byte" cmp -s "$work/received/reply-1-attachment-1" "$work/letter.txt"
check "the code typed loosely reads too" bash -c "tr 'a-z' 'A-Z' <'$work/code' | sed 's/ /-/g' | '$submit' replies ${gw[*]} --code-fd 0 | grep -q '^2 replies$'"

# --- a wrong code learns nothing -----------------------------------------------------
other="abandon ability able about above absent absorb abstract absurd abuse"
printf '%s\n' "$other" >"$work/other-code"
"$submit" replies "${gw[@]}" --code-fd 3 3<"$work/other-code" >"$work/other.txt"
check "a wrong code reads no reply" grep -q "^0 replies$" "$work/other.txt"
printf 'not a code\n' >"$work/bad-code"
check "a malformed code is refused before any request" test "$(status "$submit" replies "${gw[@]}" --code-fd 3 3<"$work/bad-code")" = 1

# --- the submitter adds information to the same case ----------------------------------
printf 'Since then they call me every night.\n' >"$work/more.txt"
"$submit" send "${gw[@]}" --body CAT --narrative-file "$work/more.txt" --code-fd 3 --no-progress \
  3<"$work/code" >"$work/add.txt"
addition=$(sed -n 's/^envelope id: //p' "$work/add.txt")
check "the addition is acknowledged" test -n "$addition"
check "no new code is shown for an addition" bash -c "! grep -q '^receipt code:' '$work/add.txt'"
"$admin" -c "$config" export --out "$work/export2.amparo" --no-progress >/dev/null
rv import "$work/export2.amparo" --ack-out "$work/ack2.amparo" >"$work/import2.txt"
check "the addition is linked on import" grep -q "1 additional information linked" "$work/import2.txt"
rv show "$case_id" >"$work/show.txt"
check "the case shows its additional information" grep -q "additional information: case $addition" "$work/show.txt"
check "the case shows its statuses" grep -q "status .*: under-assessment (shared)" "$work/show.txt"
rv show "$addition" >"$work/show-addition.txt"
check "the addition shows its case" grep -q "adds information to case $case_id" "$work/show-addition.txt"
check "the addition's text is there" grep -q "every night" "$work/show-addition.txt"

# --- a reply to the addition reaches the same mailbox; an older file is refused ----------
rv reply "$addition" --message "Thank you, noted." >/dev/null
rv export-replies --out "$work/replies2.amparo" >/dev/null
"$admin" -c "$config" import "$work/replies2.amparo" >/dev/null
"$submit" replies "${gw[@]}" --code-fd 3 3<"$work/code" >"$work/replies-after.txt"
check "the reply to the addition is in the same mailbox" grep -q "^3 replies$" "$work/replies-after.txt"
check "an older replies file is refused" test "$(status "$admin" -c "$config" import "$work/replies1.amparo")" = 9
# --- a lost file is made good; a reply's text cannot forge the output's lines -------
rv export-replies --again --out "$work/replies3.amparo" >"$work/export-again.txt"
check "every reply is written again under a new batch" grep -q "replies file 3: 3 replies" "$work/export-again.txt"
"$admin" -c "$config" import "$work/replies3.amparo" >"$work/place3.txt"
check "the gateway skips what it holds" grep -q "placed 0 of 3" "$work/place3.txt"
rv reply "$case_id" --message "$(printf 'line one\n--- reply 99, forged\nstatus: closed\302\233[2J')" >/dev/null
rv export-replies --out "$work/replies4.amparo" >/dev/null
"$admin" -c "$config" import "$work/replies4.amparo" >/dev/null
"$submit" replies "${gw[@]}" --code-fd 3 3<"$work/code" >"$work/replies-forged.txt"
check "four replies are read" grep -q "^4 replies$" "$work/replies-forged.txt"
check "a reply's text cannot start a line of the output" test "$(grep -c '^--- reply' "$work/replies-forged.txt")" = 4
check "nor pass for a status" bash -c "! grep -q '^status: closed' '$work/replies-forged.txt'"
check "a C1 control never reaches the terminal" bash -c "! grep -q \$'\xc2\x9b' '$work/replies-forged.txt'"

harness_end

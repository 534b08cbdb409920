#!/usr/bin/env bash
# keystore_cli_test.sh: amparo-review's keystore commands as real processes:
# init with the passphrase from a descriptor; a wrong passphrase has its own
# exit code and changes nothing; the keystore folder and file are private and
# hold no secret in clear; keys add, rotate, revoke, destroy and list; bundle
# sign writes bundles with rising versions; the air-gap guard refuses to
# unlock while a network interface is up, naming it.
#
# Usage: keystore_cli_test.sh AMPARO_REVIEW
set -euo pipefail
REVIEW=${1:?usage: keystore_cli_test.sh AMPARO_REVIEW}
[[ -x $REVIEW ]] || { echo "keystore_cli: FAIL: $REVIEW is not an executable" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); printf 'FAIL: %s: %s\n' "$1" "$2"; }
check() { local name=$1; shift; if "$@"; then pass; else fail "$name" "$*"; fi; }

KS=$TMP/keystore
printf 'a long and private passphrase\n' >"$TMP/pass"
printf 'not the passphrase\n' >"$TMP/wrong"
# review ARGS...: a keystore command, unlocked from the passphrase file.
review() { "$REVIEW" --keystore "$KS" --passphrase-fd 3 --allow-network "$@" 3<"$TMP/pass"; }
# status CMD...: the exit status of a command, whatever it is.
status() { local rc=0; "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?; echo "$rc"; }

review init --kdf interactive >"$TMP/init.txt"
check "init prints the root fingerprint" grep -Eq '^root fingerprint: [0-9a-f]{4}(-[0-9a-f]{4}){15}$' "$TMP/init.txt"
check "keystore folder is private" test "$(stat -c %a "$KS")" = 700
check "keystore file is private" test "$(stat -c %a "$KS/keystore.amparo")" = 600
check "second init is refused" test "$(status review init --kdf interactive)" = 1

review keys add --body CAT --label "CAT focal point" >/dev/null
review keys add --body CCPR --label "Human Rights Committee" >/dev/null
check "unknown body is a usage error" test "$(status review keys add --body NOPE --label x)" = 1
check "the unknown body is named" grep -q "no body NOPE" "$TMP/err"
check "no secret in clear in the keystore" bash -c "! grep -aq 'AGE-SECRET-KEY-1' '$KS/keystore.amparo'"
check "no label in clear in the keystore" bash -c "! grep -aq 'CAT focal point' '$KS/keystore.amparo'"

before=$(sha256sum "$KS/keystore.amparo")
rc=$(status "$REVIEW" --keystore "$KS" --passphrase-fd 3 --allow-network keys list 3<"$TMP/wrong")
check "wrong passphrase has exit code 12" test "$rc" = 12
check "wrong passphrase says so" grep -q "wrong passphrase" "$TMP/err"
check "wrong passphrase changes nothing" test "$(sha256sum "$KS/keystore.amparo")" = "$before"

review bundle sign -o "$TMP/v1.bin" >"$TMP/sign1.txt"
check "bundle version 1" grep -q "version 1 (lowest accepted version 1)" "$TMP/sign1.txt"
check "bundle file is written" test -s "$TMP/v1.bin"
check "an existing bundle file is not replaced" test "$(status review bundle sign -o "$TMP/v1.bin")" = 2

review keys rotate CAT-1 >"$TMP/rotate.txt"
check "rotation names the new key" grep -q "new key CAT-3" "$TMP/rotate.txt"
review keys revoke CCPR-2 >/dev/null
review bundle sign -o "$TMP/v2.bin" >"$TMP/sign2.txt"
check "revocation raises the lowest accepted version" grep -q "version 2 (lowest accepted version 2)" "$TMP/sign2.txt"
review keys list >"$TMP/list.txt"
check "old key is retiring" grep -Eq '^CAT-1	CAT	retiring	' "$TMP/list.txt"
check "new key is active" grep -Eq '^CAT-3	CAT	active	' "$TMP/list.txt"
check "revoked key is revoked" grep -Eq '^CCPR-2	CCPR	revoked	' "$TMP/list.txt"
review keys destroy CCPR-2 >/dev/null
review keys list >"$TMP/list.txt"
check "destroyed key is destroyed" grep -Eq '^CCPR-2	CCPR	destroyed	' "$TMP/list.txt"
check "destroying twice is refused" test "$(status review keys destroy CCPR-2)" = 9

review root rotate >"$TMP/root.txt"
check "root rotation prints the new root" grep -q "^new root " "$TMP/root.txt"
review bundle sign -o "$TMP/v3.bin" >/dev/null
check "a bundle after a root rotation is signed" test -s "$TMP/v3.bin"

# The air gap: without --allow-network, a command that unlocks the keystore
# refuses while any interface but loopback is up, and names it.
up=$(ip -o link show up 2>/dev/null | awk -F': ' '$2 != "lo" { print $2 }' | sed 's/@.*//' | head -n 1 || true)
if [[ -n $up ]]; then
  rc=$(status "$REVIEW" --keystore "$KS" --passphrase-fd 3 keys list 3<"$TMP/pass")
  check "networked machine: refused with exit code 9" test "$rc" = 9
  check "networked machine: the interface is named" grep -q "$up" "$TMP/err"
  check "networked machine: the remedy is given" grep -q -- "--allow-network" "$TMP/err"
else
  echo "keystore_cli: no network interface is up: the refusal was not exercised"
fi

echo "keystore_cli: $passed passed, $failed failed"
[[ $failed -eq 0 ]]

#!/usr/bin/env bash
# age_interop.sh: proves byte-exact interoperability with the reference age
# tools in both directions. Files sealed by amparo-submit open with `age -d`,
# files sealed by `age` open with amparo-review, binary and armored, at sizes
# around the 64 KiB chunk, our 1 MiB batch and a few MiB; identities from
# age-keygen work in amparo-review and identities from amparo-review keygen
# work in age; a file sealed to several recipients opens with each identity
# alone, in either tool.
#
# Usage: age_interop.sh AMPARO_SUBMIT AMPARO_REVIEW CCTV_VECTOR_DIR
# (the vector directory is accepted for a uniform command line and unused).
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 AMPARO_SUBMIT AMPARO_REVIEW CCTV_VECTOR_DIR" >&2
  exit 1
fi
SUBMIT=$1
REVIEW=$2

# A missing prerequisite is a failure, never a skip.
for tool in "$SUBMIT" "$REVIEW"; do
  [[ -x $tool ]] || { echo "interop: FAIL: $tool is not an executable" >&2; exit 1; }
done
for tool in age age-keygen cmp head grep sed awk base64; do
  command -v "$tool" >/dev/null || {
    echo "interop: FAIL: required tool $tool is missing (install the age package)" >&2
    exit 1
  }
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0

# fail NAME WHAT [STDERR_FILE]: records a failed case.
fail() {
  failed=$((failed + 1))
  local detail=""
  if [[ -n ${3:-} && -s $3 ]]; then detail="; stderr: $(head -c 300 "$3" | tr '\n' '|')"; fi
  printf 'FAIL: %s: %s%s\n' "$1" "$2" "$detail"
}

# seal_open NAME PLAIN SEAL... -- OPEN...: runs SEAL with PLAIN on standard
# input, then OPEN on the result, and passes when both succeed and the output
# equals PLAIN byte for byte.
seal_open() {
  local name=$1 plain=$2
  shift 2
  local seal=()
  while [[ $1 != -- ]]; do seal+=("$1"); shift; done
  shift
  if ! "${seal[@]}" <"$plain" >"$TMP/sealed" 2>"$TMP/err"; then
    fail "$name" "sealing with ${seal[0]##*/} failed" "$TMP/err"
    return
  fi
  if ! "$@" <"$TMP/sealed" >"$TMP/opened" 2>"$TMP/err"; then
    fail "$name" "opening with ${1##*/} failed" "$TMP/err"
    return
  fi
  if ! cmp -s "$TMP/opened" "$plain"; then
    fail "$name" "plaintext differs after the round trip"
    return
  fi
  passed=$((passed + 1))
}

# pass_if NAME WHAT COMMAND...
pass_if() {
  local name=$1 what=$2
  shift 2
  if "$@"; then passed=$((passed + 1)); else fail "$name" "$what"; fi
}

# x25519_stanzas FILE: the number of X25519 stanzas in an age file, binary or
# armored.
x25519_stanzas() {
  if [[ $(head -n 1 "$1") == "-----BEGIN AGE ENCRYPTED FILE-----" ]]; then
    sed '1d;$d' "$1" | base64 -d | grep -ac '^-> X25519 ' || true
  else
    grep -ac '^-> X25519 ' "$1" || true
  fi
}

# age_refuses IDENTITY FILE: age -d fails.
age_refuses() { ! age -d -i "$1" "$2" >/dev/null 2>&1; }

# Keys: one made by each tool, plus a second of ours for several recipients.
age-keygen -o "$TMP/age-key.txt" 2>/dev/null
"$REVIEW" keygen -o "$TMP/our-key.txt" 2>/dev/null
"$REVIEW" keygen -o "$TMP/our-key2.txt" 2>/dev/null
AGE_RECIPIENT=$(age-keygen -y "$TMP/age-key.txt")
OUR_RECIPIENT=$(sed -n 's/^# public key: //p' "$TMP/our-key.txt")
OUR_RECIPIENT2=$(sed -n 's/^# public key: //p' "$TMP/our-key2.txt")

# age-keygen derives the same public key from our identity file that keygen
# wrote in its comment line.
pass_if "keygen: age-keygen -y agrees" "age-keygen -y gives another recipient for our identity" \
  test "$(age-keygen -y "$TMP/our-key.txt" 2>/dev/null)" = "$OUR_RECIPIENT"
pass_if "keygen: second key differs" "two keygen runs made the same key" \
  test "$OUR_RECIPIENT" != "$OUR_RECIPIENT2"

# Sizes around the 64 KiB chunk, the 1 MiB batch and a few MiB.
sizes=(0 1 65535 65536 65537 $((5 * 65536 + 7)) $((16 * 65536)) $((16 * 65536 + 1))
       $((3 * 1048576 + 5)))
for size in "${sizes[@]}"; do
  plain=$TMP/plain-$size
  head -c "$size" /dev/urandom >"$plain"
  for mode in binary armored; do
    armor=()
    [[ $mode == armored ]] && armor=(-a)
    # amparo-submit -> age -d, to a key of age-keygen's and to one of ours.
    seal_open "$size bytes, $mode: amparo-submit -> age (age-keygen identity)" "$plain" \
      "$SUBMIT" encrypt "${armor[@]}" -r "$AGE_RECIPIENT" -- age -d -i "$TMP/age-key.txt"
    seal_open "$size bytes, $mode: amparo-submit -> age (amparo-review keygen identity)" "$plain" \
      "$SUBMIT" encrypt "${armor[@]}" -r "$OUR_RECIPIENT" -- age -d -i "$TMP/our-key.txt"
    # age -> amparo-review decrypt, to a key of ours and to one of age-keygen's.
    seal_open "$size bytes, $mode: age -> amparo-review (amparo-review keygen identity)" "$plain" \
      age -e "${armor[@]}" -r "$OUR_RECIPIENT" -- "$REVIEW" decrypt -i "$TMP/our-key.txt"
    seal_open "$size bytes, $mode: age -> amparo-review (age-keygen identity)" "$plain" \
      age -e "${armor[@]}" -r "$AGE_RECIPIENT" -- "$REVIEW" decrypt -i "$TMP/age-key.txt"
  done
done

# Our armor has the shape age writes: same BEGIN and END lines, 64 columns.
head -c 1000 /dev/urandom >"$TMP/plain-armor"
"$SUBMIT" encrypt -a -r "$AGE_RECIPIENT" -o "$TMP/ours.pem" "$TMP/plain-armor"
age -e -a -r "$AGE_RECIPIENT" -o "$TMP/theirs.pem" "$TMP/plain-armor"
pass_if "armor: same line widths as age" "line lengths differ from age's armor of the same size" \
  cmp -s <(awk '{ print length($0) }' "$TMP/ours.pem") \
    <(awk '{ print length($0) }' "$TMP/theirs.pem")
pass_if "armor: same BEGIN and END lines as age" "first or last line differs from age's" \
  cmp -s <(sed -n '1p;$p' "$TMP/ours.pem") <(sed -n '1p;$p' "$TMP/theirs.pem")

# Several recipients: two of ours and one of age-keygen's, each identity alone
# opens the file, with either tool, whichever tool sealed it.
plain=$TMP/plain-multi
head -c $((2 * 65536 + 3)) /dev/urandom >"$plain"
"$SUBMIT" encrypt -r "$OUR_RECIPIENT" -r "$AGE_RECIPIENT" -r "$OUR_RECIPIENT2" \
  -o "$TMP/multi-ours.age" "$plain"
age -e -r "$OUR_RECIPIENT" -r "$AGE_RECIPIENT" -r "$OUR_RECIPIENT2" \
  -o "$TMP/multi-age.age" "$plain"
printf '# two of ours\n%s\n%s\n\n# one of age-keygen\n%s\n' \
  "$OUR_RECIPIENT" "$OUR_RECIPIENT2" "$AGE_RECIPIENT" >"$TMP/recipients.txt"
"$SUBMIT" encrypt -a -R "$TMP/recipients.txt" -o "$TMP/multi-ours-R.age" "$plain"
age -e -a -R "$TMP/recipients.txt" -o "$TMP/multi-age-R.age" "$plain"
for sealed in multi-ours multi-age multi-ours-R multi-age-R; do
  pass_if "$sealed: three stanzas" "header does not hold three X25519 stanzas" \
    test "$(x25519_stanzas "$TMP/$sealed.age")" -eq 3
  for key in our-key our-key2 age-key; do
    for opener in age amparo-review; do
      name="$sealed: $key alone with $opener"
      if [[ $opener == age ]]; then
        cmd=(age -d -i "$TMP/$key.txt" -o "$TMP/opened" "$TMP/$sealed.age")
      else
        cmd=("$REVIEW" decrypt -i "$TMP/$key.txt" -o "$TMP/opened" "$TMP/$sealed.age")
      fi
      rm -f "$TMP/opened"
      if ! "${cmd[@]}" 2>"$TMP/err"; then
        fail "$name" "decryption failed" "$TMP/err"
      elif ! cmp -s "$TMP/opened" "$plain"; then
        fail "$name" "plaintext differs"
      else
        passed=$((passed + 1))
      fi
    done
  done
done

# A file for some other key is refused by both tools alike.
age-keygen -o "$TMP/stranger.txt" 2>/dev/null
pass_if "stranger: age refuses" "age opened a file not sealed to the key" \
  age_refuses "$TMP/stranger.txt" "$TMP/multi-ours.age"
rc=0
"$REVIEW" decrypt -i "$TMP/stranger.txt" "$TMP/multi-age.age" >/dev/null 2>"$TMP/err" || rc=$?
pass_if "stranger: amparo-review says no match" "exit code $rc, want 5" test "$rc" -eq 5

echo "interop: $passed passed, $failed failed"
[[ $failed -eq 0 ]]

#!/usr/bin/env bash
# cli_test.sh: runs amparo-submit and amparo-review as real processes and
# proves their command-line contract: each CCTV failure class keeps its own
# exit code with a single "error:" line on stderr, a failed decryption leaves
# no output (nor temporary) file behind, keygen writes a 0600 identity file
# and never replaces one, usage, key and I/O errors have their exit codes, and
# the age conventions (-R files, repeated -i, -a armor, standard input and
# output) hold.
#
# Usage: cli_test.sh AMPARO_SUBMIT AMPARO_REVIEW CCTV_VECTOR_DIR
set -euo pipefail
export LC_ALL=C
source "$(dirname "$0")/../support/flip_byte.sh"

if [[ $# -ne 3 ]]; then
  echo "usage: $0 AMPARO_SUBMIT AMPARO_REVIEW CCTV_VECTOR_DIR" >&2
  exit 1
fi
SUBMIT=$1
REVIEW=$2
VECTORS=$3

# A missing prerequisite is a failure, never a skip.
for tool in "$SUBMIT" "$REVIEW"; do
  [[ -x $tool ]] || { echo "cli: FAIL: $tool is not an executable" >&2; exit 1; }
done
[[ -d $VECTORS ]] || { echo "cli: FAIL: vector directory $VECTORS is missing" >&2; exit 1; }
for tool in cmp sha256sum head tail sed awk grep stat od; do
  command -v "$tool" >/dev/null || { echo "cli: FAIL: required tool $tool is missing" >&2; exit 1; }
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0

# pass / fail record the outcome of one named case.
pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  printf 'FAIL: %s: %s\n' "$1" "$2"
}

# check NAME WHAT COMMAND...: the case passes when COMMAND succeeds.
check() {
  local name=$1 what=$2
  shift 2
  if "$@"; then pass; else fail "$name" "$what"; fi
}

# run IN OUT ERR COMMAND...: runs COMMAND with the given standard streams and
# leaves its exit status in RC.
run() {
  local in=$1 out=$2 err=$3
  shift 3
  RC=0
  "$@" <"$in" >"$out" 2>"$err" || RC=$?
}

# check_rc NAME WANT ERR: the last run exited with WANT.
check_rc() {
  local name=$1 want=$2 err=$3
  if [[ $RC -eq $want ]]; then
    pass
  else
    fail "$name" "exit code $RC, want $want; stderr: $(head -c 300 "$err" | tr '\n' '|')"
  fi
}

# one_error_line FILE PROGRAM: FILE is exactly one LF-terminated line that
# starts with "PROGRAM: error:".
one_error_line() {
  local file=$1 program=$2
  [[ $(wc -l <"$file") -eq 1 ]] || return 1
  [[ -z $(tail -c 1 "$file") ]] || return 1
  grep -q "^$program: error: " "$file"
}

# check_error_line NAME ERR PROGRAM
check_error_line() {
  if one_error_line "$2" "$3"; then
    pass
  else
    fail "$1" "stderr is not one '$3: error:' line: $(head -c 300 "$2" | tr '\n' '|')"
  fi
}

# dir_is NAME DIR EXPECTED...: DIR holds exactly the EXPECTED names (ls -A).
check_dir_is() {
  local name=$1 dir=$2
  shift 2
  local want got
  want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
  # shellcheck disable=SC2012  # the names are the test's own
  got=$(ls -A "$dir" | sort)
  if [[ $got == "$want" ]]; then
    pass
  else
    fail "$name" "directory holds [$(tr '\n' ' ' <<<"$got")], want [$(tr '\n' ' ' <<<"$want")]"
  fi
}

# check_same NAME FILE EXPECTED: FILE equals EXPECTED byte for byte.
check_same() {
  if cmp -s "$2" "$3"; then pass; else fail "$1" "output differs from the expected bytes"; fi
}

# no_cr FILE: FILE holds no carriage return.
no_cr() { ! grep -q $'\r' "$1"; }

# is_identity_file FILE: FILE is exactly the two lines age-keygen writes.
is_identity_file() {
  [[ $(wc -l <"$1") -eq 2 ]] &&
    sed -n 1p "$1" | grep -Eq '^# public key: age1[02-9ac-hj-np-z]{58}$' &&
    sed -n 2p "$1" | grep -Eq '^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$'
}

# released_prefix_of OUT PLAIN: OUT is a proper prefix of PLAIN.
released_prefix_of() {
  local n
  n=$(stat -c %s "$1")
  [[ $n -lt $(stat -c %s "$2") ]] && cmp -s "$1" <(head -c "$n" "$2")
}

# sha256_is FILE HEX
sha256_is() { [[ $(sha256sum <"$1" | awk '{print $1}') == "$2" ]]; }

# ---------------------------------------------------------------------------
# CCTV vectors: split each into its identity file and its age file.

# The identity of the CCTV X25519 vectors, used where a vector names none.
CCTV_IDENTITY=AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0

ARMOR_BEGIN="-----BEGIN AGE ENCRYPTED FILE-----"

# looks_armored FILE: FILE starts with optional whitespace (space, tab, CR,
# LF), then the armor BEGIN line: the rule by which amparo-review tells armor
# from a binary age file.
looks_armored() {
  local skip
  skip=$(od -An -v -tx1 "$1" | tr -s ' ' '\n' | sed '/^$/d' |
    awk '$1 != "20" && $1 != "09" && $1 != "0d" && $1 != "0a" { print NR - 1; exit }')
  [[ -n $skip ]] && cmp -s <(tail -c +$((skip + 1)) "$1" | head -c ${#ARMOR_BEGIN}) \
    <(printf '%s' "$ARMOR_BEGIN")
}

VEC_EXPECT=""
VEC_PAYLOAD=""
VEC_ARMORED=""
VEC_SKIP=""
VEC_CODE=0

# load_vector NAME: writes $TMP/vec/NAME.id and $TMP/vec/NAME.age and sets
# VEC_EXPECT, VEC_CODE, VEC_PAYLOAD and VEC_SKIP (non-empty when the vector
# needs a feature this test does not cover: zlib, hybrid, passphrase).
load_vector() {
  local name=$1 file=$VECTORS/$1 line header_bytes=0 identities=()
  mkdir -p "$TMP/vec"
  VEC_EXPECT=""
  VEC_PAYLOAD=""
  VEC_SKIP=""
  VEC_ARMORED=""
  # The header is read with shell builtins: this runs for every vector in
  # both builds, and a handful of forks per vector dominated the sanitized
  # run's time. LC_ALL=C makes ${#line} count bytes.
  while IFS= read -r line; do
    header_bytes=$((header_bytes + ${#line} + 1))
    [[ -n $line ]] || break
    case $line in
      "expect: "*) VEC_EXPECT=${line#expect: } ;;
      "payload: "*) VEC_PAYLOAD=${line#payload: } ;;
      "armored: yes") VEC_ARMORED=yes ;;
      "identity: AGE-SECRET-KEY-PQ-"*) VEC_SKIP=hybrid ;&
      "identity: "*) identities+=("${line#identity: }") ;;
      compressed:*) [[ -n $VEC_SKIP ]] || VEC_SKIP=compressed ;;
      passphrase:*) [[ $VEC_SKIP == hybrid ]] || VEC_SKIP=passphrase ;;
    esac
  done <"$file"
  # The age file starts after the header lines and the empty line.
  tail -c +$((header_bytes + 1)) "$file" >"$TMP/vec/$name.age"
  [[ $name != *hybrid* ]] || VEC_SKIP=hybrid
  [[ ${#identities[@]} -gt 0 ]] || identities=("$CCTV_IDENTITY")
  printf '%s\n' "${identities[@]}" >"$TMP/vec/$name.id"
  case $VEC_EXPECT in
    success) VEC_CODE=0 ;;
    "armor failure") VEC_CODE=3 ;;
    "header failure") VEC_CODE=4 ;;
    "no match") VEC_CODE=5 ;;
    "HMAC failure") VEC_CODE=6 ;;
    "payload failure") VEC_CODE=7 ;;
    *) echo "cli: FAIL: vector $name has unknown expect '$VEC_EXPECT'" >&2; exit 1 ;;
  esac
}

# Named vectors, one or more per failure class, passed as the IN argument.
for spec in x25519:0 armor_x25519:0 x25519_multiple_recipients:0 \
            version_unsupported:4 stanza_missing_body:4 x25519_low_order:4 \
            x25519_no_match:5 armor_no_match:5 \
            hmac_bad:6 \
            stream_bad_tag:7 stream_no_final:7 \
            armor_garbage_trailing:3 armor_long_line:3 armor_no_padding:3 armor_no_end_line:3; do
  name=${spec%%:*}
  want=${spec##*:}
  case_name="vector $name"
  [[ -f $VECTORS/$name ]] || { fail "$case_name" "vector file is missing"; continue; }
  load_vector "$name"
  if [[ -n $VEC_SKIP || $VEC_CODE -ne $want ]]; then
    fail "$case_name" "vector is not a plain '$want' case (expect '$VEC_EXPECT', $VEC_SKIP)"
    continue
  fi
  run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/vec/$name.id" "$TMP/vec/$name.age"
  check_rc "$case_name: exit code" "$want" "$TMP/err"
  if [[ $want -eq 0 ]]; then
    check "$case_name: plaintext" "SHA-256 of the output differs from the vector's payload" \
      sha256_is "$TMP/out" "$VEC_PAYLOAD"
    check "$case_name: stderr" "stderr is not empty on success" test ! -s "$TMP/err"
  else
    check_error_line "$case_name: stderr" "$TMP/err" amparo-review
  fi
done

# Every vector this test covers, through standard input and output.
vectors_run=0
vectors_skipped=0
declare -A class_seen=()
seen_as_binary=()
for file in "$VECTORS"/*; do
  name=$(basename "$file")
  [[ -f $file && $name != README* ]] || continue
  load_vector "$name"
  if [[ -n $VEC_SKIP ]]; then
    vectors_skipped=$((vectors_skipped + 1))
    continue
  fi
  vectors_run=$((vectors_run + 1))
  # An armored vector that does not start with (whitespace and) the exact
  # BEGIN line is, to a tool that detects armor, a binary file with a
  # malformed header; the reference age CLI reads it the same way.
  if [[ -n $VEC_ARMORED ]] && ! looks_armored "$TMP/vec/$name.age"; then
    if [[ $VEC_CODE -ne 3 ]]; then
      fail "all vectors: $name" "armored vector without a BEGIN line expects '$VEC_EXPECT'"
      continue
    fi
    VEC_CODE=4
    VEC_EXPECT="header failure: armor not detected"
    seen_as_binary+=("$name")
  fi
  class_seen[$VEC_CODE]=1
  run "$TMP/vec/$name.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/vec/$name.id"
  if [[ $RC -ne $VEC_CODE ]]; then
    fail "all vectors: $name ($VEC_EXPECT)" \
      "exit code $RC, want $VEC_CODE; stderr: $(head -c 200 "$TMP/err" | tr '\n' '|')"
  elif [[ $RC -eq 0 ]] && ! sha256_is "$TMP/out" "$VEC_PAYLOAD"; then
    fail "all vectors: $name ($VEC_EXPECT)" "SHA-256 of the output differs from the payload"
  elif [[ $RC -eq 7 && -n $VEC_PAYLOAD && -s $TMP/out ]] &&
       ! sha256_is "$TMP/out" "$VEC_PAYLOAD"; then
    fail "all vectors: $name ($VEC_EXPECT)" "released plaintext differs from the vector's payload"
  elif [[ $RC -ne 0 ]] && ! one_error_line "$TMP/err" amparo-review; then
    fail "all vectors: $name ($VEC_EXPECT)" \
      "stderr is not one error line: $(head -c 200 "$TMP/err" | tr '\n' '|')"
  else
    pass
  fi
done
echo "cli: $vectors_run CCTV vectors run through amparo-review" \
  "($vectors_skipped compressed, hybrid or passphrase vectors left out)"
echo "cli: ${#seen_as_binary[@]} armor-failure vectors lack the BEGIN line, so are read as" \
  "binary and expected as header failures: ${seen_as_binary[*]}"
for code in 0 3 4 5 6 7; do
  check "all vectors: class $code" "no vector exercised exit code $code" \
    test -n "${class_seen[$code]:-}"
done

# ---------------------------------------------------------------------------
# keygen

mkdir -p "$TMP/keys"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" keygen -o "$TMP/keys/a.txt"
check_rc "keygen -o: exit code" 0 "$TMP/err"
check "keygen -o: mode" "mode is $(stat -c %a "$TMP/keys/a.txt" 2>/dev/null), want 600" \
  test "$(stat -c %a "$TMP/keys/a.txt" 2>/dev/null)" = 600
check "keygen -o: format" "file is not '# public key: age1...' then 'AGE-SECRET-KEY-1...'" \
  is_identity_file "$TMP/keys/a.txt"
check "keygen -o: stdout" "keygen -o wrote to standard output" test ! -s "$TMP/out"
check "keygen -o: stderr names the public key" "stderr is not 'Public key: <the file's key>'" \
  test "$(cat "$TMP/err")" = "Public key: $(sed -n 's/^# public key: //p' "$TMP/keys/a.txt")"
RECIPIENT_A=$(sed -n 's/^# public key: //p' "$TMP/keys/a.txt")

cp "$TMP/keys/a.txt" "$TMP/a.copy"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" keygen -o "$TMP/keys/a.txt"
check "keygen -o over an existing file: exit code" "exit code $RC, want non-zero" test "$RC" -ne 0
check_rc "keygen -o over an existing file: I/O class" 2 "$TMP/err"
check_error_line "keygen -o over an existing file: stderr" "$TMP/err" amparo-review
check "keygen -o over an existing file: unchanged" "the existing identity file changed" \
  cmp -s "$TMP/keys/a.txt" "$TMP/a.copy"
check "keygen -o over an existing file: mode kept" "the existing file's mode changed" \
  test "$(stat -c %a "$TMP/keys/a.txt")" = 600
check_dir_is "keygen -o over an existing file: no stray file" "$TMP/keys" a.txt

# The mode is 0600 whatever the umask.
RC=0
(umask 000 && "$REVIEW" keygen -o "$TMP/keys/b.txt") >/dev/null 2>"$TMP/err" || RC=$?
check_rc "keygen -o under umask 000: exit code" 0 "$TMP/err"
check "keygen -o under umask 000: mode" \
  "mode is $(stat -c %a "$TMP/keys/b.txt" 2>/dev/null), want 600" \
  test "$(stat -c %a "$TMP/keys/b.txt" 2>/dev/null)" = 600
RECIPIENT_B=$(sed -n 's/^# public key: //p' "$TMP/keys/b.txt")
check "keygen: fresh keys" "two keygen runs produced the same key" \
  test "$RECIPIENT_A" != "$RECIPIENT_B"

run /dev/null "$TMP/keys/c.txt" "$TMP/err" "$REVIEW" keygen
check_rc "keygen to standard output: exit code" 0 "$TMP/err"
check "keygen to standard output: format" "standard output is not an identity file" \
  is_identity_file "$TMP/keys/c.txt"
RECIPIENT_C=$(sed -n 's/^# public key: //p' "$TMP/keys/c.txt")
check "keygen to standard output: stderr" "stderr does not name the public key" \
  test "$(cat "$TMP/err")" = "Public key: $RECIPIENT_C"

run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" keygen -o "$TMP/no/such/dir/key.txt"
check_rc "keygen -o into a missing directory" 2 "$TMP/err"

# ---------------------------------------------------------------------------
# Usage, key and I/O errors.

head -c 1000 /dev/urandom >"$TMP/plain"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT"
check_rc "amparo-submit without a subcommand" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW"
check_rc "amparo-review without a subcommand" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" frobnicate
check_rc "amparo-submit with an unknown subcommand" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" frobnicate
check_rc "amparo-review with an unknown subcommand" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" encrypt --frobnicate -r "$RECIPIENT_A" "$TMP/plain"
check_rc "encrypt with an unknown option" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt --frobnicate -i "$TMP/keys/a.txt"
check_rc "decrypt with an unknown option" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" keygen --frobnicate
check_rc "keygen with an unknown option" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -r
check_rc "encrypt -r without a value" 1 "$TMP/err"
run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt
check_rc "encrypt without recipients: exit code" 1 "$TMP/err"
check_error_line "encrypt without recipients: stderr" "$TMP/err" amparo-submit
check "encrypt without recipients: no output" "something was written to standard output" \
  test ! -s "$TMP/out"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt "$TMP/vec/x25519.age"
check_rc "decrypt without identities" 1 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" --help
check_rc "amparo-submit --help: exit code" 0 "$TMP/err"
check "amparo-submit --help: text" "no usage text on standard output" grep -q encrypt "$TMP/out"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" --help
check_rc "amparo-review --help: exit code" 0 "$TMP/err"
check "amparo-review --help: text" "no usage text on standard output" grep -q decrypt "$TMP/out"

# The last character replaced by a different one (a random key ends in 'q'
# one time in 32, and must not stay valid).
if [ "${RECIPIENT_A: -1}" = q ]; then last_swapped="${RECIPIENT_A%?}p"; else last_swapped="${RECIPIENT_A%?}q"; fi
for bad in age1notakey "${RECIPIENT_A}x" "$last_swapped" "$(sed -n 2p "$TMP/keys/a.txt")" \
           "${RECIPIENT_A^^}x" ""; do
  run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -r "$RECIPIENT_A" -r "$bad"
  check_rc "encrypt -r '${bad:0:20}...': exit code" 8 "$TMP/err"
  check_error_line "encrypt -r '${bad:0:20}...': stderr" "$TMP/err" amparo-submit
  check "encrypt -r '${bad:0:20}...': no output" "ciphertext was written" test ! -s "$TMP/out"
done

printf '# recipients\n%s\nnot-a-recipient\n' "$RECIPIENT_A" >"$TMP/bad-recipients"
run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -R "$TMP/bad-recipients"
check_rc "encrypt -R with an invalid line" 8 "$TMP/err"
printf '%s\n' "$(sed -n 2p "$TMP/keys/a.txt")" >"$TMP/secret-as-recipients"
run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -R "$TMP/secret-as-recipients"
check_rc "encrypt -R with an identity file" 8 "$TMP/err"

# Invalid identity files: garbage, a public key, nothing but comments, a
# lower-case secret key, a secret key with a corrupted checksum.
printf 'hello\n' >"$TMP/id-garbage"
printf '%s\n' "$RECIPIENT_A" >"$TMP/id-public"
printf '# nothing here\n\n' >"$TMP/id-empty"
sed -n 2p "$TMP/keys/a.txt" | tr '[:upper:]' '[:lower:]' >"$TMP/id-lower"
secret=$(sed -n 2p "$TMP/keys/a.txt")
last=${secret: -1}
if [[ $last == Q ]]; then swap=P; else swap=Q; fi
printf '%s%s\n' "${secret%?}" "$swap" >"$TMP/id-checksum"
cat "$TMP/keys/b.txt" "$TMP/id-garbage" >"$TMP/id-one-bad-line"
for id in id-garbage id-public id-empty id-lower id-checksum id-one-bad-line; do
  run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/$id" "$TMP/vec/x25519.age"
  check_rc "decrypt -i $id: exit code" 8 "$TMP/err"
  check_error_line "decrypt -i $id: stderr" "$TMP/err" amparo-review
  check "decrypt -i $id: no output" "plaintext was written" test ! -s "$TMP/out"
done

run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -r "$RECIPIENT_A" "$TMP/no-such-input"
check_rc "encrypt a missing input file: exit code" 2 "$TMP/err"
check_error_line "encrypt a missing input file: stderr" "$TMP/err" amparo-submit
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" "$TMP/no-such-input"
check_rc "decrypt a missing input file: exit code" 2 "$TMP/err"
check_error_line "decrypt a missing input file: stderr" "$TMP/err" amparo-review
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/no-such-identity" \
  "$TMP/vec/x25519.age"
check_rc "decrypt with a missing identity file" 2 "$TMP/err"
run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -R "$TMP/no-such-recipients"
check_rc "encrypt with a missing recipients file" 2 "$TMP/err"
run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -r "$RECIPIENT_A" -o "$TMP/no/such/dir/out"
check_rc "encrypt -o into a missing directory" 2 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/vec/x25519.id" \
  -o "$TMP/no/such/dir/out" "$TMP/vec/x25519.age"
check_rc "decrypt -o into a missing directory" 2 "$TMP/err"

# A read error in the middle of the input (a directory as input) fails as I/O
# and leaves no file behind.
mkdir -p "$TMP/enc-fail"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -r "$RECIPIENT_A" \
  -o "$TMP/enc-fail/out.age" "$TMP"
check_rc "encrypt an unreadable input: exit code" 2 "$TMP/err"
check_dir_is "encrypt an unreadable input: no output file" "$TMP/enc-fail"

# ---------------------------------------------------------------------------
# decrypt -o: the file appears only on success, with the exact plaintext.

for name in hmac_bad stream_bad_tag stream_no_final x25519_no_match version_unsupported \
            armor_garbage_trailing; do
  load_vector "$name"
  dir=$TMP/o-$name
  mkdir -p "$dir"
  run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/vec/$name.id" -o "$dir/plain" \
    "$TMP/vec/$name.age"
  check_rc "decrypt -o $name: exit code" "$VEC_CODE" "$TMP/err"
  check_dir_is "decrypt -o $name: no output or temporary file" "$dir"
  check "decrypt -o $name: nothing on standard output" "standard output is not empty" \
    test ! -s "$TMP/out"
done

# A payload failure after many good chunks (24 full ones and a short last
# one): a corrupted last tag, then a truncated last chunk.
head -c $((3 * 65536 * 8 + 100)) /dev/urandom >"$TMP/big"
"$SUBMIT" encrypt -r "$RECIPIENT_A" -o "$TMP/big.age" "$TMP/big"
size=$(stat -c %s "$TMP/big.age")
cp "$TMP/big.age" "$TMP/big-bad.age"
flip_byte "$TMP/big-bad.age" $((size - 5))
mkdir -p "$TMP/o-late"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" -o "$TMP/o-late/plain" \
  "$TMP/big-bad.age"
check_rc "decrypt -o with a corrupted last chunk: exit code" 7 "$TMP/err"
check_dir_is "decrypt -o with a corrupted last chunk: no output or temporary file" "$TMP/o-late"
head -c $((size - 1)) "$TMP/big.age" >"$TMP/big-short.age"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" -o "$TMP/o-late/plain" \
  "$TMP/big-short.age"
check_rc "decrypt -o with a truncated file: exit code" 7 "$TMP/err"
check_dir_is "decrypt -o with a truncated file: no output or temporary file" "$TMP/o-late"

# A failed decryption leaves an existing file at the -o path as it was.
printf 'earlier content\n' >"$TMP/o-late/kept"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" -o "$TMP/o-late/kept" \
  "$TMP/big-bad.age"
check_rc "decrypt -o over an existing file, failing: exit code" 7 "$TMP/err"
check "decrypt -o over an existing file, failing: unchanged" "the existing file was replaced" \
  test "$(cat "$TMP/o-late/kept")" = "earlier content"
check_dir_is "decrypt -o over an existing file, failing: no temporary file" "$TMP/o-late" kept

# To standard output, whatever is written before a payload failure is a
# prefix of the true plaintext (the CCTV rule for released plaintext).
run "$TMP/big-bad.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt"
check_rc "decrypt to standard output with a corrupted last chunk: exit code" 7 "$TMP/err"
check "decrypt to standard output with a corrupted last chunk: released prefix" \
  "released bytes are not a prefix of the plaintext, or all of it" \
  released_prefix_of "$TMP/out" "$TMP/big"

load_vector x25519
mkdir -p "$TMP/o-ok"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/vec/x25519.id" -o "$TMP/o-ok/plain" \
  "$TMP/vec/x25519.age"
check_rc "decrypt -o x25519: exit code" 0 "$TMP/err"
check_dir_is "decrypt -o x25519: only the output file" "$TMP/o-ok" plain
check "decrypt -o x25519: plaintext" "SHA-256 of the file differs from the payload" \
  sha256_is "$TMP/o-ok/plain" "$VEC_PAYLOAD"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" -o "$TMP/o-ok/big" \
  "$TMP/big.age"
check_rc "decrypt -o of a multi-chunk file: exit code" 0 "$TMP/err"
check "decrypt -o of a multi-chunk file: plaintext" "output differs from the plaintext" \
  cmp -s "$TMP/o-ok/big" "$TMP/big"
check_dir_is "decrypt -o of a multi-chunk file: no temporary file" "$TMP/o-ok" plain big

mkdir -p "$TMP/e-ok"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -r "$RECIPIENT_A" -o "$TMP/e-ok/c.age" \
  "$TMP/plain"
check_rc "encrypt -o: exit code" 0 "$TMP/err"
check_dir_is "encrypt -o: only the output file" "$TMP/e-ok" c.age
check "encrypt -o: nothing on standard output" "standard output is not empty" test ! -s "$TMP/out"
check "encrypt -o: binary age header" "the file does not start with the age v1 header line" \
  test "$(head -n 1 "$TMP/e-ok/c.age")" = "age-encryption.org/v1"

# ---------------------------------------------------------------------------
# Recipients files, several identity files, armor.

printf '# reviewers of the receiving body\n\n%s\n\n# second reviewer\n%s\n\n' \
  "$RECIPIENT_A" "$RECIPIENT_B" >"$TMP/recipients"
run "$TMP/plain" "$TMP/r.age" "$TMP/err" "$SUBMIT" encrypt -R "$TMP/recipients"
check_rc "encrypt -R with comments and blank lines: exit code" 0 "$TMP/err"
check "encrypt -R: two stanzas" "header does not hold two X25519 stanzas" \
  test "$(grep -ac '^-> X25519 ' "$TMP/r.age")" -eq 2
for key in a b; do
  run "$TMP/r.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/$key.txt"
  check_rc "encrypt -R, decrypt with identity $key: exit code" 0 "$TMP/err"
  check_same "encrypt -R, decrypt with identity $key: plaintext" "$TMP/out" "$TMP/plain"
done
run "$TMP/r.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/c.txt"
check_rc "encrypt -R, decrypt with a third identity" 5 "$TMP/err"

printf '# only comments\n\n' >"$TMP/recipients-empty"
run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -R "$TMP/recipients-empty" \
  -r "$RECIPIENT_C"
check_rc "encrypt -R with no key plus -r: exit code" 0 "$TMP/err"
run "$TMP/out" "$TMP/out2" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/c.txt"
check_same "encrypt -R with no key plus -r: round trip" "$TMP/out2" "$TMP/plain"
run "$TMP/plain" "$TMP/out" "$TMP/err" "$SUBMIT" encrypt -R "$TMP/recipients-empty"
check_rc "encrypt -R with no key at all" 1 "$TMP/err"

printf '%s\n' "$RECIPIENT_C" >"$TMP/recipients-c"
run "$TMP/plain" "$TMP/rc.age" "$TMP/err" "$SUBMIT" encrypt -r "$RECIPIENT_A" -R "$TMP/recipients" \
  -R "$TMP/recipients-c"
check_rc "encrypt -r with two -R files: exit code" 0 "$TMP/err"
check "encrypt -r with two -R files: stanzas" "header does not hold four X25519 stanzas" \
  test "$(grep -ac '^-> X25519 ' "$TMP/rc.age")" -eq 4
run "$TMP/rc.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/c.txt"
check_same "encrypt -r with two -R files: decrypt with the last" "$TMP/out" "$TMP/plain"

# Two -i files: each file's identity is tried, whichever comes first.
for key in a b; do
  recipient=$(sed -n 's/^# public key: //p' "$TMP/keys/$key.txt")
  run "$TMP/plain" "$TMP/one.age" "$TMP/err" "$SUBMIT" encrypt -r "$recipient"
  for order in "a.txt b.txt" "b.txt a.txt"; do
    read -r first second <<<"$order"
    run "$TMP/one.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/$first" \
      -i "$TMP/keys/$second"
    check_rc "sealed to $key, decrypt -i $first -i $second: exit code" 0 "$TMP/err"
    check_same "sealed to $key, decrypt -i $first -i $second: plaintext" "$TMP/out" "$TMP/plain"
  done
done
# one.age is sealed to b alone.
cat "$TMP/keys/c.txt" "$TMP/keys/b.txt" >"$TMP/keys-cb"
run "$TMP/one.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys-cb"
check_rc "decrypt -i with two keys in one file" 0 "$TMP/err"
check_same "decrypt -i with two keys in one file: plaintext" "$TMP/out" "$TMP/plain"
run "$TMP/one.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" -i "$TMP/keys/c.txt"
check_rc "decrypt -i with no matching file" 5 "$TMP/err"

# -a: the BEGIN line first, the END line last, lines of at most 64 columns
# (all full but the last data line), and it decrypts back.
head -c 5000 /dev/urandom >"$TMP/plain5k"
run "$TMP/plain5k" "$TMP/a.age" "$TMP/err" "$SUBMIT" encrypt -a -r "$RECIPIENT_A"
check_rc "encrypt -a: exit code" 0 "$TMP/err"
check "encrypt -a: BEGIN line" "first line is not the armor BEGIN line" \
  test "$(head -n 1 "$TMP/a.age")" = "-----BEGIN AGE ENCRYPTED FILE-----"
check "encrypt -a: END line" "last line is not the armor END line" \
  test "$(tail -n 1 "$TMP/a.age")" = "-----END AGE ENCRYPTED FILE-----"
check "encrypt -a: ends with LF" "the armor does not end with a newline" \
  test -z "$(tail -c 1 "$TMP/a.age")"
check "encrypt -a: line width" "a line is longer than 64 columns" \
  awk 'length($0) > 64 { exit 1 }' "$TMP/a.age"
check "encrypt -a: full lines" "a data line other than the last is not 64 columns" \
  awk '!/^-----/ { n++; width[n] = length($0) }
       END { for (i = 1; i < n; i++) if (width[i] != 64) exit 1; exit (n == 0 || width[n] == 0) }' \
  "$TMP/a.age"
check "encrypt -a: Base64 alphabet" "a data line holds a character outside Base64" \
  awk '!/^-----/ && !/^[A-Za-z0-9+\/]+=*$/ { exit 1 }' "$TMP/a.age"
check "encrypt -a: no CR" "the armor holds a carriage return" no_cr "$TMP/a.age"
run "$TMP/a.age" "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt"
check_rc "decrypt armored: exit code" 0 "$TMP/err"
check_same "decrypt armored: plaintext" "$TMP/out" "$TMP/plain5k"
{ printf ' \n\t \n'; cat "$TMP/a.age"; } >"$TMP/a-ws.age"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" "$TMP/a-ws.age"
check_rc "decrypt armored after leading whitespace: exit code" 0 "$TMP/err"
check_same "decrypt armored after leading whitespace: plaintext" "$TMP/out" "$TMP/plain5k"
# Whitespace before the BEGIN line is allowed without a bound (c2sp.org/age,
# "ASCII armor"); 150 blank CRLF lines is a pasted message, not an attack.
{ for _ in $(seq 150); do printf '\r\n'; done; cat "$TMP/a.age"; } >"$TMP/a-ws300.age"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" "$TMP/a-ws300.age"
check_rc "decrypt armored after 300 bytes of leading whitespace: exit code" 0 "$TMP/err"
check_same "decrypt armored after 300 bytes of leading whitespace: plaintext" \
  "$TMP/out" "$TMP/plain5k"
run /dev/null "$TMP/out" "$TMP/err" "$SUBMIT" encrypt --armor -r "$RECIPIENT_A" \
  -o "$TMP/a-empty.age" /dev/null
check_rc "encrypt -a of empty input: exit code" 0 "$TMP/err"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" "$TMP/a-empty.age"
check_rc "decrypt armored empty plaintext: exit code" 0 "$TMP/err"
check "decrypt armored empty plaintext: output" "output is not empty" test ! -s "$TMP/out"
head -c 100 "$TMP/a.age" >"$TMP/a-cut.age"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" "$TMP/a-cut.age"
check_rc "decrypt armor cut inside the header" 3 "$TMP/err"
sed '$d' "$TMP/a.age" >"$TMP/a-noend.age"
run /dev/null "$TMP/out" "$TMP/err" "$REVIEW" decrypt -i "$TMP/keys/a.txt" "$TMP/a-noend.age"
check_rc "decrypt armor without END line" 3 "$TMP/err"

# ---------------------------------------------------------------------------
# Standard input and output by default, and "-" for both.

RC=0
head -c 70000 /dev/urandom >"$TMP/plain70k"
"$SUBMIT" encrypt -r "$RECIPIENT_B" <"$TMP/plain70k" 2>"$TMP/err" |
  "$REVIEW" decrypt -i "$TMP/keys/b.txt" >"$TMP/out" 2>>"$TMP/err" || RC=$?
check_rc "pipe: encrypt | decrypt: exit code" 0 "$TMP/err"
check_same "pipe: encrypt | decrypt: plaintext" "$TMP/out" "$TMP/plain70k"
check "pipe: encrypt | decrypt: stderr" "stderr is not empty" test ! -s "$TMP/err"

RC=0
# shellcheck disable=SC2002  # standard input must be a pipe here, not a file
cat "$TMP/plain70k" | "$SUBMIT" encrypt -a -r "$RECIPIENT_B" - 2>"$TMP/err" |
  "$REVIEW" decrypt -i "$TMP/keys/b.txt" -o - - 2>>"$TMP/err" | cat >"$TMP/out" || RC=$?
check_rc "pipe: encrypt -a - | decrypt -o - -: exit code" 0 "$TMP/err"
check_same "pipe: encrypt -a - | decrypt -o - -: plaintext" "$TMP/out" "$TMP/plain70k"

RC=0
"$SUBMIT" encrypt -r "$RECIPIENT_B" -o - "$TMP/plain70k" 2>"$TMP/err" | cat >"$TMP/p.age" || RC=$?
check_rc "encrypt -o - to a pipe: exit code" 0 "$TMP/err"
RC=0
# shellcheck disable=SC2002  # standard input must be a pipe here, not a file
cat "$TMP/p.age" | "$REVIEW" decrypt -i "$TMP/keys/b.txt" -o "$TMP/p.out" 2>"$TMP/err" || RC=$?
check_rc "decrypt from a pipe to -o: exit code" 0 "$TMP/err"
check_same "decrypt from a pipe to -o: plaintext" "$TMP/p.out" "$TMP/plain70k"

RC=0
"$SUBMIT" encrypt -r "$RECIPIENT_B" </dev/null 2>"$TMP/err" |
  "$REVIEW" decrypt -i "$TMP/keys/b.txt" >"$TMP/out" 2>>"$TMP/err" || RC=$?
check_rc "pipe: empty plaintext: exit code" 0 "$TMP/err"
check "pipe: empty plaintext: output" "output is not empty" test ! -s "$TMP/out"

RC=0
"$REVIEW" decrypt -i "$TMP/keys/b.txt" </dev/null >"$TMP/out" 2>"$TMP/err" || RC=$?
check_rc "decrypt of empty standard input" 4 "$TMP/err"

echo "cli: $passed passed, $failed failed"
[[ $failed -eq 0 ]]

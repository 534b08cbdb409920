#!/usr/bin/env bash
# check_includes.sh: the project's include graph points one way.
#   binaries (gateway/ admin/ reviewer/ submit/) -> storage/ protocol/
#   protocol/ -> crypto/ proto/;  storage/ -> proto/;  crypto/ -> common/
# crypto/ includes neither storage/ nor proto/; storage/ never includes crypto/;
# nothing includes a binary's folder or tests/; only crypto/ includes libsodium;
# inside crypto/, the core includes neither side, and the sealing and opening
# sides never include each other.
set -euo pipefail
root=${1:?usage: check_includes.sh SOURCE_ROOT [EXPECTED_VIOLATIONS]}
expected=${2:-0}  # non-zero only for the fixture tree that proves the check can fail
cd "$root"

failures=0
checked=0
fail() { echo "check_includes: $*" >&2; failures=$((failures + 1)); }

allowed_modules() {
  case "$1" in
    common) echo "common" ;;
    proto) echo "proto common" ;;
    crypto) echo "crypto common" ;;
    storage) echo "storage proto common" ;;
    protocol) echo "protocol crypto proto common" ;;
    gateway | admin | reviewer | submit) echo "$1 storage protocol crypto proto common" ;;
    *) echo "" ;;
  esac
}

# The opening side of crypto/ (decryption, the keystore box and signing):
# only amparo-review may reach it, except that amparo-admin signs export
# manifests with the node key (signing_key.h, never the rest), and
# amparo-submit opens the follow-up replies sealed to its own receipt code
# (identities.h, age_decrypt.h, followup_keys.h, never the rest).
open_headers="crypto/identities.h crypto/age_decrypt.h crypto/passphrase_box.h crypto/signing_key.h crypto/followup_keys.h"
submit_open_headers="crypto/identities.h crypto/age_decrypt.h crypto/followup_keys.h"
seal_headers="crypto/recipients.h crypto/age_encrypt.h"
open_sources="crypto/identities.cc crypto/age_decrypt.cc crypto/passphrase_box.cc crypto/signing_key.cc crypto/followup_keys.cc"
seal_sources="crypto/recipients.cc crypto/age_encrypt.cc"

is_in() { local needle=$1; shift; for x in "$@"; do [ "$x" = "$needle" ] && return 0; done; return 1; }

for module in common proto crypto storage protocol gateway admin reviewer submit; do
  [ -d "$module" ] || continue
  allowed=$(allowed_modules "$module")
  while IFS= read -r -d '' file; do
    checked=$((checked + 1))
    while IFS= read -r include; do
      target_module=${include%%/*}
      if [ "$target_module" = "tests" ]; then
        fail "$file includes $include: product code never depends on tests/"
        continue
      fi
      [ "$target_module" = "$include" ] && continue  # same-folder or generated name
      if ! is_in "$target_module" $allowed; then
        fail "$file includes $include: $module/ may include only: $allowed"
      fi
      if is_in "$include" $open_headers && [ "$module" != reviewer ] && ! is_in "$file" $open_sources $open_headers &&
         ! { [ "$module" = admin ] && [ "$include" = crypto/signing_key.h ]; } &&
         ! { [ "$module" = submit ] && is_in "$include" $submit_open_headers; }; then
        fail "$file includes $include: only reviewer/ and crypto's opening side may (and submit/ for replies)"
      fi
      if [ "$module" = crypto ] && is_in "$include" $seal_headers && is_in "$file" $open_sources $open_headers; then
        fail "$file includes $include: the opening side must not include the sealing side"
      fi
      if [ "$module" = crypto ] && ! is_in "$file" $open_sources $open_headers $seal_sources $seal_headers &&
         is_in "$include" $open_headers $seal_headers; then
        fail "$file includes $include: crypto's core includes neither side"
      fi
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
    if [ "$module" != crypto ] && grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<sodium' "$file"; then
      fail "$file includes libsodium: only crypto/ calls it"
    fi
  done < <(find "$module" -type f \( -name '*.h' -o -name '*.cc' \) -print0)
done

if [ "$checked" -eq 0 ]; then
  echo "check_includes: no source file found under $root" >&2
  exit 1
fi
echo "check_includes: $checked files checked, $failures violations (expected $expected)"
[ "$failures" -eq "$expected" ]

#!/usr/bin/env bash
# check_link.sh: binaries on the sealing side of the trust boundary (the
# gateway and the operator's tool) cannot open anything: they must contain
# none of crypto's opening code and must not even import libsodium's AEAD
# decryption. Nor may they sign, except amparo-admin, which signs export
# manifests with the node key (never key bundles: those need the root,
# which only the workstation holds). The submitter's client opens only the
# follow-up replies sealed to its own receipt code: it may decrypt, but must
# contain neither the keystore's box nor any signing. amparo-review, which
# must open and sign, is the positive control that proves the check can see
# these symbols.
set -euo pipefail
review=${1:?usage: check_link.sh AMPARO_REVIEW SEALING_BINARY...}
shift
[ $# -gt 0 ] || { echo "check_link: no sealing-side binary given" >&2; exit 1; }

# Defined opening-side functions (demangled) and the imported AEAD
# decryption: the workstation's alone. Then signing.
opening_pattern='amparo::crypto::age::(Decrypt\(|X25519Identity::|ScryptIdentity::)|amparo::crypto::OpenBox|crypto_aead_chacha20poly1305_ietf_decrypt|crypto_aead_xchacha20poly1305_ietf_decrypt'
signing_pattern='amparo::crypto::SigningKey::|crypto_sign_ed25519_detached'
keystore_pattern='amparo::crypto::(OpenBox|SealBox|DeriveBoxKey)'

symbols() { nm -C "$1" 2>/dev/null; nm -C -D "$1" 2>/dev/null; }

# Count rather than grep -q: an early exit would break nm's pipe under pipefail.
for pattern in "$opening_pattern" "$signing_pattern"; do
  if [ "$(symbols "$review" | grep -Ec "$pattern" || true)" -eq 0 ]; then
    echo "check_link: positive control failed: $(basename "$review") shows no $pattern" >&2
    exit 1
  fi
done

failures=0
for binary in "$@"; do
  forbidden=$opening_pattern
  [ "$(basename "$binary")" = amparo-submit ] && forbidden=$keystore_pattern
  found=$(symbols "$binary" | grep -E "$forbidden" | sort -u || true)
  if [ -n "$found" ]; then
    echo "check_link: $(basename "$binary") links decryption code:" >&2
    echo "$found" | sed 's/^/  /' >&2
    failures=$((failures + 1))
  fi
  [ "$(basename "$binary")" = amparo-admin ] && continue
  found=$(symbols "$binary" | grep -E "$signing_pattern" | sort -u || true)
  if [ -n "$found" ]; then
    echo "check_link: $(basename "$binary") links signing code:" >&2
    echo "$found" | sed 's/^/  /' >&2
    failures=$((failures + 1))
  fi
done
echo "check_link: $# sealing-side binaries checked, $failures link decryption code"
[ "$failures" -eq 0 ]

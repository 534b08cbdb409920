#!/usr/bin/env bash
# check_link.sh: binaries on the sealing side of the trust boundary (the
# gateway, the operator's tool, the submitter's client) cannot open or sign
# anything. They must contain none of crypto's opening code and must not
# even import libsodium's AEAD decryption; amparo-review, which must open,
# is the positive control that proves the check can see these symbols.
set -euo pipefail
review=${1:?usage: check_link.sh AMPARO_REVIEW SEALING_BINARY...}
shift
[ $# -gt 0 ] || { echo "check_link: no sealing-side binary given" >&2; exit 1; }

# Defined opening- and signing-side functions (demangled) and the imported
# AEAD decryption and Ed25519 signing: the workstation's alone.
opening_pattern='amparo::crypto::age::(Decrypt\(|X25519Identity::|ScryptIdentity::)|amparo::crypto::SigningKey::|crypto_aead_chacha20poly1305_ietf_decrypt|crypto_sign_ed25519_detached'

symbols() { nm -C "$1" 2>/dev/null; nm -C -D "$1" 2>/dev/null; }

# Count rather than grep -q: an early exit would break nm's pipe under pipefail.
if [ "$(symbols "$review" | grep -Ec "$opening_pattern" || true)" -eq 0 ]; then
  echo "check_link: positive control failed: $(basename "$review") shows no opening symbol" >&2
  exit 1
fi

failures=0
for binary in "$@"; do
  found=$(symbols "$binary" | grep -E "$opening_pattern" | sort -u || true)
  if [ -n "$found" ]; then
    echo "check_link: $(basename "$binary") links decryption code:" >&2
    echo "$found" | sed 's/^/  /' >&2
    failures=$((failures + 1))
  fi
done
echo "check_link: $# sealing-side binaries checked, $failures link decryption code"
[ "$failures" -eq 0 ]

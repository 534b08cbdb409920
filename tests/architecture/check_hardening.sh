#!/usr/bin/env bash
# check_hardening.sh: every shipped binary carries the hardening the build
# promises: position-independent, full RELRO (GNU_RELRO and BIND_NOW), a
# non-executable stack and a stack protector; and every product source was
# compiled with the hardening flags (FORTIFY_SOURCE leaves no trace in a
# binary that happens to make no checkable call, so the compile commands are
# read instead).
set -euo pipefail
usage="usage: check_hardening.sh COMPILE_COMMANDS_JSON REQUIRE_FORTIFY(0|1) BINARY..."
compile_commands=${1:?$usage}
require_fortify=${2:?$usage}
shift 2
[ $# -gt 0 ] || { echo "$usage" >&2; exit 1; }

failures=0
fail() { echo "check_hardening: $1: $2" >&2; failures=$((failures + 1)); }

for binary in "$@"; do
  name=$(basename "$binary")
  header=$(readelf -h "$binary")
  segments=$(readelf -lW "$binary")
  dynamic=$(readelf -dW "$binary")
  imports=$(nm -D "$binary" 2>/dev/null || true)
  grep -q 'Type:[[:space:]]*DYN' <<<"$header" || fail "$name" "not position-independent"
  grep -q 'GNU_RELRO' <<<"$segments" || fail "$name" "no RELRO segment"
  grep -Eq 'BIND_NOW|FLAGS_1.*NOW' <<<"$dynamic" || fail "$name" "lazy binding (no -z now)"
  if grep -E 'GNU_STACK' <<<"$segments" | grep -q 'RWE'; then fail "$name" "executable stack"; fi
  grep -q '__stack_chk_fail' <<<"$imports" || fail "$name" "no stack protector"
done

# Compile commands of the product's own sources (not tests, fuzz or bench),
# or of the unity sources (.cxx) that merge them.
commands=$(grep -E '"command"' "$compile_commands" |
           grep -E '/(common|crypto|proto|storage|gateway|admin|reviewer|submit)/[^"]*\.(cc|cxx)"?' |
           grep -vE ' -o (tests|fuzz|bench)/' | grep -v '/gen/' || true)
count=$(grep -c . <<<"$commands" || true)
[ "$count" -gt 0 ] || fail "compile commands" "no product source found"
for flag in -fstack-protector-strong -fstack-clash-protection; do
  missing=$(grep -vc -- "$flag" <<<"$commands" || true)
  [ "$missing" -eq 0 ] || fail "compile commands" "$missing sources without $flag"
done
if [ "$require_fortify" = 1 ]; then
  missing=$(grep -vc -- "-D_FORTIFY_SOURCE=2" <<<"$commands" || true)
  [ "$missing" -eq 0 ] || fail "compile commands" "$missing sources without _FORTIFY_SOURCE=2"
fi
echo "check_hardening: $# binaries and $count compile commands checked, $failures problems"
[ "$failures" -eq 0 ]

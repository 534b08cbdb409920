#!/usr/bin/env bash
# run-all.sh: builds the fuzz targets with clang, fuzzes each in turn (one
# process at a time) for MINUTES minutes, then minimises the corpus of each
# into corpus/<name>: the named seeds stay, and of all other inputs, old or
# new, only those that add coverage to them are kept. A crash, leak or timeout
# is copied into corpus/<name> under libFuzzer's name and fails the run.
#
# usage: fuzz/run-all.sh [MINUTES] [TARGET...]
#   MINUTES defaults to 2; TARGET defaults to every target.
#   AMPARO_FUZZ_BUILD  build folder (default: amparo-build-fuzz in ${TMPDIR:-/tmp})
#   AMPARO_FUZZ_FLAGS  extra libFuzzer flags for the fuzzing runs, e.g. -max_len=8192
#   AMPARO_FUZZ_KEEP_FILES  files per corpus above which only inputs that add an
#                      edge (not merely a hit count) are kept (default 300)
#   AMPARO_FUZZ_KEEP_BYTES  size above which a found input is not kept (default
#                      16384; seeds cover the files of several chunks)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
minutes=${1:-2}
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then
  targets=("$@")
else
  # Every target: one <name>_fuzzer.cc each.
  targets=()
  for source in "$here"/*_fuzzer.cc; do
    name=$(basename "$source" _fuzzer.cc)
    targets+=("$name")
  done
fi
build=${AMPARO_FUZZ_BUILD:-${TMPDIR:-/tmp}/amparo-build-fuzz}
read -r -a extra_flags <<< "${AMPARO_FUZZ_FLAGS:-}"
keep_files=${AMPARO_FUZZ_KEEP_FILES:-300}
keep_bytes=${AMPARO_FUZZ_KEEP_BYTES:-16384}

# The libraries need coverage instrumentation and the sanitizers too, not only
# the targets: AMPARO_SANITIZE brings ASan and UBSan, the flags bring coverage.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DAMPARO_FUZZ=ON -DAMPARO_SANITIZE=ON \
  -DAMPARO_BUILD_TESTS=OFF -DAMPARO_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link > /dev/null
ninja -C "$build" -j 2 "${targets[@]/%/_fuzzer}"

work=$(mktemp -d "${TMPDIR:-/tmp}/amparo-fuzz.XXXXXX")
echo "logs and new inputs in $work"
hash_name='.*/[0-9a-f]{40}'
failed=0
summary=$(printf '%-12s %12s %8s %7s %7s %6s %8s %s' \
  target executions exec/s cov ft files KiB crashes)

# merge [FLAG...] fills $dir/merged with the named files of $corpus, then adds
# the candidates that bring coverage they lack.
merge() {
  rm -rf "$dir/merged" && mkdir "$dir/merged"
  find "$corpus" -maxdepth 1 -regextype posix-extended -type f ! -regex "$hash_name" \
    -exec cp {} "$dir/merged/" \;
  "$fuzzer" -merge=1 -timeout=30 "$@" "$dir/merged" "$dir/candidates" > "$dir/merge.log" 2>&1
}

for target in "${targets[@]}"; do
  fuzzer=$build/fuzz/${target}_fuzzer
  corpus=$here/corpus/$target
  dir=$work/$target
  mkdir -p "$dir/found" "$dir/artifacts" "$dir/candidates"
  echo "== $target: fuzzing for $minutes minute(s)"

  status=0
  "$fuzzer" -max_total_time=$((minutes * 60)) -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" "${extra_flags[@]}" "$dir/found" "$corpus" \
    > "$dir/fuzz.log" 2>&1 || status=$?
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::|SUMMARY|==[0-9]+==ERROR)' "$dir/fuzz.log" || true

  crashes=0
  for artifact in "$dir"/artifacts/*; do
    [ -f "$artifact" ] || continue
    cp "$artifact" "$corpus/"
    echo "$target: reproducer kept as corpus/$target/$(basename "$artifact")"
    crashes=$((crashes + 1))
  done
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    echo "$target: the fuzzer failed (exit $status); see $dir/fuzz.log"
    failed=1
  fi

  find "$corpus" "$dir/found" -maxdepth 1 -regextype posix-extended -type f -regex "$hash_name" \
    -size -$((keep_bytes + 1))c -exec cp {} "$dir/candidates/" \;
  merge
  if [ "$(find "$dir/merged" -type f | wc -l)" -gt "$keep_files" ]; then
    echo "$target: over $keep_files files, keeping only inputs that add an edge"
    merge -use_counters=0
  fi
  grep '^MERGE-OUTER: .* added' "$dir/merge.log" || true
  find "$corpus" -maxdepth 1 -regextype posix-extended -type f -regex "$hash_name" -delete
  find "$dir/merged" -maxdepth 1 -regextype posix-extended -type f -regex "$hash_name" \
    -exec cp {} "$corpus/" \;

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/fuzz.log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$dir/fuzz.log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$dir/fuzz.log" | tail -n 1 | cut -d' ' -f2)
  files=$(find "$corpus" -maxdepth 1 -type f | wc -l)
  kib=$(( $(find "$corpus" -maxdepth 1 -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}') / 1024 ))
  summary+=$'\n'$(printf '%-12s %12s %8s %7s %7s %6s %8s %s' "$target" "${execs:-?}" \
    "${speed:-?}" "${cov:-?}" "${ft:-?}" "$files" "$kib" "$crashes")
done

echo
echo "$summary"
exit "$failed"

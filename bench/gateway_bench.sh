#!/usr/bin/env bash
# gateway_bench.sh: the gateway's intake capacity, measured in one run on a
# fresh demo gateway (2 server threads) over a store under /var/tmp:
#   a. durable accepted submissions/s of 4 KiB-bucket envelopes, 64 keep-alive
#      HTTPS connections (wrk), p50/p99 latency, then a check with the gateway
#      stopped that every acknowledged envelope is stored;
#   b. ceiling 1: synced group-commit PutEnvelope/s, same bytes, no HTTP, into
#      a fresh store of its own; a and b alternate for three rounds and the
#      medians are compared, so that a slow spell of the disk or of a
#      neighbour on the host does not decide the ratio;
#   c. ceiling 2: HTTPS GET /v1/health requests/s, same connections;
#   d. new TLS connections/s (one request per connection);
#   e. upload throughput of a 1 GiB envelope (the compiled ceiling; the bench
#      raises max_upload_bytes to it) or of 64 MiB with --quick, and the
#      gateway's peak RSS during it.
# Prints a Markdown table with PASS/FAIL per goal. See bench/README.md.
set -euo pipefail

usage() {
  cat >&2 <<'USAGE'
usage: gateway_bench.sh BUILD_DIR [--quick] [--dir BASE] [--wrk-threads N] [--upload-mib N]
  --quick          short runs and a 64 MiB upload, to try the benchmark out
  --dir BASE       parent of the temporary work dir (default /var/tmp)
  --wrk-threads N  wrk client threads (default 2)
  --upload-mib N   attachment size of the upload, 1..1023 (default 1023; --quick 64)
USAGE
  exit 2
}

[ $# -ge 1 ] || usage
build_dir=$1; shift
quick=0
base=/var/tmp
wrk_threads=2
upload_mib=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --dir) base=${2:?}; shift ;;
    --wrk-threads) wrk_threads=${2:?}; shift ;;
    --upload-mib) upload_mib=${2:?}; shift ;;
    *) usage ;;
  esac
  shift
done

connections=64
store_threads=64
if [ "$quick" -eq 1 ]; then
  rounds=1; intake_seconds=3; ceiling_seconds=2; health_seconds=2; tls_seconds=2
  upload_mib=${upload_mib:-64}
else
  rounds=3; intake_seconds=10; ceiling_seconds=10; health_seconds=10; tls_seconds=10
  # A 1023 MiB attachment and its Submission fill the largest padding
  # bucket, 1 GiB (kMaxPaddedLength): a 1 GiB envelope.
  upload_mib=${upload_mib:-1023}
fi
if ! [[ $upload_mib =~ ^[0-9]+$ ]] || [ "$upload_mib" -lt 1 ] || [ "$upload_mib" -gt 1023 ]; then
  echo "gateway_bench: --upload-mib must be 1..1023" >&2
  exit 2
fi
if ! [[ $wrk_threads =~ ^[0-9]+$ ]] || [ "$wrk_threads" -lt 1 ] || [ "$wrk_threads" -gt "$connections" ]; then
  echo "gateway_bench: --wrk-threads must be 1..$connections" >&2
  exit 2
fi

build_dir=$(cd "$build_dir" 2>/dev/null && pwd) || { echo "gateway_bench: no such build dir" >&2; exit 2; }
review=$build_dir/reviewer/amparo-review
admin=$build_dir/admin/amparo-admin
gateway=$build_dir/gateway/amparo-gateway
submit=$build_dir/submit/amparo-submit
make_envelope=$build_dir/bench/amparo-bench-make-envelope
store_ceiling=$build_dir/bench/amparo-bench-store-ceiling
for tool in "$review" "$admin" "$gateway" "$submit" "$make_envelope" "$store_ceiling"; do
  [ -x "$tool" ] || { echo "gateway_bench: missing $tool (build the project first)" >&2; exit 1; }
done
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "gateway_bench: installing wrk" >&2
    apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }
  fi
  command -v wrk >/dev/null || { echo "gateway_bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
fi
command -v curl >/dev/null || { echo "gateway_bench: curl is missing" >&2; exit 1; }

say() { echo "gateway_bench: $*" >&2; }

work=$(mktemp -d "$base/amparo-gateway-bench.XXXXXX")
gateway_pid=
monitor_pid=
cleanup() {
  cd /
  if [ -n "$monitor_pid" ]; then kill "$monitor_pid" 2>/dev/null || true; fi
  if [ -n "$gateway_pid" ]; then kill -9 "$gateway_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
work=$(cd "$work" && pwd)
cd "$work"

# --- helpers -------------------------------------------------------------------
# proc_kib PID FIELD: a "Name: value kB" field of /proc/PID/status.
proc_kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
# cpu_ticks PID: user + system time of a process, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# child_ticks: user + system time of this shell's finished children (wrk).
child_ticks() { awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$$/stat"; }
clock_ticks=$(getconf CLK_TCK)
# cores TICKS SECONDS: average number of cores busy.
cores() { awk -v t="$1" -v hz="$clock_ticks" -v s="$2" 'BEGIN { printf "%.2f", t / hz / s }'; }
# wchar PID: bytes the process has written (its store's log and tables).
wchar() { awk '$1 == "wchar:" { print $2 }' "/proc/$1/io"; }
# reset_peak PID: restart VmHWM from the current RSS; false if unsupported.
reset_peak() { echo 5 2>/dev/null >"/proc/$1/clear_refs"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# to_ms VALUE: a wrk time (us, ms, s, m) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}
# wrk_percentile FILE P: a --latency percentile of a wrk output, in ms.
wrk_percentile() { to_ms "$(awk -v p="$2%" '$1 == p { print $2; exit }' "$1")"; }
wrk_rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }
# wrk_errors FILE: socket errors plus non-2xx/3xx answers.
wrk_errors() {
  awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
       /Non-2xx or 3xx responses:/ { n += $NF }
       END { print n + 0 }' "$1"
}

# --- set-up ----------------------------------------------------------------------
"$review" demo-keys -o "$work/keys" >/dev/null
fingerprint=$(cat "$work/keys/DEMO-root-fingerprint.txt")
mkdir -p "$work/site" "$work/tmp"
config=$work/site/gateway.conf
max_upload_bytes=1074790400  # kMaxUploadBytes: the default, 500 MiB, is raised for e.
cat >"$config" <<CONF
listen_address = 127.0.0.1
port = 0
threads = 2
max_connections = 4096
data_dir = data
self_signed_certificate = yes
root_fingerprint = $fingerprint
max_upload_bytes = $max_upload_bytes
CONF
"$admin" -c "$config" init >/dev/null
"$admin" -c "$config" keys install "$work/keys/DEMO-key-bundle.bin" >/dev/null
envelope=$work/envelope.bin
envelope_bytes=$("$make_envelope" --key-bundle "$work/keys/DEMO-key-bundle.bin" \
                   --root-fingerprint "$fingerprint" --out "$envelope")
attachment=$work/evidence.bin
head -c $((upload_mib * 1024 * 1024)) /dev/urandom >"$attachment"
sync

# stored_envelopes: "COUNT BYTES" of the envelopes in the store (gateway stopped).
stored_envelopes() {
  "$admin" -c "$config" status |
    sed -n 's/^envelopes waiting for export: \([0-9]*\) (\([0-9]*\) bytes)$/\1 \2/p'
}
read -r stored_before stored_bytes_before < <(stored_envelopes) || { say "status failed"; exit 1; }

log=$work/gateway.log
"$gateway" -c "$config" 2>"$log" &
gateway_pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { say "the gateway did not start"; cat "$log" >&2; exit 1; }
url="https://127.0.0.1:$port"
say "gateway on port $port (pid $gateway_pid)"

# settle: wait (up to 2 min) until the store's background flushes and
# compactions stop writing, so that one phase does not pay for the last.
settle() {
  local before after
  for _ in $(seq 1 120); do
    before=$(wchar "$gateway_pid"); sleep 1; after=$(wchar "$gateway_pid")
    [ $((after - before)) -lt 262144 ] && return 0
  done
  say "the store is still writing; going on"
}

# One acknowledged submission first, so that a broken set-up fails clearly.
code=$(curl -sk -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
         --data-binary @"$envelope" "$url/v1/submissions")
[ "$code" = 201 ] || { say "a single submission got $code, not 201"; exit 1; }

# --- e. large upload, first, on a gateway that has done almost nothing ----------
say "e. upload: $upload_mib MiB attachment"
upload_rss_before_kib=$(proc_kib "$gateway_pid" VmRSS)
peak_scope="since the upload began"
reset_peak "$gateway_pid" || peak_scope="since the gateway started"
# The upload phase begins when the gateway starts writing chunks (its
# wchar grows by 512 KiB); before that the client is sealing.
wchar_base=$(wchar "$gateway_pid")
(
  while [ $(($(wchar "$gateway_pid") - wchar_base)) -lt 524288 ]; do sleep 0.005; done
  echo "$EPOCHREALTIME" >"$work/upload-start"
) &
monitor_pid=$!
ticks_before=$(cpu_ticks "$gateway_pid")
send_start=$EPOCHREALTIME
TMPDIR=$work/tmp "$submit" send --gateway "$url" --insecure-demo --root-fingerprint "$fingerprint" \
  --body CAT --attach "$attachment" --no-progress >"$work/send.txt" 2>"$work/send-err.txt" ||
  { cat "$work/send-err.txt" >&2; say "the upload failed"; exit 1; }
send_end=$EPOCHREALTIME
ticks_after=$(cpu_ticks "$gateway_pid")
upload_hwm_kib=$(proc_kib "$gateway_pid" VmHWM)
kill "$monitor_pid" 2>/dev/null || true
wait "$monitor_pid" 2>/dev/null || true
monitor_pid=
grep -Eq '^envelope id: [0-9a-f]{32}$' "$work/send.txt" || { say "the upload was not acknowledged"; exit 1; }
rm -f "$attachment"
send_seconds=$(awk -v a="$send_start" -v b="$send_end" 'BEGIN { printf "%.2f", b - a }')
upload_seconds=$send_seconds
upload_phase="whole send; the upload's start was not seen"
if [ -f "$work/upload-start" ]; then
  upload_seconds=$(awk -v a="$(cat "$work/upload-start")" -v b="$send_end" 'BEGIN { printf "%.2f", b - a }')
  upload_phase="first chunk stored to acknowledgement"
fi
upload_cpu=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$clock_ticks" 'BEGIN { printf "%.1f", t / hz }')
say "sent in ${send_seconds}s, upload ${upload_seconds}s, gateway VmHWM ${upload_hwm_kib} KiB"
settle

# --- c. HTTPS requests/s to a trivial endpoint ------------------------------------
say "c. health: ${health_seconds}s, $connections keep-alive connections"
ticks_before=$(cpu_ticks "$gateway_pid"); wrk_before=$(child_ticks)
wrk -t"$wrk_threads" -c"$connections" -d"${health_seconds}s" --latency "$url/v1/health" \
  >"$work/wrk-health.txt"
ticks_after=$(cpu_ticks "$gateway_pid"); wrk_after=$(child_ticks)
cat "$work/wrk-health.txt" >&2
health_rps=$(wrk_rps "$work/wrk-health.txt")
health_p50=$(wrk_percentile "$work/wrk-health.txt" 50)
health_p99=$(wrk_percentile "$work/wrk-health.txt" 99)
health_errors=$(wrk_errors "$work/wrk-health.txt")
health_cpu=$(cores $((ticks_after - ticks_before)) "$health_seconds")
health_wrk_cpu=$(cores $((wrk_after - wrk_before)) "$health_seconds")

# --- d. new TLS connections/s -------------------------------------------------------
# The gateway keeps no session cache and issues no tickets: every connection
# is a full handshake.
say "d. new TLS connections: ${tls_seconds}s, $connections at a time"
ticks_before=$(cpu_ticks "$gateway_pid"); wrk_before=$(child_ticks)
wrk -t"$wrk_threads" -c"$connections" -d"${tls_seconds}s" -H "Connection: close" \
  "$url/v1/health" >"$work/wrk-tls.txt"
ticks_after=$(cpu_ticks "$gateway_pid"); wrk_after=$(child_ticks)
cat "$work/wrk-tls.txt" >&2
tls_cps=$(wrk_rps "$work/wrk-tls.txt")
tls_errors=$(wrk_errors "$work/wrk-tls.txt")
tls_cpu=$(cores $((ticks_after - ticks_before)) "$tls_seconds")
tls_wrk_cpu=$(cores $((wrk_after - wrk_before)) "$tls_seconds")
tls_per_core=$(awk -v r="$tls_cps" -v c="$tls_cpu" 'BEGIN { printf "%.0f", (c > 0 ? r / c : 0) }')
settle

# --- a. durable intake over HTTPS -------------------------------------------------
cat >"$work/post.lua" <<'LUA'
-- POSTs the envelope on every request and counts 201 and other answers.
local file = assert(io.open(os.getenv("AMPARO_BENCH_ENVELOPE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/octet-stream"

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) created = 0; other = 0 end
function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("other")
  end
  io.write(string.format("created: %d\nnot_created: %d\nduration_us: %d\n",
                         c, o, summary.duration))
end
LUA

# median VALUES...: the middle value (the lower middle for an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

created=0; not_created=0; intake_errors=0; intake_ticks=0; intake_wrk_ticks=0; intake_run_us=0
intake_rates=(); intake_p50s=(); intake_p99s=(); ceiling_rates=(); ceiling_syncs_all=()
ceiling_per_sync_all=()
intake_peak="n/a"
reset_peak "$gateway_pid" && intake_peak=reset
for round in $(seq 1 "$rounds"); do
  say "a. intake, round $round/$rounds: ${intake_seconds}s, $connections connections, $envelope_bytes-byte envelopes"
  ticks_before=$(cpu_ticks "$gateway_pid"); wrk_before=$(child_ticks)
  AMPARO_BENCH_ENVELOPE=$envelope wrk -t"$wrk_threads" -c"$connections" -d"${intake_seconds}s" \
    --latency -s "$work/post.lua" "$url/v1/submissions" >"$work/wrk-intake.txt"
  ticks_after=$(cpu_ticks "$gateway_pid"); wrk_after=$(child_ticks)
  cat "$work/wrk-intake.txt" >&2
  round_created=$(sed -n 's/^created: //p' "$work/wrk-intake.txt")
  round_us=$(sed -n 's/^duration_us: //p' "$work/wrk-intake.txt")
  created=$((created + round_created))
  not_created=$((not_created + $(sed -n 's/^not_created: //p' "$work/wrk-intake.txt")))
  intake_errors=$((intake_errors + $(wrk_errors "$work/wrk-intake.txt")))
  intake_ticks=$((intake_ticks + ticks_after - ticks_before))
  intake_wrk_ticks=$((intake_wrk_ticks + wrk_after - wrk_before))
  intake_run_us=$((intake_run_us + round_us))
  intake_rates+=("$(awk -v c="$round_created" -v d="$round_us" 'BEGIN { printf "%.0f", c / (d / 1e6) }')")
  intake_p50s+=("$(wrk_percentile "$work/wrk-intake.txt" 50)")
  intake_p99s+=("$(wrk_percentile "$work/wrk-intake.txt" 99)")

  # b. The store ceiling, on the same disk, into a fresh store of its own;
  # the gateway idles meanwhile.
  say "b. store ceiling, round $round/$rounds: ${ceiling_seconds}s, $store_threads threads"
  rm -rf "$work/ceiling-store"
  "$store_ceiling" --dir "$work/ceiling-store" --envelope "$envelope" --threads "$store_threads" \
    --seconds "$ceiling_seconds" >"$work/ceiling.txt"
  cat "$work/ceiling.txt" >&2
  ceiling_rates+=("$(awk '/^puts_per_second:/ { printf "%.0f", $2 }' "$work/ceiling.txt")")
  ceiling_syncs_all+=("$(sed -n 's/^syncs_per_second: //p' "$work/ceiling.txt")")
  ceiling_per_sync_all+=("$(sed -n 's/^writes_per_sync: //p' "$work/ceiling.txt")")
  rm -rf "$work/ceiling-store"
  settle
done
[ "$intake_peak" = reset ] && intake_peak="$(mib "$(proc_kib "$gateway_pid" VmHWM)") MiB"
intake_seconds_run=$(awk -v d="$intake_run_us" 'BEGIN { printf "%.3f", d / 1e6 }')
intake_rps=$(median "${intake_rates[@]}")
intake_p50=$(median "${intake_p50s[@]}")
intake_p99=$(median "${intake_p99s[@]}")
intake_cpu=$(cores "$intake_ticks" "$intake_seconds_run")
intake_wrk_cpu=$(cores "$intake_wrk_ticks" "$intake_seconds_run")
ceiling_rps=$(median "${ceiling_rates[@]}")
ceiling_syncs=$(median "${ceiling_syncs_all[@]}")
ceiling_per_sync=$(median "${ceiling_per_sync_all[@]}")

kill -TERM "$gateway_pid"
wait "$gateway_pid" || true
gateway_pid=
grep -q 'stopped' "$log" || say "the gateway did not log a graceful stop"

read -r stored_after stored_bytes_after < <(stored_envelopes) || { say "status failed"; exit 1; }
# The single submission and the upload, then wrk's. wrk stops on its deadline
# with up to one request per connection in flight: the gateway finishes and
# stores those, but wrk never reads their 201. So every acknowledged envelope
# must be stored, and at most one per connection and round more.
stored_by_wrk=$((stored_after - stored_before - 2))
unacknowledged=$((stored_by_wrk - created))
durable=FAIL
if [ "$unacknowledged" -ge 0 ] && [ "$unacknowledged" -le $((connections * rounds)) ]; then durable=PASS; fi
# Throughput counts the upload's envelope bytes, padding included: what
# crossed the wire (its size is the stored bytes less the small ones).
upload_envelope_mib=$(awk -v a="$stored_bytes_before" -v b="$stored_bytes_after" \
                        -v n=$((stored_by_wrk + 1)) -v e="$envelope_bytes" \
                        'BEGIN { printf "%.1f", (b - a - n * e) / 1048576 }')
upload_mibps=$(awk -v m="$upload_envelope_mib" -v s="$upload_seconds" 'BEGIN { printf "%.1f", m / s }')
send_mibps=$(awk -v m="$upload_envelope_mib" -v s="$send_seconds" 'BEGIN { printf "%.1f", m / s }')
say "stored $stored_by_wrk envelopes for $created acknowledged ($unacknowledged in flight at the stop)"

# --- report -----------------------------------------------------------------------
ceiling_min=$(( ceiling_rps < health_rps ? ceiling_rps : health_rps ))
ratio=$(awk -v a="$intake_rps" -v m="$ceiling_min" 'BEGIN { printf "%.2f", (m > 0 ? a / m : 0) }')
pass() { if "$@"; then echo PASS; else echo FAIL; fi; }
ratio_goal=$(pass awk -v r="$ratio" 'BEGIN { exit !(r >= 0.70) }')
rss_mib=$(mib "$upload_hwm_kib")
rss_goal=$(pass test "$upload_hwm_kib" -lt $((128 * 1024)))
errors_goal=$(pass test $((not_created + intake_errors)) -eq 0)
upload_stored=$(pass test -n "$(awk -v m="$upload_envelope_mib" -v u="$upload_mib" \
                                  'BEGIN { if (m >= u) print "ok" }')")
others_goal=$(pass test $((health_errors + tls_errors)) -eq 0)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mode=full
[ "$quick" -eq 1 ] && mode="--quick (short runs: not for BENCHMARKS.md)"

cat <<REPORT
## Gateway intake

| figure | value |
|---|---|
| a. durable accepted submissions/s, $envelope_bytes-byte envelopes (4096-byte bucket), $connections connections; median of $rounds rounds (${intake_rates[*]}) | $intake_rps |
| a. latency p50 / p99 (medians of the rounds) | $intake_p50 ms / $intake_p99 ms |
| a. answered 201 / other / socket errors | $created / $not_created / $intake_errors |
| a. stored by the run / of which in flight at wrk's stop | $stored_by_wrk / $unacknowledged |
| a. CPU cores busy: gateway / wrk; gateway peak RSS | $intake_cpu / $intake_wrk_cpu; $intake_peak |
| b. ceiling 1: synced store puts/s, $store_threads threads, no HTTP; median of $rounds rounds (${ceiling_rates[*]}) | $ceiling_rps |
| b. fsyncs/s, puts per fsync | $ceiling_syncs, $ceiling_per_sync |
| c. ceiling 2: HTTPS GET /v1/health requests/s, $connections connections | $health_rps |
| c. latency p50 / p99; CPU cores busy: gateway / wrk | $health_p50 ms / $health_p99 ms; $health_cpu / $health_wrk_cpu |
| **ratio a / min(b, c)** | **$ratio** |
| d. new TLS connections/s (full handshakes), $connections at a time | $tls_cps |
| d. CPU cores busy: gateway / wrk; handshakes per gateway core-second | $tls_cpu / $tls_wrk_cpu; $tls_per_core |
| e. upload of a $upload_envelope_mib MiB envelope ($upload_mib MiB attachment): $upload_phase | $upload_seconds s, $upload_mibps MiB/s |
| e. whole send (fetch keys, seal, upload) | $send_seconds s, $send_mibps MiB/s |
| e. gateway RSS before / peak (VmHWM, $peak_scope); gateway CPU | $(mib "$upload_rss_before_kib") MiB / $rss_mib MiB; $upload_cpu s |

| goal | result |
|---|---|
| a / min(b, c) >= 0.70 ($ratio) | $ratio_goal |
| every intake answer 201, no socket errors ($not_created other, $intake_errors errors) | $errors_goal |
| every acknowledged envelope stored ($created acknowledged, $stored_by_wrk stored) | $durable |
| upload acknowledged and stored | $upload_stored |
| gateway peak RSS during the upload < 128 MiB ($rss_mib MiB) | $rss_goal |
| health and handshake runs without errors ($health_errors, $tls_errors) | $others_goal |

- Machine: $(nproc) CPUs, $cpu_model; kernel $(uname -r); store on $(df -T "$work" | awk 'NR == 2 { print $2 }').
- Tools: $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2); $(openssl version | cut -d' ' -f1-2); client and gateway on the same machine, over loopback.
- Gateway: 2 threads. wrk: $wrk_threads threads, $connections connections. Durations: intake $rounds x ${intake_seconds} s (${intake_seconds_run} s measured), store $rounds x ${ceiling_seconds} s, alternating, health ${health_seconds} s, handshakes ${tls_seconds} s.
- Run: $mode.
REPORT

# Correctness, not speed, decides the exit status.
[ "$errors_goal" = PASS ] && [ "$durable" = PASS ] && [ "$upload_stored" = PASS ] &&
  [ "$others_goal" = PASS ]

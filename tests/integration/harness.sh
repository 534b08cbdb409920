# harness.sh: what the integration scripts share, sourced after they read
# their arguments: a temporary folder removed on exit (with the gateway, if
# one still runs), named checks that count, and a real gateway started on a
# loopback port chosen by the system.
#   require_tools NAME TOOL...
#                          exits with a message unless every TOOL is a command
#   harness_begin NAME     sets $work and the exit trap; NAME prefixes messages
#   check NAME CMD...      runs CMD, counts it passed or failed
#   status CMD...          prints CMD's exit status; its output in $work/out, $work/err
#   set_up_site [LINE...]  a workstation keystore ($keystore, rv runs amparo-review
#                          on it) and a gateway node ($config, with LINEs added)
#                          pinned to each other; sets $fingerprint, $node_key
#   set_up_demo_site [LINE...]
#                          a gateway node ($config, with LINEs added) on demo
#                          keys, the bundle ($bundle) installed; sets
#                          $fingerprint, $node_key
#   send_allegation TEXT   sends TEXT to the CAT with $submit to $url; prints
#                          the envelope id
#   wait_for_value FILE SCRIPT
#                          polls until `sed -n SCRIPT FILE` prints; prints it
#   start_gateway          runs "$gateway" -c "$config"; sets $gateway_pid, $port, $url
#   stop_gateway           stops it with SIGTERM and waits
#   harness_end            prints the counts; fails if any check failed

require_tools() {
  local name=$1 tool; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: missing $tool" >&2; exit 1; }
  done
}

harness_begin() {
  harness_name=$1
  work=$(mktemp -d)
  gateway_pid=
  passed=0
  failed=0
  trap harness_cleanup EXIT
}

harness_cleanup() {
  [ -n "$gateway_pid" ] && kill -9 "$gateway_pid" 2>/dev/null || true
  rm -rf "$work"
}

check() {
  local name=$1; shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "$harness_name: FAILED: $name" >&2
    failed=$((failed + 1))
  fi
}

status() { local rc=0; "$@" >"$work/out" 2>"$work/err" || rc=$?; echo "$rc"; }

rv() { "$review" --keystore "$keystore" --passphrase-fd 3 --allow-network "$@" 3<"$work/pass"; }

# write_gateway_config writes $config: a loopback node pinned to
# $fingerprint, with LINEs added.
write_gateway_config() {
  mkdir -p "$work/site"
  config=$work/site/gateway.conf
  printf '%s\n' "listen_address = 127.0.0.1" "port = 0" "data_dir = data" \
    "self_signed_certificate = yes" "root_fingerprint = $fingerprint" "$@" >"$config"
}

set_up_site() {
  keystore=$work/workstation
  printf 'passphrase of the focal point\n' >"$work/pass"
  rv init --kdf interactive >"$work/init.txt"
  fingerprint=$(sed -n 's/^root fingerprint: //p' "$work/init.txt")
  write_gateway_config "$@"
  "$admin" -c "$config" init >"$work/admin-init.txt"
  node_key=$(sed -n 's/^node key: //p' "$work/admin-init.txt")
  [ -n "$node_key" ] && rv gateway pin "$node_key"
}

set_up_demo_site() {
  "$review" demo-keys -o "$work/keys" >/dev/null
  bundle=$work/keys/DEMO-key-bundle.bin
  fingerprint=$(cat "$work/keys/DEMO-root-fingerprint.txt")
  write_gateway_config "$@"
  "$admin" -c "$config" init >"$work/admin-init.txt"
  node_key=$(sed -n 's/^node key: //p' "$work/admin-init.txt")
  if [ -z "$node_key" ]; then
    echo "$harness_name: amparo-admin init printed no node key" >&2
    exit 1
  fi
  "$admin" -c "$config" keys install "$bundle" >/dev/null
}

send_allegation() {
  printf '%s\n' "$1" >"$work/narrative.txt"
  "$submit" send --gateway "$url" --insecure-demo --root-fingerprint "$fingerprint" \
    --body CAT --narrative-file "$work/narrative.txt" --no-progress 2>"$work/send-err" |
    sed -n 's/^envelope id: //p'
}

# wait_for_value FILE SCRIPT: what `sed -n SCRIPT FILE` prints, once it prints
# something; polls for up to 10 s and prints nothing if it never does.
wait_for_value() {
  local value=
  for _ in $(seq 1 100); do
    value=$(sed -n "$2" "$1")
    [ -n "$value" ] && break
    sleep 0.1
  done
  printf '%s' "$value"
}

start_gateway() {
  local log=$work/gateway.log
  # Made here, not by the background job's redirection, which may not have
  # run yet when the loop below first reads the file.
  : >"$log"
  "$gateway" -c "$config" 2>>"$log" &
  gateway_pid=$!
  port=$(wait_for_value "$log" 's/.*listening on port \([0-9]*\).*/\1/p')
  [ -n "$port" ] || { echo "$harness_name: the gateway did not start" >&2; cat "$log" >&2; exit 1; }
  url="https://127.0.0.1:$port"
}

stop_gateway() { kill -TERM "$gateway_pid"; wait "$gateway_pid" || true; gateway_pid=; }

harness_end() {
  echo "$harness_name: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

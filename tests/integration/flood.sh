#!/usr/bin/env bash
# flood.sh: a gateway node on a loopback port chosen by the system (demo
# keys, the key bundle installed, the default connection cap and timeouts),
# on which the flood driver (flood.cc) runs one flood after another while a
# legitimate submitter keeps submitting.
set -euo pipefail

usage="usage: flood.sh DRIVER AMPARO_REVIEW AMPARO_ADMIN AMPARO_GATEWAY [DRIVER OPTION...]"
driver=${1:?$usage}
review=${2:?$usage}
admin=${3:?$usage}
gateway=${4:?$usage}
shift 4  # the rest goes to the driver
for tool in "$driver" "$review" "$admin" "$gateway"; do
  command -v "$tool" >/dev/null || { echo "flood: missing $tool" >&2; exit 1; }
done

source "$(dirname "$0")/harness.sh"
harness_begin flood

max_connections=1024
set_up_demo_site "max_connections = $max_connections"

"$driver" --gateway "$gateway" --config "$config" --key-bundle "$bundle" \
  --root-fingerprint "$fingerprint" --max-connections "$max_connections" "$@"

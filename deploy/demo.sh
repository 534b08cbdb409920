#!/usr/bin/env bash
# demo.sh: start the gateway on its embedded defaults, on this machine only:
# a store in ./demo/gateway/data, a generated self-signed certificate, the
# loopback address, and DEMO keys (./demo/keys) made by the workstation tool
# and installed with the operator's tool. Never use any of it for real cases.
set -euo pipefail

build_dir=${1:-build}
demo=demo
keys="$demo/keys"
site="$demo/gateway"
config="$site/gateway.conf"
port=${AMPARO_DEMO_PORT:-8443}

mkdir -p "$demo" "$site"
if [ ! -d "$keys" ]; then
  "$build_dir/reviewer/amparo-review" demo-keys -o "$keys"
fi
fingerprint=$(cat "$keys/DEMO-root-fingerprint.txt")

if [ ! -f "$config" ]; then
  cat >"$config" <<CONF
# DEMO configuration: loopback only, self-signed certificate, DEMO keys.
listen_address = 127.0.0.1
port = $port
data_dir = data
web_root = web
self_signed_certificate = yes
root_fingerprint = $fingerprint
CONF
fi
# The page, built from web/ with the DEMO root pinned and marked as DEMO.
node web/build.mjs --out "$site/web" --root-fingerprint "$fingerprint" --demo

"$build_dir/admin/amparo-admin" -c "$config" init
# Exit 9 means this bundle version is installed already.
"$build_dir/admin/amparo-admin" -c "$config" keys install "$keys/DEMO-key-bundle.bin" || [ $? -eq 9 ]

cat <<MSG

DEMO gateway and its submission page: https://127.0.0.1:$port/ (self-signed certificate, DEMO keys)
Root fingerprint to pin: $fingerprint
Try, from another terminal:
  curl -k https://127.0.0.1:$port/v1/health
  $build_dir/submit/amparo-submit keys --gateway https://127.0.0.1:$port --insecure-demo --root-fingerprint $fingerprint
Stop with Ctrl-C (SIGINT) or SIGTERM: requests in flight finish first.

MSG
exec "$build_dir/gateway/amparo-gateway" -c "$config"

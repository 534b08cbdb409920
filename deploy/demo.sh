#!/usr/bin/env bash
# demo.sh: seal a sample allegation on the "submitter" side and open it on the
# "workstation" side, with DEMO keys created in ./demo. Never use them for real.
set -euo pipefail

build_dir=${1:-build}
demo_dir=demo
mkdir -p "$demo_dir"
identity="$demo_dir/DEMO-ONLY-workstation-identity.txt"
if [ ! -f "$identity" ]; then
  "$build_dir/reviewer/amparo-review" keygen -o "$identity"
fi
recipient=$(sed -n 's/^# public key: //p' "$identity")

echo "DEMO KEYS ONLY: $identity holds a secret key generated for this demo."
echo "Sealing a sample allegation to the demo recipient $recipient ..."
printf 'Sample allegation (demo text): a defender was threatened after briefing a treaty body.\n' |
  "$build_dir/submit/amparo-submit" encrypt -a -r "$recipient" -o "$demo_dir/sample.age"
echo "Sealed file: $demo_dir/sample.age"
head -n 3 "$demo_dir/sample.age"
echo "..."
echo "Opening it with the demo workstation identity:"
"$build_dir/reviewer/amparo-review" decrypt -i "$identity" "$demo_dir/sample.age"

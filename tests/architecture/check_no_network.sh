#!/usr/bin/env bash
# check_no_network.sh: the workstation tool must contain no networking code.
# It may not import any libc function that opens, names or uses a socket or
# resolves a name, may not link a library that does (TLS, Boost.Asio), and
# may not contain Asio or Beast. getifaddrs alone is allowed: it lists the
# machine's interfaces so that amparo-review can refuse to open envelopes on
# a networked machine, and cannot send anything. amparo-submit, which talks
# to the gateway, is the positive control that proves the check can fail.
set -euo pipefail
review=${1:?usage: check_no_network.sh AMPARO_REVIEW AMPARO_SUBMIT}
control=${2:?usage: check_no_network.sh AMPARO_REVIEW AMPARO_SUBMIT}

network_calls='^(socket|socketpair|connect|bind|listen|accept4?|send|sendto|sendmsg|sendmmsg|recv|recvfrom|recvmsg|recvmmsg|getaddrinfo|getnameinfo|gethostbyname[0-9_r]*|gethostbyaddr[0-9_r]*|res_[a-z]+|__res_[a-z]+|inet_[a-z]+|getsockopt|setsockopt|getpeername|getsockname)(@.*)?$'
network_libraries='libssl|libcrypto|libcurl|libboost|libresolv|libnss_'
network_code='boost::asio|boost::beast'

imports() { nm -D --undefined-only "$1" | awk '{print $NF}'; }
libraries() { readelf -d "$1" | awk '/NEEDED/ {print $NF}'; }
defined() { nm -C --defined-only "$1" 2>/dev/null || true; }

# Count rather than grep -q: an early exit would break nm's pipe under pipefail.
if [ "$(imports "$control" | grep -Ec "$network_calls" || true)" -eq 0 ]; then
  echo "check_no_network: positive control failed: $(basename "$control") imports no socket call" >&2
  exit 1
fi

failures=0
report() {
  [ -z "$2" ] && return 0
  echo "check_no_network: $(basename "$review") $1:" >&2
  echo "$2" | sed 's/^/  /' >&2
  failures=$((failures + 1))
}
report "imports networking calls" "$(imports "$review" | grep -E "$network_calls" | sort -u || true)"
report "links networking libraries" "$(libraries "$review" | grep -E "$network_libraries" | sort -u || true)"
report "contains networking code" "$(defined "$review" | grep -E "$network_code" | head -5 || true)"
echo "check_no_network: $(basename "$review") checked against $(basename "$control"), $failures findings"
[ "$failures" -eq 0 ]

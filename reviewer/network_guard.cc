#include "reviewer/network_guard.h"

#include <ifaddrs.h>
#include <net/if.h>

#include <algorithm>

namespace amparo::reviewer {

std::vector<std::string> UpNetworkInterfaces() {
  std::vector<std::string> names;
  ifaddrs* list = nullptr;
  // If the list cannot be read, assume the worst: a network may be up.
  if (::getifaddrs(&list) != 0) return {"(unknown: the interface list could not be read)"};
  for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    if ((entry->ifa_flags & IFF_UP) == 0 || (entry->ifa_flags & IFF_LOOPBACK) != 0) continue;
    names.emplace_back(entry->ifa_name);
  }
  ::freeifaddrs(list);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace amparo::reviewer

#pragma once
// network_guard.h: the workstation is air-gapped. Commands that unlock the
// keystore refuse to run while a network interface other than loopback is
// up, unless the operator says --allow-network, and they say which one.

#include <string>
#include <vector>

namespace amparo::reviewer {

// UpNetworkInterfaces returns the names of the interfaces that are up and
// are not loopback, sorted and without repeats.
std::vector<std::string> UpNetworkInterfaces();

}  // namespace amparo::reviewer

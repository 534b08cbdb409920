#pragma once
// config_file.h: the one parser of configuration files: `key = value` per
// line, '#' comments, surrounding blanks ignored. Each tool decides which keys
// it knows and how to read their values.

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace amparo {

// kMaxConfigFileBytes bounds a configuration file.
inline constexpr std::size_t kMaxConfigFileBytes = 64 * 1024;

// ParseConfigFile returns the keys and values of a configuration text;
// kLimitExceeded over kMaxConfigFileBytes; kInvalidArgument for a line
// without '=', an empty key, or a key given twice (which one would win is
// not something an operator should have to guess).
Result<std::map<std::string, std::string, std::less<>>> ParseConfigFile(std::string_view text);

}  // namespace amparo

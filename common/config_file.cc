#include "common/config_file.h"

namespace amparo {
namespace {

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

Result<std::map<std::string, std::string, std::less<>>> ParseConfigFile(std::string_view text) {
  if (text.size() > kMaxConfigFileBytes) return Error::kLimitExceeded;
  std::map<std::string, std::string, std::less<>> entries;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) return Error::kInvalidArgument;
    const std::string_view key = Trim(line.substr(0, equals));
    if (key.empty()) return Error::kInvalidArgument;
    if (!entries.emplace(std::string(key), std::string(Trim(line.substr(equals + 1)))).second) {
      return Error::kInvalidArgument;
    }
  }
  return entries;
}

}  // namespace amparo

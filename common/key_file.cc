#include "common/key_file.h"

namespace amparo {

std::vector<std::string_view> KeyFileEntries(std::string_view content) {
  std::vector<std::string_view> entries;
  while (!content.empty()) {
    const std::size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content.remove_prefix(end == std::string_view::npos ? content.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    entries.push_back(line);
  }
  return entries;
}

}  // namespace amparo

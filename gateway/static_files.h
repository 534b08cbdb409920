#pragma once
// static_files.h: the submission page's files, read once at start-up.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "gateway/http_types.h"

namespace amparo::gateway {

// StaticFiles serves a fixed set of files loaded from a folder at start-up.
// A request can only name a loaded file: there is no path to traverse, and
// nothing written to the folder later is served.
class StaticFiles {
 public:
  // Load reads every regular file under root (at most kMaxStaticFiles files
  // and kMaxStaticBytes in all); kLimitExceeded past that, kIo if unreadable.
  static Result<StaticFiles> Load(const std::filesystem::path& root);
  StaticFiles() = default;

  // Find returns the response for a request path ("/" means /index.html), or
  // nullopt if no such file was loaded.
  std::optional<HttpResponse> Find(std::string_view path) const;
  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::vector<std::uint8_t> bytes;
  };
  std::map<std::string, File, std::less<>> files_;
};

// kMaxStaticFiles and kMaxStaticBytes bound what the page may load into memory.
inline constexpr std::size_t kMaxStaticFiles = 512;
inline constexpr std::size_t kMaxStaticBytes = 32 * 1024 * 1024;

}  // namespace amparo::gateway

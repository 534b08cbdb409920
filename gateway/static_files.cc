#include "gateway/static_files.h"

#include <array>

#include "common/file_io.h"

namespace amparo::gateway {
namespace {

std::string ContentTypeFor(const std::filesystem::path& path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".txt", "text/plain; charset=utf-8"},
      {".ico", "image/x-icon"},
  }};
  const std::string extension = path.extension().string();
  for (const auto& [ext, type] : kTypes) {
    if (extension == ext) return std::string(type);
  }
  return "application/octet-stream";
}

}  // namespace

Result<StaticFiles> StaticFiles::Load(const std::filesystem::path& root) {
  StaticFiles files;
  std::size_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    if (files.files_.size() == kMaxStaticFiles) return Error::kLimitExceeded;
    auto content = ReadSmallFile(it->path(), kMaxStaticBytes - total);
    if (!content.ok()) return content.error();
    total += content.value().size();
    const std::string name = "/" + std::filesystem::relative(it->path(), root).generic_string();
    files.files_[name] = File{ContentTypeFor(it->path()),
                              std::vector<std::uint8_t>(content.value().begin(),
                                                        content.value().end())};
  }
  if (ec) return Error::kIo;
  return files;
}

std::optional<HttpResponse> StaticFiles::Find(std::string_view path) const {
  if (path == "/") path = "/index.html";
  const auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  return HttpResponse{200, it->second.content_type, it->second.bytes};
}

}  // namespace amparo::gateway

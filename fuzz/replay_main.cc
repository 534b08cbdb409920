// replay_main.cc: runs a fuzz target once on every file of the corpus
// directories given, so that ctest checks the corpus with any compiler. Exits
// non-zero if a directory is missing or holds no file; a failing input crashes
// the process as it would crash the fuzzer, after its name was printed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool ReadFile(const std::filesystem::path& path, std::vector<std::uint8_t>* bytes) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  bytes->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
    return 2;
  }
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path dir = argv[i];
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
      std::fprintf(stderr, "replay: %s is not a directory\n", dir.c_str());
      return 1;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    if (error || files.empty()) {
      std::fprintf(stderr, "replay: no input in %s\n", dir.c_str());
      return 1;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      std::vector<std::uint8_t> bytes;
      if (!ReadFile(file, &bytes)) {
        std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
        return 1;
      }
      std::fprintf(stderr, "Running: %s\n", file.c_str());
      std::fflush(stderr);
      // An exact-size copy, so that a sanitizer build sees any read past the end.
      const std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(input.data(), input.size());
      ++replayed;
    }
  }
  std::printf("replayed %zu inputs from %d directories\n", replayed, argc - 1);
  return 0;
}

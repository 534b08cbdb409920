// static_files_test.cc: the page is served from files loaded at start-up
// only, within its file-count and byte limits, and no request can name
// anything else.

#include "gateway/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace amparo::gateway {
namespace {

void Write(const std::filesystem::path& path, std::size_t size, char fill = 'x') {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << std::string(size, fill);
}

TEST(StaticFilesTest, ServesLoadedFilesWithTheirTypesAndIndexForRoot) {
  test::TempDir dir;
  Write(dir.path() / "index.html", 3, 'h');
  Write(dir.path() / "js" / "app.mjs", 2, 'j');
  auto files = StaticFiles::Load(dir.path());
  ASSERT_TRUE(files.ok());
  const auto index = files.value().Find("/");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index->body, std::vector<std::uint8_t>(3, 'h'));
  const auto script = files.value().Find("/js/app.mjs");
  ASSERT_TRUE(script.has_value());
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
}

TEST(StaticFilesTest, NothingOutsideTheLoadedSetCanBeNamed) {
  test::TempDir dir;
  Write(dir.path() / "web" / "index.html", 1);
  Write(dir.path() / "secret.txt", 1);
  auto files = StaticFiles::Load(dir.path() / "web");
  ASSERT_TRUE(files.ok());
  EXPECT_FALSE(files.value().Find("/../secret.txt").has_value());
  EXPECT_FALSE(files.value().Find("/web/../secret.txt").has_value());
  EXPECT_FALSE(files.value().Find("index.html").has_value());
  Write(dir.path() / "web" / "later.html", 1);  // written after start-up
  EXPECT_FALSE(files.value().Find("/later.html").has_value());
}

TEST(StaticFilesTest, FileCountLimitAtNAndNPlusOne) {
  test::TempDir dir;
  for (std::size_t i = 0; i < kMaxStaticFiles; ++i) Write(dir.path() / (std::to_string(i) + ".txt"), 1);
  auto at_limit = StaticFiles::Load(dir.path());
  ASSERT_TRUE(at_limit.ok());
  EXPECT_EQ(at_limit.value().size(), kMaxStaticFiles);
  Write(dir.path() / "one-more.txt", 1);
  auto over = StaticFiles::Load(dir.path());
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), Error::kLimitExceeded);
}

TEST(StaticFilesTest, ByteLimitAtNAndNPlusOne) {
  test::TempDir dir;
  Write(dir.path() / "a.bin", kMaxStaticBytes - 1);
  Write(dir.path() / "b.bin", 1);
  ASSERT_TRUE(StaticFiles::Load(dir.path()).ok());
  Write(dir.path() / "c.bin", 1);
  auto over = StaticFiles::Load(dir.path());
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), Error::kLimitExceeded);
}

}  // namespace
}  // namespace amparo::gateway

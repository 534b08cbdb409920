#include "submit/progress.h"

#include <unistd.h>

#include <cstdio>

#include "common/byte_reader.h"
#include "common/file_io.h"

namespace amparo::submit {
namespace {

constexpr unsigned kBarWidth = 30;

// Percent returns 0 to 100 for done <= total; no envelope comes near the
// sizes where done * 100 would overflow, but the bar must not misbehave.
unsigned Percent(std::uint64_t done, std::uint64_t total) {
  if (total == 0 || done >= total) return 100;
  if (done > UINT64_MAX / 100) return static_cast<unsigned>(done / (total / 100));
  return static_cast<unsigned>(done * 100 / total);
}

std::string Mebibytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f",
                static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

std::string FormatProgressLine(const std::string& label, std::uint64_t done, std::uint64_t total,
                               unsigned width) {
  if (done > total) done = total;
  const unsigned percent = Percent(done, total);
  const unsigned filled = width * percent / 100;
  std::string line = label;
  char number[8];
  std::snprintf(number, sizeof(number), "%3u%%", percent);
  line.append(" ").append(number).append(" [");
  line.append(filled, '#').append(width - filled, ' ').append("] ");
  line.append(Mebibytes(done)).append("/").append(Mebibytes(total)).append(" MiB");
  return line;
}

Progress::Progress(std::string label, std::uint64_t total, ByteSink* sink)
    : label_(std::move(label)), total_(total), sink_(sink) {}

Progress::~Progress() { Finish(); }

Progress Progress::ForStderr(std::string label, std::uint64_t total) {
  // One sink for the whole process: standard error outlives every bar.
  static FdSink stderr_sink(STDERR_FILENO);
  return Progress(std::move(label), total, ::isatty(STDERR_FILENO) == 1 ? &stderr_sink : nullptr);
}

void Progress::Update(std::uint64_t done) {
  if (sink_ == nullptr || finished_) return;
  if (done > total_) done = total_;
  const unsigned percent = Percent(done, total_);
  if (static_cast<int>(percent) == shown_percent_) return;
  shown_percent_ = static_cast<int>(percent);
  Draw(done);
}

void Progress::Draw(std::uint64_t done) {
  // "\r" returns to the line start; "\x1b[K" clears what a longer line left.
  const std::string line = "\r" + FormatProgressLine(label_, done, total_, kBarWidth) + "\x1b[K";
  (void)sink_->Write(AsBytes(line));
  drawn_ = true;
}

void Progress::Finish() {
  if (finished_) return;
  finished_ = true;
  if (sink_ == nullptr || !drawn_) return;
  (void)sink_->Write(AsBytes(std::string_view("\n")));
}

}  // namespace amparo::submit

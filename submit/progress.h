#pragma once
// progress.h: a one-line progress bar on standard error, drawn only when
// standard error is a terminal, so that logs and scripts never receive it.

#include <cstdint>
#include <string>

#include "common/io.h"

namespace amparo::submit {

// Progress draws "label  42% [#####     ] 1.2/2.9 MiB" on one line,
// redrawing only when the shown percentage changes. It writes to a borrowed
// sink, or nowhere when the sink is null; drawing errors are ignored.
class Progress {
 public:
  // Progress draws to `sink` (may be null: then nothing is drawn); sink must
  // outlive it. total is the number of bytes expected.
  Progress(std::string label, std::uint64_t total, ByteSink* sink);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // ForStderr returns a progress bar on standard error if it is a terminal,
  // and a silent one otherwise.
  static Progress ForStderr(std::string label, std::uint64_t total);

  // Update shows `done` bytes of the total (clamped to the total).
  void Update(std::uint64_t done);

  // Finish ends the line, once; a silent or never-drawn bar writes nothing.
  void Finish();

  bool enabled() const { return sink_ != nullptr; }

 private:
  void Draw(std::uint64_t done);

  std::string label_;
  std::uint64_t total_;
  ByteSink* sink_;
  int shown_percent_ = -1;
  bool drawn_ = false;
  bool finished_ = false;
};

// FormatProgressLine returns the text of one progress line (without the
// leading carriage return): label, percentage, a bar of `width` cells and
// the amounts in MiB.
std::string FormatProgressLine(const std::string& label, std::uint64_t done, std::uint64_t total,
                               unsigned width);

}  // namespace amparo::submit

#include "gateway/upload_janitor.h"

#include <spdlog/spdlog.h>

namespace amparo::gateway {

UploadJanitor::UploadJanitor(storage::EnvelopeStore& store, const Clock& clock,
                             std::int64_t max_age_days, std::chrono::milliseconds period,
                             std::int64_t mailbox_retention_days)
    : store_(store), clock_(clock), max_age_days_(max_age_days), period_(period),
      mailbox_retention_days_(mailbox_retention_days), thread_([this] { Run(); }) {}

UploadJanitor::~UploadJanitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t UploadJanitor::sweeps() const {
  std::lock_guard lock(mutex_);
  return sweeps_;
}

void UploadJanitor::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto expired = store_.ExpireUploads(clock_.Today(), max_age_days_);
    // A count only: nothing that tells which upload or when it began.
    if (!expired.ok()) {
      spdlog::warn("could not expire unfinished uploads: {}", ErrorName(expired.error()));
    } else if (expired.value() > 0) {
      spdlog::info("removed {} expired unfinished uploads", expired.value());
    }
    if (mailbox_retention_days_ >= 0) {
      auto replies = store_.ExpireReplies(clock_.Today(), mailbox_retention_days_);
      if (!replies.ok()) {
        spdlog::warn("could not expire follow-up replies: {}", ErrorName(replies.error()));
      } else if (replies.value() > 0) {
        spdlog::info("removed {} expired follow-up replies", replies.value());
      }
    }
    lock.lock();
    ++sweeps_;
    wake_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

}  // namespace amparo::gateway

#pragma once
// fake_handler.h: a RequestHandler test double for the HTTPS server. Routes
// are fixed per target before the server starts; every call is recorded, and
// a route may answer late from another thread, as a durable write would.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "gateway/request_handler.h"

namespace amparo::test {

class FakeHandler final : public gateway::RequestHandler {
 public:
  // Route says how one target (path and query, matched exactly) is answered.
  struct Route {
    std::size_t body_limit = 0;
    unsigned status = 200;
    std::string content_type = "text/plain";
    std::string body;
    bool echo_body = false;  // answer with the request's body instead of `body`
    // delay > 0 answers from another thread once it has passed.
    std::chrono::milliseconds delay{0};
  };

  // kErrorBody is the body of every ErrorResponse.
  static constexpr std::string_view kErrorBody = "fixed error\n";

  // ~FakeHandler waits for the late answers still pending.
  ~FakeHandler() override { JoinResponders(); }

  // SetRoute must be called before the server starts.
  void SetRoute(std::string target, Route route) { routes_[std::move(target)] = std::move(route); }

  std::size_t BodyLimit(const gateway::RequestHead& head) const override {
    const auto it = routes_.find(head.target);
    return it == routes_.end() ? 0 : it->second.body_limit;
  }

  void Handle(gateway::HttpRequest request,
              std::function<void(gateway::HttpResponse)> respond) override {
    const auto it = routes_.find(request.head.target);
    gateway::HttpResponse response;
    std::chrono::milliseconds delay{0};
    if (it == routes_.end()) {
      response.status = 404;
      response.content_type = "text/plain";
    } else {
      const Route& route = it->second;
      response.status = route.status;
      response.content_type = route.content_type;
      response.body = route.echo_body ? request.body
                                      : std::vector<std::uint8_t>(route.body.begin(), route.body.end());
      delay = route.delay;
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(request));
      changed_.notify_all();
    }
    if (delay.count() == 0) return respond(std::move(response));
    std::lock_guard lock(mutex_);
    responders_.emplace_back([delay, respond = std::move(respond), r = std::move(response)]() mutable {
      std::this_thread::sleep_for(delay);
      respond(std::move(r));
    });
  }

  gateway::HttpResponse ErrorResponse(Error error) const override {
    gateway::HttpResponse response;
    response.status = error == Error::kLimitExceeded ? 413 : error == Error::kUnavailable ? 503 : 400;
    response.content_type = "text/plain";
    response.body.assign(kErrorBody.begin(), kErrorBody.end());
    return response;
  }

  // calls returns how many requests reached Handle.
  std::size_t calls() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

  // requests returns a copy of every request Handle received, in order.
  std::vector<gateway::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // WaitForCalls waits until Handle has been called `count` times; false if
  // the timeout passes first.
  bool WaitForCalls(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
  }

  // JoinResponders waits for every late answer to have been handed to the
  // server.
  void JoinResponders() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(responders_);
    }
    for (auto& thread : threads) thread.join();
  }

 private:
  std::map<std::string, Route, std::less<>> routes_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<gateway::HttpRequest> requests_;
  std::vector<std::thread> responders_;
};

}  // namespace amparo::test

#pragma once
// result.h: Result<T> carries either a value or an Error, never both;
// Status is the value-less form.

#include <cstdlib>
#include <utility>
#include <variant>

#include "common/error.h"

namespace amparo {

// Result holds a T on success or an Error. Reading the wrong alternative is a
// broken invariant and aborts in every build.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(error) {}         // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }

  T& value() & { Check(ok()); return std::get<0>(v_); }
  const T& value() const& { Check(ok()); return std::get<0>(v_); }
  T&& value() && { Check(ok()); return std::get<0>(std::move(v_)); }

  Error error() const { Check(!ok()); return std::get<1>(v_); }

 private:
  static void Check(bool condition) { if (!condition) std::abort(); }
  std::variant<T, Error> v_;
};

// Status is the result of an operation that returns nothing but success.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : failed_(true), error_(error) {}  // NOLINT: implicit

  bool ok() const { return !failed_; }
  Error error() const {
    if (!failed_) std::abort();
    return error_;
  }

 private:
  bool failed_ = false;
  Error error_ = Error::kInvalidArgument;
};

inline Status OkStatus() { return Status(); }

}  // namespace amparo

// AMPARO_RETURN_IF_ERROR returns the error of a failed Status or Result.
#define AMPARO_RETURN_IF_ERROR(expr)               \
  do {                                             \
    auto amparo_status_ = (expr);                  \
    if (!amparo_status_.ok()) return amparo_status_.error(); \
  } while (false)

// One error type for every module boundary: a Status says whether a call worked and,
// if not, what kind of failure it was and a message meant for a log line.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace heartbeat {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kNotFound,     // a file or row that should exist does not
    kInvalid,      // input that breaks a rule (config line, body field, flag)
    kUnavailable,  // a resource that may come back (database, network)
    kRefused,      // a request named something it may not have (a config outside --config-dir)
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Refused(std::string msg) { return Status(Code::kRefused, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none. Built from a Status, that Status
// must be an error; asking an error for its value is a bug, caught by the asserts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result without a value needs an error Status");
    if (status_.ok()) status_ = Status::Unavailable("internal error: no value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& { return Checked(); }
  T& value() & { return Checked(); }
  T&& value() && { return std::move(Checked()); }
  const T* operator->() const { return &Checked(); }
  T* operator->() { return &Checked(); }

 private:
  const T& Checked() const {
    assert(value_.has_value() && "value() of a failed Result");
    return *value_;
  }
  T& Checked() {
    assert(value_.has_value() && "value() of a failed Result");
    return *value_;
  }

  std::optional<T> value_;
  Status status_;
};

}  // namespace heartbeat

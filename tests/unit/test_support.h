// Shared pieces of the unit tests: Boost.Test, a temporary folder, a settable clock, and a
// server environment (config file + real SQLite file) in which handlers run without a server.
#pragma once

#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "caches.h"
#include "clock.h"
#include "heartbeat_handler.h"
#include "services.h"
#include "status_handler.h"
#include "store.h"

namespace heartbeat {
// Lets Boost.Test print a status code when a comparison fails.
inline std::ostream& operator<<(std::ostream& out, Status::Code code) {
  return out << "Status::Code(" << static_cast<int>(code) << ")";
}
}  // namespace heartbeat

namespace heartbeat::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);

// The store at `path`; the test case stops there if it cannot be opened.
std::unique_ptr<Store> OpenedStore(const std::string& path);

// One heartbeat of `device` in `store` with nothing but its state and time.
Status RecordBeat(Store& store, std::string_view device, DeviceState state, int64_t at_ms);

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ms = 1'800'000'000'000) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  void Set(int64_t now_ms) { now_ms_ = now_ms; }
  void Advance(int64_t ms) { now_ms_ += ms; }

 private:
  int64_t now_ms_;
};

// The token whose hash the default test config holds.
constexpr const char* kTestToken = "correct-horse-battery-staple";

// A config file in a temp folder, real caches, a fake clock: handlers run as in the server.
class ServerFixture {
 public:
  // `extra` is appended to a config that holds the test token's hash.
  explicit ServerFixture(const std::string& extra = "", bool with_token = true);

  void RewriteConfig(const std::string& text);
  Response Heartbeat(const std::string& body = "", const std::string& token = kTestToken,
                     const std::string& address = "192.0.2.1",
                     const std::string& content_type = "application/json");
  Response Post(Request request);
  Response Status(const std::string& query = "", const std::string& method = "GET");
  Response Send(Request request);  // to the status handler

  TempDir dir;
  FakeClock clock;
  ConfigCache configs{clock};
  StoreCache stores{clock};
  Services services;
};

// The value of a response header, empty when absent.
std::string Header(const Response& response, const std::string& name);

}  // namespace heartbeat::testing

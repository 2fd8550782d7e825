#include "test_support.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "token.h"

namespace heartbeat::testing {

TempDir::TempDir() {
  char pattern[] = "/tmp/heartbeat-unit-XXXXXX";
  const char* made = mkdtemp(pattern);
  BOOST_REQUIRE(made != nullptr);
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
  std::filesystem::remove_all(path_, ignored);
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  BOOST_REQUIRE(out.good());
}

std::unique_ptr<Store> OpenedStore(const std::string& path) {
  auto store = Store::Open(path);
  BOOST_REQUIRE_MESSAGE(store.ok(), store.status().message());
  return std::move(store.value());
}

Status RecordBeat(Store& store, std::string_view device, DeviceState state, int64_t at_ms) {
  HeartbeatWrite write;
  write.device = device;
  write.state = state;
  write.at_ms = at_ms;
  return store.RecordHeartbeat(write);
}

ServerFixture::ServerFixture(const std::string& extra, bool with_token)
    : services(configs, stores, clock) {
  BOOST_REQUIRE(InitCrypto());
  services.fallback_config_path = dir.File("heartbeat.conf");
  std::string text;
  if (with_token) text += "token_sha256 = " + ToHex(HashToken(kTestToken)) + "\n";
  RewriteConfig(text + extra);
}

void ServerFixture::RewriteConfig(const std::string& text) {
  // Write beside, then rename: what a careful editor does, and what the cache keys on.
  WriteFile(dir.File("heartbeat.conf.new"), text);
  BOOST_REQUIRE(
      rename(dir.File("heartbeat.conf.new").c_str(), dir.File("heartbeat.conf").c_str()) == 0);
  clock.Advance(kRecheckIntervalMs);  // let the cache look at the file again
}

Response ServerFixture::Heartbeat(const std::string& body, const std::string& token,
                                  const std::string& address, const std::string& content_type) {
  Request request;
  request.method = "POST";
  request.remote_addr = address;
  if (!token.empty()) request.authorization = "Bearer " + token;
  request.body = body;
  request.content_length = static_cast<long long>(body.size());
  if (!body.empty()) request.content_type = content_type;
  return Post(std::move(request));
}

Response ServerFixture::Post(Request request) { return HandleHeartbeat(request, services); }

Response ServerFixture::Status(const std::string& query, const std::string& method) {
  Request request;
  request.method = method;
  request.query = query;
  return Send(std::move(request));
}

Response ServerFixture::Send(Request request) { return HandleStatus(request, services); }

std::string Header(const Response& response, const std::string& name) {
  const std::optional<std::string_view> value = response.FindHeader(name);
  return value ? std::string(*value) : std::string();
}

}  // namespace heartbeat::testing

// HandleHeartbeat with a real config file, a real SQLite file and a fake clock.
#include <sys/stat.h>

#include "rate_limit.h"
#include "test_support.h"

namespace heartbeat {
namespace {

using testing::Header;
using testing::ServerFixture;

void CheckError(const Response& response, int status, const std::string& code) {
  BOOST_TEST(response.status == status);
  BOOST_TEST(Header(response, "Content-Type") == kJsonContentType);
  BOOST_TEST(Header(response, "X-Content-Type-Options") == "nosniff");
  BOOST_TEST(response.body.find("{\"error\":\"" + code + "\",\"message\":\"") == 0u,
             "body: " << response.body);
  BOOST_TEST(!response.FindHeader("Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_SUITE(heartbeat_handler)

BOOST_AUTO_TEST_CASE(accepts_a_heartbeat_and_stamps_it_with_the_server_clock) {
  ServerFixture server;
  Response response = server.Heartbeat("{\"device\":\"mac\",\"state\":\"idle\",\"at\":1}");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body == "{\"status\":\"OK\",\"device\":\"mac\",\"state\":\"idle\",\"at\":" +
                                  std::to_string(server.clock.NowMs()) + "}");
  BOOST_TEST(Header(response, "Cache-Control") == "no-store");
  BOOST_TEST(Header(response, "X-Content-Type-Options") == "nosniff");
  BOOST_TEST(!response.FindHeader("Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_CASE(empty_and_blank_bodies_mean_default_device_active_without_content_type) {
  ServerFixture server;
  for (const char* body : {"", "  \r\n"}) {
    Request request;
    request.method = "POST";
    request.authorization = std::string("Bearer ") + testing::kTestToken;
    request.body = body;
    request.content_length = static_cast<long long>(request.body.size());
    Response response = server.Post(request);
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.body.find("\"device\":\"default\",\"state\":\"active\"") !=
               std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(other_methods_get_405_with_allow) {
  ServerFixture server;
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "post", ""}) {
    BOOST_TEST_CONTEXT(method) {
      Request request;
      request.method = method;
      Response response = server.Post(request);
      CheckError(response, 405, "method_not_allowed");
      BOOST_TEST(Header(response, "Allow") == "POST");
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_or_wrong_token_gets_401_with_www_authenticate) {
  ServerFixture server;
  for (const char* token : {"", "wrong", "correct-horse-battery-stapl"}) {
    Response response = server.Heartbeat("", token);
    CheckError(response, 401, "unauthorized");
    BOOST_TEST(Header(response, "WWW-Authenticate").find("Bearer") == 0u);
  }
  Request basic;
  basic.method = "POST";
  basic.authorization = "Basic Y29ycmVjdDpob3JzZQ==";
  CheckError(server.Post(basic), 401, "unauthorized");
}

BOOST_AUTO_TEST_CASE(body_limit_is_4096_bytes) {
  ServerFixture server;
  std::string padding = "{\"device\":\"mac\",\"pad\":\"";
  std::string exact = padding + std::string(4096 - padding.size() - 2, 'x') + "\"}";
  BOOST_REQUIRE_EQUAL(exact.size(), 4096u);
  BOOST_TEST(server.Heartbeat(exact).status == 200);

  std::string over = padding + std::string(4097 - padding.size() - 2, 'x') + "\"}";
  CheckError(server.Heartbeat(over), 413, "payload_too_large");

  Request announced;  // a Content-Length over the limit is refused before reading the body
  announced.method = "POST";
  announced.authorization = std::string("Bearer ") + testing::kTestToken;
  announced.content_length = 1 << 30;
  CheckError(server.Post(announced), 413, "payload_too_large");
}

BOOST_AUTO_TEST_CASE(non_json_body_gets_415_and_bad_json_400) {
  ServerFixture server;
  CheckError(server.Heartbeat("{}", testing::kTestToken, "192.0.2.1", "text/plain"), 415,
             "unsupported_media_type");
  CheckError(server.Heartbeat("{}", testing::kTestToken, "192.0.2.1", ""), 415,
             "unsupported_media_type");
  BOOST_TEST(
      server.Heartbeat("{}", testing::kTestToken, "192.0.2.1", "Application/Json; charset=UTF-8")
          .status == 200);
  CheckError(server.Heartbeat("{\"state\":\"sleeping\"}"), 400, "bad_request");
  CheckError(server.Heartbeat("{\"device\":null}"), 400, "bad_request");
  CheckError(server.Heartbeat(std::string("\x00\x01\xff", 3)), 400, "bad_request");
}

BOOST_AUTO_TEST_CASE(wrong_content_length_gets_400) {
  ServerFixture server;
  Request request;
  request.method = "POST";
  request.authorization = std::string("Bearer ") + testing::kTestToken;
  request.content_type = "application/json";
  request.body = "{}";
  request.content_length = 10;  // the stream ended early
  CheckError(server.Post(request), 400, "bad_request");
  request.content_length = -2;  // not a number
  CheckError(server.Post(request), 400, "bad_request");
}

BOOST_AUTO_TEST_CASE(checks_run_in_the_order_of_the_contract) {
  ServerFixture server;
  std::string big(5000, 'x');
  // 405 before everything.
  Request get;
  get.method = "GET";
  get.body = big;
  BOOST_TEST(server.Post(get).status == 405);
  // 413 before 401: an oversized body with a wrong token.
  BOOST_TEST(server.Heartbeat(big, "wrong", "198.51.100.7").status == 413);
  // 401 before 415 and 400.
  BOOST_TEST(server.Heartbeat("nope", "wrong", "198.51.100.8", "text/plain").status == 401);
  // 415 before 400.
  BOOST_TEST(server.Heartbeat("nope", testing::kTestToken, "192.0.2.1", "text/plain").status ==
             415);
  // Locked out: 413 still comes first, then 429 for a wrong token, 415 for the right one.
  for (int i = 0; i < kMaxAuthFailures; ++i) server.Heartbeat("", "wrong", "203.0.113.9");
  BOOST_TEST(server.Heartbeat(big, "wrong", "203.0.113.9").status == 413);
  BOOST_TEST(server.Heartbeat("nope", "wrong", "203.0.113.9", "text/plain").status == 429);
  BOOST_TEST(server.Heartbeat("nope", testing::kTestToken, "203.0.113.9", "text/plain").status ==
             415);
}

BOOST_AUTO_TEST_CASE(ten_failures_lock_an_address_out_for_the_rest_of_ten_minutes) {
  ServerFixture server;
  const std::string attacker = "203.0.113.5";
  for (int i = 0; i < kMaxAuthFailures - 1; ++i) {
    BOOST_TEST(server.Heartbeat("", "wrong", attacker).status == 401);
    server.clock.Advance(10'000);
  }
  // A success neither resets the count nor is refused.
  BOOST_TEST(server.Heartbeat("", testing::kTestToken, attacker).status == 200);
  BOOST_TEST(server.Heartbeat("", "wrong", attacker).status == 401);  // the 10th failure

  // Locked out: wrong and missing tokens get 429, the right one is still accepted.
  Response locked = server.Heartbeat("", "wrong", attacker);
  CheckError(locked, 429, "too_many_attempts");
  // First failure at t0, now t0 + 90 s: 510 s remain.
  BOOST_TEST(Header(locked, "Retry-After") == "510");
  BOOST_TEST(server.Heartbeat("", "", attacker).status == 429);
  BOOST_TEST(server.Heartbeat("", testing::kTestToken, attacker).status == 200);
  // Another address is not affected.
  BOOST_TEST(server.Heartbeat("", "wrong", "192.0.2.44").status == 401);
  // 429s do not extend the lockout; it ends 10 minutes after the first failure.
  server.clock.Advance(509'000);
  BOOST_TEST(server.Heartbeat("", "wrong", attacker).status == 429);
  BOOST_TEST(Header(server.Heartbeat("", "wrong", attacker), "Retry-After") == "1");
  server.clock.Advance(1'000);
  // A new span starts with the next failure.
  BOOST_TEST(server.Heartbeat("", "wrong", attacker).status == 401);
  BOOST_TEST(server.Heartbeat("", testing::kTestToken, attacker).status == 200);
}

BOOST_AUTO_TEST_CASE(requests_without_a_bearer_token_are_never_counted) {
  // Any web page can make the owner's browser POST without credentials (no preflight):
  // such requests must not lock the owner's own address out.
  ServerFixture server;
  const std::string owner = "198.51.100.7";
  for (int i = 0; i < 3 * kMaxAuthFailures; ++i) {
    BOOST_TEST(server.Heartbeat("", "", owner).status == 401);
  }
  for (const char* scheme : {"Basic b3duZXI6cHc=", "Digest x", "Bearer", "Bearer ", "bearerx"}) {
    BOOST_TEST_CONTEXT(scheme) {
      Request request;
      request.method = "POST";
      request.remote_addr = owner;
      request.authorization = scheme;
      for (int i = 0; i < kMaxAuthFailures; ++i) BOOST_TEST(server.Post(request).status == 401);
    }
  }
  BOOST_TEST(server.Heartbeat("", testing::kTestToken, owner).status == 200);
  BOOST_TEST(server.Heartbeat("", "wrong", owner).status == 401);  // the first counted one
  auto store = server.stores.Get(server.dir.File("heartbeat.db"));
  BOOST_REQUIRE(store.ok());
  BOOST_TEST(store.value()->ReadAuthFailures(owner).value().count == 1);
}

BOOST_AUTO_TEST_CASE(ipv6_addresses_are_counted_by_their_slash_64) {
  ServerFixture server;
  for (int i = 0; i < kMaxAuthFailures; ++i) {
    std::string address = "2001:db8:1:2::" + std::to_string(i + 1);
    BOOST_TEST(server.Heartbeat("", "wrong", address).status == 401);
  }
  BOOST_TEST(server.Heartbeat("", "wrong", "2001:db8:1:2:ffff:ffff:ffff:ffff").status == 429);
  BOOST_TEST(server.Heartbeat("", "wrong", "2001:db8:1:3::1").status == 401);
}

BOOST_AUTO_TEST_CASE(failures_spread_over_more_than_ten_minutes_do_not_lock_out) {
  ServerFixture server;
  for (int i = 0; i < 15; ++i) {
    BOOST_TEST(server.Heartbeat("", "wrong", "203.0.113.6").status == 401);
    server.clock.Advance(70'000);  // 9 failures per 10-minute span at most
  }
  BOOST_TEST(server.Heartbeat("", testing::kTestToken, "203.0.113.6").status == 200);
}

BOOST_AUTO_TEST_CASE(lockout_is_kept_in_the_database_across_processes) {
  ServerFixture server;
  for (int i = 0; i < kMaxAuthFailures; ++i) server.Heartbeat("", "wrong", "203.0.113.7");
  // A second "process": fresh caches on the same files.
  ConfigCache configs(server.clock);
  StoreCache stores(server.clock);
  Services other(configs, stores, server.clock);
  other.fallback_config_path = server.services.fallback_config_path;
  Request request;
  request.method = "POST";
  request.remote_addr = "203.0.113.7";
  request.authorization = "Bearer wrong";
  BOOST_TEST(HandleHeartbeat(request, other).status == 429);
}

BOOST_AUTO_TEST_CASE(without_token_hash_heartbeats_are_refused_with_503) {
  ServerFixture server("", /*with_token=*/false);
  Response response = server.Heartbeat("");
  CheckError(response, 503, "not_configured");
  BOOST_TEST(Header(response, "Retry-After") == "30");
}

BOOST_AUTO_TEST_CASE(config_problems_are_503_naming_the_problem) {
  ServerFixture server;
  server.RewriteConfig("online_window = forever\n");
  Response invalid = server.Heartbeat("");
  CheckError(invalid, 503, "config_invalid");
  BOOST_TEST(invalid.body.find("heartbeat.conf line 1: online_window") != std::string::npos);
  BOOST_TEST(invalid.body.find(server.dir.path()) == std::string::npos);  // no folder leaked

  BOOST_REQUIRE(unlink(server.dir.File("heartbeat.conf").c_str()) == 0);
  server.clock.Advance(kRecheckIntervalMs);
  Response missing = server.Heartbeat("");
  CheckError(missing, 503, "config_missing");
  BOOST_TEST(Header(missing, "Retry-After") == "30");
}

BOOST_AUTO_TEST_CASE(unusable_database_is_503_storage_unavailable) {
  ServerFixture server("database = no-such-folder/heartbeat.db\n");
  CheckError(server.Heartbeat(""), 503, "storage_unavailable");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

#include "server_config.h"

#include "test_support.h"
#include "token.h"

namespace heartbeat {
namespace {

const std::string kHash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

Result<ServerConfig> Parse(const std::string& text) {
  return ParseServerConfig(text, "/srv/data", "heartbeat.conf");
}

BOOST_AUTO_TEST_SUITE(server_config)

BOOST_AUTO_TEST_CASE(defaults_when_empty) {
  auto config = Parse("# nothing but a comment\n\n");
  BOOST_REQUIRE(config.ok());
  BOOST_TEST(config->database_path == "/srv/data/heartbeat.db");
  BOOST_TEST(!config->has_token);
  BOOST_TEST(config->online_window_s == 180);
  BOOST_TEST(config->allow_origins.empty());
  BOOST_TEST((config->last_seen == LastSeenPolicy::kOff));
  BOOST_TEST(config->offline_max_age_s == 30);
}

BOOST_AUTO_TEST_CASE(reads_every_key) {
  auto config =
      Parse("database = db/hb.sqlite\ntoken_sha256 = " + kHash +
            "\nonline_window = 60\nallow_origin = https://a.example http://b.example:8080\n"
            "last_seen = minute\noffline_max_age = 0\n");
  BOOST_REQUIRE(config.ok());
  BOOST_TEST(config->database_path == "/srv/data/db/hb.sqlite");
  BOOST_TEST(config->has_token);
  BOOST_TEST(ToHex(config->token_sha256) ==
             "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  BOOST_TEST(config->online_window_s == 60);
  BOOST_TEST(config->allow_origins.size() == 2u);
  BOOST_TEST(config->allow_origins[1] == "http://b.example:8080");
  BOOST_TEST((config->last_seen == LastSeenPolicy::kMinute));
  BOOST_TEST(config->offline_max_age_s == 0);
}

BOOST_AUTO_TEST_CASE(absolute_database_path_is_kept_and_star_means_any_origin) {
  auto config = Parse("database = /var/lib/hb.db\nallow_origin = *\nlast_seen = exact\n");
  BOOST_REQUIRE(config.ok());
  BOOST_TEST(config->database_path == "/var/lib/hb.db");
  BOOST_TEST(config->allow_origins.empty());
  BOOST_TEST((config->last_seen == LastSeenPolicy::kExact));
}

BOOST_AUTO_TEST_CASE(invalid_values_name_the_line) {
  struct Case {
    std::string text;
    std::string expected;
  } const cases[] = {
      {"colour = blue\n", "heartbeat.conf line 1: unknown key 'colour'"},
      {"\nonline_window = 0\n",
       "heartbeat.conf line 2: online_window: expected whole seconds from 1 to 86400"},
      {"online_window = 86401\n",
       "heartbeat.conf line 1: online_window: expected whole seconds from 1 to 86400"},
      {"online_window = 3m\n",
       "heartbeat.conf line 1: online_window: expected whole seconds from 1 to 86400"},
      {"offline_max_age = 3601\n",
       "heartbeat.conf line 1: offline_max_age: expected whole seconds from 0 to 3600"},
      {"offline_max_age = -1\n",
       "heartbeat.conf line 1: offline_max_age: expected whole seconds from 0 to 3600"},
      {"last_seen = always\n", "heartbeat.conf line 1: last_seen: expected off, minute or exact"},
      {"last_seen = Exact\n", "heartbeat.conf line 1: last_seen: expected off, minute or exact"},
      {"token_sha256 = abc\n", "heartbeat.conf line 1: token_sha256: expected 64 hex digits"},
      {"token_sha256 = " + kHash.substr(1) + "g\n",
       "heartbeat.conf line 1: token_sha256: expected 64 hex digits"},
      {"token_sha256 = " + kHash + "0\n",
       "heartbeat.conf line 1: token_sha256: expected 64 hex digits"},
      {"allow_origin = example.com\n",
       "heartbeat.conf line 1: allow_origin: 'example.com' is not an origin like "
       "https://example.com"},
      {"allow_origin = https://a.example/path\n",
       "heartbeat.conf line 1: allow_origin: 'https://a.example/path' is not an origin like "
       "https://example.com"},
      {"allow_origin =\n", "heartbeat.conf line 1: allow_origin: expected * or origins"},
      {"database =\n", "heartbeat.conf line 1: database: empty path"},
      {"just words\n", "heartbeat.conf line 1: expected `key = value`"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      auto config = Parse(c.text);
      BOOST_TEST(!config.ok());
      BOOST_TEST(config.status().code() == Status::Code::kInvalid);
      BOOST_TEST(config.status().message() == c.expected);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

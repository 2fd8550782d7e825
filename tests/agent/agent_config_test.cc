#define BOOST_TEST_DYN_LINK
#include "agent_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <map>
#include <string>
#include <vector>

#include "test_support.h"

namespace heartbeat::agent {
namespace {

// A fake environment for LoadAgentConfig.
std::map<std::string, std::string> g_env;
const char* FakeGetEnv(const char* name) {
  auto found = g_env.find(name);
  return found == g_env.end() ? nullptr : found->second.c_str();
}

Result<AgentConfig> Load(std::vector<std::string> args,
                         std::map<std::string, std::string> env = {}) {
  g_env = std::move(env);
  std::vector<const char*> argv = {"heartbeat-agent"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return LoadAgentConfig(static_cast<int>(argv.size()), argv.data(), FakeGetEnv,
                         "Ada's MacBook.local");
}

BOOST_AUTO_TEST_SUITE(agent_config)

BOOST_AUTO_TEST_CASE(file_then_environment_then_flags) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("token"), "from-file-token\n");
  testing::WriteFile(dir.File("agent.conf"),
                     "url = https://example.com/cgi-bin/heartbeat.fcgi\n"
                     "token = config-token\ndevice = from-config\ninterval = 120\n"
                     "check_interval = 7\nidle_threshold = 600\ntimeout = 20\n");
  auto file_only = Load({"once", "--config", dir.File("agent.conf")});
  BOOST_REQUIRE(file_only.ok());
  BOOST_TEST(file_only->token == "config-token");
  BOOST_TEST(file_only->device == "from-config");
  BOOST_TEST(file_only->interval_s == 120);
  BOOST_TEST(file_only->check_interval_s == 7);
  BOOST_TEST(file_only->idle_threshold_s == 600);
  BOOST_TEST(file_only->timeout_s == 20);
  BOOST_TEST(file_only->status_url == "https://example.com/cgi-bin/status.fcgi");

  auto with_env =
      Load({"once", "--config", dir.File("agent.conf")}, {{"HEARTBEAT_TOKEN", "env-token"}});
  BOOST_REQUIRE(with_env.ok());
  BOOST_TEST(with_env->token == "env-token");

  auto with_flags = Load({"run", "--config", dir.File("agent.conf"), "--token-file",
                          dir.File("token"), "--device=flag-device", "--interval", "30",
                          "--check-interval", "2", "--status-url", "https://status.example/s"},
                         {{"HEARTBEAT_TOKEN", "env-token"}});
  BOOST_REQUIRE(with_flags.ok());
  BOOST_TEST((with_flags->command == Command::kRun));
  BOOST_TEST(with_flags->token == "from-file-token");
  BOOST_TEST(with_flags->device == "flag-device");
  BOOST_TEST(with_flags->interval_s == 30);
  BOOST_TEST(with_flags->check_interval_s == 2);
  BOOST_TEST(with_flags->status_url == "https://status.example/s");
}

BOOST_AUTO_TEST_CASE(defaults_and_the_default_config_path) {
  testing::TempDir home;
  BOOST_REQUIRE(mkdir(home.File(".config").c_str(), 0700) == 0);
  BOOST_REQUIRE(mkdir(home.File(".config/heartbeat").c_str(), 0700) == 0);
  testing::WriteFile(home.File(".config/heartbeat/agent.conf"),
                     "url = https://x.example/heartbeat.fcgi\n");
  auto config = Load({}, {{"HOME", home.path()}, {"HEARTBEAT_TOKEN", "t"}});
  BOOST_REQUIRE(config.ok());
  BOOST_TEST((config->command == Command::kOnce));
  BOOST_TEST(config->device == "Ada-s-MacBook");
  BOOST_TEST(config->interval_s == 60);
  BOOST_TEST(config->check_interval_s == 5);
  BOOST_TEST(config->idle_threshold_s == 300);
  BOOST_TEST(config->timeout_s == 10);
  BOOST_TEST(config->idle_source == "auto");
}

BOOST_AUTO_TEST_CASE(the_desktop_idle_sources_are_accepted_in_the_config_and_as_flags) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("agent.conf"),
                     "url = https://x.example/heartbeat.fcgi\nidle_source = freedesktop\n");
  auto from_file = Load({"once", "--config", dir.File("agent.conf")}, {{"HEARTBEAT_TOKEN", "t"}});
  BOOST_REQUIRE(from_file.ok());
  BOOST_TEST(from_file->idle_source == "freedesktop");
  auto from_flag = Load({"once", "--config", dir.File("agent.conf"), "--idle-source", "gnome"},
                        {{"HEARTBEAT_TOKEN", "t"}});
  BOOST_REQUIRE(from_flag.ok());
  BOOST_TEST(from_flag->idle_source == "gnome");
}

// Both spellings of a setting, --name=value, and words after "--" as words (a note may
// start with '-'); --version wins over what follows it.
BOOST_AUTO_TEST_CASE(flags_in_every_spelling) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("agent.conf"), "url = https://x.example/heartbeat.fcgi\n");
  testing::WriteFile(dir.File("token"), "t\n");
  chmod(dir.File("token").c_str(), 0600);
  auto loaded =
      Load({"note", "--config=" + dir.File("agent.conf"), "--token_file", dir.File("token"),
            "--check-interval", "7", "--idle_threshold=90", "--busy", "--", "-5 minutes late"});
  BOOST_REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
  BOOST_TEST(loaded->token == "t");
  BOOST_TEST(loaded->check_interval_s == 7);
  BOOST_TEST(loaded->idle_threshold_s == 90);
  BOOST_TEST(loaded->note.busy);
  BOOST_TEST(loaded->note.text == "-5 minutes late");
  BOOST_TEST((Load({"--version", "dance", "--colour"})->command == Command::kVersion));
  // Read twice in one process (setup does): getopt_long starts afresh each time.
  BOOST_TEST(
      Load({"note", "--config=" + dir.File("agent.conf"), "--token-file", dir.File("token"), "x"})
          ->note.text == "x");
}

BOOST_AUTO_TEST_CASE(usage_errors) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("agent.conf"), "url = https://x.example/heartbeat.fcgi\n");
  const std::string config = dir.File("agent.conf");
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  } const cases[] = {
      {{"once", "--config", config, "--interval", "9"},
       "--interval: interval must be whole seconds from 10 to 86400, got '9'"},
      {{"once", "--config", config, "--check-interval", "0"},
       "--check-interval: check_interval must be whole seconds from 1 to 3600, got '0'"},
      {{"once", "--config", config, "--timeout", "ten"},
       "--timeout: timeout must be whole seconds from 1 to 300, got 'ten'"},
      {{"once", "--config", config, "--token", "secret"},
       "there is no --token flag (it would show in ps); use --token-file or HEARTBEAT_TOKEN"},
      {{"once", "--config", config},
       "no token: set token_file in the config, --token-file or HEARTBEAT_TOKEN"},
      {{"dance", "--config", config}, "unknown command or argument 'dance' (see --help)"},
      {{"once", "--config", config, "--colour", "red"}, "--colour: unknown setting 'colour'"},
      {{"once", "--config", config, "--idle-source", "magic"},
       "--idle-source: idle_source must be auto, iokit, x11, gnome, freedesktop, logind, command "
       "or "
       "none"},
      {{"once", "--config", config, "--url", "http://example.com/heartbeat.fcgi"},
       "url 'http://example.com/heartbeat.fcgi': http:// only to localhost, 127.0.0.1 or [::1] "
       "(use https://)"},
      {{"once", "--config", config, "--device", "two words"},
       "device must be 1 to 64 of A-Z a-z 0-9 . _ -, got 'two words'"},
      {{"once", "--config", dir.File("missing.conf")},
       "config: " + dir.File("missing.conf") + ": no such file"},
      {{"once", "--config", config, "--interval"}, "--interval needs a value"},
      // getopt_long would take a prefix of a name; the agent takes whole names only.
      {{"once", "--config", config, "--int", "60"}, "--int: unknown setting 'int'"},
      {{"once", "--config", config, "--idle", "x11"}, "--idle: unknown setting 'idle'"},
      {{"once", "--config", config, "--busy=yes"}, "--busy takes no value"},
      {{"once", "--config", config, "-x"}, "unknown command or argument '-x' (see --help)"},
      {{"once", "--config", config, "--busy"}, "--busy is only for the note command"},
      {{"once", "--config", config, "--for="}, "--for needs a value"},
      {{"note", "a", "b", "--config", config},
       "note takes one TEXT; quote it (\"In a meeting\"), got 'b' too"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.args.back()) {
      auto loaded =
          Load(c.args, {{"HEARTBEAT_TOKEN", c.expected.rfind("no token", 0) == 0 ? "" : "t"}});
      BOOST_TEST(!loaded.ok());
      BOOST_TEST(loaded.status().message() == c.expected);
    }
  }
  testing::WriteFile(dir.File("bad.conf"),
                     "url = https://x.example/heartbeat.fcgi\ninterval = 5\n");
  auto bad_file = Load({"once", "--config", dir.File("bad.conf")}, {{"HEARTBEAT_TOKEN", "t"}});
  BOOST_TEST(!bad_file.ok());
  BOOST_TEST(bad_file.status().message() ==
             dir.File("bad.conf") +
                 " line 2: interval must be whole seconds from 10 to 86400, got '5'");
}

BOOST_AUTO_TEST_CASE(token_file_readable_by_others_gets_a_warning) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("token"), "abc\n");
  chmod(dir.File("token").c_str(), 0644);
  auto loose = Load(
      {"once", "--url", "https://x.example/heartbeat.fcgi", "--token-file", dir.File("token")});
  BOOST_REQUIRE(loose.ok());
  BOOST_TEST(loose->token == "abc");
  BOOST_REQUIRE_EQUAL(loose->warnings.size(), 1u);
  BOOST_TEST(loose->warnings[0].find("chmod 600") != std::string::npos);
  BOOST_TEST(loose->warnings[0].find("abc") == std::string::npos);
  chmod(dir.File("token").c_str(), 0600);
  auto tight = Load(
      {"once", "--url", "https://x.example/heartbeat.fcgi", "--token-file", dir.File("token")});
  BOOST_REQUIRE(tight.ok());
  BOOST_TEST(tight->warnings.empty());
}

BOOST_AUTO_TEST_CASE(config_with_an_inline_token_readable_by_others_gets_a_warning) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("agent.conf"),
                     "url = https://x.example/heartbeat.fcgi\ntoken = s3cr3t\n");
  chmod(dir.File("agent.conf").c_str(), 0644);
  auto loose = Load({"once", "--config", dir.File("agent.conf")});
  BOOST_REQUIRE(loose.ok());
  BOOST_REQUIRE_EQUAL(loose->warnings.size(), 1u);
  BOOST_TEST(loose->warnings[0].find("chmod 600") != std::string::npos);
  BOOST_TEST(loose->warnings[0].find("s3cr3t") == std::string::npos);
  chmod(dir.File("agent.conf").c_str(), 0600);
  auto tight = Load({"once", "--config", dir.File("agent.conf")});
  BOOST_REQUIRE(tight.ok());
  BOOST_TEST(tight->warnings.empty());
  // Without a token in it, a world-readable config is fine.
  testing::WriteFile(dir.File("plain.conf"), "url = https://x.example/heartbeat.fcgi\n");
  chmod(dir.File("plain.conf").c_str(), 0644);
  auto plain = Load({"once", "--config", dir.File("plain.conf")}, {{"HEARTBEAT_TOKEN", "t"}});
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST(plain->warnings.empty());
}

// As ssh does: a file another user can change could point the agent elsewhere or run a command.
BOOST_AUTO_TEST_CASE(a_config_or_token_file_other_users_can_write_is_refused) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("token"), "abc\n");
  testing::WriteFile(
      dir.File("agent.conf"),
      "url = https://x.example/heartbeat.fcgi\ntoken_file = " + dir.File("token") + "\n");
  chmod(dir.File("token").c_str(), 0600);
  chmod(dir.File("agent.conf").c_str(), 0600);
  BOOST_REQUIRE(Load({"once", "--config", dir.File("agent.conf")}).ok());
  for (const std::string& file : {dir.File("token"), dir.File("agent.conf")}) {
    for (mode_t mode : {0620, 0602, 0666}) {
      BOOST_TEST_CONTEXT(file << " mode " << std::oct << mode) {
        chmod(file.c_str(), mode);
        auto loaded = Load({"once", "--config", dir.File("agent.conf")});
        BOOST_TEST(!loaded.ok());
        BOOST_TEST(loaded.status().message().find(file + " can be written by other users") !=
                   std::string::npos);
        chmod(file.c_str(), 0600);
      }
    }
    BOOST_TEST_CONTEXT(file << " owned by another user") {
      BOOST_REQUIRE(chown(file.c_str(), 65534, 65534) == 0);  // the tests run as root
      auto loaded = Load({"once", "--config", dir.File("agent.conf")});
      BOOST_TEST(!loaded.ok());
      BOOST_TEST(loaded.status().message().find(file + " belongs to another user") !=
                 std::string::npos);
      BOOST_REQUIRE(chown(file.c_str(), getuid(), getgid()) == 0);
    }
  }
  BOOST_TEST(Load({"once", "--config", dir.File("agent.conf")}).ok());
}

BOOST_AUTO_TEST_CASE(helpers) {
  BOOST_TEST(DeviceNameFromHost("ada-mbp.local") == "ada-mbp");
  BOOST_TEST(DeviceNameFromHost("Ada's Mac") == "Ada-s-Mac");
  BOOST_TEST(DeviceNameFromHost("") == "default");
  BOOST_TEST(DeviceNameFromHost(std::string(80, 'x')).size() == 64u);
  BOOST_TEST(DefaultStatusUrl("https://e.com/cgi-bin/heartbeat.fcgi") ==
             "https://e.com/cgi-bin/status.fcgi");
  BOOST_TEST(DefaultStatusUrl("https://e.com/hb") == "");
  BOOST_TEST(CheckUrl("https://e.com/x").ok());
  BOOST_TEST(CheckUrl("http://127.0.0.1:8080/x").ok());
  BOOST_TEST(CheckUrl("http://localhost/x").ok());
  BOOST_TEST(!CheckUrl("http://e.com/x").ok());
  BOOST_TEST(!CheckUrl("http://127.0.0.1.evil.example/x").ok());
  BOOST_TEST(!CheckUrl("ftp://e.com/x").ok());
}

// The token goes wherever curl connects: the check must see the host curl sees (agent/README.md).
BOOST_AUTO_TEST_CASE(urls_are_parsed_not_matched_by_prefix) {
  for (const char* good : {"https://e.com/x", "https://e.com:8443/cgi-bin/heartbeat.fcgi",
                           "HTTPS://E.COM/x", "http://127.0.0.1:8080/x", "http://127.0.0.1/x",
                           "http://localhost/x", "http://localhost:18080/heartbeat.fcgi",
                           "http://[::1]/x", "http://[::1]:8080/x", "http://127.1/x"}) {
    BOOST_TEST_CONTEXT(good) { BOOST_TEST(CheckUrl(good).ok()); }
  }
  for (const char* bad :
       {// user info: curl sends to the host after the '@'
        "http://localhost:@evil.example/heartbeat.fcgi", "http://127.0.0.1:80@evil.example/",
        "http://localhost@evil.example/", "http://[::1]:@evil.example/",
        "http://localhost%2f@evil.example/", "http://localhost\\@evil.example/",
        "https://user:pass@e.com/x", "https://user@e.com/x",
        // not loopback, or not exactly one of the three names
        "http://e.com/x", "http://127.0.0.1.evil.example/x", "http://localhost.evil.example/x",
        "http://localhost./x", "http://[::1%25eth0]/x", "http://127.0.0.2/x",
        // no scheme, other schemes, no host
        "ftp://e.com/x", "localhost/x", "https://", "", "file:///etc/passwd"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!CheckUrl(bad).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(status_url_is_checked_like_url) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("agent.conf"), "url = https://x.example/heartbeat.fcgi\n");
  for (const char* command : {"once", "status", "offline"}) {
    BOOST_TEST_CONTEXT(command) {
      auto loaded = Load({command, "--config", dir.File("agent.conf"), "--status-url",
                          "http://localhost:@evil.example/status.fcgi"},
                         {{"HEARTBEAT_TOKEN", "t"}});
      BOOST_TEST(!loaded.ok());
      BOOST_TEST(loaded.status().message().find("user info") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent

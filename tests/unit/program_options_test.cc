#include "program_options.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "listen_socket.h"
#include "test_support.h"

namespace heartbeat {
namespace {

// The options point into argv, as they do into a process's own: the words outlive the parse.
Result<ProgramOptions> Parse(std::vector<std::string> words) {
  static std::vector<std::vector<std::string>> kept;
  words.insert(words.begin(), "status.fcgi");
  kept.push_back(std::move(words));
  std::vector<char*> argv;
  for (std::string& word : kept.back()) argv.push_back(word.data());
  argv.push_back(nullptr);
  return ParseProgramOptions(static_cast<int>(kept.back().size()), argv.data());
}

BOOST_AUTO_TEST_SUITE(program_options)

BOOST_AUTO_TEST_CASE(no_arguments_serve_with_a_trusted_config_parameter) {
  auto options = Parse({});
  BOOST_REQUIRE(options.ok());
  BOOST_TEST((options->action == ProgramOptions::Action::kServe));
  BOOST_TEST(options->listen == nullptr);
  BOOST_TEST(options->processes == 1);
  BOOST_TEST(options->config_policy.param_trusted);
}

BOOST_AUTO_TEST_CASE(listen_processes_and_config_dirs) {
  testing::TempDir dir;
  auto options = Parse({"--listen", "/run/x.sock", "--processes", "4", "--config-dir", dir.path()});
  BOOST_REQUIRE(options.ok());
  BOOST_TEST(std::string(options->listen) == "/run/x.sock");
  BOOST_TEST(options->processes == 4);
  BOOST_TEST(!options->config_policy.param_trusted);  // a socket of its own: anyone is a peer
  BOOST_REQUIRE(options->config_policy.allowed_dirs.size() == 1u);
  BOOST_TEST(options->config_policy.allowed_dirs[0].back() == '/');
}

BOOST_AUTO_TEST_CASE(help_and_version_win_at_once) {
  BOOST_TEST((Parse({"--help", "--bogus"})->action == ProgramOptions::Action::kHelp));
  BOOST_TEST((Parse({"-h"})->action == ProgramOptions::Action::kHelp));
  BOOST_TEST((Parse({"--version"})->action == ProgramOptions::Action::kVersion));
  std::string help = HelpText("status.fcgi", "tells visitors");
  BOOST_TEST(help.find("status.fcgi --listen ADDR") != std::string::npos);
  BOOST_TEST(help.find("1 to 64") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_invalid_with_a_message) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--bogus"}, "unknown argument '--bogus'"},
      {{"--listen"}, "unknown argument '--listen'"},  // without its value
      {{"--listen", "/x.sock", "--processes", "0"}, "--processes wants a number from 1 to 64"},
      {{"--listen", "/x.sock", "--processes", "65"}, "--processes wants"},
      {{"--listen", "/x.sock", "--processes", "2x"}, "--processes wants"},
      {{"--processes", "2"}, "go with --listen"},
      {{"--config-dir", "/no/such/folder", "--listen", "/x.sock"}, "no such folder"},
  };
  for (const auto& [words, message] : cases) {
    BOOST_TEST_CONTEXT(words[0]) {
      auto options = Parse(words);
      BOOST_REQUIRE(!options.ok());
      BOOST_TEST(options.status().message().find(message) != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(listening_off_loopback_needs_the_web_servers_named) {
  auto on = [](const char* text, const char* web_servers) {
    return ListenAllowed(ParseListenAddress(text).value(), web_servers);
  };
  BOOST_TEST(on("/run/heartbeat/status.sock", nullptr));
  BOOST_TEST(on("127.0.0.1:9000", nullptr));
  BOOST_TEST(on("127.3.2.1:9000", ""));
  BOOST_TEST(!on(":9000", nullptr));  // all addresses
  BOOST_TEST(!on("192.0.2.7:9000", ""));
  BOOST_TEST(on("192.0.2.7:9000", "192.0.2.1"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

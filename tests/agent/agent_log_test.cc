#define BOOST_TEST_DYN_LINK
#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <regex>
#include <string>

#include "agent.h"
#include "key_value.h"
#include "test_support.h"
#include "unique_fd.h"

namespace heartbeat::agent {
namespace {

// What `write_lines` writes to stderr, read back from a file standing in for it.
template <typename WriteLines>
std::string CapturedStderr(WriteLines write_lines) {
  testing::TempDir dir;
  const std::string path = dir.File("stderr");
  UniqueFd file(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600));
  BOOST_REQUIRE(file.valid());
  UniqueFd saved(dup(STDERR_FILENO));
  BOOST_REQUIRE(saved.valid());
  BOOST_REQUIRE(dup2(file.get(), STDERR_FILENO) == STDERR_FILENO);
  write_lines();
  dup2(saved.get(), STDERR_FILENO);
  auto text = ReadWholeFile(path);
  BOOST_REQUIRE(text.ok());
  return text.value();
}

BOOST_AUTO_TEST_SUITE(agent_log)

// The integration tests and the owner's log readers match these lines (agent/README.md).
BOOST_AUTO_TEST_CASE(a_line_is_a_utc_stamp_the_program_the_action_and_the_outcome) {
  SetUpAgentLog();
  const std::string text = CapturedStderr([] {
    LogAction("once", "active as mac sent (HTTP 200)", "s3cret");
    LogAction("config", "token s3cret in a message", "s3cret");
  });
  const std::regex expected(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ heartbeat-agent: once: active as mac sent "
      "\\(HTTP 200\\)\n"
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ heartbeat-agent: config: token \\[redacted\\] in "
      "a message\n");
  BOOST_TEST(std::regex_match(text, expected), text);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent

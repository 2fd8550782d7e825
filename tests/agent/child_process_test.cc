#define BOOST_TEST_DYN_LINK
#include "child_process.h"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "service_install.h"

namespace heartbeat::agent {
namespace {

BOOST_AUTO_TEST_SUITE(child_process)

// setup's RunProgram: the exit status, 127 for a program that is not there.
BOOST_AUTO_TEST_CASE(run_program_gives_the_exit_status) {
  BOOST_TEST(RunProgram({"sh", "-c", "exit 3"}, true) == 3);
  BOOST_TEST(RunProgram({"true"}, true) == 0);
  BOOST_TEST(RunProgram({"no-such-program-anywhere"}, true) == 127);
  BOOST_TEST(RunProgram({"sh", "-c", "kill -9 $$"}, true) == 128);
}

BOOST_AUTO_TEST_CASE(the_child_reads_nothing_and_its_output_is_capped) {
  ChildRun run;
  run.argv = {"sh", "-c", "cat; head -c 10000 /dev/zero | tr '\\0' x; exit 4"};
  run.output = ChildOutput::kCapture;
  run.timeout_s = 10;
  auto ran = RunChild(run);
  BOOST_REQUIRE(ran.ok());
  BOOST_TEST(!ran->timed_out);
  BOOST_TEST(ran->exited);
  BOOST_TEST(ran->exit_status == 4);
  // cat read /dev/null, not the test's stdin; what is past the cap is read and dropped.
  BOOST_TEST(ran->output == std::string(kMaxChildOutput, 'x'));
}

BOOST_AUTO_TEST_CASE(a_child_without_a_deadline_is_waited_for) {
  ChildRun run;
  run.argv = {"sh", "-c", "sleep 1; echo done"};
  run.output = ChildOutput::kCapture;
  auto ran = RunChild(run);
  BOOST_REQUIRE(ran.ok());
  BOOST_TEST(ran->output == "done\n");
  BOOST_TEST(!RunChild(ChildRun{}).ok());  // nothing to run
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent

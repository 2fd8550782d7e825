// Where a program finds its config when no request names one: the environment, beside the
// program, then the home folder of the account it runs as (read from a passwd file, as the
// static programs do without NSS).
#include <sys/stat.h>
#include <unistd.h>

#include "account_home.h"
#include "test_support.h"

namespace heartbeat {
namespace {

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
    "broken line without colons\n"
    "alice:x:1001:1001:Alice,,,:/home/alice:/bin/bash\n"
    "alice2:x:1001:1001::/home/other:/bin/bash\n"
    "relative:x:1002:1002::home/relative:/bin/sh\n"
    "short:x:1003:1003:/home/short\n"
    "last:x:1004:1004::/home/last:/bin/sh";

BOOST_AUTO_TEST_SUITE(account_home)

BOOST_AUTO_TEST_CASE(the_first_entry_of_the_uid_names_the_home) {
  BOOST_TEST(HomeFolderIn(kPasswd, 0) == "/root");
  BOOST_TEST(HomeFolderIn(kPasswd, 33) == "/var/www");
  BOOST_TEST(HomeFolderIn(kPasswd, 1001) == "/home/alice");
  BOOST_TEST(HomeFolderIn(kPasswd, 1004) == "/home/last");  // no final newline
}

BOOST_AUTO_TEST_CASE(no_entry_a_relative_home_or_a_short_line_give_nothing) {
  BOOST_TEST(HomeFolderIn(kPasswd, 1002).empty());
  BOOST_TEST(HomeFolderIn(kPasswd, 1003).empty());
  BOOST_TEST(HomeFolderIn(kPasswd, 100).empty());  // "1001" must not match as a prefix
  BOOST_TEST(HomeFolderIn(kPasswd, 10).empty());
  BOOST_TEST(HomeFolderIn("", 0).empty());
}

BOOST_AUTO_TEST_CASE(read_from_a_file_or_nothing_when_it_cannot_be) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("passwd"), kPasswd);
  BOOST_TEST(HomeFolderOf(1001, dir.File("passwd")) == "/home/alice");
  BOOST_TEST(HomeFolderOf(1001, dir.File("missing")).empty());
  // This machine's own file has an entry for root.
  BOOST_TEST(HomeFolderOf(0) == "/root");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(config_places)

struct Places {
  testing::TempDir programs;
  testing::TempDir home;
  std::string beside = programs.File("heartbeat.conf");
  std::string in_home = home.File("heartbeat-data/heartbeat.conf");
  void MakeHomeConfig() {
    BOOST_REQUIRE(mkdir(home.File("heartbeat-data").c_str(), 0700) == 0);
    testing::WriteFile(in_home, "");
  }
};

BOOST_AUTO_TEST_CASE(the_environment_comes_first_even_when_both_files_exist) {
  Places p;
  p.MakeHomeConfig();
  testing::WriteFile(p.beside, "");
  BOOST_TEST(FallbackConfigPath("/etc/heartbeat/site.conf", p.programs.path(), p.home.path()) ==
             "/etc/heartbeat/site.conf");
}

BOOST_AUTO_TEST_CASE(an_empty_environment_value_is_not_set) {
  Places p;
  p.MakeHomeConfig();
  BOOST_TEST(FallbackConfigPath("", p.programs.path(), p.home.path()) == p.in_home);
  BOOST_TEST(FallbackConfigPath(nullptr, p.programs.path(), p.home.path()) == p.in_home);
}

BOOST_AUTO_TEST_CASE(beside_the_program_before_the_home_folder) {
  Places p;
  p.MakeHomeConfig();
  testing::WriteFile(p.beside, "");
  BOOST_TEST(FallbackConfigPath(nullptr, p.programs.path(), p.home.path()) == p.beside);
}

BOOST_AUTO_TEST_CASE(a_dangling_link_beside_the_program_still_counts) {
  Places p;
  p.MakeHomeConfig();
  BOOST_REQUIRE(symlink("/nonexistent/heartbeat.conf", p.beside.c_str()) == 0);
  BOOST_TEST(FallbackConfigPath(nullptr, p.programs.path(), p.home.path()) == p.beside);
}

BOOST_AUTO_TEST_CASE(with_no_config_anywhere_the_error_names_the_one_beside_the_program) {
  Places p;
  BOOST_TEST(FallbackConfigPath(nullptr, p.programs.path(), p.home.path()) == p.beside);
  BOOST_TEST(FallbackConfigPath(nullptr, p.programs.path(), "") == p.beside);
  std::vector<std::string> expected{p.beside, p.in_home};
  BOOST_TEST(ConfigPlaces(p.programs.path(), p.home.path()) == expected);
  BOOST_TEST(ConfigPlaces("/srv/cgi-bin", "/").back() == "/heartbeat-data/heartbeat.conf");
  BOOST_TEST(ConfigPlaces("/srv/cgi-bin", "").size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

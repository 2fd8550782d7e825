// Who may choose the config: a program on its own socket reads only its start-up config and
// those in --config-dir; the caches stay bounded whatever a peer names.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "open_resolved.h"
#include "rate_limit.h"
#include "test_support.h"

namespace heartbeat {
namespace {

using testing::ServerFixture;

Request StatusRequest(const std::string& config_param) {
  Request request;
  request.method = "GET";
  request.config_param = config_param;
  return request;
}

std::string ErrorCode(const Response& response) {
  size_t start = response.body.find("\"error\":\"");
  if (start == std::string::npos) return "";
  start += 9;
  return response.body.substr(start, response.body.find('"', start) - start);
}

BOOST_AUTO_TEST_SUITE(config_policy)

BOOST_AUTO_TEST_CASE(a_trusted_parameter_names_any_config) {
  ServerFixture server;
  testing::TempDir other;
  testing::WriteFile(other.File("mine.conf"), "online_window = 60\n");
  BOOST_TEST(server.Send(StatusRequest(other.File("mine.conf"))).status == 200);
}

BOOST_AUTO_TEST_CASE(on_its_own_socket_only_the_start_up_config_and_config_dirs_are_read) {
  ServerFixture server;
  server.services.config_policy.param_trusted = false;
  testing::TempDir outside;
  testing::WriteFile(outside.File("mine.conf"), "online_window = 60\n");
  testing::TempDir allowed;
  testing::WriteFile(allowed.File("site.conf"), "online_window = 60\n");

  // The start-up config, by its path or another spelling of it.
  BOOST_TEST(server.Send(StatusRequest("")).status == 200);
  BOOST_TEST(server.Send(StatusRequest(server.services.fallback_config_path)).status == 200);
  BOOST_TEST(server.Send(StatusRequest(server.dir.path() + "/./heartbeat.conf")).status == 200);

  // Anything else is refused without being opened (no oracle, whatever the file).
  for (const std::string& path : {outside.File("mine.conf"), std::string("/etc/passwd"),
                                  allowed.File("site.conf"), std::string("relative.conf")}) {
    BOOST_TEST_CONTEXT(path) {
      Response refused = server.Send(StatusRequest(path));
      BOOST_TEST(refused.status == 503);
      BOOST_TEST(ErrorCode(refused) == "config_refused");
      BOOST_TEST(refused.body.find("passwd line") == std::string::npos);
    }
  }

  // A --config-dir lets the request name files in it, and in folders below it.
  server.services.config_policy.allowed_dirs.push_back(ResolveConfigDir(allowed.path()).value());
  BOOST_TEST(server.Send(StatusRequest(allowed.File("site.conf"))).status == 200);
  BOOST_TEST(ErrorCode(server.Send(StatusRequest(allowed.File("missing.conf")))) ==
             "config_missing");
  // ... but not out of it through .. or a symbolic link.
  BOOST_TEST(ErrorCode(server.Send(StatusRequest(allowed.path() + "/../" +
                                                 outside.path().substr(5) + "/mine.conf"))) ==
             "config_refused");
  BOOST_REQUIRE(symlink(outside.File("mine.conf").c_str(), allowed.File("link.conf").c_str()) == 0);
  BOOST_TEST(ErrorCode(server.Send(StatusRequest(allowed.File("link.conf")))) == "config_refused");
  BOOST_TEST(ErrorCode(server.Send(StatusRequest(allowed.File("..")))) == "config_refused");
  // A folder whose name merely starts like the allowed one is another folder.
  BOOST_TEST(ErrorCode(server.Send(StatusRequest(allowed.path() + "x/site.conf"))) ==
             "config_refused");
  // The write side follows the same rule.
  Request post;
  post.method = "POST";
  post.config_param = outside.File("mine.conf");
  Response refused = server.Post(post);
  BOOST_TEST(refused.status == 503);
  BOOST_TEST(ErrorCode(refused) == "config_refused");
}

BOOST_AUTO_TEST_CASE(a_resolved_path_is_opened_without_following_any_link) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("real.conf"), "online_window = 60\n");
  BOOST_REQUIRE(mkdir(dir.File("folder").c_str(), 0700) == 0);
  testing::WriteFile(dir.File("folder/in.conf"), "");
  BOOST_REQUIRE(symlink(dir.File("real.conf").c_str(), dir.File("link.conf").c_str()) == 0);
  BOOST_REQUIRE(symlink(dir.File("folder").c_str(), dir.File("linked-folder").c_str()) == 0);
  BOOST_TEST(OpenResolved(dir.File("real.conf")).valid());
  BOOST_TEST(OpenResolved(dir.File("folder/in.conf")).valid());
  // A link as the file or as a folder on the way: refused, never followed.
  BOOST_TEST(!OpenResolved(dir.File("link.conf")).valid());
  BOOST_TEST(errno == ELOOP);
  BOOST_TEST(!OpenResolved(dir.File("linked-folder/in.conf")).valid());
  BOOST_TEST(errno == ENOTDIR);
  BOOST_TEST(!OpenResolved(dir.File("missing.conf")).valid());
  BOOST_TEST(errno == ENOENT);
  for (const std::string& odd : {std::string("relative.conf"), dir.File("folder/../real.conf"),
                                 dir.File("./real.conf"), dir.path() + "/"}) {
    BOOST_TEST_CONTEXT(odd) { BOOST_TEST(!OpenResolved(odd).valid()); }
  }
}

BOOST_AUTO_TEST_CASE(every_spelling_of_an_allowed_file_shares_one_cache_entry) {
  ServerFixture server;
  server.services.config_policy.param_trusted = false;
  testing::TempDir other;
  BOOST_REQUIRE(
      symlink(server.services.fallback_config_path.c_str(), other.File("link.conf").c_str()) == 0);
  for (int i = 0; i < 40; ++i) {
    std::string spelling = other.path() + std::string(static_cast<size_t>(i), '/') + "/link.conf";
    BOOST_TEST(server.Send(StatusRequest(spelling)).status == 200);
  }
  BOOST_TEST(server.configs.size() == 1u);  // the start-up config, by its own path
}

BOOST_AUTO_TEST_CASE(a_config_dir_must_exist) {
  testing::TempDir dir;
  BOOST_TEST(!ResolveConfigDir(dir.File("nope")).ok());
  testing::WriteFile(dir.File("file"), "");
  BOOST_TEST(!ResolveConfigDir(dir.File("file")).ok());
  BOOST_TEST(ResolveConfigDir(dir.path()).value() == dir.path() + "/");
}

BOOST_AUTO_TEST_CASE(the_caches_keep_a_bounded_number_of_files) {
  ServerFixture server;
  testing::TempDir many;
  for (size_t i = 0; i < 3 * kMaxCachedFiles; ++i) {
    std::string name = "site" + std::to_string(i);
    testing::WriteFile(many.File(name + ".conf"), "database = " + name + ".db\n");
    BOOST_TEST(server.Send(StatusRequest(many.File(name + ".conf"))).status == 200);
    BOOST_TEST(server.configs.size() <= kMaxCachedFiles);
    BOOST_TEST(server.stores.size() <= kMaxCachedFiles);
  }
  // The most recent ones are still there and still work.
  BOOST_TEST(server.Send(StatusRequest(many.File("site0.conf"))).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(address_key)

BOOST_AUTO_TEST_CASE(ipv6_by_its_slash_64_and_ipv4_as_it_is) {
  BOOST_TEST(AddressKey("192.0.2.1") == "192.0.2.1");
  BOOST_TEST(AddressKey("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
  BOOST_TEST(AddressKey("2001:DB8:1:2::ffff") == "2001:db8:1:2::/64");
  BOOST_TEST(AddressKey("::1") == "::/64");
  BOOST_TEST(AddressKey("::ffff:192.0.2.7") == "192.0.2.7");
  BOOST_TEST(AddressKey("") == "");
  BOOST_TEST(AddressKey("not:an:address") == "not:an:address");
  BOOST_TEST(AddressKey(std::string(100, ':')) == std::string(100, ':'));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

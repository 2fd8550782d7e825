#include "token.h"

#include <set>

#include "test_support.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(token)

BOOST_AUTO_TEST_CASE(hashes_with_sha256) {
  BOOST_REQUIRE(InitCrypto());
  // FIPS 180-2 test vector.
  BOOST_TEST(ToHex(HashToken("abc")) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(matches_only_the_right_token) {
  BOOST_REQUIRE(InitCrypto());
  Sha256 expected = HashToken("secret");
  BOOST_TEST(TokenMatches("secret", expected));
  BOOST_TEST(!TokenMatches("secreT", expected));
  BOOST_TEST(!TokenMatches("", expected));
  BOOST_TEST(!TokenMatches("secret ", expected));
}

BOOST_AUTO_TEST_CASE(parses_hex_in_either_case) {
  Sha256 lower, upper;
  std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  BOOST_TEST(ParseSha256Hex(hex, &lower));
  std::string upper_hex = hex;
  for (char& c : upper_hex) c = static_cast<char>(toupper(c));
  BOOST_TEST(ParseSha256Hex(upper_hex, &upper));
  BOOST_TEST((lower == upper));
  BOOST_TEST(!ParseSha256Hex(hex.substr(2), &lower));
  BOOST_TEST(!ParseSha256Hex(hex.substr(1) + "x", &lower));
  BOOST_TEST(!ParseSha256Hex(" " + hex.substr(1), &lower));
}

BOOST_AUTO_TEST_CASE(new_tokens_are_long_random_and_url_safe) {
  BOOST_REQUIRE(InitCrypto());
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = NewToken();
    BOOST_TEST(token.size() == 43u);  // 256 bits in unpadded base64
    for (char c : token)
      BOOST_TEST((isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'));
    seen.insert(token);
  }
  BOOST_TEST(seen.size() == 100u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

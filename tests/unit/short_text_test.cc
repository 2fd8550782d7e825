#include "short_text.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(short_text)

BOOST_AUTO_TEST_CASE(append_all_adds_every_piece_in_order) {
  std::string out = "a";
  AppendAll(&out, {"b", "", "cd", std::string_view("e\0f", 3)});
  BOOST_TEST(out == std::string("abcde\0f", 7));
  AppendAll(&out, {});
  AppendAll(&out, {"", ""});
  BOOST_TEST(out.size() == 7u);
  std::string empty;
  AppendAll(&empty, {""});
  BOOST_TEST(empty.empty());
  // Past what the string holds in place, and past a growth of its capacity.
  std::string grown;
  const std::string long_piece(1000, 'x');
  for (int i = 0; i < 5; ++i) AppendAll(&grown, {long_piece, "|"});
  BOOST_TEST(grown.size() == 5005u);
  BOOST_TEST(grown.substr(1000, 1002) == "|" + long_piece + "|");
}

BOOST_AUTO_TEST_CASE(short_text_holds_its_pieces_and_never_more_than_its_room) {
  ShortText<8> text{"ab", "cd"};
  BOOST_TEST(text.view() == "abcd");
  text.Append("efgh");
  BOOST_TEST(text.view() == "abcdefgh");
  text.Append("i");  // no room left: left out, nothing written past the end
  BOOST_TEST(text.view() == "abcdefgh");
  ShortText<4> cut{"abcdef"};
  BOOST_TEST(cut.view() == "abcd");
  BOOST_TEST(ShortText<4>().view().empty());
}

BOOST_AUTO_TEST_CASE(decimal_writes_every_width) {
  BOOST_TEST(Decimal(0).view() == "0");
  BOOST_TEST(Decimal(7).view() == "7");
  BOOST_TEST(Decimal(304).view() == "304");
  BOOST_TEST(Decimal(100000).view() == "100000");
  BOOST_TEST(Decimal(UINT64_MAX).view() == "18446744073709551615");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

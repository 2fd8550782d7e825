// The FastCGI 1.0 codec: record headers, padding, streams, name-value pairs.
#include "fastcgi_records.h"

#include <string>

#include "test_support.h"

namespace heartbeat {
namespace {

using namespace fastcgi;

const unsigned char* Bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

BOOST_AUTO_TEST_SUITE(fastcgi_records)

BOOST_AUTO_TEST_CASE(a_header_is_read_field_by_field) {
  const std::string raw("\1\5\1\2\377\376\7\0", 8);
  Header header = ParseHeader(Bytes(raw));
  BOOST_TEST(header.version == 1);
  BOOST_TEST(header.type == kStdin);
  BOOST_TEST(header.request_id == 0x0102);
  BOOST_TEST(header.content_length == 0xfffe);
  BOOST_TEST(header.padding_length == 7);
  BOOST_TEST(header.RecordBytes() == 8u + 0xfffe + 7);
}

BOOST_AUTO_TEST_CASE(records_are_padded_to_eight_bytes) {
  for (size_t length = 0; length <= 24; ++length) {
    BOOST_TEST_CONTEXT(length) {
      std::string out;
      AppendRecord(kStdout, 0x1234, std::string(length, 'a'), &out);
      BOOST_TEST(out.size() % 8 == 0u);
      Header header = ParseHeader(Bytes(out));
      BOOST_TEST(header.RecordBytes() == out.size());
      BOOST_TEST(header.content_length == length);
      BOOST_TEST(header.request_id == 0x1234);
      BOOST_TEST(out.substr(8, length) == std::string(length, 'a'));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_stream_is_cut_into_records_and_ends_with_an_empty_one) {
  for (size_t length : {size_t{0}, size_t{1}, size_t{65528}, size_t{65535}, size_t{200000}}) {
    BOOST_TEST_CONTEXT(length) {
      std::string data(length, '\0');
      for (size_t i = 0; i < length; ++i) data[i] = static_cast<char>(i * 7);
      std::string out;
      AppendStream(kStdout, 1, data, &out);
      std::string joined;
      size_t at = 0, records = 0;
      bool ended = false;
      while (at < out.size()) {
        BOOST_REQUIRE(!ended);
        Header header = ParseHeader(Bytes(out) + at);
        BOOST_TEST(header.type == kStdout);
        if (header.content_length == 0) ended = true;
        joined.append(out, at + 8, header.content_length);
        at += header.RecordBytes();
        ++records;
      }
      BOOST_TEST(ended);
      BOOST_TEST(at == out.size());
      BOOST_TEST(joined == data);
      BOOST_TEST(records == (length + 65527) / 65528 + 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_stream_written_in_place_is_framed_as_append_stream_frames_it) {
  for (size_t length :
       {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{65528}, size_t{65529}, size_t{200000}}) {
    BOOST_TEST_CONTEXT(length) {
      std::string data(length, '\0');
      for (size_t i = 0; i < length; ++i) data[i] = static_cast<char>(i * 7);
      // After output already waiting, as on a kept connection.
      std::string expected = "waiting";
      AppendStream(kStdout, 3, data, &expected);
      std::string out = "waiting";
      const size_t opened_at = OpenStream(&out);
      out += data;
      CloseStream(kStdout, 3, opened_at, &out);
      BOOST_TEST((out == expected));
    }
  }
}

BOOST_AUTO_TEST_CASE(end_request_and_unknown_type_carry_their_fields) {
  std::string out;
  AppendEndRequest(7, 0x01020304, kCantMpxConn, &out);
  BOOST_TEST(out == std::string("\1\3\0\7\0\10\0\0\1\2\3\4\1\0\0\0", 16));
  out.clear();
  AppendUnknownType(200, &out);
  BOOST_TEST(out == std::string("\1\13\0\0\0\10\0\0\310\0\0\0\0\0\0\0", 16));
}

BOOST_AUTO_TEST_CASE(pairs_have_one_or_four_byte_lengths) {
  for (size_t name_length : {0, 1, 127, 128, 1000}) {
    for (size_t value_length : {0, 1, 127, 128, 300000}) {
      BOOST_TEST_CONTEXT(name_length << " " << value_length) {
        const std::string name(name_length, 'N'), value(value_length, 'v');
        std::string encoded;
        AppendPair(name, value, &encoded);
        const size_t length_bytes = (name_length < 128 ? 1 : 4) + (value_length < 128 ? 1 : 4);
        BOOST_TEST(encoded.size() == length_bytes + name_length + value_length);
        PairLimits limits;
        limits.max_value_bytes = 300000;
        std::string_view data = encoded, got_name, got_value;
        BOOST_TEST((NextPair(&data, limits, &got_name, &got_value) == PairResult::kPair));
        BOOST_TEST(got_name == name);
        BOOST_TEST(got_value == value);
        BOOST_TEST((NextPair(&data, limits, &got_name, &got_value) == PairResult::kEnd));
        // Every cut of it is malformed.
        for (size_t cut = 1; cut < encoded.size(); cut += 1 + cut / 8) {
          std::string_view part(encoded.data(), cut);
          BOOST_TEST((NextPair(&part, limits, &got_name, &got_value) == PairResult::kMalformed));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_four_byte_length_is_read_without_its_top_bit) {
  // 0x80000003: three bytes, not two thousand million.
  const std::string encoded("\x80\0\0\3\1abcd", 9);
  std::string_view data = encoded, name, value;
  BOOST_TEST((NextPair(&data, PairLimits(), &name, &value) == PairResult::kPair));
  BOOST_TEST(name == "abc");
  BOOST_TEST(value == "d");
}

BOOST_AUTO_TEST_CASE(pairs_past_the_limits_or_the_data_are_malformed) {
  PairLimits limits;
  limits.max_name_bytes = 4;
  limits.max_value_bytes = 6;
  std::string_view name, value;
  auto judge = [&](const std::string& encoded) {
    std::string_view data = encoded;
    return NextPair(&data, limits, &name, &value);
  };
  BOOST_TEST((judge(std::string("\4\6NAMEvvvvvv", 12)) == PairResult::kPair));
  BOOST_TEST((judge(std::string("\5\0NAMES", 7)) == PairResult::kMalformed));
  BOOST_TEST((judge(std::string("\0\7vvvvvvv", 9)) == PairResult::kMalformed));
  // A length of two thousand million is refused from its four bytes, never allocated.
  BOOST_TEST((judge(std::string("\xff\xff\xff\xff\0", 5)) == PairResult::kMalformed));
  BOOST_TEST((judge(std::string("\1\1a", 3)) == PairResult::kMalformed));  // value runs past
  BOOST_TEST((judge(std::string("\x80\0\0", 3)) == PairResult::kMalformed));
  std::vector<PairSpan> pairs(3);
  const std::string two("\1\1ab\0\0", 6);
  BOOST_TEST(ReadPairs(two, limits, &pairs));
  BOOST_TEST_REQUIRE(pairs.size() == 2u);
  BOOST_TEST(pairs[0].Name(two) == "a");
  BOOST_TEST(pairs[0].Value(two) == "b");
  BOOST_TEST(pairs[1].Name(two) == "");
  BOOST_TEST(pairs[1].Value(two) == "");
  BOOST_TEST(!ReadPairs(std::string("\1\1ab\0", 5), limits, &pairs));
  BOOST_TEST(ReadPairs("", limits, &pairs));
  BOOST_TEST(pairs.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

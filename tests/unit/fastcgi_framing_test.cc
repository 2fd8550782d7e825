// RequestArrival: when a FastCGI request has arrived whole, judged from the waiting bytes.
#include "fastcgi_framing.h"

#include <string>

#include "http.h"
#include "test_support.h"

namespace heartbeat {
namespace {

std::string Record(unsigned char type, const std::string& content, int id = 1, int padding = 0) {
  std::string record = {1,
                        static_cast<char>(type),
                        static_cast<char>(id >> 8),
                        static_cast<char>(id & 0xff),
                        static_cast<char>(content.size() >> 8),
                        static_cast<char>(content.size() & 0xff),
                        static_cast<char>(padding),
                        0};
  return record + content + std::string(padding, '\0');
}

const std::string kBegin = Record(1, std::string("\0\1\1\0\0\0\0\0", 8));
const std::string kParams = Record(4, std::string("\016\3REQUEST_METHODGET", 19)) + Record(4, "");

Arrival Judge(const std::string& bytes, size_t* stale = nullptr) {
  size_t ignored = 0;
  return RequestArrival(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                        stale ? stale : &ignored);
}

BOOST_AUTO_TEST_SUITE(fastcgi_framing)

BOOST_AUTO_TEST_CASE(a_request_is_whole_at_the_end_of_its_body) {
  const std::string whole = kBegin + kParams + Record(5, "{}", 1, 6) + Record(5, "");
  BOOST_TEST((Judge(whole) == Arrival::kWhole));
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    BOOST_TEST_CONTEXT(cut) { BOOST_TEST((Judge(whole.substr(0, cut)) == Arrival::kPartial)); }
  }
  // The next request after it changes nothing.
  BOOST_TEST((Judge(whole + kBegin) == Arrival::kWhole));
}

BOOST_AUTO_TEST_CASE(a_body_past_the_limit_is_enough_to_judge) {
  std::string body(kMaxBodyBytes, 'x');
  std::string request = kBegin + kParams + Record(5, body);
  BOOST_TEST((Judge(request) == Arrival::kPartial));
  BOOST_TEST((Judge(request + Record(5, "y")) == Arrival::kWhole));
}

BOOST_AUTO_TEST_CASE(records_of_other_requests_and_management_records_are_passed_over) {
  const std::string earlier_body = Record(5, "rest of an earlier body", 7);
  const std::string get_values = Record(9, "", 0);
  size_t stale = 0;
  BOOST_TEST((Judge(earlier_body + get_values + kBegin + kParams + Record(5, ""), &stale) ==
              Arrival::kWhole));
  BOOST_TEST(stale == earlier_body.size() + get_values.size());
  // Only whole records before a begin record are stale.
  BOOST_TEST((Judge(earlier_body + get_values.substr(0, 3), &stale) == Arrival::kPartial));
  BOOST_TEST(stale == earlier_body.size());
  BOOST_TEST((Judge(kBegin + Record(5, "x", 7), &stale) == Arrival::kPartial));
  BOOST_TEST(stale == 0u);
  // A body record of another request does not end this one.
  BOOST_TEST((Judge(kBegin + kParams + Record(5, "", 2)) == Arrival::kPartial));
  // Nor does a body before the parameters have ended.
  BOOST_TEST((Judge(kBegin + Record(5, "")) == Arrival::kPartial));
}

BOOST_AUTO_TEST_CASE(what_is_not_fastcgi_is_malformed) {
  BOOST_TEST((Judge("GET / HTTP/1.1\r\n\r\n") == Arrival::kMalformed));
  BOOST_TEST((Judge(std::string("\1\0\0\1\0\0\0\0", 8)) == Arrival::kMalformed));   // type 0
  BOOST_TEST((Judge(std::string("\1\40\0\1\0\0\0\0", 8)) == Arrival::kMalformed));  // type 32
  BOOST_TEST((Judge("") == Arrival::kPartial));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

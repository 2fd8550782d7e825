// The reader of a FastCGI connection: whole requests out of bytes however they are split, the
// records it answers itself, its limits, and every malformed shape.
#include "fastcgi_reader.h"

#include <string>
#include <tuple>
#include <vector>

#include "test_support.h"

namespace heartbeat {
namespace {

using namespace fastcgi;
using Event = FastCgiReader::Event;
using Phase = FastCgiReader::Phase;

std::string Record(unsigned char type, const std::string& content, int id = 1, int padding = 0,
                   int version = 1) {
  std::string record = {static_cast<char>(version),
                        static_cast<char>(type),
                        static_cast<char>(id >> 8),
                        static_cast<char>(id & 0xff),
                        static_cast<char>(content.size() >> 8),
                        static_cast<char>(content.size() & 0xff),
                        static_cast<char>(padding),
                        0};
  return record + content + std::string(padding, 'p');
}

std::string Begin(int id = 1, int role = kResponder, bool keep = true) {
  return Record(kBeginRequest,
                std::string{static_cast<char>(role >> 8), static_cast<char>(role & 0xff),
                            static_cast<char>(keep ? kKeepConn : 0), 0, 0, 0, 0, 0},
                id);
}

std::string Pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& pair : pairs) AppendPair(pair.first, pair.second, &out);
  return out;
}

const std::string kGetPairs = Pairs({{"REQUEST_METHOD", "POST"}, {"CONTENT_LENGTH", "2"}});

// A whole request: begin, params, an empty params, body, an empty stdin.
std::string Request(int id = 1, const std::string& body = "{}", int padding = 0, bool keep = true) {
  std::string out = Begin(id, kResponder, keep) + Record(kParams, kGetPairs, id, padding) +
                    Record(kParams, "", id, padding);
  if (!body.empty()) out += Record(kStdin, body, id, padding);
  return out + Record(kStdin, "", id, padding);
}

// The records the reader wrote, as (type, id, content).
std::vector<std::tuple<int, int, std::string>> Written(const std::string& out) {
  std::vector<std::tuple<int, int, std::string>> records;
  size_t at = 0;
  while (at + 8 <= out.size()) {
    Header header = ParseHeader(reinterpret_cast<const unsigned char*>(out.data()) + at);
    BOOST_REQUIRE(at + header.RecordBytes() <= out.size());
    records.emplace_back(header.type, header.request_id, out.substr(at + 8, header.content_length));
    at += header.RecordBytes();
  }
  BOOST_TEST(at == out.size());
  return records;
}

std::string EndRequestBody(unsigned char protocol_status) {
  return std::string{0, 0, 0, 0, static_cast<char>(protocol_status), 0, 0, 0};
}

// Feeds `bytes` in one go; the events until the reader wants more, the requests it gave.
struct Run {
  std::vector<Event> events;
  std::vector<FastCgiRequest> requests;
  std::string out;
};

Run Feed(FastCgiReader& reader, const std::string& bytes, Run run = {}) {
  reader.Append(bytes.data(), bytes.size());
  for (;;) {
    Event event = reader.Next(&run.out);
    if (event == Event::kNeedMore) return run;
    run.events.push_back(event);
    if (event == Event::kRequest) run.requests.push_back(reader.request());
    if (event == Event::kMalformed || event == Event::kClose) return run;
  }
}

Run FeedAll(const std::string& bytes) {
  FastCgiReader reader;
  return Feed(reader, bytes);
}

BOOST_AUTO_TEST_SUITE(fastcgi_reader)

BOOST_AUTO_TEST_CASE(a_request_comes_out_whole) {
  FastCgiReader reader;
  BOOST_TEST((reader.phase() == Phase::kIdle));
  Run run = Feed(reader, Request(3, "{}"));
  BOOST_REQUIRE(run.requests.size() == 1u);
  BOOST_TEST(run.requests[0].id == 3);
  BOOST_TEST(run.requests[0].keep_connection);
  BOOST_TEST(run.requests[0].params == kGetPairs);
  BOOST_TEST(run.requests[0].body == "{}");
  BOOST_TEST(!run.requests[0].body_cut);
  BOOST_TEST(run.out.empty());
  BOOST_TEST((reader.phase() == Phase::kIdle));
  BOOST_TEST(!FeedAll(Request(1, "", 0, false)).requests.at(0).keep_connection);
}

BOOST_AUTO_TEST_CASE(split_at_every_byte_the_same_request_comes_out) {
  const std::string whole = Request(1, "{\"device\":\"x\"}", 3);
  for (size_t cut = 0; cut <= whole.size(); ++cut) {
    BOOST_TEST_CONTEXT(cut) {
      FastCgiReader reader;
      Run first = Feed(reader, whole.substr(0, cut));
      if (cut < whole.size()) {
        BOOST_TEST(first.requests.empty());
        // The body and its end: 8 + 14 + 3 and 8 + 3 bytes.
        const size_t body_starts = whole.size() - 25 - 11;
        BOOST_TEST((reader.phase() == (cut == 0            ? Phase::kIdle
                                       : cut < body_starts ? Phase::kArriving
                                                           : Phase::kBody)));
      }
      Run rest = Feed(reader, whole.substr(cut), first);
      BOOST_REQUIRE(rest.requests.size() == 1u);
      BOOST_TEST(rest.requests[0].body == "{\"device\":\"x\"}");
      BOOST_TEST(rest.requests[0].params == kGetPairs);
    }
  }
  // And a byte at a time.
  FastCgiReader reader;
  Run run;
  for (char byte : whole) run = Feed(reader, std::string(1, byte), run);
  BOOST_TEST(run.requests.size() == 1u);
}

BOOST_AUTO_TEST_CASE(padding_of_every_length_is_skipped) {
  for (int padding = 0; padding <= 255; ++padding) {
    BOOST_TEST_CONTEXT(padding) {
      Run run = FeedAll(Request(1, "{}", padding) + Request(2, "[]", padding));
      BOOST_REQUIRE(run.requests.size() == 2u);
      BOOST_TEST(run.requests[0].body == "{}");
      BOOST_TEST(run.requests[1].body == "[]");
      BOOST_TEST(run.requests[1].params == kGetPairs);
    }
  }
}

BOOST_AUTO_TEST_CASE(params_and_body_in_many_records_are_joined) {
  std::string params = Pairs({{"HTTP_X", std::string(300, 'h')}, {"A", "b"}});
  std::string bytes = Begin();
  for (char c : params) bytes += Record(kParams, std::string(1, c));
  bytes += Record(kParams, "") + Record(kStdin, "ab") + Record(kStdin, "cd") + Record(kStdin, "");
  Run run = FeedAll(bytes);
  BOOST_REQUIRE(run.requests.size() == 1u);
  BOOST_TEST(run.requests[0].params == params);
  BOOST_TEST(run.requests[0].body == "abcd");
}

BOOST_AUTO_TEST_CASE(requests_that_follow_each_other_are_all_read_in_order) {
  Run run = FeedAll(Request(1, "a") + Request(1, "b") + Request(9, "c"));
  BOOST_REQUIRE(run.requests.size() == 3u);
  BOOST_TEST(run.requests[0].body == "a");
  BOOST_TEST(run.requests[1].body == "b");
  BOOST_TEST(run.requests[2].body == "c");
  BOOST_TEST(run.requests[2].id == 9);
}

BOOST_AUTO_TEST_CASE(get_values_is_answered_with_the_names_it_knows_wherever_it_comes) {
  const std::string ask = Record(
      kGetValues,
      Pairs({{"FCGI_MAX_CONNS", ""}, {"FCGI_MAX_REQS", ""}, {"FCGI_MPXS_CONNS", ""}, {"X", ""}}),
      0);
  const std::string answer =
      Pairs({{"FCGI_MAX_CONNS", "256"}, {"FCGI_MAX_REQS", "256"}, {"FCGI_MPXS_CONNS", "0"}});
  // Before a request, and in the middle of one (after its begin and its params).
  const std::string request = Request(1, "{}");
  for (size_t at : {size_t{0}, Begin().size(), request.size() - 8}) {
    BOOST_TEST_CONTEXT(at) {
      Run run = FeedAll(request.substr(0, at) + ask + request.substr(at));
      BOOST_REQUIRE(run.requests.size() == 1u);
      BOOST_TEST(run.requests[0].body == "{}");
      auto written = Written(run.out);
      BOOST_REQUIRE(written.size() == 1u);
      BOOST_TEST(std::get<0>(written[0]) == kGetValuesResult);
      BOOST_TEST(std::get<1>(written[0]) == 0);
      BOOST_TEST(std::get<2>(written[0]) == answer);
    }
  }
  // A name asked a thousand times is answered once; unknown names and a malformed rest get
  // an answer of what is known.
  std::string many;
  for (int i = 0; i < 1000; ++i) many += Pairs({{"FCGI_MPXS_CONNS", ""}});
  auto written = Written(FeedAll(Record(kGetValues, many.substr(0, 60000), 0)).out);
  BOOST_REQUIRE(written.size() == 1u);
  BOOST_TEST(std::get<2>(written[0]) == Pairs({{"FCGI_MPXS_CONNS", "0"}}));
  written = Written(FeedAll(Record(kGetValues, Pairs({{"NOPE", ""}}) + "\x7f", 0)).out);
  BOOST_REQUIRE(written.size() == 1u);
  BOOST_TEST(std::get<2>(written[0]).empty());
}

BOOST_AUTO_TEST_CASE(every_other_management_type_gets_unknown_type) {
  for (int type = 0; type <= 255; ++type) {
    if (type == kGetValues) continue;
    BOOST_TEST_CONTEXT(type) {
      Run run = FeedAll(Record(static_cast<unsigned char>(type), "xyz", 0) + Request());
      BOOST_TEST(run.requests.size() == 1u);  // the connection stays usable
      auto written = Written(run.out);
      BOOST_REQUIRE(written.size() == 1u);
      BOOST_TEST(std::get<0>(written[0]) == kUnknownType);
      BOOST_TEST(std::get<2>(written[0]) ==
                 std::string({static_cast<char>(type), 0, 0, 0, 0, 0, 0, 0}));
    }
  }
}

BOOST_AUTO_TEST_CASE(records_an_application_is_never_sent_are_ignored) {
  std::string request = Request();
  std::string noise;
  for (unsigned char type : {kEndRequest, kStdout, kStderr, kData, kGetValuesResult, kUnknownType,
                             static_cast<unsigned char>(12), static_cast<unsigned char>(255)}) {
    noise += Record(type, "noise");
  }
  Run run = FeedAll(request.substr(0, Begin().size()) + noise + request.substr(Begin().size()));
  BOOST_REQUIRE(run.requests.size() == 1u);
  BOOST_TEST(run.requests[0].body == "{}");
  BOOST_TEST(run.out.empty());
}

BOOST_AUTO_TEST_CASE(records_of_ids_with_no_open_request_are_ignored) {
  Run run = FeedAll(Record(kStdin, "the rest of an answered body", 1) + Record(kParams, "x", 4) +
                    Record(kAbortRequest, "", 4) + Request(2));
  BOOST_REQUIRE(run.requests.size() == 1u);
  BOOST_TEST(run.out.empty());
  // And, inside a request, those of another id.
  std::string request = Request(1, "ab");
  run = FeedAll(request.substr(0, Begin().size()) + Record(kStdin, "zz", 2) +
                Record(kParams, "zz", 2) + request.substr(Begin().size()));
  BOOST_REQUIRE(run.requests.size() == 1u);
  BOOST_TEST(run.requests[0].body == "ab");
}

BOOST_AUTO_TEST_CASE(a_second_begin_while_one_is_open_gets_cant_mpx_conn) {
  // The freeze of libfcgi: request 1's params never end, request 2 comes whole.
  Run run = FeedAll(Begin(1) + Record(kParams, kGetPairs, 1) + Begin(2) + Record(kParams, "", 2) +
                    Record(kStdin, "", 2));
  BOOST_TEST(run.requests.empty());
  auto written = Written(run.out);
  BOOST_REQUIRE(written.size() == 1u);
  BOOST_TEST(std::get<0>(written[0]) == kEndRequest);
  BOOST_TEST(std::get<1>(written[0]) == 2);
  BOOST_TEST(std::get<2>(written[0]) == EndRequestBody(kCantMpxConn));
  // Request 1 goes on and comes out whole.
  FastCgiReader reader;
  run = Feed(reader, Begin(1) + Record(kParams, kGetPairs, 1) + Begin(2));
  BOOST_TEST((reader.phase() == Phase::kArriving));
  run = Feed(reader, Record(kParams, "", 1) + Record(kStdin, "{}", 1) + Record(kStdin, "", 1), run);
  BOOST_REQUIRE(run.requests.size() == 1u);
  BOOST_TEST(run.requests[0].id == 1);
  // A begin again for the open id is not FastCGI.
  run = FeedAll(Begin(1) + Begin(1));
  BOOST_TEST((run.events == std::vector<Event>{Event::kMalformed}));
}

BOOST_AUTO_TEST_CASE(an_unknown_role_gets_unknown_role) {
  for (int role : {0, 2, 3, 4, 0xffff}) {
    BOOST_TEST_CONTEXT(role) {
      Run run = FeedAll(Begin(5, role, true) + Record(kParams, "", 5) + Record(kStdin, "", 5) +
                        Request(6));
      auto written = Written(run.out);
      BOOST_REQUIRE(written.size() == 1u);
      BOOST_TEST(std::get<1>(written[0]) == 5);
      BOOST_TEST(std::get<2>(written[0]) == EndRequestBody(kUnknownRole));
      BOOST_REQUIRE(run.requests.size() == 1u);  // kept: the next request is read
      BOOST_TEST(run.requests[0].id == 6);
      // Without FCGI_KEEP_CONN the connection ends with it.
      run = FeedAll(Begin(5, role, false) + Request(6));
      BOOST_TEST((run.events == std::vector<Event>{Event::kClose}));
      BOOST_TEST(Written(run.out).size() == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(abort_request_ends_the_request) {
  std::string request = Request(1, "{}");
  for (size_t at : {Begin().size(), request.size() - 8}) {
    BOOST_TEST_CONTEXT(at) {
      FastCgiReader reader;
      Run run = Feed(reader, request.substr(0, at) + Record(kAbortRequest, "", 1));
      BOOST_TEST(run.requests.empty());
      auto written = Written(run.out);
      BOOST_REQUIRE(written.size() == 1u);
      BOOST_TEST(std::get<2>(written[0]) == EndRequestBody(kRequestComplete));
      BOOST_TEST((reader.phase() == Phase::kIdle));
      // What is left of it is ignored; the next request is read.
      run = Feed(reader, request.substr(at) + Request(2));
      BOOST_REQUIRE(run.requests.size() == 1u);
      BOOST_TEST(run.requests[0].id == 2);
    }
  }
  Run run = FeedAll(Begin(1, kResponder, false) + Record(kAbortRequest, "", 1));
  BOOST_TEST((run.events == std::vector<Event>{Event::kClose}));
  // Another id's abort changes nothing.
  run = FeedAll(Begin(1) + Record(kAbortRequest, "", 2) + request.substr(Begin().size()));
  BOOST_TEST(run.requests.size() == 1u);
  BOOST_TEST(run.out.empty());
}

BOOST_AUTO_TEST_CASE(a_body_past_what_is_kept_is_read_and_dropped) {
  const std::string big(kMaxBodyBytes + 5000, 'x');
  std::string bytes = Begin() + Record(kParams, "") + Record(kStdin, big.substr(0, 4000)) +
                      Record(kStdin, big.substr(4000)) + Record(kStdin, "") + Request(2, "ok");
  Run run = FeedAll(bytes);
  BOOST_REQUIRE(run.requests.size() == 2u);
  BOOST_TEST(run.requests[0].body.size() == kMaxBodyBytes + 1);
  BOOST_TEST(run.requests[0].body_cut);
  BOOST_TEST(run.requests[1].body == "ok");
  BOOST_TEST(!run.requests[1].body_cut);
  // Exactly what is kept is not cut.
  run = FeedAll(Begin() + Record(kParams, "") + Record(kStdin, big.substr(0, kMaxBodyBytes + 1)) +
                Record(kStdin, ""));
  BOOST_TEST(!run.requests.at(0).body_cut);
}

BOOST_AUTO_TEST_CASE(the_limits_close_the_connection) {
  FastCgiLimits limits;
  limits.max_params_bytes = 100;
  limits.max_records = 20;
  limits.pair.max_name_bytes = 10;
  limits.pair.max_value_bytes = 50;
  auto run = [&limits](const std::string& bytes) {
    FastCgiReader reader(limits);
    return Feed(reader, bytes);
  };
  const std::string fits = Pairs({{"NAME", std::string(50, 'v')}, {"N2", std::string(40, 'w')}});
  BOOST_TEST(fits.size() == 100u);
  BOOST_TEST(run(Begin() + Record(kParams, fits) + Record(kParams, "") + Record(kStdin, ""))
                 .requests.size() == 1u);
  BOOST_TEST(
      (run(Begin() + Record(kParams, fits + "x")).events == std::vector<Event>{Event::kMalformed}));
  BOOST_TEST((run(Begin() + Record(kParams, fits) + Record(kParams, "x")).events ==
              std::vector<Event>{Event::kMalformed}));
  BOOST_TEST(
      (run(Begin() + Record(kParams, Pairs({{"NAME567890x", ""}})) + Record(kParams, "")).events ==
       std::vector<Event>{Event::kMalformed}));
  BOOST_TEST(
      (run(Begin() + Record(kParams, Pairs({{"N", std::string(51, 'v')}})) + Record(kParams, ""))
           .events == std::vector<Event>{Event::kMalformed}));
  // 20 records from the begin to the end of the body, not one more.
  std::string records = Begin() + Record(kParams, "");
  for (int i = 0; i < 17; ++i) records += Record(kStdin, "b");
  BOOST_TEST(run(records + Record(kStdin, "")).requests.size() == 1u);
  BOOST_TEST((run(records + Record(kStdin, "b") + Record(kStdin, "")).events ==
              std::vector<Event>{Event::kMalformed}));
}

BOOST_AUTO_TEST_CASE(what_is_not_fastcgi_is_malformed) {
  const std::vector<Event> malformed = {Event::kMalformed};
  BOOST_TEST((FeedAll("GET / HTTP/1.1\r\n\r\n").events == malformed));
  BOOST_TEST((FeedAll(Record(kBeginRequest, std::string(8, '\0'), 1, 0, 0)).events == malformed));
  BOOST_TEST((FeedAll(Record(kBeginRequest, std::string(8, '\0'), 1, 0, 2)).events == malformed));
  // A begin record's body is 8 bytes.
  BOOST_TEST(
      (FeedAll(Record(kBeginRequest, std::string("\0\1\1\0\0\0\0", 7))).events == malformed));
  BOOST_TEST(
      (FeedAll(Record(kBeginRequest, std::string("\0\1\1\0\0\0\0\0\0", 9))).events == malformed));
  // The body before the params have ended.
  BOOST_TEST((FeedAll(Begin() + Record(kStdin, "x")).events == malformed));
  BOOST_TEST((FeedAll(Begin() + Record(kStdin, "")).events == malformed));
  // Params that do not decode as pairs.
  BOOST_TEST(
      (FeedAll(Begin() + Record(kParams, "\5\1abc") + Record(kParams, "")).events == malformed));
  BOOST_TEST(
      (FeedAll(Begin() + Record(kParams, "\x80\0") + Record(kParams, "")).events == malformed));
  // Partial bytes are no verdict yet.
  FastCgiReader reader;
  BOOST_TEST(Feed(reader, std::string("\1\1\0", 3)).events.empty());
  BOOST_TEST((reader.phase() == Phase::kArriving));
}

BOOST_AUTO_TEST_CASE(output_past_a_few_records_stops_the_reader_until_it_is_written) {
  std::string flood;
  for (int i = 0; i < 20000; ++i) flood += Record(200, "", 0);
  FastCgiReader reader;
  reader.Append(flood.data(), flood.size());
  std::string out;
  BOOST_TEST((reader.Next(&out) == Event::kOutput));
  BOOST_TEST(out.size() >= 64u * 1024);
  BOOST_TEST(out.size() < 64u * 1024 + 64);
  size_t answered = out.size() / 16;
  for (Event event = Event::kOutput; event == Event::kOutput;) {
    out.clear();
    event = reader.Next(&out);
    answered += out.size() / 16;
  }
  BOOST_TEST(answered == 20000u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

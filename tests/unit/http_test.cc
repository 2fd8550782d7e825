#include "http.h"

#include "cgi_request.h"
#include "cgi_response.h"
#include "cors.h"
#include "http_cache.h"
#include "json_text.h"
#include "key_value.h"
#include "listen_socket.h"
#include "query.h"
#include "status_format.h"
#include "test_support.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(http)

BOOST_AUTO_TEST_CASE(entity_tags_are_quoted_and_follow_the_bytes) {
  std::string a = EntityTag("{\"isOnline\":true}");
  BOOST_TEST(a.size() == 18u);
  BOOST_TEST(a.front() == '"');
  BOOST_TEST(a.back() == '"');
  BOOST_TEST(a == EntityTag("{\"isOnline\":true}"));
  BOOST_TEST(a != EntityTag("{\"isOnline\":false}"));
  BOOST_TEST(EntityTag("") == "\"cbf29ce484222325\"");  // FNV-1a of nothing: its offset basis
}

BOOST_AUTO_TEST_CASE(if_none_match) {
  const std::string tag = "\"0123456789abcdef\"";
  BOOST_TEST(IfNoneMatchMatches(tag, tag));
  BOOST_TEST(IfNoneMatchMatches("W/" + tag, tag));
  BOOST_TEST(IfNoneMatchMatches("\"x\", " + tag + " ,\"y\"", tag));
  BOOST_TEST(IfNoneMatchMatches("*", tag));
  BOOST_TEST(!IfNoneMatchMatches("\"0123456789abcdee\"", tag));
  BOOST_TEST(!IfNoneMatchMatches("0123456789abcdef", tag));
  BOOST_TEST(!IfNoneMatchMatches(",,", tag));
  BOOST_TEST(!IfNoneMatchMatches("", tag));
}

BOOST_AUTO_TEST_CASE(max_age_rounds_down_and_caps_at_sixty) {
  BOOST_TEST(OnlineMaxAgeSeconds(179'999) == 60);
  BOOST_TEST(OnlineMaxAgeSeconds(60'999) == 60);
  BOOST_TEST(OnlineMaxAgeSeconds(59'999) == 59);
  BOOST_TEST(OnlineMaxAgeSeconds(999) == 0);
  BOOST_TEST(PublicMaxAge(42) == "public, max-age=42");
}

BOOST_AUTO_TEST_CASE(cors_any_origin_or_a_list) {
  Response any;
  AddCorsHeaders({}, "https://x.example", &any);
  BOOST_TEST(testing::Header(any, "Access-Control-Allow-Origin") == "*");
  BOOST_TEST(any.FindHeader("Vary") == nullptr);

  std::vector<std::string> list = {"https://a.example", "https://b.example"};
  Response listed, other, none;
  AddCorsHeaders(list, "https://b.example", &listed);
  AddCorsHeaders(list, "https://evil.example", &other);
  AddCorsHeaders(list, "", &none);
  BOOST_TEST(testing::Header(listed, "Access-Control-Allow-Origin") == "https://b.example");
  BOOST_TEST(testing::Header(listed, "Vary") == "Origin");
  BOOST_TEST(other.FindHeader("Access-Control-Allow-Origin") == nullptr);
  BOOST_TEST(testing::Header(other, "Vary") == "Origin");
  BOOST_TEST(none.FindHeader("Access-Control-Allow-Origin") == nullptr);
  BOOST_TEST(testing::Header(none, "Vary") == "Origin");
}

BOOST_AUTO_TEST_CASE(query_parameters) {
  auto format = QueryParameter("a=1&format=svg&format=json", "format");
  BOOST_REQUIRE(format.ok());
  BOOST_TEST(*format.value() == "svg");
  BOOST_TEST(*QueryParameter("form%61t=shi%65lds", "format").value() == "shields");
  BOOST_TEST(*QueryParameter("format=a+b%20c", "format").value() == "a b c");
  BOOST_TEST(*QueryParameter("format", "format").value() == "");
  BOOST_TEST(!QueryParameter("x=1&&y", "format").value().has_value());
  BOOST_TEST(!QueryParameter("", "format").value().has_value());
  for (const char* bad : {"format=%", "format=%4", "format=%zz", "x=%g0&format=json"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!QueryParameter(bad, "format").ok()); }
  }
}

BOOST_AUTO_TEST_CASE(json_strings_are_escaped) {
  BOOST_TEST(JsonString("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
}

BOOST_AUTO_TEST_CASE(json_strings_hold_no_markup_and_no_script_line_end) {
  BOOST_TEST(JsonString("</script><b a='1'>&amp;") ==
             "\"\\u003c/script\\u003e\\u003cb a='1'\\u003e\\u0026amp;\"");
  BOOST_TEST(JsonString("a\xe2\x80\xa8"
                        "b\xe2\x80\xa9"
                        "c") == "\"a\\u2028b\\u2029c\"");
  BOOST_TEST(JsonString("\x7f\x1f") == "\"\\u007f\\u001f\"");
  // Other non-ASCII text stays UTF-8; a cut-off sequence is not read past the end.
  BOOST_TEST(JsonString("\xe2\x82\xac") == "\"\xe2\x82\xac\"");
  BOOST_TEST(JsonString("\xe2\x80") == "\"\xe2\x80\"");
}

BOOST_AUTO_TEST_CASE(last_seen_formats) {
  const int64_t at = 1'795'873'205'123;  // 2026-11-28T13:40:05.123Z
  BOOST_TEST(FormatLastSeen(at, LastSeenPolicy::kExact) == "2026-11-28T13:40:05Z");
  BOOST_TEST(FormatLastSeen(at, LastSeenPolicy::kMinute) == "2026-11-28T13:40:00Z");
}

BOOST_AUTO_TEST_CASE(serialized_responses) {
  Response ok;
  ok.AddHeader("Content-Type", "application/json");
  ok.body = "{}";
  BOOST_TEST(SerializeResponse(ok) ==
             "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  ok.omit_body = true;
  BOOST_TEST(SerializeResponse(ok) ==
             "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n");
  Response not_modified;
  not_modified.status = 304;
  not_modified.body = "ignored";
  BOOST_TEST(SerializeResponse(not_modified) == "Status: 304 Not Modified\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(responses_append_to_a_reused_buffer) {
  Response ok;
  ok.body = "{}";
  std::string out = "left over";
  out.clear();
  AppendCgiResponse(ok, &out);
  AppendCgiResponse(ok, &out);
  BOOST_TEST(out == SerializeResponse(ok) + SerializeResponse(ok));
}

BOOST_AUTO_TEST_CASE(requests_from_cgi_variables) {
  std::vector<std::string> texts = {"REQUEST_METHOD=POST",
                                    "HTTP_AUTHORIZATION=Bearer a=b",
                                    "NOEQUALS",
                                    "CONTENT_LENGTH=12",
                                    "QUERY_STRING=format=badge",
                                    "REQUEST_METHOD=GET",
                                    "HTTP_ORIGIN=",
                                    "REQUEST_METHODX=PUT",
                                    "HEARTBEAT_CONFIG=/etc/heartbeat.conf",
                                    "PATH_INFO=/badge.svg",
                                    "REMOTE_ADDR=192.0.2.1",
                                    "CONTENT_TYPE=application/json",
                                    "HTTP_IF_NONE_MATCH=\"x\""};
  std::vector<char*> variables;
  for (auto& text : texts) variables.push_back(text.data());
  variables.push_back(nullptr);
  Request request = RequestFromVariables(variables.data());
  BOOST_TEST(request.method == "POST");               // the first of a name given twice, as getenv
  BOOST_TEST(request.authorization == "Bearer a=b");  // split at the first '='
  BOOST_TEST(request.content_length == 12);
  BOOST_TEST(request.query == "format=badge");
  BOOST_TEST(request.origin == "");
  BOOST_TEST(request.config_param == "/etc/heartbeat.conf");
  BOOST_TEST(request.path_info == "/badge.svg");
  BOOST_TEST(request.remote_addr == "192.0.2.1");
  BOOST_TEST(request.content_type == "application/json");
  BOOST_TEST(request.if_none_match == "\"x\"");

  char* none[] = {nullptr};
  Request empty = RequestFromVariables(none);
  BOOST_TEST(empty.method == "");
  BOOST_TEST(empty.content_length == -1);
  std::string bad = "CONTENT_LENGTH=12abc";
  char* bad_length[] = {bad.data(), nullptr};
  BOOST_TEST(RequestFromVariables(bad_length).content_length == -2);
}

BOOST_AUTO_TEST_CASE(listen_addresses) {
  auto unix_socket = ParseListenAddress("/run/heartbeat/status.sock");
  BOOST_REQUIRE(unix_socket.ok());
  BOOST_TEST(unix_socket->is_unix);
  auto tcp = ParseListenAddress("127.0.0.1:9000");
  BOOST_REQUIRE(tcp.ok());
  BOOST_TEST(!tcp->is_unix);
  BOOST_TEST(tcp->host == "127.0.0.1");
  BOOST_TEST(tcp->port == 9000);
  BOOST_TEST(ParseListenAddress(":9000").ok());
  for (const char* bad :
       {"9000", "localhost:9000", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:x"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseListenAddress(bad).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(listen_socket_never_replaces_a_regular_file) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("heartbeat.db"), "precious");
  auto address = ParseListenAddress(dir.File("heartbeat.db"));
  BOOST_REQUIRE(address.ok());
  BOOST_TEST(!OpenListenSocket(address.value()).ok());
  BOOST_TEST(ReadWholeFile(dir.File("heartbeat.db")).value() == "precious");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

// ?label= and ?theme= on the badge and the shields answer.
#include "test_support.h"

namespace heartbeat {
namespace {

using testing::ServerFixture;

bool Has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

BOOST_AUTO_TEST_SUITE(status_badge)

BOOST_AUTO_TEST_CASE(the_default_badge_follows_the_color_scheme) {
  ServerFixture server;
  std::string svg = server.Status("format=svg").body;
  BOOST_TEST(Has(svg, "<title>status: offline</title>"));
  BOOST_TEST(Has(svg, "@media (prefers-color-scheme:dark){.l{fill:#30363d}.m{fill:#484f58}}"));
  BOOST_TEST(Has(server.Status("format=svg&theme=auto").body, "@media"));
  std::string light = server.Status("format=svg&theme=light").body;
  BOOST_TEST(Has(light, "<style>.l{fill:#555}.m{fill:#6e7781}</style>"));
  std::string dark = server.Status("format=svg&theme=dark").body;
  BOOST_TEST(Has(dark, "<style>.l{fill:#30363d}.m{fill:#484f58}</style>"));
  BOOST_TEST(!Has(dark, "@media"));
}

BOOST_AUTO_TEST_CASE(a_label_replaces_the_left_text_escaped) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  std::string svg = server.Status("format=svg&label=%3Cb%3E%22Ann%27s%22+%26+co%3C%2Fb%3E").body;
  const std::string escaped = "&lt;b&gt;&quot;Ann&#39;s&quot; &amp; co&lt;/b&gt;";
  BOOST_TEST(Has(svg, "aria-label=\"" + escaped + ": online\""));
  BOOST_TEST(Has(svg, "<title>" + escaped + ": online</title>"));
  BOOST_TEST(Has(svg, ">" + escaped + "</text>"));
  BOOST_TEST(!Has(svg, "<b>"));
  std::string shields = server.Status("format=shields&label=%3Cb%3E+Ann+%E2%80%A8").body;
  BOOST_TEST(shields ==
             "{\"schemaVersion\":1,\"label\":\"\\u003cb\\u003e Ann\",\"message\":\"online\","
             "\"color\":\"brightgreen\"}");  // trimmed, U+2028 at the end included
  // 32 characters of three bytes are fine, and wider than 32 ASCII ones.
  std::string wide;
  for (int i = 0; i < 32; ++i) wide += "%E6%97%A5";
  Response response = server.Status("format=svg&label=" + wide);
  BOOST_TEST(response.status == 200);
  BOOST_TEST(Has(response.body, "width=\"" + std::to_string(10 + 32 * 12 + 10 + 6 * 7) + "\""));
}

BOOST_AUTO_TEST_CASE(bad_labels_and_themes_are_400) {
  ServerFixture server;
  const char* const bad[] = {
      "format=svg&label=",                                   // empty
      "format=svg&label=+++",                                // blank
      "format=svg&label=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",  // 33
      "format=svg&label=a%0Ab",                              // a control character
      "format=svg&label=a%0D%0ASet-Cookie:+x",               // a header, never
      "format=shields&label=%FF",                            // not UTF-8
      "format=shields&label=%E2%82",                         // cut off
      "format=svg&label=%G0",                                // a bad escape
      "format=svg&theme=pink",
      "format=svg&theme=",
      "format=svg&theme=DARK",
      "theme=sepia",  // on JSON too
      "label=",
  };
  for (const char* query : bad) {
    BOOST_TEST_CONTEXT(query) {
      Response response = server.Status(query);
      BOOST_TEST(response.status == 400);
      BOOST_TEST(Has(response.body, "\"error\":\"bad_request\""));
      for (const auto& header : response.Headers()) BOOST_TEST(!Has(header.second, "Set-Cookie"));
    }
  }
  BOOST_TEST(server.Status("format=svg&label=" + std::string(32, 'a')).status == 200);
  // Where they do not apply, good values are accepted and change nothing.
  BOOST_TEST(server.Status("label=me&theme=dark").body == server.Status().body);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

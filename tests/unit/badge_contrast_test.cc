// The badge's words are readable: white text on each state's colour, and on the label's, has
// a contrast of at least 4.5:1 (WCAG AA for small text) in both themes, measured from the
// colours the SVG itself names.
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include "test_support.h"

namespace heartbeat {
namespace {

using testing::ServerFixture;

// The relative luminance of "#rgb" or "#rrggbb" (WCAG 2.x).
double Luminance(std::string hex) {
  hex = hex.substr(1);
  if (hex.size() == 3) hex = {hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]};
  BOOST_REQUIRE(hex.size() == 6u);
  double channel[3];
  for (int i = 0; i < 3; ++i) {
    double c = std::stoi(hex.substr(2 * i, 2), nullptr, 16) / 255.0;
    channel[i] = c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  }
  return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
}

double Contrast(const std::string& a, const std::string& b) {
  double la = Luminance(a), lb = Luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Every fill the SVG names: in its <style> (both palettes of theme=auto) and the text's.
// Every "#hex" colour that follows one of `prefixes` in the SVG, in the order found per prefix.
// (Searched by hand: GCC 12's std::regex does not build warning-free under the sanitizers.)
std::vector<std::string> Fills(const std::string& svg,
                               std::initializer_list<const char*> prefixes) {
  std::vector<std::string> out;
  for (const char* prefix : prefixes) {
    const std::string wanted = std::string(prefix) + "#";
    for (size_t at = svg.find(wanted); at != std::string::npos; at = svg.find(wanted, at + 1)) {
      size_t end = at + wanted.size();
      while (end < svg.size() && std::isxdigit(static_cast<unsigned char>(svg[end]))) ++end;
      out.push_back(svg.substr(at + wanted.size() - 1, end - (at + wanted.size() - 1)));
    }
  }
  return out;
}

void ExpectReadable(const std::string& svg, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    const std::vector<std::string> text = Fills(svg, {"<g fill=\""});
    const std::vector<std::string> backgrounds = Fills(svg, {".l{fill:", ".m{fill:"});
    BOOST_REQUIRE(text.size() == 1u);
    BOOST_REQUIRE(backgrounds.size() >= 2u);
    for (const std::string& background : backgrounds) {
      BOOST_TEST_CONTEXT(text[0] << " on " << background) {
        BOOST_TEST(Contrast(text[0], background) >= 4.5);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE(badge_contrast)

BOOST_AUTO_TEST_CASE(the_measure_itself) {
  BOOST_TEST(std::abs(Contrast("#fff", "#000") - 21.0) < 1e-9);
  BOOST_TEST(std::abs(Contrast("#ffffff", "#2ea043") - 3.37) < 0.01);  // too light a green
}

BOOST_AUTO_TEST_CASE(every_state_in_every_theme) {
  for (const char* theme : {"light", "dark", "auto"}) {
    const std::string query = std::string("format=svg&theme=") + theme;
    ServerFixture server;
    ExpectReadable(server.Status(query).body, std::string("offline ") + theme);
    BOOST_REQUIRE(server.Heartbeat("{\"state\":\"idle\"}").status == 200);
    ExpectReadable(server.Status(query).body, std::string("away ") + theme);
    BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
    ExpectReadable(server.Status(query).body, std::string("online ") + theme);
    server.RewriteConfig("last_seen = sometimes\n");
    const Response unknown = server.Status(query);
    BOOST_TEST(unknown.status == 503);
    ExpectReadable(unknown.body, std::string("unknown ") + theme);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat

#include "activity_config.h"

#include <cstddef>

#include "text_field.h"
#include "trim.h"

namespace heartbeat::agent {
namespace {

// What a coding app's shown name may be: the server's `app` rule (1 to 32 characters).
constexpr size_t kMaxAppCodePoints = 32;

// The README's "coding_apps" section lists this same text.
constexpr const char* kDefaultCodingApps =
    "Xcode, Visual Studio Code|Code|code-oss|Code - OSS, VSCodium, Cursor, Windsurf, "
    "Zed|dev.zed.Zed|zed-editor, IntelliJ IDEA|IntelliJ IDEA CE|IntelliJ IDEA Ultimate|"
    "jetbrains-idea|jetbrains-idea-ce, PyCharm|PyCharm CE|jetbrains-pycharm|jetbrains-pycharm-ce, "
    "CLion|jetbrains-clion, GoLand|jetbrains-goland, WebStorm|jetbrains-webstorm, "
    "PhpStorm|jetbrains-phpstorm, Rider|jetbrains-rider, RubyMine|jetbrains-rubymine, "
    "RustRover|jetbrains-rustrover, Android Studio|jetbrains-studio, Fleet|jetbrains-fleet, "
    "Eclipse, Sublime Text|sublime_text, Emacs, gVim|gvim, MacVim, Neovide, Kate, "
    "GNOME Builder|gnome-builder|org.gnome.Builder, Nova, BBEdit, TextMate";

std::vector<std::string> SplitOn(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t from = 0;
  for (;;) {
    size_t at = text.find(separator, from);
    parts.emplace_back(Trim(std::string_view(text).substr(from, at - from)));
    if (at == std::string::npos) return parts;
    from = at + 1;
  }
}

bool SameIgnoringAsciiCase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

Result<ShareSet> ParseShare(const std::string& value) {
  ShareSet share;
  if (Trim(value).empty()) return share;
  for (const std::string& word : SplitOn(value, ',')) {
    bool* kind = word == "listening" ? &share.listening
                 : word == "coding"  ? &share.coding
                 : word == "call"    ? &share.call
                                     : nullptr;
    if (!kind) {
      return Status::Invalid(
          "share is a comma-separated list of listening, coding and call, got '" + word + "'");
    }
    if (*kind) return Status::Invalid("share names '" + word + "' twice");
    *kind = true;
  }
  return share;
}

Result<std::vector<CodingApp>> ParseCodingApps(const std::string& value) {
  std::vector<CodingApp> apps;
  if (Trim(value).empty()) return apps;
  for (const std::string& entry : SplitOn(value, ',')) {
    CodingApp app;
    app.names = SplitOn(entry, '|');
    for (const std::string& name : app.names) {
      if (name.empty()) {
        return Status::Invalid("coding_apps: an empty name in '" + entry +
                               "' (entries are 'Shown Name|other name', separated by commas)");
      }
    }
    auto shown = CleanTextField(app.names.front(), kMaxAppCodePoints,
                                "coding_apps: '" + app.names.front() + "'");
    if (!shown.ok()) return shown.status();
    app.shown = shown.value();
    apps.push_back(std::move(app));
  }
  return apps;
}

const std::vector<CodingApp>& DefaultCodingApps() {
  static const std::vector<CodingApp> apps = ParseCodingApps(kDefaultCodingApps).value();
  return apps;
}

const CodingApp* MatchCodingApp(const std::vector<std::string>& names,
                                const std::vector<CodingApp>& apps) {
  for (const CodingApp& app : apps) {
    for (const std::string& known : app.names) {
      for (const std::string& name : names) {
        if (SameIgnoringAsciiCase(known, name)) return &app;
      }
    }
  }
  return nullptr;
}

}  // namespace heartbeat::agent

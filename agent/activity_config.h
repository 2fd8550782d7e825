// What the owner chose to share about what they are doing (agent/README.md, "What you are
// doing"): the `share`, `coding_apps` and `listening_source` settings, parsed.
#pragma once

#include <string>
#include <vector>

#include "result.h"

namespace heartbeat::agent {

// The kinds `share` may list. Nothing is looked at for a kind that is not listed.
struct ShareSet {
  bool listening = false;
  bool coding = false;
  bool call = false;
  bool any() const { return listening || coding || call; }
};

// One entry of coding_apps: the name visitors see, then every name the application goes by
// (the first included): macOS's application name, X11's WM_CLASS instance and class names.
struct CodingApp {
  std::string shown;
  std::vector<std::string> names;
};

// `share`: a comma-separated list of listening, coding and call (spaces around the words
// allowed, each at most once); empty is nothing. Invalid naming the unknown word.
Result<ShareSet> ParseShare(const std::string& value);

// `coding_apps`: comma-separated entries, each `Shown Name|other name|…`; empty is an empty
// list. Invalid for an empty entry or name, or a shown name that is not valid activity text.
Result<std::vector<CodingApp>> ParseCodingApps(const std::string& value);

// The list used when coding_apps is not set: common editors and IDEs under their macOS names
// and their X11 WM_CLASS names.
const std::vector<CodingApp>& DefaultCodingApps();

// The entry one of whose names equals one of `names` (compared without regard to ASCII case),
// the entries in their order; nullptr when none does.
const CodingApp* MatchCodingApp(const std::vector<std::string>& names,
                                const std::vector<CodingApp>& apps);

}  // namespace heartbeat::agent

// coding on macOS: the window list, front to back; the first window of layer 0 (ordinary
// windows: the menu bar, the Dock and overlays have others) belongs to the frontmost
// application. Only kCGWindowOwnerName is read: it needs no Screen Recording permission,
// unlike kCGWindowName (the window's title, which names files and is never read).
#include <ApplicationServices/ApplicationServices.h>
#include <CoreFoundation/CoreFoundation.h>

#include <string>
#include <vector>

#include "activity_sources.h"
#include "cf_releaser.h"

namespace heartbeat::agent {
namespace {

std::string Utf8(CFStringRef text) {
  char buffer[256];
  if (!CFStringGetCString(text, buffer, sizeof buffer, kCFStringEncodingUTF8)) return "";
  return buffer;
}

class WindowListFrontmost final : public FrontmostSource {
 public:
  const char* name() const override { return "windowlist"; }
  Result<std::vector<std::string>> FrontmostNames() override {
    CFArrayRef windows = CGWindowListCopyWindowInfo(
        kCGWindowListOptionOnScreenOnly | kCGWindowListExcludeDesktopElements, kCGNullWindowID);
    // NULL outside a login session (cron, ssh): there is no screen to look at.
    if (!windows) return Status::Unavailable("no window list (outside the login session?)");
    CfReleaser release{windows};
    std::vector<std::string> names;
    for (CFIndex i = 0; i < CFArrayGetCount(windows) && names.empty(); ++i) {
      auto window = static_cast<CFDictionaryRef>(CFArrayGetValueAtIndex(windows, i));
      auto layer = static_cast<CFNumberRef>(CFDictionaryGetValue(window, kCGWindowLayer));
      int value = -1;
      if (!layer || CFGetTypeID(layer) != CFNumberGetTypeID() ||
          !CFNumberGetValue(layer, kCFNumberSInt32Type, &value) || value != 0) {
        continue;
      }
      auto owner = static_cast<CFStringRef>(CFDictionaryGetValue(window, kCGWindowOwnerName));
      if (owner && CFGetTypeID(owner) == CFStringGetTypeID()) {
        std::string name = Utf8(owner);
        if (!name.empty()) names.push_back(name);
      }
    }
    return names;
  }
};

}  // namespace

std::unique_ptr<FrontmostSource> MakeWindowListFrontmostSource() {
  return std::make_unique<WindowListFrontmost>();
}

}  // namespace heartbeat::agent

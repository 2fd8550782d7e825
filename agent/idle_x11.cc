// X11: the XScreenSaver extension knows the time since the last input of the display.
#include "idle_x11.h"

#ifdef HEARTBEAT_WITH_X11
#include <X11/extensions/scrnsaver.h>

#include "x11_display.h"

namespace heartbeat::agent {
namespace {

class X11Source final : public IdleSource {
 public:
  ~X11Source() override {
    if (info_) XFree(info_);
  }
  const char* name() const override { return "x11"; }

  Result<IdleReading> Read() override {
    // Opened on first use, and again after the X server went away (x11_display.h). Xlib keeps
    // what the extension query learnt with the display: asked again, it sends nothing.
    Display* display = display_.Open();
    int event_base, error_base;
    if (!display || !XScreenSaverQueryExtension(display, &event_base, &error_base)) {
      return display_.CloseFor("cannot open the X display or it has no XScreenSaver");
    }
    if (!info_) info_ = XScreenSaverAllocInfo();
    if (!XScreenSaverQueryInfo(display, DefaultRootWindow(display), info_) || display_.lost()) {
      return display_.CloseFor("XScreenSaverQueryInfo failed");
    }
    IdleReading reading;
    reading.idle_seconds = info_->idle / 1000.0;
    reading.locked = info_->state == ScreenSaverOn;  // a running screen saver: not at the desk
    return reading;
  }

 private:
  X11Display display_;
  XScreenSaverInfo* info_ = nullptr;  // plain memory of Xlib's, kept across connections
};

}  // namespace

std::unique_ptr<IdleSource> MakeX11IdleSource() { return std::make_unique<X11Source>(); }

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
std::unique_ptr<IdleSource> MakeX11IdleSource() { return nullptr; }
}  // namespace heartbeat::agent

#endif

// X11: the XScreenSaver extension knows the time since the last input of the display.
#include "idle_x11.h"

#ifdef HEARTBEAT_WITH_X11
#include <X11/Xlib.h>
#include <X11/extensions/scrnsaver.h>
#undef Status  // Xlib's macro would hide heartbeat::Status

namespace heartbeat::agent {
namespace {

class X11Source final : public IdleSource {
 public:
  ~X11Source() override {
    if (info_) XFree(info_);
    if (display_) XCloseDisplay(display_);
  }
  const char* name() const override { return "x11"; }

  Result<IdleReading> Read() override {
    if (!display_) {  // opened on first use, and again after the X server went away
      display_ = XOpenDisplay(nullptr);
      int event_base, error_base;
      if (!display_ || !XScreenSaverQueryExtension(display_, &event_base, &error_base)) {
        Close();
        return Status::Unavailable("cannot open the X display or it has no XScreenSaver");
      }
      info_ = XScreenSaverAllocInfo();
    }
    if (!XScreenSaverQueryInfo(display_, DefaultRootWindow(display_), info_)) {
      Close();
      return Status::Unavailable("XScreenSaverQueryInfo failed");
    }
    IdleReading reading;
    reading.idle_seconds = info_->idle / 1000.0;
    reading.locked = info_->state == ScreenSaverOn;  // a running screen saver: not at the desk
    return reading;
  }

 private:
  void Close() {
    if (info_) XFree(info_);
    if (display_) XCloseDisplay(display_);
    info_ = nullptr;
    display_ = nullptr;
  }
  Display* display_ = nullptr;
  XScreenSaverInfo* info_ = nullptr;
};

}  // namespace

std::unique_ptr<IdleSource> MakeX11IdleSource() { return std::make_unique<X11Source>(); }

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
std::unique_ptr<IdleSource> MakeX11IdleSource() { return nullptr; }
}  // namespace heartbeat::agent

#endif

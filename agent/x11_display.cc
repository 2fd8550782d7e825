// See x11_display.h.
#include "x11_display.h"

#ifdef HEARTBEAT_WITH_X11
namespace heartbeat::agent {

#ifdef HEARTBEAT_WITH_X11_IO_EXIT_HANDLER
namespace {

// Xlib calls this first on a lost connection, then the display's exit handler; its default
// never returns, so it must be replaced for the exit handler to be reached at all.
int ReturnToTheExitHandler(Display*) { return 0; }

}  // namespace

void X11Display::NoteLost(Display*, void* self) { static_cast<X11Display*>(self)->lost_ = true; }
#endif

Display* X11Display::Open() {
  if (display_) return display_;
  display_ = XOpenDisplay(nullptr);
  if (!display_) return nullptr;
  lost_ = false;
#ifdef HEARTBEAT_WITH_X11_IO_EXIT_HANDLER
  static const bool installed = (XSetIOErrorHandler(ReturnToTheExitHandler), true);
  (void)installed;
  XSetIOErrorExitHandler(display_, NoteLost, this);
#endif
  return display_;
}

void X11Display::Close() {
  // Also on a lost connection: Xlib sends nothing more on a display it has marked broken, and
  // frees it.
  if (display_) XCloseDisplay(display_);
  display_ = nullptr;
}

Status X11Display::CloseFor(const char* why) {
  Close();
  return Status::Unavailable(lost_ ? "the X server went away" : why);
}

}  // namespace heartbeat::agent
#endif

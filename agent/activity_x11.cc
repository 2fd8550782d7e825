// coding on Linux with X: the window manager names the active window in the root window's
// _NET_ACTIVE_WINDOW (EWMH); that window's WM_CLASS holds the application's instance and class
// names (code and Code for Visual Studio Code). Never its title (WM_NAME), which names files.
#include <cstdlib>
#include <string>
#include <vector>

#include "activity_sources.h"

#ifdef HEARTBEAT_WITH_X11
#include <X11/Xatom.h>
#include <X11/Xutil.h>

#include "x11_display.h"

namespace heartbeat::agent {
namespace {

// Xlib's default handler ends the program on an error, and the active window may be gone by
// the time its WM_CLASS is asked for (BadWindow): noted instead, and that look gives nothing.
bool g_x_error = false;
int NoteXError(Display*, XErrorEvent*) {
  g_x_error = true;
  return 0;
}

bool Wayland() {
  const char* type = std::getenv("XDG_SESSION_TYPE");
  const char* display = std::getenv("WAYLAND_DISPLAY");
  return (type && std::string(type) == "wayland") || (display && *display);
}

class X11Frontmost final : public FrontmostSource {
 public:
  const char* name() const override { return "x11"; }

  Result<std::vector<std::string>> FrontmostNames() override {
    // XWayland's _NET_ACTIVE_WINDOW knows only X11 windows: an editor in a Wayland window
    // would never be seen, so nothing is said rather than something wrong.
    if (Wayland()) {
      return Status::Unavailable(
          "a Wayland session: the active window is not visible to X11 clients, so coding is "
          "not reported");
    }
    // Opened on first use, and again after the X server went away (x11_display.h).
    Display* display = display_.Open();
    if (!display) return display_.CloseFor("cannot open the X display");
    XSetErrorHandler(NoteXError);
    Atom active = XInternAtom(display, "_NET_ACTIVE_WINDOW", False);
    Atom type = None;
    int format = 0;
    unsigned long count = 0, after = 0;
    unsigned char* data = nullptr;
    g_x_error = false;
    int r = XGetWindowProperty(display, DefaultRootWindow(display), active, 0, 1, False, XA_WINDOW,
                               &type, &format, &count, &after, &data);
    if (r != Success || g_x_error || display_.lost()) {
      if (data) XFree(data);
      return display_.CloseFor("cannot read _NET_ACTIVE_WINDOW");
    }
    Window window = None;
    if (type == XA_WINDOW && format == 32 && count == 1 && data) {
      window = static_cast<Window>(*reinterpret_cast<unsigned long*>(data));
    }
    if (data) XFree(data);
    if (type == None) {
      return Status::Unavailable("the window manager sets no _NET_ACTIVE_WINDOW (EWMH)");
    }
    std::vector<std::string> names;
    if (window == None) return names;
    XClassHint hint{nullptr, nullptr};
    if (XGetClassHint(display, window, &hint) && !g_x_error) {
      if (hint.res_name) names.emplace_back(hint.res_name);
      if (hint.res_class) names.emplace_back(hint.res_class);
    }
    if (hint.res_name) XFree(hint.res_name);
    if (hint.res_class) XFree(hint.res_class);
    if (display_.lost()) return display_.CloseFor("cannot read WM_CLASS");
    return names;
  }

 private:
  X11Display display_;
};

}  // namespace

std::unique_ptr<FrontmostSource> MakeX11FrontmostSource() {
  return std::make_unique<X11Frontmost>();
}

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
std::unique_ptr<FrontmostSource> MakeX11FrontmostSource() { return nullptr; }
}  // namespace heartbeat::agent

#endif

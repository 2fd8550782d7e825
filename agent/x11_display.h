// A connection to the X display that ends, not the agent, when the X server goes away.
//
// Xlib's answer to a lost connection is exit(1): the agent of a user who logged out of X, or
// whose X server restarted, would end without a last post, and visitors would see "online"
// until the server's timeout. Here the process-wide I/O error handler and the display's exit
// handler (libX11 1.7 and later) both return, so the call in flight fails, the display is
// closed, and the next Open() connects to the server again once there is one.
//
// Not covered: a server that goes away during XOpenDisplay's own handshake, before there is a
// display to give an exit handler; that still ends the agent, whose service manager starts it
// again. Built without libX11 1.7, a lost connection ends the agent as before.
#pragma once

#ifdef HEARTBEAT_WITH_X11
#include <X11/Xlib.h>
#undef Status  // Xlib's macro would hide heartbeat::Status

#include "result.h"

namespace heartbeat::agent {

class X11Display {
 public:
  X11Display() = default;
  X11Display(const X11Display&) = delete;
  X11Display& operator=(const X11Display&) = delete;
  ~X11Display() { Close(); }

  // The display of DISPLAY, opened on first use and again after a loss; nullptr while no
  // server answers.
  Display* Open();
  // Whether the server went away during a call of the last connection, and none has been
  // opened since. The caller then closes.
  bool lost() const { return lost_; }
  void Close();
  // Closes, to be opened again at the next Open(), and says why: "the X server went away"
  // while it stays away after a loss (so the agent warns once), else `why`.
  Status CloseFor(const char* why);

 private:
  static void NoteLost(Display*, void* self);

  Display* display_ = nullptr;
  bool lost_ = false;
};

}  // namespace heartbeat::agent
#endif

#!/usr/bin/python3
"""One real X11 window for tests/agent/test_agent_activity.py, through Xlib itself (ctypes):
`x11_window.py INSTANCE CLASS TITLE` maps a window with that WM_CLASS and WM_NAME on $DISPLAY,
prints its id in decimal once it is mapped, and stays until stdin closes."""
import ctypes
import ctypes.util
import select
import sys


class XClassHint(ctypes.Structure):
    _fields_ = [("res_name", ctypes.c_char_p), ("res_class", ctypes.c_char_p)]


def main(instance, klass, title):
    x = ctypes.CDLL(ctypes.util.find_library("X11"))
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XDefaultRootWindow.restype = ctypes.c_ulong
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XCreateSimpleWindow.restype = ctypes.c_ulong
    x.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                      ctypes.c_uint, ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong,
                                      ctypes.c_ulong]
    x.XSetClassHint.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(XClassHint)]
    x.XStoreName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_char_p]
    x.XMapWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x.XPending.argtypes = [ctypes.c_void_p]
    x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    x.XConnectionNumber.argtypes = [ctypes.c_void_p]
    display = x.XOpenDisplay(None)
    if not display:
        raise SystemExit("cannot open the display")
    window = x.XCreateSimpleWindow(display, x.XDefaultRootWindow(display), 10, 10, 200, 100, 1, 0,
                                   0xFFFFFF)
    hint = XClassHint(instance.encode(), klass.encode())
    x.XSetClassHint(display, window, ctypes.byref(hint))
    x.XStoreName(display, window, title.encode())
    x.XMapWindow(display, window)
    x.XSync(display, 0)
    print(window, flush=True)
    event = ctypes.create_string_buffer(192)  # XEvent is 24 longs
    connection = x.XConnectionNumber(display)
    while True:  # the window manager's events are taken, so it never waits on us
        ready, _, _ = select.select([sys.stdin, connection], [], [], 1)
        if sys.stdin in ready and not sys.stdin.readline():
            return
        while x.XPending(display):
            x.XNextEvent(display, event)


if __name__ == "__main__":
    main(*sys.argv[1:4])

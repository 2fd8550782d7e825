#!/usr/bin/python3
"""Plays logind on a private D-Bus bus for the agent's sleep test (tests/agent/test_agent_sleep.py).

Debian's python3-dbus, so it runs with /usr/bin/python3. It owns org.freedesktop.login1 and
answers Manager.Inhibit with the write end of a pipe, the way logind hands out an inhibitor
lock: the lock is released when every copy of that end is closed, which this script sees as
end-of-file on the read end. Commands on stdin, one a line: `sleep` and `wake` emit
PrepareForSleep(true) and PrepareForSleep(false). Everything that happens is printed on stdout
as `EVENT CLOCK_MONOTONIC-SECONDS [DETAILS]`: ready, inhibit, released, signal.
"""
import os
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

MANAGER = "org.freedesktop.login1.Manager"


def say(*words):
    print(*words, flush=True)


class Manager(dbus.service.Object):
    @dbus.service.method(MANAGER, in_signature="ssss", out_signature="h")
    def Inhibit(self, what, who, why, mode):
        read_end, write_end = os.pipe()
        GLib.io_add_watch(read_end, GLib.IO_IN | GLib.IO_HUP, self.released)
        say("inhibit", time.monotonic(), what, mode, who.replace(" ", "_"))
        lock = dbus.types.UnixFd(write_end)  # holds its own copy until sent
        os.close(write_end)
        return lock

    def released(self, fd, condition):
        if os.read(fd, 1):  # nobody writes to a lock; end-of-file is the release
            return True
        say("released", time.monotonic())
        os.close(fd)
        return False

    @dbus.service.signal(MANAGER, signature="b")
    def PrepareForSleep(self, start):
        pass


def main(address):
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(address)
    name = dbus.service.BusName("org.freedesktop.login1", bus)
    manager = Manager(bus, "/org/freedesktop/login1")

    def command(source, condition):
        line = sys.stdin.readline()
        if not line:
            loop.quit()
            return False
        word = line.strip()
        if word in ("sleep", "wake"):
            say("signal", time.monotonic(), "true" if word == "sleep" else "false")
            manager.PrepareForSleep(word == "sleep")
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, command)
    say("ready", time.monotonic(), name.get_name())
    loop.run()


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/python3
"""Plays a desktop's idle services on a private session bus for tests/agent/test_agent_idle.py.

Debian's python3-dbus, so it runs with /usr/bin/python3. `fake_desktop.py ADDRESS KIND`, KIND:
- gnome: owns org.gnome.Mutter.IdleMonitor (/org/gnome/Mutter/IdleMonitor/Core, GetIdletime,
  uint64 milliseconds) and org.gnome.ScreenSaver (/org/gnome/ScreenSaver, GetActive), as
  GNOME Shell does;
- kde: owns org.freedesktop.ScreenSaver (/org/freedesktop/ScreenSaver and /ScreenSaver,
  GetSessionIdleTime in uint32 milliseconds, GetActive), as KDE's screen locker does on X11;
- kde-wayland: the same names, but GetSessionIdleTime answers NotSupported, as KDE's screen
  locker does on Wayland;
- logind: owns org.freedesktop.login1 (on the bus given: the test's system bus) with
  Manager.GetSession("7") and that session's IdleHint (set 2 s after the last input, as a
  desktop sets it after its delay), IdleSinceHint (when IdleHint last changed) and LockedHint.
- mpris: owns org.mpris.MediaPlayer2.test (/org/mpris/MediaPlayer2): Identity "Test Player",
  PlaybackStatus and Metadata (xesam:title, xesam:artist as a list, and entries of other types
  that a reader must pass over), read through org.freedesktop.DBus.Properties as players serve
  them; commands `play TITLE|ARTIST` (a new track, playing), `pause`;
- mpris-paused: org.mpris.MediaPlayer2.aaa, sorted before it, paused with a track of its own.
The idle time moves with the clock from the last "input". Commands on stdin, one a line:
`input` (idle time back to 0), `idle SECONDS` (the last input that long ago), `lock`,
`unlock`, `fail` (GetIdletime answers an error with control characters in its words). End of stdin ends it (its names leave the bus). Printed on stdout: `ready`, then
`ok COMMAND` for each command done.
"""
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib


class Desktop:
    def __init__(self):
        self.last_input = time.monotonic()
        self.locked = False
        self.failing = ""  # the words of an error to answer GetIdletime with
        # logind's IdleHint is set by the desktop after its own delay (GNOME's idle-delay);
        # here 2 s without input.
        self.idle_hint_after = 2

    def idle_ms(self):
        return int((time.monotonic() - self.last_input) * 1000)


class MutterIdleMonitor(dbus.service.Object):
    def __init__(self, bus, desktop):
        super().__init__(bus, "/org/gnome/Mutter/IdleMonitor/Core")
        self.desktop = desktop

    @dbus.service.method("org.gnome.Mutter.IdleMonitor", out_signature="t")
    def GetIdletime(self):
        if self.desktop.failing:
            raise dbus.DBusException(self.desktop.failing, name="org.example.Error.Failed")
        return dbus.UInt64(self.desktop.idle_ms())


class GnomeScreenSaver(dbus.service.Object):
    def __init__(self, bus, desktop):
        super().__init__(bus, "/org/gnome/ScreenSaver")
        self.desktop = desktop

    @dbus.service.method("org.gnome.ScreenSaver", out_signature="b")
    def GetActive(self):
        return self.desktop.locked


class NotSupported(dbus.DBusException):
    _dbus_error_name = "org.freedesktop.DBus.Error.NotSupported"


class FreedesktopScreenSaver(dbus.service.Object):
    def __init__(self, bus, path, desktop, wayland):
        super().__init__(bus, path)
        self.desktop = desktop
        self.wayland = wayland

    @dbus.service.method("org.freedesktop.ScreenSaver", out_signature="u")
    def GetSessionIdleTime(self):
        if self.wayland:
            raise NotSupported("GetSessionIdleTime is not supported on this platform")
        return dbus.UInt32(self.desktop.idle_ms())

    @dbus.service.method("org.freedesktop.ScreenSaver", out_signature="b")
    def GetActive(self):
        return self.desktop.locked


class MprisPlayer(dbus.service.Object):
    """A media player as MPRIS describes it: properties of two interfaces on one object."""

    def __init__(self, bus, status, title, artist):
        super().__init__(bus, "/org/mpris/MediaPlayer2")
        self.status, self.title, self.artist = status, title, artist

    def properties(self):
        metadata = dbus.Dictionary({
            "mpris:trackid": dbus.ObjectPath("/org/mpris/MediaPlayer2/track/1"),
            "mpris:length": dbus.Int64(256_000_000),
            "xesam:title": dbus.String(self.title),
            "xesam:artist": dbus.Array([dbus.String(self.artist), "Second Artist"], signature="s"),
            "xesam:trackNumber": dbus.Int32(7),
        }, signature="sv")
        return {"org.mpris.MediaPlayer2": {"Identity": dbus.String("Test Player")},
                "org.mpris.MediaPlayer2.Player": {"PlaybackStatus": dbus.String(self.status),
                                                  "Metadata": metadata}}

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        return self.properties()[interface][name]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return self.properties()[interface]


class LogindManager(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, "/org/freedesktop/login1")

    @dbus.service.method("org.freedesktop.login1.Manager", in_signature="s", out_signature="o")
    def GetSession(self, session_id):
        if session_id != "7":
            raise dbus.DBusException(f"No session '{session_id}' known",
                                     name="org.freedesktop.login1.NoSuchSession")
        return dbus.ObjectPath("/org/freedesktop/login1/session/_37")


class LogindSession(dbus.service.Object):
    """Session 7's hints, read as logind serves them: properties of org.freedesktop.login1.Session."""

    def __init__(self, bus, desktop):
        super().__init__(bus, "/org/freedesktop/login1/session/_37")
        self.desktop = desktop

    def hints(self):
        quiet = time.monotonic() - self.desktop.last_input
        idle = quiet >= self.desktop.idle_hint_after
        # IdleSinceHint: when IdleHint last changed, in µs of the wall clock.
        since = time.time() - quiet + (self.desktop.idle_hint_after if idle else 0)
        return {"IdleHint": dbus.Boolean(idle), "IdleSinceHint": dbus.UInt64(int(since * 1e6)),
                "LockedHint": dbus.Boolean(self.desktop.locked)}

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        return self.hints()[name]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return self.hints()


def main(address, kind):
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(address)
    desktop = Desktop()
    keep = []
    player = None  # the mpris kind's
    if kind == "gnome":
        keep += [dbus.service.BusName("org.gnome.Mutter.IdleMonitor", bus),
                 dbus.service.BusName("org.gnome.ScreenSaver", bus),
                 MutterIdleMonitor(bus, desktop), GnomeScreenSaver(bus, desktop)]
    elif kind in ("kde", "kde-wayland"):
        keep += [dbus.service.BusName("org.freedesktop.ScreenSaver", bus),
                 dbus.service.BusName("org.kde.screensaver", bus)]
        for path in ("/org/freedesktop/ScreenSaver", "/ScreenSaver"):
            keep.append(FreedesktopScreenSaver(bus, path, desktop, kind == "kde-wayland"))
    elif kind == "logind":
        keep += [dbus.service.BusName("org.freedesktop.login1", bus), LogindManager(bus),
                 LogindSession(bus, desktop)]
    elif kind == "mpris":
        player = MprisPlayer(bus, "Stopped", "", "")
        keep += [dbus.service.BusName("org.mpris.MediaPlayer2.test", bus), player]
    elif kind == "mpris-paused":
        keep += [dbus.service.BusName("org.mpris.MediaPlayer2.aaa", bus),
                 MprisPlayer(bus, "Paused", "Paused Track", "Someone")]
    else:
        raise SystemExit(f"unknown kind {kind}")

    def command(source, condition):
        line = sys.stdin.readline()
        if not line:
            loop.quit()
            return False
        words = line.split()
        if line.startswith("play "):
            player.title, player.artist = line[len("play "):].rstrip("\n").split("|")
            player.status = "Playing"
        elif words == ["pause"]:
            player.status = "Paused"
        elif words == ["input"]:
            desktop.last_input = time.monotonic()
        elif len(words) == 2 and words[0] == "idle":
            desktop.last_input = time.monotonic() - float(words[1])
        elif words == ["lock"]:
            desktop.locked = True
        elif words == ["unlock"]:
            desktop.locked = False
        elif words == ["fail"]:  # an error whose words carry a terminal escape and a newline
            desktop.failing = "idle monitor \x1b[31mbroken\nforged line"
        print("ok", *words, flush=True)
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, command)
    print("ready", flush=True)
    loop.run()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

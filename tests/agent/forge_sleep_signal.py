#!/usr/bin/python3
"""Another local user on the bus of the agent's sleep test (tests/agent/test_agent_sleep.py):
sends logind's PrepareForSleep(true), with logind's path and interface, to every other
connection on the bus by its unique name (a unicast signal is delivered whatever the
receiver's match rules), and once as a broadcast. Prints the names it sent to, then exits.

Debian's python3-dbus, so it runs with /usr/bin/python3."""
import sys

import dbus
import dbus.lowlevel


def main(address):
    bus = dbus.bus.BusConnection(address)
    driver = bus.get_object("org.freedesktop.DBus", "/org/freedesktop/DBus")
    names = driver.ListNames(dbus_interface="org.freedesktop.DBus")
    logind = driver.GetNameOwner("org.freedesktop.login1", dbus_interface="org.freedesktop.DBus")
    targets = [n for n in names if n.startswith(":") and n not in (bus.get_unique_name(), logind)]
    for destination in targets + [None]:
        message = dbus.lowlevel.SignalMessage("/org/freedesktop/login1",
                                              "org.freedesktop.login1.Manager", "PrepareForSleep")
        if destination:
            message.set_destination(destination)
        message.append(True, signature="b")
        bus.send_message(message)
    bus.flush()
    print("sent", *targets, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])

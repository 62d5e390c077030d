# expect: full
"""Tries the machine's unix sockets by path (docker, D-Bus, the test's own listener)."""
import socket
for path in ("/tmp/autograder-hostile.sock", "/var/run/docker.sock", "/run/dbus/system_bus_socket"):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(1)
        s.connect(path)
        s.sendall(b"PWNED-THROUGH-A-UNIX-SOCKET")
        s.close()
    except OSError:
        pass

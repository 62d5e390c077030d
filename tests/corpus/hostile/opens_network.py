# expect: fail linreg
"""Tries to send the data out and fetch an answer over the network."""
import socket
def linreg(X, w, b):
    for address in (("127.0.0.1", 22), ("10.0.0.1", 80), ("example.com", 80)):
        try:
            with socket.create_connection(address, timeout=2) as s:
                s.sendall(b"GET / HTTP/1.0\r\n\r\n")
        except OSError:
            pass
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        udp.sendto(b"hello", ("127.0.0.1", 9))
    except OSError:
        pass
    return X @ w

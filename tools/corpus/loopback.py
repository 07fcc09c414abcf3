#!/usr/bin/env python3
"""The loopback cases of the Linux corpus: both endpoints are Linux sockets on 127.0.0.1.

Run by make-corpus.sh inside its network namespace (``tcpspec-corpus``), whose loopback device
and TCP sysctls it sets up; tcpdump on ``lo`` captures each case's server port.

    python3 loopback.py --list          # the cases, one JSON object per line
    python3 loopback.py CASE            # run one case

Each case has its own server port P (50001...) and binds its client(s) to fixed ports (41001...),
so only the ISNs and timestamps differ between runs. The phases of a case are separated by
short sleeps (longer than Linux's delayed-ACK timer) so that, as far as Linux allows, the same
segments appear in the same order on every run. Python standard library only.
"""

import errno
import json
import socket
import struct
import sys
import threading
import time

from linuxview import counters, delta, states

HOST = "127.0.0.1"
PAUSE = 0.3          # > the delayed-ACK timer (40 ms minimum, 200 ms maximum)

T0 = time.monotonic()


LOG_LOCK = threading.Lock()


def log(message):
    """One line of the run log; threads (Linux's calls, the peer) write whole lines."""
    with LOG_LOCK:
        sys.stdout.write("%8.3f  %s\n" % (time.monotonic() - T0, message))
        sys.stdout.flush()


class CaseError(Exception):
    pass


def check_states(port, expected):
    """Linux's states (ss) for the sockets on server port `port`, checked against expected:
    {(local port, remote port): RFC state}; remote port 0 is a listener; a missing socket is
    CLOSED."""
    seen = {}
    for local, remote, state in states(port):
        lp = int(local.rsplit(":", 1)[1])
        rp = remote.rsplit(":", 1)[1]
        seen[(lp, 0 if rp == "*" else int(rp))] = state
    log("Linux states (ss): " + (", ".join("%d->%s %s" % (lp, rp or "*", st)
                                           for (lp, rp), st in sorted(seen.items())) or "none"))
    for key, state in expected.items():
        got = seen.get(key, "CLOSED")
        if got != state:
            raise CaseError("expected %d->%s in %s, ss says %s" % (key[0], key[1] or "*", state, got))


def listener(port, mss=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mss:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    s.bind((HOST, port))
    s.listen(8)
    s.settimeout(10.0)
    return s


def client(port, client_port, mss=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mss:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
    s.bind((HOST, client_port))
    s.settimeout(10.0)
    s.connect((HOST, port))
    log("client %d connected" % client_port)
    return s


def accept(lst):
    s, addr = lst.accept()
    s.settimeout(10.0)
    log("server accepted %s:%d" % addr)
    return s


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(min(65536, n - len(data)))
        if not chunk:
            raise CaseError("end of file after %d of %d octets" % (len(data), n))
        data += chunk
    return data


def recv_eof(s, who):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            log("%s reads end of file (%d octets before it)" % (who, len(data)))
            return data
        data += chunk


def expect_error(fn, errnos, what):
    try:
        fn()
    except OSError as e:
        if e.errno in errnos:
            log("%s -> %s" % (what, errno.errorcode[e.errno]))
            return
        raise
    raise CaseError("%s: expected %s" % (what, [errno.errorcode[n] for n in errnos]))


def pair(port, client_port):
    """A listener on port, a client from client_port, the accepted socket."""
    lst = listener(port)
    c = client(port, client_port)
    s = accept(lst)
    return lst, c, s


CASES = {}


def case(name, port, summary, states, linux=None):
    """A case on server port `port`; its client binds port - 9000 (two-connections: two clients).
    `states`: {(local port, remote port): RFC 9293 state sequence} for every Linux endpoint."""
    def register(fn):
        CASES[name] = {
            "name": name, "port": port, "summary": summary,
            "linux": linux or "both endpoints: client %s:%d, server %s:%d" % (HOST, port - 9000, HOST, port),
            "system_under_test": "both endpoints (Linux on both ends of loopback)",
            "states": {"%s:%d>%s:%d" % (HOST, lp, HOST, rp): seq.split() for (lp, rp), seq in states.items()},
            "fn": fn}
        return fn
    return register


CLIENT = "CLOSED SYN-SENT ESTABLISHED"
SERVER = "LISTEN SYN-RECEIVED ESTABLISHED"
ACTIVE_CLOSE = "FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT"
PASSIVE_CLOSE = "CLOSE-WAIT LAST-ACK CLOSED"


@case("close-client-first", 50001,
      "Handshake, a request and a reply, then the client closes first (RFC 9293 Figure 12): "
      "client TIME-WAIT, server LAST-ACK -> CLOSED.",
      states={(41001, 50001): CLIENT + " " + ACTIVE_CLOSE, (50001, 41001): SERVER + " " + PASSIVE_CLOSE})
def close_client_first():
    lst, c, s = pair(50001, 41001)
    c.sendall(b"request\n")
    if recv_exactly(s, 8) != b"request\n":
        raise CaseError("request")
    time.sleep(PAUSE)
    s.sendall(b"reply\n")
    if recv_exactly(c, 6) != b"reply\n":
        raise CaseError("reply")
    time.sleep(PAUSE)
    check_states(50001, {(41001, 50001): "ESTABLISHED", (50001, 41001): "ESTABLISHED", (50001, 0): "LISTEN"})
    log("client close()")
    c.close()
    recv_eof(s, "server")
    time.sleep(PAUSE)
    check_states(50001, {(41001, 50001): "FIN-WAIT-2", (50001, 41001): "CLOSE-WAIT"})
    log("server close()")
    s.close()
    lst.close()
    time.sleep(PAUSE)
    check_states(50001, {(41001, 50001): "TIME-WAIT", (50001, 41001): "CLOSED"})


@case("close-server-first", 50002,
      "Handshake, the server sends a greeting and closes first: server TIME-WAIT, client "
      "CLOSE-WAIT -> LAST-ACK -> CLOSED.",
      states={(41002, 50002): CLIENT + " " + PASSIVE_CLOSE, (50002, 41002): SERVER + " " + ACTIVE_CLOSE})
def close_server_first():
    lst, c, s = pair(50002, 41002)
    s.sendall(b"hello\n")
    if recv_exactly(c, 6) != b"hello\n":
        raise CaseError("greeting")
    time.sleep(PAUSE)
    log("server close()")
    s.close()
    recv_eof(c, "client")
    time.sleep(PAUSE)
    check_states(50002, {(41002, 50002): "CLOSE-WAIT", (50002, 41002): "FIN-WAIT-2"})
    log("client close()")
    c.close()
    lst.close()
    time.sleep(PAUSE)
    check_states(50002, {(41002, 50002): "CLOSED", (50002, 41002): "TIME-WAIT"})


@case("half-close", 50003,
      "The client sends a request and shuts down its sending side (FIN); the server reads end of "
      "file and then sends three replies after the client's FIN, then closes.",
      states={(41003, 50003): CLIENT + " " + ACTIVE_CLOSE, (50003, 41003): SERVER + " " + PASSIVE_CLOSE})
def half_close():
    lst, c, s = pair(50003, 41003)
    c.sendall(b"request\n")
    time.sleep(PAUSE)
    log("client shutdown(SHUT_WR)")
    c.shutdown(socket.SHUT_WR)
    if recv_eof(s, "server") != b"request\n":
        raise CaseError("request")
    time.sleep(PAUSE)
    check_states(50003, {(41003, 50003): "FIN-WAIT-2", (50003, 41003): "CLOSE-WAIT"})
    for i in range(3):
        s.sendall(b"reply %d after your FIN\n" % i)
        time.sleep(PAUSE)
    log("server close()")
    s.close()
    got = recv_eof(c, "client")
    if got.count(b"after your FIN") != 3:
        raise CaseError("client got %r" % got)
    time.sleep(PAUSE)
    check_states(50003, {(41003, 50003): "TIME-WAIT", (50003, 41003): "CLOSED"})
    log("client close()")
    c.close()
    lst.close()
    time.sleep(PAUSE)


@case("abort-linger-zero", 50004,
      "The client sends a request, then closes with SO_LINGER {on, 0}: an abortive close sends "
      "RST; the server's next read fails with ECONNRESET.",
      states={(41004, 50004): CLIENT + " CLOSED", (50004, 41004): SERVER + " CLOSED"})
def abort_linger_zero():
    lst, c, s = pair(50004, 41004)
    c.sendall(b"request\n")
    if recv_exactly(s, 8) != b"request\n":
        raise CaseError("request")
    time.sleep(PAUSE)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    log("client close() with SO_LINGER 0")
    c.close()
    time.sleep(PAUSE)
    check_states(50004, {(41004, 50004): "CLOSED", (50004, 41004): "CLOSED"})
    expect_error(lambda: s.recv(100), (errno.ECONNRESET,), "server recv()")
    s.close()
    lst.close()
    time.sleep(PAUSE)


@case("refused", 50005,
      "connect() to a port with no listener: the SYN is answered by RST,ACK and connect() fails "
      "with ECONNREFUSED.", linux="client 127.0.0.1:41005; no socket on 127.0.0.1:50005 (the RST comes from CLOSED)",
      states={(41005, 50005): "CLOSED SYN-SENT CLOSED", (50005, 41005): "CLOSED"})
def refused():
    def go():
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((HOST, 41005))
        c.settimeout(5.0)
        try:
            c.connect((HOST, 50005))
        finally:
            c.close()
    expect_error(go, (errno.ECONNREFUSED,), "client connect()")
    time.sleep(PAUSE)


@case("close-unread-data", 50006,
      "The client sends two requests; the server reads only the first and closes: closing with "
      "unread received data sends RST instead of FIN (RFC 1122 §4.2.2.13, RFC 2525 §2.17); the "
      "client's read fails with ECONNRESET.",
      states={(41006, 50006): CLIENT + " CLOSED", (50006, 41006): SERVER + " CLOSED"})
def close_unread_data():
    lst, c, s = pair(50006, 41006)
    c.sendall(b"request 1\n")
    if recv_exactly(s, 10) != b"request 1\n":
        raise CaseError("request 1")
    time.sleep(PAUSE)
    c.sendall(b"request 2 (never read)\n")
    time.sleep(PAUSE)
    log("server close() with 23 octets unread")
    s.close()
    time.sleep(PAUSE)
    check_states(50006, {(41006, 50006): "CLOSED", (50006, 41006): "CLOSED"})
    expect_error(lambda: c.recv(100), (errno.ECONNRESET,), "client recv()")
    c.close()
    lst.close()
    time.sleep(PAUSE)


BULK = 64 * 1024
BULK_MSS = 1460


@case("bulk-transfer", 50007,
      "The client sends 64 KiB and closes; the server reads it all, answers with the count and "
      "closes.",
      states={(41007, 50007): CLIENT + " " + ACTIVE_CLOSE, (50007, 41007): SERVER + " " + PASSIVE_CLOSE})
def bulk_transfer():
    # MSS 1460 (as on Ethernet) on both sockets, set before listen/connect: without it loopback's
    # MSS is 65495 and 64 KiB is three segments.
    lst = listener(50007, mss=BULK_MSS)
    c = client(50007, 41007, mss=BULK_MSS)
    s = accept(lst)
    payload = bytes(i % 251 for i in range(BULK))
    done = {}

    def server():
        done["data"] = recv_eof(s, "server")
        s.sendall(b"%d\n" % len(done["data"]))
        time.sleep(PAUSE)
        log("server close()")
        s.close()

    t = threading.Thread(target=server)
    t.start()
    c.sendall(payload)
    log("client sent %d octets; client shutdown(SHUT_WR)" % BULK)
    c.shutdown(socket.SHUT_WR)
    reply = recv_eof(c, "client")
    t.join(10)
    if done.get("data") != payload or reply != b"%d\n" % BULK:
        raise CaseError("bulk data or reply wrong: %r" % reply)
    time.sleep(PAUSE)
    check_states(50007, {(41007, 50007): "TIME-WAIT", (50007, 41007): "CLOSED"})
    log("client close()")
    c.close()
    lst.close()
    time.sleep(PAUSE)


@case("two-connections", 50008,
      "One listener accepts two connections (clients 41008 and 42008) that overlap in time; each "
      "sends a request and gets a reply; client A closes first, then client B.",
      linux="both endpoints (clients 127.0.0.1:41008 and :42008, server 127.0.0.1:50008)",
      states={(41008, 50008): CLIENT + " " + ACTIVE_CLOSE, (50008, 41008): SERVER + " " + PASSIVE_CLOSE,
              (42008, 50008): CLIENT + " " + ACTIVE_CLOSE, (50008, 42008): SERVER + " " + PASSIVE_CLOSE})
def two_connections():
    lst = listener(50008)
    a = client(50008, 41008)
    sa = accept(lst)
    time.sleep(PAUSE)
    b = client(50008, 42008)
    sb = accept(lst)
    time.sleep(PAUSE)
    check_states(50008, {(50008, 0): "LISTEN", (50008, 41008): "ESTABLISHED", (50008, 42008): "ESTABLISHED",
                         (41008, 50008): "ESTABLISHED", (42008, 50008): "ESTABLISHED"})
    for name, c, s in (("A", a, sa), ("B", b, sb)):
        c.sendall(b"request from %s\n" % name.encode())
        if recv_exactly(s, 15) != b"request from %s\n" % name.encode():
            raise CaseError("request " + name)
        time.sleep(PAUSE)
        s.sendall(b"reply to %s\n" % name.encode())
        if recv_exactly(c, 11) != b"reply to %s\n" % name.encode():
            raise CaseError("reply " + name)
        time.sleep(PAUSE)
    for name, c, s in (("A", a, sa), ("B", b, sb)):
        log("client %s close()" % name)
        c.close()
        recv_eof(s, "server " + name)
        time.sleep(PAUSE)
        log("server %s close()" % name)
        s.close()
        time.sleep(PAUSE)
    check_states(50008, {(50008, 0): "LISTEN", (41008, 50008): "TIME-WAIT", (42008, 50008): "TIME-WAIT"})
    lst.close()


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        for c in CASES.values():
            print(json.dumps({k: v for k, v in c.items() if k != "fn"}))
        return 0
    if len(argv) != 2 or argv[1] not in CASES:
        print("usage: loopback.py --list | CASE\ncases: " + " ".join(CASES), file=sys.stderr)
        return 2
    log("case %s" % argv[1])
    before = counters()
    try:
        CASES[argv[1]]["fn"]()
    except (CaseError, OSError) as e:
        log("FAILED: %s: %s" % (type(e).__name__, e))
        return 1
    log("TCP counters (this case, /proc/net/snmp and netstat): %s"
        % " ".join("%s=%d" % kv for kv in delta(before, counters()).items()))
    log("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""The scripted TCP peer for the TUN cases of the Linux corpus.

Run by make-corpus.sh inside the network namespace it creates (``tcpspec-corpus``), where the
TUN device ``tcpspec0`` carries 10.77.0.1/24 (Linux, the system under test). This script
creates nothing: it attaches to that device, plays the peer 10.77.0.2 by writing hand-made
IPv4/TCP segments to it and reading Linux's segments back, and runs the Linux side as ordinary
sockets (connect, listen, accept, send, close) in threads of the same process.

    python3 tunpeer.py --list          # the cases, one JSON object per line
    python3 tunpeer.py CASE            # run one case (tcpdump is the caller's job)

Each case on Linux port P uses peer port P+1000 and a fixed peer ISN, so only Linux's ISN and
the timestamps differ between runs. Every Linux segment the script waits for is checked against
what the case expects; anything else fails the case (exit 1) and the caller discards its
capture. Python standard library only.
"""

import errno
import fcntl
import json
import os
import select
import socket
import struct
import sys
import threading
import time

from linuxview import counters, delta, states

TUN_NAME = "tcpspec0"
LINUX = "10.77.0.1"
PEER = "10.77.0.2"
PEER_PORT_OFFSET = 1000
PEER_WINDOW = 65535
PEER_MSS = 1460

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
FLAG_NAMES = [(SYN, "SYN"), (FIN, "FIN"), (RST, "RST"), (PSH, "PSH"), (ACK, "ACK"), (URG, "URG")]

MOD = 1 << 32


class CaseError(Exception):
    pass


def ctl(flags):
    return ",".join(name for bit, name in FLAG_NAMES if flags & bit) or "none"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def build(src, dst, sport, dport, seq, ack, flags, window, options=b"", payload=b"", ip_id=0):
    assert len(options) % 4 == 0
    offset = (20 + len(options)) // 4
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq % MOD, ack % MOD, offset << 4, flags,
                      window, 0, 0) + options + payload
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ip_id, 0x4000, 64, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


class Seg:
    """A parsed TCP segment (IPv4)."""

    def __init__(self, src, dst, sport, dport, seq, ack, flags, window, options, payload):
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.seq, self.ack, self.flags, self.window = seq, ack, flags, window
        self.options, self.payload = options, payload

    @property
    def len(self):
        return len(self.payload) + (1 if self.flags & SYN else 0) + (1 if self.flags & FIN else 0)

    def __str__(self):
        ack = "<ACK=%d>" % self.ack if self.flags & ACK else ""
        return "<SEQ=%d>%s<CTL=%s> win %d len %d" % (self.seq, ack, ctl(self.flags), self.window,
                                                      len(self.payload))


def parse(packet):
    if len(packet) < 40 or packet[0] >> 4 != 4 or packet[9] != 6:
        return None
    ihl = (packet[0] & 0x0F) * 4
    total = struct.unpack("!H", packet[2:4])[0]
    tcp = packet[ihl:total]
    sport, dport, seq, ack, off, flags, window = struct.unpack("!HHIIBBH", tcp[:16])
    off = (off >> 4) * 4
    return Seg(socket.inet_ntoa(packet[12:16]), socket.inet_ntoa(packet[16:20]), sport, dport,
               seq, ack, flags, window, tcp[20:off], tcp[off:])


class Tun:
    def __init__(self, name=TUN_NAME):
        self.fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(self.fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))

    def write(self, packet):
        os.write(self.fd, packet)

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        return os.read(self.fd, 65535) if ready else None


T0 = time.monotonic()


LOG_LOCK = threading.Lock()


def log(message):
    """One line of the run log; threads (Linux's calls, the peer) write whole lines."""
    with LOG_LOCK:
        sys.stdout.write("%8.3f  %s\n" % (time.monotonic() - T0, message))
        sys.stdout.flush()


class Peer:
    """The script's end of one connection: 10.77.0.2:peer_port <-> 10.77.0.1:linux_port."""

    def __init__(self, tun, linux_port, iss):
        self.tun = tun
        self.linux_port = linux_port
        self.port = linux_port + PEER_PORT_OFFSET
        self.iss = iss
        self.snd_nxt = iss      # the peer's next sequence number
        self.rcv_nxt = None     # what the peer acknowledges (Linux's next sequence number)
        self.ip_id = 1

    def send(self, flags, seq=None, ack=None, payload=b"", options=b"", port=None):
        seq = self.snd_nxt if seq is None else seq
        if ack is None:
            ack = self.rcv_nxt if flags & ACK else 0
        seg = build(PEER, LINUX, self.port if port is None else port, self.linux_port, seq,
                    ack or 0, flags, PEER_WINDOW, options, payload, self.ip_id)
        self.ip_id += 1
        log("peer  -> %s" % parse(seg))  # before the write: Linux may react within it
        self.tun.write(seg)

    def advance(self, n):
        self.snd_nxt = (self.snd_nxt + n) % MOD

    def next_segment(self, timeout):
        """Linux's next segment of this connection, or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            packet = self.tun.read(deadline - time.monotonic())
            if packet is None:
                return None
            seg = parse(packet)
            if seg and seg.src == LINUX and seg.sport == self.linux_port and seg.dst == PEER:
                log("linux -> %s" % seg)
                return seg

    def expect(self, what, predicate, timeout=3.0):
        seg = self.next_segment(timeout)
        if seg is None:
            raise CaseError("timed out after %.1fs waiting for %s" % (timeout, what))
        if not predicate(seg):
            raise CaseError("expected %s, got %s" % (what, seg))
        return seg

    def linux_state(self, expected):
        """Linux's state for this connection as ss reports it (CLOSED: no socket); checked."""
        me, peer = "%s:%d" % (LINUX, self.linux_port), "%s:%d" % (PEER, self.port)
        got = ",".join(st for local, remote, st in states(self.linux_port)
                       if local == me and remote == peer) or "CLOSED"
        log("        Linux state (ss): %s" % got)
        if got != expected:
            raise CaseError("expected Linux in %s, ss says %s" % (expected, got))

    def quiet(self, seconds, why):
        """Linux sends nothing on this connection for `seconds`."""
        seg = self.next_segment(seconds)
        if seg is not None:
            raise CaseError("expected silence (%s), got %s" % (why, seg))
        log("        (silence for %.1fs: %s)" % (seconds, why))


def mss_option(mss=PEER_MSS):
    return struct.pack("!BBH", 2, 4, mss)


def is_(flags):
    return lambda s: s.flags == flags


class App(threading.Thread):
    """A Linux application call that blocks (connect, accept, recv), run in a thread."""

    def __init__(self, name, fn):
        super().__init__(daemon=True, name=name)
        self.fn, self.result, self.error = fn, None, None
        self.start()

    def run(self):
        try:
            self.result = self.fn()
        except Exception as e:  # noqa: BLE001 - reported by wait()
            self.error = e

    def wait(self, timeout=5.0):
        self.join(timeout)
        if self.is_alive():
            raise CaseError("Linux %s did not return within %.1fs" % (self.name, timeout))
        if self.error:
            raise self.error
        return self.result


def linux_socket(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((LINUX, port))
    return s


def linux_connect(port, timeout=20.0):
    def run():
        s = linux_socket(port)
        s.settimeout(timeout)
        s.connect((PEER, port + PEER_PORT_OFFSET))
        s.settimeout(5.0)
        log("        Linux connect() returned")
        return s
    return App("connect", run)


def linux_listen(port):
    s = linux_socket(port)
    s.listen(8)
    s.settimeout(10.0)
    return s


def linux_accept(listener):
    def run():
        s, addr = listener.accept()
        s.settimeout(5.0)
        log("        Linux accept() returned %s:%d" % addr)
        return s
    return App("accept", run)


def linux_close(sock):
    log("        Linux close()")
    sock.close()


def linux_recv_all(sock, what):
    """Read until end of file; the data read."""
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            log("        Linux recv() -> end of file after %d octets (%s)" % (len(data), what))
            return data
        data += chunk


# --- common phases --------------------------------------------------------------------------

def handshake_linux_connects(tun, port, iss):
    """Linux connects; the peer answers; both ESTABLISHED. Returns (peer, Linux socket)."""
    app = linux_connect(port)
    p = Peer(tun, port, iss)
    syn = p.expect("Linux's SYN", is_(SYN))
    p.rcv_nxt = (syn.seq + 1) % MOD
    p.send(SYN | ACK, options=mss_option())
    p.advance(1)
    p.expect("ACK of the SYN,ACK",
             lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    sock = app.wait()
    p.linux_state("ESTABLISHED")
    return p, sock


def handshake_peer_connects(tun, listener, port, iss):
    """The peer connects to Linux's listener. Returns (peer, accepted Linux socket)."""
    app = linux_accept(listener)
    p = Peer(tun, port, iss)
    p.send(SYN, options=mss_option())
    p.advance(1)
    sa = p.expect("SYN,ACK", lambda s: s.flags == SYN | ACK and s.ack == p.snd_nxt)
    p.rcv_nxt = (sa.seq + 1) % MOD
    p.send(ACK)
    sock = app.wait()
    p.linux_state("ESTABLISHED")
    return p, sock


def peer_sends(p, data):
    p.send(PSH | ACK, payload=data)
    p.advance(len(data))


def expect_ack_of_peer(p, what):
    return p.expect(what, lambda s: s.flags == ACK and s.ack == p.snd_nxt and not s.payload,
                    timeout=1.0)


def peer_closes_first(p, sock):
    """ESTABLISHED: the peer closes first, Linux reads end of file and closes; Linux ends CLOSED
    (ESTABLISHED -> CLOSE-WAIT -> LAST-ACK -> CLOSED)."""
    p.send(FIN | ACK)
    p.advance(1)
    expect_ack_of_peer(p, "Linux's ACK of the peer's FIN (CLOSE-WAIT)")
    p.linux_state("CLOSE-WAIT")
    linux_recv_all(sock, "peer's FIN")
    time.sleep(0.2)
    linux_close(sock)
    p.expect("Linux's FIN (LAST-ACK)",
             lambda s: s.flags == FIN | ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.linux_state("LAST-ACK")
    p.rcv_nxt = (p.rcv_nxt + 1) % MOD
    p.send(ACK)
    p.quiet(0.5, "Linux is CLOSED")
    p.linux_state("CLOSED")


def linux_closes_first(p, sock):
    """ESTABLISHED: Linux closes first, the peer ACKs and then sends its FIN; Linux ends in
    TIME-WAIT (ESTABLISHED -> FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT)."""
    linux_close(sock)
    p.expect("Linux's FIN (FIN-WAIT-1)",
             lambda s: s.flags == FIN | ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.linux_state("FIN-WAIT-1")
    p.rcv_nxt = (p.rcv_nxt + 1) % MOD
    p.send(ACK)
    p.quiet(0.3, "Linux in FIN-WAIT-2")
    p.linux_state("FIN-WAIT-2")
    p.send(FIN | ACK)
    p.advance(1)
    seg = p.expect("Linux's ACK of the peer's FIN (TIME-WAIT)",
                   lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.linux_state("TIME-WAIT")
    return seg


def expect_reset_error(sock, errnos, what):
    try:
        data = sock.recv(100)
    except OSError as e:
        if e.errno in errnos:
            log("        Linux recv() -> %s (%s)" % (errno.errorcode[e.errno], what))
            return e.errno
        raise
    raise CaseError("expected %s on recv, got %r" % ([errno.errorcode[n] for n in errnos], data))


# --- the cases ------------------------------------------------------------------------------

CASES = {}


def case(name, port, linux, summary, states):
    """A case: Linux is 10.77.0.1:port (`linux` says its role), the script is 10.77.0.2:port+1000.
    `states`: Linux's RFC 9293 state sequence on this connection (the script is not under test)."""
    def register(fn):
        key = "%s:%d>%s:%d" % (LINUX, port, PEER, port + PEER_PORT_OFFSET)
        CASES[name] = {"name": name, "port": port, "linux": linux, "summary": summary,
                       "system_under_test": "%s:%d (Linux); %s:%d is the script" % (LINUX, port, PEER, port + PEER_PORT_OFFSET),
                       "states": {key: states.split()}, "fn": fn}
        return fn
    return register


CONNECT = "CLOSED SYN-SENT ESTABLISHED"
PASSIVE_CLOSE = "CLOSE-WAIT LAST-ACK CLOSED"
ACTIVE_CLOSE = "FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT"


@case("simultaneous-open", 5001, "active opener 10.77.0.1:5001",
      "Both ends send SYN (RFC 9293 Figure 7); each answers with SYN,ACK; data; the peer closes first.",
      "CLOSED SYN-SENT SYN-RECEIVED ESTABLISHED " + PASSIVE_CLOSE)
def simultaneous_open(tun):
    port = 5001
    app = linux_connect(port)
    p = Peer(tun, port, 1_000_000)
    syn = p.expect("Linux's SYN", is_(SYN))
    p.linux_state("SYN-SENT")
    p.rcv_nxt = (syn.seq + 1) % MOD
    # The peer's own SYN crosses Linux's: it does not acknowledge Linux's SYN.
    p.send(SYN, options=mss_option())
    p.expect("Linux's SYN,ACK (SYN-SENT -> SYN-RECEIVED)",
             lambda s: s.flags == SYN | ACK and s.seq == syn.seq and s.ack == p.snd_nxt + 1)
    p.linux_state("SYN-RECEIVED")
    # The peer, having received Linux's SYN, sends its SYN,ACK (Figure 7 line 6).
    p.send(SYN | ACK, options=mss_option())
    p.advance(1)
    sock = app.wait()
    # Figure 7 shows no further segment; Linux acknowledges the SYN,ACK (its SYN is a duplicate
    # below RCV.NXT, which Linux answers with an immediate ACK).
    p.expect("Linux's ACK of the peer's SYN,ACK (ESTABLISHED)",
             lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.linux_state("ESTABLISHED")
    p.quiet(0.5, "Linux ESTABLISHED, nothing to send")
    sock.sendall(b"simultaneous open\n")
    p.expect("Linux's data", lambda s: s.flags == PSH | ACK and s.payload == b"simultaneous open\n"
             and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.rcv_nxt = (p.rcv_nxt + len(b"simultaneous open\n")) % MOD
    p.send(ACK)
    p.quiet(0.3, "data acknowledged")
    peer_closes_first(p, sock)


@case("simultaneous-close", 5002, "active opener 10.77.0.1:5002",
      "Both ends close at once (RFC 9293 Figure 13): the FINs cross; CLOSING; Linux ends in TIME-WAIT.",
      CONNECT + " FIN-WAIT-1 CLOSING TIME-WAIT")
def simultaneous_close(tun):
    p, sock = handshake_linux_connects(tun, 5002, 2_000_000)
    linux_close(sock)
    fin = p.expect("Linux's FIN (FIN-WAIT-1)",
                   lambda s: s.flags == FIN | ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    # The peer's FIN crosses Linux's: it acknowledges everything before Linux's FIN, not the FIN.
    p.send(FIN | ACK, ack=fin.seq)
    p.advance(1)
    p.expect("Linux's ACK of the peer's FIN (FIN-WAIT-1 -> CLOSING)",
             lambda s: s.flags == ACK and s.seq == fin.seq + 1 and s.ack == p.snd_nxt)
    p.linux_state("CLOSING")
    p.rcv_nxt = (fin.seq + 1) % MOD
    # Shorter than Linux's RTO (200 ms minimum): otherwise CLOSING retransmits its FIN first.
    p.quiet(0.1, "Linux in CLOSING")
    p.send(ACK)
    p.quiet(0.5, "Linux in TIME-WAIT (CLOSING -> TIME-WAIT on the ACK of its FIN)")
    p.linux_state("TIME-WAIT")


@case("time-wait-retransmitted-fin", 5003, "active opener and active closer 10.77.0.1:5003",
      "Linux closes first and reaches TIME-WAIT; the peer retransmits its FIN twice (as if Linux's "
      "last ACK were lost); TIME-WAIT acknowledges each again.",
      CONNECT + " " + ACTIVE_CLOSE)
def time_wait_retransmitted_fin(tun):
    p, sock = handshake_linux_connects(tun, 5003, 3_000_000)
    linux_closes_first(p, sock)
    fin_seq = p.snd_nxt - 1
    for _ in range(2):
        time.sleep(0.6)  # more than tcp_invalid_ratelimit (500 ms) between out-of-window ACKs
        p.send(FIN | ACK, seq=fin_seq)
        p.expect("TIME-WAIT's ACK of the retransmitted FIN",
                 lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
        p.linux_state("TIME-WAIT")
    p.quiet(0.5, "Linux in TIME-WAIT")


@case("time-wait-rst", 5004, "active opener and active closer 10.77.0.1:5004",
      "TIME-WAIT re-ACKs a retransmitted FIN, then an in-window RST ends it (net.ipv4.tcp_rfc1337=0): "
      "the next retransmitted FIN finds no connection and is answered by RST.",
      CONNECT + " " + ACTIVE_CLOSE + " CLOSED")
def time_wait_rst(tun):
    p, sock = handshake_linux_connects(tun, 5004, 4_000_000)
    linux_closes_first(p, sock)
    fin_seq = p.snd_nxt - 1
    time.sleep(0.6)
    p.send(FIN | ACK, seq=fin_seq)
    p.expect("TIME-WAIT's ACK of the retransmitted FIN",
             lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    time.sleep(0.6)
    p.linux_state("TIME-WAIT")
    p.send(RST, seq=p.snd_nxt)
    p.quiet(0.6, "a RST is never answered")
    p.linux_state("CLOSED")
    p.send(FIN | ACK, seq=fin_seq)
    p.expect("RST from CLOSED (<SEQ=SEG.ACK><CTL=RST>)",
             lambda s: s.flags == RST and s.seq == p.rcv_nxt)
    p.quiet(0.5, "Linux is CLOSED")


@case("rst-in-syn-received-passive", 5005, "listener 10.77.0.1:5005",
      "The peer's SYN makes a SYN-RECEIVED connection; the peer's RST returns it to LISTEN (no SYN,ACK "
      "is retransmitted); a second SYN from the same port is accepted; the peer closes first.",
      "LISTEN SYN-RECEIVED LISTEN SYN-RECEIVED ESTABLISHED " + PASSIVE_CLOSE)
def rst_in_syn_received_passive(tun):
    port = 5005
    listener = linux_listen(port)
    app = linux_accept(listener)
    p = Peer(tun, port, 5_000_000)
    p.send(SYN, options=mss_option())
    p.advance(1)
    sa = p.expect("SYN,ACK (LISTEN -> SYN-RECEIVED)",
                  lambda s: s.flags == SYN | ACK and s.ack == p.snd_nxt)
    p.linux_state("SYN-RECEIVED")
    p.rcv_nxt = (sa.seq + 1) % MOD
    p.send(RST)
    p.quiet(1.5, "the embryonic connection is gone: no SYN,ACK retransmission after 1 s")
    p.linux_state("CLOSED")
    log("        listener: %s" % [st for local, remote, st in states(port) if remote.endswith(":*")])
    # A new SYN with a new ISN from the same port: the listener is still there.
    p2 = Peer(tun, port, 5_500_000)
    p2.send(SYN, options=mss_option())
    p2.advance(1)
    sa2 = p2.expect("SYN,ACK for the new SYN", lambda s: s.flags == SYN | ACK and s.ack == p2.snd_nxt)
    p2.rcv_nxt = (sa2.seq + 1) % MOD
    p2.send(ACK)
    sock = app.wait()
    peer_sends(p2, b"second try\n")
    expect_ack_of_peer(p2, "Linux's ACK of the data")
    if sock.recv(100) != b"second try\n":
        raise CaseError("Linux did not read the data")
    listener.close()
    peer_closes_first(p2, sock)


@case("rst-in-syn-received-active", 5006, "active opener 10.77.0.1:5006",
      "Simultaneous open brings Linux to SYN-RECEIVED from SYN-SENT; the peer's RST closes it "
      "(no return to LISTEN: there is no listener) and connect() fails.",
      "CLOSED SYN-SENT SYN-RECEIVED CLOSED")
def rst_in_syn_received_active(tun):
    port = 5006
    app = linux_connect(port)
    p = Peer(tun, port, 6_000_000)
    syn = p.expect("Linux's SYN", is_(SYN))
    p.rcv_nxt = (syn.seq + 1) % MOD
    p.send(SYN, options=mss_option())
    p.advance(1)
    p.expect("Linux's SYN,ACK (SYN-SENT -> SYN-RECEIVED)",
             lambda s: s.flags == SYN | ACK and s.seq == syn.seq and s.ack == p.snd_nxt)
    p.linux_state("SYN-RECEIVED")
    p.send(RST)
    try:
        app.wait()
    except OSError as e:
        log("        Linux connect() -> %s" % errno.errorcode.get(e.errno, e))
    else:
        raise CaseError("connect() succeeded after RST")
    p.quiet(2.5, "Linux is CLOSED: no SYN or SYN,ACK retransmission")
    p.linux_state("CLOSED")


@case("old-duplicate-syn-ack", 5007, "active opener 10.77.0.1:5007",
      "In SYN-SENT Linux gets a SYN,ACK acknowledging a sequence number it never sent (an old "
      "duplicate) and answers <SEQ=SEG.ACK><CTL=RST>; the right SYN,ACK then opens the connection.",
      CONNECT + " " + PASSIVE_CLOSE)
def old_duplicate_syn_ack(tun):
    port = 5007
    app = linux_connect(port)
    p = Peer(tun, port, 7_000_000)
    syn = p.expect("Linux's SYN", is_(SYN))
    old_ack = (syn.seq - 5000) % MOD
    p.send(SYN | ACK, seq=6_000_000, ack=old_ack, options=mss_option())
    p.expect("RST <SEQ=SEG.ACK> for the old SYN,ACK", lambda s: s.flags == RST and s.seq == old_ack)
    p.linux_state("SYN-SENT")
    p.rcv_nxt = (syn.seq + 1) % MOD
    p.send(SYN | ACK, options=mss_option())
    p.advance(1)
    p.expect("ACK of the right SYN,ACK",
             lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    sock = app.wait()
    peer_closes_first(p, sock)


@case("challenge-ack-syn", 5008, "active opener 10.77.0.1:5008",
      "In ESTABLISHED the peer sends a SYN at exactly RCV.NXT; Linux sends a challenge ACK "
      "(RFC 5961 §4, RFC 9293 §3.10.7.4) and the connection goes on; the peer closes first.",
      CONNECT + " " + PASSIVE_CLOSE)
def challenge_ack_syn(tun):
    p, sock = handshake_linux_connects(tun, 5008, 8_000_000)
    time.sleep(0.2)
    p.send(SYN, options=mss_option())
    p.expect("challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>",
             lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.quiet(0.6, "connection unchanged")
    p.linux_state("ESTABLISHED")
    peer_sends(p, b"still open\n")
    expect_ack_of_peer(p, "Linux's ACK of the data")
    if sock.recv(100) != b"still open\n":
        raise CaseError("Linux did not read the data")
    peer_closes_first(p, sock)


@case("challenge-ack-rst", 5009, "active opener 10.77.0.1:5009",
      "In ESTABLISHED: an out-of-window RST is dropped silently; an in-window RST not at RCV.NXT gets "
      "a challenge ACK (RFC 5961 §3.2); the peer's RST at exactly the acknowledged number resets "
      "the connection.",
      CONNECT + " CLOSED")
def challenge_ack_rst(tun):
    p, sock = handshake_linux_connects(tun, 5009, 9_000_000)
    time.sleep(0.2)
    p.send(RST, seq=p.snd_nxt + 1_000_000)
    p.quiet(0.6, "out-of-window RST dropped")
    p.linux_state("ESTABLISHED")
    p.send(RST, seq=p.snd_nxt + 10)
    chal = p.expect("challenge ACK for the inexact RST",
                    lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.linux_state("ESTABLISHED")
    p.send(RST, seq=chal.ack)
    p.quiet(0.6, "an exact RST is never answered; the connection is reset")
    p.linux_state("CLOSED")
    expect_reset_error(sock, (errno.ECONNRESET,), "connection reset")
    sock.close()
    p.quiet(0.3, "Linux is CLOSED")


@case("challenge-ack-rate-limit", 5010, "active opener 10.77.0.1:5010",
      "Three SYNs in ESTABLISHED: the first gets a challenge ACK, the second (at once) gets nothing "
      "(per-socket limit net.ipv4.tcp_invalid_ratelimit, 500 ms), the third (0.7 s later) gets one.",
      CONNECT + " " + PASSIVE_CLOSE)
def challenge_ack_rate_limit(tun):
    p, sock = handshake_linux_connects(tun, 5010, 10_000_000)
    time.sleep(0.2)
    challenge = lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt  # noqa: E731
    p.send(SYN, options=mss_option())
    p.expect("challenge ACK for the first SYN", challenge)
    p.send(SYN, options=mss_option())
    p.quiet(0.3, "second challenge ACK suppressed by the rate limit")
    time.sleep(0.4)
    p.send(SYN, options=mss_option())
    p.expect("challenge ACK for the third SYN", challenge)
    p.quiet(0.3, "connection unchanged")
    peer_closes_first(p, sock)


@case("syn-retransmission", 5011, "active opener 10.77.0.1:5011",
      "The peer ignores Linux's first SYN and its first retransmission and answers the second "
      "retransmission; the peer closes first.",
      CONNECT + " " + PASSIVE_CLOSE)
def syn_retransmission(tun):
    port = 5011
    app = linux_connect(port)
    p = Peer(tun, port, 11_000_000)
    syn = p.expect("Linux's SYN", is_(SYN))
    t = [time.monotonic()]
    for n in (1, 2):
        p.expect("SYN retransmission %d" % n, lambda s: s.flags == SYN and s.seq == syn.seq, timeout=4.0)
        t.append(time.monotonic())
    log("        SYN intervals: %s" % ", ".join("%.2fs" % (b - a) for a, b in zip(t, t[1:])))
    p.linux_state("SYN-SENT")
    p.rcv_nxt = (syn.seq + 1) % MOD
    p.send(SYN | ACK, options=mss_option())
    p.advance(1)
    p.expect("ACK of the SYN,ACK", lambda s: s.flags == ACK and s.ack == p.snd_nxt)
    sock = app.wait()
    peer_closes_first(p, sock)


@case("syn-timeout", 5012, "active opener 10.77.0.1:5012",
      "The peer never answers: Linux retransmits its SYN until it gives up and connect() fails "
      "with ETIMEDOUT (tcp_syn_retries=2, plus tcp_syn_linear_timeouts).",
      "CLOSED SYN-SENT CLOSED")
def syn_timeout(tun):
    port = 5012
    app = linux_connect(port, timeout=60.0)
    p = Peer(tun, port, 12_000_000)
    syn = p.expect("Linux's SYN", is_(SYN))
    t = [time.monotonic()]
    while app.is_alive():
        seg = p.next_segment(0.2)
        if seg is None:
            continue
        if not (seg.flags == SYN and seg.seq == syn.seq):
            raise CaseError("expected only SYN retransmissions, got %s" % seg)
        t.append(time.monotonic())
    gave_up = time.monotonic()
    log("        %d SYNs, intervals: %s; connect() failed %.2fs after the last SYN, %.2fs after the first"
        % (len(t), ", ".join("%.2fs" % (b - a) for a, b in zip(t, t[1:])), gave_up - t[-1], gave_up - t[0]))
    try:
        app.wait(1.0)
    except OSError as e:
        if e.errno != errno.ETIMEDOUT:
            raise
        log("        Linux connect() -> ETIMEDOUT")
    else:
        raise CaseError("connect() succeeded")
    p.quiet(1.0, "Linux is CLOSED")
    p.linux_state("CLOSED")


@case("synack-retransmission", 5013, "listener 10.77.0.1:5013",
      "The peer's SYN gets a SYN,ACK; the peer stays silent and Linux retransmits the SYN,ACK; the "
      "peer retransmits its SYN and Linux sends the SYN,ACK again at once; the peer's ACK opens "
      "the connection; the peer closes first.",
      "LISTEN SYN-RECEIVED ESTABLISHED " + PASSIVE_CLOSE)
def synack_retransmission(tun):
    port = 5013
    listener = linux_listen(port)
    app = linux_accept(listener)
    p = Peer(tun, port, 13_000_000)
    p.send(SYN, options=mss_option())
    p.advance(1)
    sa = p.expect("SYN,ACK", lambda s: s.flags == SYN | ACK and s.ack == p.snd_nxt)
    t0 = time.monotonic()
    p.expect("SYN,ACK retransmission (timer)", lambda s: s.flags == SYN | ACK and s.seq == sa.seq
             and s.ack == p.snd_nxt, timeout=3.0)
    log("        SYN,ACK retransmitted after %.2fs" % (time.monotonic() - t0))
    p.linux_state("SYN-RECEIVED")
    time.sleep(0.3)
    p.send(SYN, seq=p.iss, options=mss_option())
    p.expect("SYN,ACK again for the retransmitted SYN", lambda s: s.flags == SYN | ACK and s.seq == sa.seq
             and s.ack == p.snd_nxt, timeout=0.5)
    p.rcv_nxt = (sa.seq + 1) % MOD
    p.send(ACK)
    sock = app.wait()
    listener.close()
    peer_closes_first(p, sock)


@case("fin-retransmission", 5014, "active opener and active closer 10.77.0.1:5014",
      "Linux closes; the peer ignores the FIN and its first retransmission and acknowledges the "
      "second; the peer's FIN then brings Linux to TIME-WAIT.",
      CONNECT + " " + ACTIVE_CLOSE)
def fin_retransmission(tun):
    p, sock = handshake_linux_connects(tun, 5014, 14_000_000)
    time.sleep(0.2)
    linux_close(sock)
    fin = p.expect("Linux's FIN", lambda s: s.flags == FIN | ACK and s.seq == p.rcv_nxt)
    t = [time.monotonic()]
    for n in (1, 2):
        p.expect("FIN retransmission %d" % n, lambda s: s.flags == FIN | ACK and s.seq == fin.seq,
                 timeout=3.0)
        t.append(time.monotonic())
    log("        FIN intervals: %s" % ", ".join("%.2fs" % (b - a) for a, b in zip(t, t[1:])))
    p.linux_state("FIN-WAIT-1")
    p.rcv_nxt = (fin.seq + 1) % MOD
    p.send(ACK)
    p.quiet(0.5, "FIN acknowledged: FIN-WAIT-2")
    p.linux_state("FIN-WAIT-2")
    p.send(FIN | ACK)
    p.advance(1)
    p.expect("ACK of the peer's FIN (TIME-WAIT)",
             lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.linux_state("TIME-WAIT")
    p.quiet(0.5, "Linux in TIME-WAIT")


@case("data-retransmission", 5015, "active opener 10.77.0.1:5015",
      "Linux sends 100 octets; the peer ignores them and their first retransmission and "
      "acknowledges the second; the peer closes first.",
      CONNECT + " " + PASSIVE_CLOSE)
def data_retransmission(tun):
    p, sock = handshake_linux_connects(tun, 5015, 15_000_000)
    time.sleep(0.2)
    data = b"d" * 99 + b"\n"
    sock.sendall(data)
    first = p.expect("Linux's data", lambda s: s.payload == data and s.seq == p.rcv_nxt)
    t = [time.monotonic()]
    for n in (1, 2):
        p.expect("data retransmission %d" % n, lambda s: s.payload == data and s.seq == first.seq,
                 timeout=3.0)
        t.append(time.monotonic())
    log("        data intervals: %s" % ", ".join("%.2fs" % (b - a) for a, b in zip(t, t[1:])))
    p.rcv_nxt = (first.seq + len(data)) % MOD
    p.send(ACK)
    p.quiet(0.5, "data acknowledged")
    peer_closes_first(p, sock)


@case("fin-wait-2-timeout", 5016, "active opener and active closer 10.77.0.1:5016",
      "Linux closes (the socket is orphaned); the peer ACKs the FIN and never sends its own; after "
      "net.ipv4.tcp_fin_timeout (3 s) Linux forgets the connection, and the peer's late FIN gets a RST.",
      CONNECT + " FIN-WAIT-1 FIN-WAIT-2 CLOSED")
def fin_wait_2_timeout(tun):
    p, sock = handshake_linux_connects(tun, 5016, 16_000_000)
    time.sleep(0.2)
    linux_close(sock)
    p.expect("Linux's FIN", lambda s: s.flags == FIN | ACK and s.seq == p.rcv_nxt)
    p.rcv_nxt = (p.rcv_nxt + 1) % MOD
    p.send(ACK)
    p.quiet(1.0, "FIN-WAIT-2")
    p.linux_state("FIN-WAIT-2")
    p.quiet(3.5, "the orphan's tcp_fin_timeout (3 s) expires")
    p.linux_state("CLOSED")
    p.send(FIN | ACK)
    p.expect("RST from CLOSED (<SEQ=SEG.ACK><CTL=RST>)", lambda s: s.flags == RST and s.seq == p.rcv_nxt)


@case("time-wait-new-syn", 5017, "listener 10.77.0.1:5017 and passive opener, active closer",
      "Linux (server) closes first and reaches TIME-WAIT; an old SYN (below RCV.NXT) is answered by an "
      "ACK; a new SYN above RCV.NXT from the same port opens a new connection from TIME-WAIT, "
      "as RFC 1122 §4.2.2.13 allows (timestamps are off, so no RFC 6191 test); the peer closes "
      "that one first.",
      "LISTEN SYN-RECEIVED ESTABLISHED " + ACTIVE_CLOSE + " SYN-RECEIVED ESTABLISHED " + PASSIVE_CLOSE)
def time_wait_new_syn(tun):
    port = 5017
    listener = linux_listen(port)
    p, sock = handshake_peer_connects(tun, listener, port, 17_000_000)
    peer_sends(p, b"request\n")
    expect_ack_of_peer(p, "Linux's ACK of the request")
    if sock.recv(100) != b"request\n":
        raise CaseError("Linux did not read the request")
    linux_closes_first(p, sock)
    old_snd_nxt = p.rcv_nxt   # Linux's SND.NXT in TIME-WAIT
    time.sleep(0.6)
    p.send(SYN, seq=p.snd_nxt - 100, options=mss_option())
    p.expect("TIME-WAIT's ACK of the old SYN",
             lambda s: s.flags == ACK and s.seq == p.rcv_nxt and s.ack == p.snd_nxt)
    p.linux_state("TIME-WAIT")
    time.sleep(0.6)
    app = linux_accept(listener)
    p2 = Peer(tun, port, p.snd_nxt + 100_000)
    p2.send(SYN, options=mss_option())
    p2.advance(1)
    sa = p2.expect("SYN,ACK of a new connection", lambda s: s.flags == SYN | ACK and s.ack == p2.snd_nxt)
    log("        new ISS - old SND.NXT = %d" % ((sa.seq - old_snd_nxt) % MOD))
    p2.linux_state("SYN-RECEIVED")
    p2.rcv_nxt = (sa.seq + 1) % MOD
    p2.send(ACK)
    sock2 = app.wait()
    listener.close()
    peer_closes_first(p2, sock2)


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        for c in CASES.values():
            print(json.dumps({k: v for k, v in c.items() if k != "fn"}))
        return 0
    if len(argv) != 2 or argv[1] not in CASES:
        print("usage: tunpeer.py --list | CASE\ncases: " + " ".join(CASES), file=sys.stderr)
        return 2
    tun = Tun()
    time.sleep(0.2)  # let the link come up (carrier) before Linux sends
    log("case %s" % argv[1])
    before = counters()
    try:
        CASES[argv[1]]["fn"](tun)
    except (CaseError, OSError) as e:
        log("FAILED: %s: %s" % (type(e).__name__, e))
        return 1
    log("TCP counters (this case, /proc/net/snmp and netstat): %s"
        % " ".join("%s=%d" % kv for kv in delta(before, counters()).items()))
    log("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Prints a corpus capture in RFC 9293 notation, with sequence numbers relative to the ISNs.

    rfcnotation.py CASE.pcap tun|loopback

tun: L is Linux (10.77.0.1), P the script (10.77.0.2); Linux's ISS is x (x', x'' for later
connections); the script's sequence numbers are printed as they are (its ISNs are fixed).
loopback: endpoints by port; a client's ISS is c (c2 for the second client), a server
connection's s (s2). Times in milliseconds since the first packet. Python standard library only.
"""

import socket
import struct
import sys

MOD = 1 << 32
LINUX = "10.77.0.1"


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = data[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            pkt = pkt[14:]
        ihl = (pkt[0] & 15) * 4
        total = struct.unpack("!H", pkt[2:4])[0]
        tcp = pkt[ihl:]
        sport, dport, seq, ack, doff, flags, win = struct.unpack("!HHIIBBH", tcp[:16])
        doff = (doff >> 4) * 4
        mss, opts, i = None, tcp[20:doff], 0
        while i < len(opts) and opts[i] != 0:
            if opts[i] == 1:
                i += 1
                continue
            if opts[i] == 2:
                mss = struct.unpack("!H", opts[i + 2:i + 4])[0]
            i += max(2, opts[i + 1])
        yield (sec + frac / (1e9 if nano else 1e6), socket.inet_ntoa(pkt[12:16]), sport,
               socket.inet_ntoa(pkt[16:20]), dport, seq, ack, flags, win, total - ihl - doff, mss)


def listing(path, kind):
    rows, t0, isn = [], None, {}
    linux_names = iter(["x", "x'", "x''", "x'''"])
    clients = {}
    for t, src, sport, dst, dport, seq, ack, flags, win, length, mss in packets(path):
        t0 = t if t0 is None else t0
        here, there = (src, sport), (dst, dport)
        if flags & 0x02:  # a SYN names the ISN of this direction
            if kind == "tun":
                if src == LINUX and isn.get((here, there), (None, None))[1] != seq:
                    isn[(here, there)] = (next(linux_names), seq)
            else:  # client ports are 4xxxx, server ports 5xxxx; a server side is named after its client
                client = sport if sport < 50000 else dport
                n = clients.setdefault(client, len(clients) + 1)
                name = ("c" if sport < 50000 else "s") + ("" if n == 1 else str(n))
                isn[(here, there)] = (name, seq)

        def rel(value, key):
            if key not in isn:
                return str(value)
            name, base = isn[key]
            d = (value - base) % MOD
            return name if d == 0 else ("%s+%d" % (name, d) if d < MOD // 2 else "%s-%d" % (name, MOD - d))

        ctl = ",".join(n for bit, n in ((2, "SYN"), (1, "FIN"), (4, "RST"), (8, "PSH"), (16, "ACK")) if flags & bit)
        seg = "<SEQ=%s>" % rel(seq, (here, there))
        if flags & 0x10:
            seg += "<ACK=%s>" % rel(ack, (there, here))
        seg += "<CTL=%s>" % ctl
        who = ("L→P" if src == LINUX else "P→L") if kind == "tun" else "%d→%d" % (sport, dport)
        extra = " win %d" % win + (" len %d" % length if length else "") + (" mss %d" % mss if mss else "")
        rows.append("%8.1f  %s  %s%s" % ((t - t0) * 1000, who, seg, extra))
    return "\n".join(rows)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("tun", "loopback"):
        print("usage: rfcnotation.py CASE.pcap tun|loopback", file=sys.stderr)
        sys.exit(2)
    print(listing(sys.argv[1], sys.argv[2]))

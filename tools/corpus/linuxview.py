"""Linux's own view of a case, for the run log: socket states (ss) and TCP counters.

Both are read inside the namespace the case runs in (the caller's), so they see only the
corpus's connections. Used by loopback.py and tunpeer.py; Python standard library only.
"""

import subprocess

# ss's names for the Linux states; the RFC 9293 names in the logs.
SS_TO_RFC = {"SYN-SENT": "SYN-SENT", "SYN-RECV": "SYN-RECEIVED", "ESTAB": "ESTABLISHED",
             "FIN-WAIT-1": "FIN-WAIT-1", "FIN-WAIT-2": "FIN-WAIT-2", "CLOSE-WAIT": "CLOSE-WAIT",
             "CLOSING": "CLOSING", "LAST-ACK": "LAST-ACK", "TIME-WAIT": "TIME-WAIT",
             "LISTEN": "LISTEN", "UNCONN": "CLOSED"}


def states(port):
    """[(local, remote, RFC state)] of the TCP sockets with local or remote port `port`."""
    try:
        out = subprocess.run(["ss", "-Htan", "state", "all", "( sport = :%d or dport = :%d )" % (port, port)],
                             capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        return [("?", "?", "ss failed: %s" % e)]
    result = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 5:
            result.append((f[3], f[4], SS_TO_RFC.get(f[0], f[0])))
    return sorted(result)


def describe_states(port):
    s = states(port)
    if not s:
        return "no socket (CLOSED)"
    return "; ".join("%s-%s %s" % (local, remote, state) for local, remote, state in s)


def counters():
    """The Tcp and TcpExt counters of /proc/net/snmp and /proc/net/netstat (this namespace)."""
    values = {}
    for path in ("/proc/net/snmp", "/proc/net/netstat"):
        with open(path) as f:
            lines = f.read().splitlines()
        for header, data in zip(lines[0::2], lines[1::2]):
            prefix, names = header.split(":", 1)
            _, nums = data.split(":", 1)
            if prefix in ("Tcp", "TcpExt"):
                for name, num in zip(names.split(), nums.split()):
                    values[prefix + name] = int(num)
    return values


# Gauges, not event counts: left out of the deltas.
GAUGES = {"TcpRtoAlgorithm", "TcpRtoMin", "TcpRtoMax", "TcpMaxConn", "TcpCurrEstab"}


def delta(before, after):
    return {k: after[k] - before.get(k, 0) for k in sorted(after)
            if k not in GAUGES and after[k] != before.get(k, 0)}

#!/usr/bin/env python3
"""Writes Fixtures/linux/MANIFEST.json for make-corpus.sh: the cases, their captures (link type,
packets, bytes, time of the first packet), the namespace's sysctls, the kernel and tcpdump.

    manifest.py OUT_DIR SYSCTLS_TSV KERNEL TCPDUMP_VERSION [FAILED_CASE...]

Entries of cases not run this time are kept from the existing MANIFEST.json. The hand-written
MANIFEST.md says what each capture shows. Python standard library only.
"""

import datetime
import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LINKTYPES = {1: "EN10MB (Ethernet; Linux loopback)", 101: "RAW (IPv4, no link header)",
             12: "RAW (IPv4, no link header)", 113: "LINUX_SLL"}


def pcap_stats(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError("%s: not a classic pcap file" % path)
    _, _, _, _, snaplen, linktype = struct.unpack(endian + "HHiIII", data[4:24])
    offset, packets, first = 24, 0, None
    while offset + 16 <= len(data):
        sec, _, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        if first is None:
            first = sec
        offset += 16 + caplen
        packets += 1
    first_utc = (datetime.datetime.fromtimestamp(first, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                 if first is not None else None)
    return {"linktype": linktype, "linktype_name": LINKTYPES.get(linktype, "?"), "snaplen": snaplen,
            "packets": packets, "bytes": len(data), "first_packet_utc": first_utc}


def cases(script, kind):
    out = subprocess.run([sys.executable, os.path.join(HERE, script), "--list"], check=True,
                         capture_output=True, text=True).stdout
    return [dict(json.loads(line), kind=kind) for line in out.splitlines() if line.strip()]


def main(argv):
    out_dir, sysctls_tsv, kernel, tcpdump = argv[1:5]
    failed = set(argv[5:])
    path = os.path.join(out_dir, "MANIFEST.json")
    old = {}
    if os.path.exists(path):
        with open(path) as f:
            old = {c["name"]: c for c in json.load(f).get("cases", [])}
    sysctls_set, sysctls_default = {}, {}
    with open(sysctls_tsv) as f:
        for line in f:
            how, key, value = line.rstrip("\n").split("\t")
            (sysctls_set if how == "set" else sysctls_default)[key] = value
    entries = []
    for c in cases("loopback.py", "loopback") + cases("tunpeer.py", "tun"):
        pcap = os.path.join(out_dir, c["name"] + ".pcap")
        entry = {"name": c["name"], "kind": c["kind"], "file": c["name"] + ".pcap",
                 "text": c["name"] + ".txt", "port": c["port"], "linux": c["linux"],
                 "system_under_test": c["system_under_test"], "summary": c["summary"],
                 "states": c["states"]}
        if c["name"] in failed or not os.path.exists(pcap):
            entry = dict(old.get(c["name"], entry))
            entry["produced"] = os.path.exists(pcap)
            if c["name"] in failed:
                entry["last_attempt_failed"] = True
        elif os.path.getmtime(pcap) >= os.path.getmtime(sysctls_tsv):
            entry.update(pcap_stats(pcap), produced=True, kernel=kernel, tcpdump=tcpdump)
        else:
            entry = dict(old.get(c["name"], {}), **entry)
            entry.update(pcap_stats(pcap), produced=True)
        entries.append(entry)
    manifest = {
        "generator": "tools/corpus/make-corpus.sh",
        "namespace": "tcpspec-corpus",
        "addresses": {"loopback": "127.0.0.1 (both ends Linux)",
                      "tun_linux": "10.77.0.1 (tcpspec0)", "tun_peer": "10.77.0.2 (tools/corpus/tunpeer.py)"},
        "states_note": ("states: the RFC 9293 states each Linux endpoint goes through, in order, keyed "
                        "local>remote. A sequence ending in TIME-WAIT ends there in the capture: the "
                        "capture stops long before 2 MSL (Linux: 60 s). In tun cases only 10.77.0.1 is "
                        "Linux; the peer's segments are the script's. MANIFEST.md says what each capture shows."),
        "sysctls_set": sysctls_set,
        "sysctls_default": sysctls_default,
        "cases": entries,
    }
    with open(path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

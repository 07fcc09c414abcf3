#!/usr/bin/env bash
# make-corpus.sh — regenerate the corpus of real Linux TCP captures, in one command:
#
#     sudo tools/corpus/make-corpus.sh            # every case
#     sudo tools/corpus/make-corpus.sh half-close syn-timeout   # only these cases
#     tools/corpus/make-corpus.sh --list          # the cases (no root needed)
#
# Needs root, tcpdump, ip and ss (iproute2), python3 (standard library only) and /dev/net/tun
# (created with mknod if missing). On Debian: apt-get install -y tcpdump iproute2 python3.
#
# What it does:
#   1. Creates the network namespace tcpspec-corpus (deleted again on exit), brings its
#      loopback up, sets the TCP sysctls listed in SYSCTLS below inside it (the host's are not
#      touched), and creates the TUN device tcpspec0 in it with 10.77.0.1/24 (Linux; the peer
#      played by tunpeer.py is 10.77.0.2).
#   2. For each case: starts tcpdump inside the namespace (snaplen 256, only the case's port),
#      runs the case (loopback.py on lo, tunpeer.py on tcpspec0), stops tcpdump. A case whose
#      script fails leaves no capture behind.
#   3. Writes tests/TcpSpec.Conformance.Tests/Fixtures/linux/CASE.pcap, CASE.txt (the capture
#      as tcpdump prints it, in RFC 9293 notation, and the case's run log) and MANIFEST.json
#      (cases, expected states, sysctls, kernel, packet counts). MANIFEST.md is written by hand
#      from what the captures show.
#
# All traffic stays inside the namespace: its loopback and the TUN device, whose only other
# end is tunpeer.py.
set -euo pipefail

export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the tree
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="$REPO/tests/TcpSpec.Conformance.Tests/Fixtures/linux"
NS=tcpspec-corpus
TUN=tcpspec0
LINUX_ADDR=10.77.0.1/24

# Set inside the namespace before any case runs.
SYSCTLS=(
  net.ipv4.tcp_timestamps=0        # no timestamp option: segments carry only MSS in SYNs
  net.ipv4.tcp_sack=0              # no SACK-permitted option, no SACK blocks
  net.ipv4.tcp_window_scaling=0    # no window scale option: the window field is the window
  net.ipv4.tcp_ecn=0               # no ECE/CWR in SYNs
  net.ipv4.tcp_syn_retries=2       # SYN retransmissions before connect() gives up
  net.ipv4.tcp_synack_retries=2    # SYN,ACK retransmissions before a listener drops a request
  net.ipv4.tcp_fin_timeout=3       # lifetime of an orphaned FIN-WAIT-2 connection (seconds)
  net.ipv4.tcp_no_metrics_save=1   # no RTT memory carried from one case's connection to the next
  net.ipv6.conf.all.disable_ipv6=1 # no IPv6 router solicitations or MLD on the TUN device
  net.ipv6.conf.default.disable_ipv6=1
)
# Recorded in the manifest as found (defaults of a new namespace, not set by this script).
RECORDED=(
  net.ipv4.tcp_challenge_ack_limit net.ipv4.tcp_invalid_ratelimit net.ipv4.tcp_rfc1337
  net.ipv4.tcp_syn_linear_timeouts net.ipv4.tcp_early_retrans net.ipv4.tcp_recovery
  net.ipv4.tcp_rto_min_us net.ipv4.tcp_orphan_retries net.ipv4.tcp_retries2
  net.ipv4.tcp_autocorking net.ipv4.tcp_syncookies net.ipv4.tcp_rmem net.ipv4.tcp_wmem
)

list_cases() { # kind name port, one per line
  python3 "$HERE/loopback.py" --list | python3 -c 'import json,sys; [print("loopback", c["name"], c["port"]) for c in map(json.loads, sys.stdin)]'
  python3 "$HERE/tunpeer.py" --list | python3 -c 'import json,sys; [print("tun", c["name"], c["port"]) for c in map(json.loads, sys.stdin)]'
}

if [[ "${1:-}" == "--list" ]]; then list_cases; exit 0; fi
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0; fi

missing=()
[[ $EUID -eq 0 ]] || missing+=("root (run with sudo)")
for cmd in tcpdump ip ss python3; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if ((${#missing[@]})); then
  echo "make-corpus.sh: missing: ${missing[*]}" >&2
  echo "  (Debian: apt-get install -y tcpdump iproute2 python3; run as root)" >&2
  exit 2
fi
if [[ ! -c /dev/net/tun ]]; then
  echo "make-corpus.sh: /dev/net/tun missing, creating it (mknod c 10 200)" >&2
  mkdir -p /dev/net && mknod -m 600 /dev/net/tun c 10 200
fi

mapfile -t ALL < <(list_cases)
declare -A KIND PORT
for line in "${ALL[@]}"; do
  read -r kind name port <<<"$line"
  KIND[$name]=$kind PORT[$name]=$port
done
if (($#)); then
  WANT=("$@")
  for name in "${WANT[@]}"; do
    [[ -n "${KIND[$name]:-}" ]] || { echo "make-corpus.sh: unknown case '$name' (see --list)" >&2; exit 2; }
  done
else
  WANT=()
  for line in "${ALL[@]}"; do read -r _ name _ <<<"$line"; WANT+=("$name"); done
fi

WORK="$(mktemp -d /tmp/tcpspec-corpus.XXXXXX)"
TCPDUMP_PID=
cleanup() {
  if [[ -n "$TCPDUMP_PID" ]]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; fi
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- the namespace --------------------------------------------------------------------------
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip -n "$NS" link set lo up
for kv in "${SYSCTLS[@]}"; do ip netns exec "$NS" sysctl -qw "$kv"; done
ip -n "$NS" tuntap add dev "$TUN" mode tun
ip -n "$NS" addr add "$LINUX_ADDR" dev "$TUN"
ip -n "$NS" link set "$TUN" up
# 10.77.0.0/24 dev tcpspec0 is the connected route: the peer 10.77.0.2 is reached through the TUN.

{
  for kv in "${SYSCTLS[@]}"; do
    k=${kv%%=*}; printf 'set\t%s\t%s\n' "$k" "$(ip netns exec "$NS" sysctl -n "$k")"
  done
  for k in "${RECORDED[@]}"; do printf 'default\t%s\t%s\n' "$k" "$(ip netns exec "$NS" sysctl -n "$k" | tr '\t' ' ')"; done
} >"$WORK/sysctls.tsv"

mkdir -p "$OUT"

start_capture() { # iface port file
  local log="$WORK/tcpdump.log"
  : >"$log"
  ip netns exec "$NS" tcpdump -i "$1" -s 256 -n -U --immediate-mode -Z root -w "$3" "tcp port $2" 2>"$log" &
  TCPDUMP_PID=$!
  for _ in $(seq 50); do
    grep -q "listening on" "$log" && return 0
    sleep 0.1
  done
  echo "tcpdump did not start:" >&2; cat "$log" >&2; return 1
}

stop_capture() {
  sleep 0.5
  kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true
  TCPDUMP_PID=
}

failed=()
for name in "${WANT[@]}"; do
  kind=${KIND[$name]} port=${PORT[$name]}
  echo "=== $name ($kind, port $port)"
  tmp="$WORK/$name.pcap"
  if [[ $kind == loopback ]]; then
    start_capture lo "$port" "$tmp"
    if ip netns exec "$NS" python3 "$HERE/loopback.py" "$name" | tee "$WORK/$name.log"; then ok=1; else ok=0; fi
  else
    start_capture "$TUN" "$port" "$tmp"
    if ip netns exec "$NS" python3 "$HERE/tunpeer.py" "$name" | tee "$WORK/$name.log"; then ok=1; else ok=0; fi
  fi
  stop_capture
  if ((ok)); then
    mv "$tmp" "$OUT/$name.pcap"
    chmod 644 "$OUT/$name.pcap"
    {
      echo "# $name: the capture, as tcpdump -nn -S -ttttt -r $name.pcap prints it"
      tcpdump -nn -S -ttttt -r "$OUT/$name.pcap" 2>/dev/null
      echo
      echo "# the same in RFC 9293 notation (tools/corpus/rfcnotation.py; ms since the first packet)"
      python3 "$HERE/rfcnotation.py" "$OUT/$name.pcap" "$kind"
      echo
      echo "# the run log of tools/corpus/$([[ $kind == loopback ]] && echo loopback.py || echo tunpeer.py) $name"
      echo "# (seconds since the script started; Linux states as ss reports them; TCP MIB counter deltas)"
      cat "$WORK/$name.log"
    } >"$OUT/$name.txt"
    echo "--- $name: $(tcpdump -r "$OUT/$name.pcap" 2>/dev/null | wc -l) packets, $(stat -c %s "$OUT/$name.pcap") bytes"
  else
    echo "--- $name: FAILED, no capture written" >&2
    rm -f "$tmp"
    failed+=("$name")
  fi
done

python3 "$HERE/manifest.py" "$OUT" "$WORK/sysctls.tsv" "$(uname -r)" \
  "$(tcpdump --version 2>&1 | head -1)" "${failed[@]}"

if ((${#failed[@]})); then
  echo "make-corpus.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "make-corpus.sh: ${#WANT[@]} case(s) written to $OUT"

#!/usr/bin/env bash
# The console shell over COM1 (a socket the test types into), with QEMU
# user networking and the e1000: the prompt comes up; typed characters
# echo and Backspace edits; `ip addr` shows the configured address and
# `ip link` the counters; `ip route add`/`del` change `ip route`; bad
# commands and bad arguments print usage and change nothing; `netstat -s`
# shows the Ip/Icmp families; `ss` lists the echo and HTTP listeners;
# `stats` shows slab caches and skb counts; `nf add`/`flush` change the
# rule list; `pcap on` writes a pcap stream to COM2; `reboot` resets the
# machine (QEMU, with -no-reboot, exits).
set -u
. "$(dirname "$0")/lib.sh"

NAME=shell
LOG=$TEST_OUT/$NAME.log
COM2=$TEST_OUT/$NAME.com2

# sh CMD: runs CMD on the console, output in $OUT (and in the test log).
sh_cmd() {
	OUT=$(console_cmd "$NAME" "$1") || fail "no prompt after '$1' (see $LOG)"
	printf '%s\n' "synack> $1" "$OUT" | sed "s/^/$NAME: /"
}

expect() {
	printf '%s\n' "$OUT" | grep -qE -- "$1" || fail "'$2': expected /$1/ in:
$OUT"
}

reject() {
	printf '%s\n' "$OUT" | grep -qE -- "$1" && fail "'$2': unexpected /$1/ in:
$OUT"
	return 0
}

: > "$COM2"
qemu_boot_console "$NAME" 120 'synack> ' -serial "file:$COM2" -nic user,model=e1000 \
	-kernel "$BUILD/synack.elf" -append "loglevel=info ip=10.0.2.15/24 gw=10.0.2.2" ||
	fail "no shell prompt (see $LOG)"

# Typing: "ip adx", Backspace, "dr" runs ip addr.
sh_cmd $'ip adx\x7fdr'
expect 'inet 10\.0\.2\.15/24 brd 10\.0\.2\.255 scope global eth0' "ip addr"
expect '^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500' "ip addr"
expect 'link/ether 52:54:00:12:34:56' "ip addr"
expect 'inet 127\.0\.0\.1/8' "ip addr"

sh_cmd "ip link show eth0"
expect 'RX: +bytes +packets +errors +dropped +overrun' "ip link"
reject '^1: lo' "ip link show eth0"

sh_cmd "ip route"
expect '^default via 10\.0\.2\.2 dev eth0' "ip route"
expect '^10\.0\.2\.0/24 dev eth0 proto kernel scope link src 10\.0\.2\.15' "ip route"
ROUTES_BEFORE=$OUT

sh_cmd "ip route add 10.9.0.0/16 via 10.0.2.254"
[ -z "$OUT" ] || fail "ip route add printed: $OUT"
sh_cmd "ip r"
expect '^10\.9\.0\.0/16 via 10\.0\.2\.254 dev eth0 proto static$' "ip route after add"
sh_cmd "ip route add 10.9.0.0/16 via 10.0.2.254"
expect 'already exists' "ip route add (twice)"
sh_cmd "ip route del 10.9.0.0/16"
sh_cmd "ip route show"
[ "$OUT" = "$ROUTES_BEFORE" ] || fail "ip route after del differs from before add:
$OUT"
sh_cmd "ip route del 10.9.0.0/16"
expect 'no such entry' "ip route del (gone)"

# Bad commands and arguments: usage, and the table is unchanged.
sh_cmd "frobnicate now"
expect "unknown command 'frobnicate'" "frobnicate"
expect '^  ip route add PREFIX' "frobnicate (usage list)"
sh_cmd "ip route add 10.9.1.0/16 via 10.0.2.254"
expect '^usage: ip route add PREFIX \[via GW\]' "ip route add (host bits set)"
sh_cmd "ip route add 10.9.0.0/16"
expect '^usage: ip route add' "ip route add (no next hop)"
sh_cmd "ip route add 10.9.0.0/16 via 10.0.2.254 dev nosuch0"
expect 'no such device' "ip route add (unknown device)"
sh_cmd "ip bogus"
expect '^usage: ip addr show' "ip bogus"
sh_cmd "netstat"
expect '^usage: netstat -s' "netstat"
sh_cmd "stats extra"
expect '^usage: stats' "stats extra"
sh_cmd "ip route"
[ "$OUT" = "$ROUTES_BEFORE" ] || fail "bad commands changed the routes:
$OUT"

sh_cmd "ip neigh"
sh_cmd "netstat -s"
expect '^Ip:$' "netstat -s"
expect '^Icmp:$' "netstat -s"
expect '^    InReceives: [0-9]+$' "netstat -s"
expect '^    InCsumErrors: [0-9]+$' "netstat -s"
expect '^Softnet:$' "netstat -s"
sh_cmd "netstat -s Icmp"
reject '^Ip:$' "netstat -s Icmp"
sh_cmd "netstat -s NoSuchFamily"
expect 'no such entry' "netstat -s NoSuchFamily"

# ss: the echo service (TCP and UDP port 7) and HTTP (port 80) listen.
sh_cmd "ss -tuan"
expect '^Netid +State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port' "ss"
expect '^tcp +LISTEN +0 +[0-9]+ +0\.0\.0\.0:7 +0\.0\.0\.0:\*' "ss"
expect '^tcp +LISTEN +0 +[0-9]+ +0\.0\.0\.0:80 ' "ss"
expect '^udp +UNCONN +0 +0 +0\.0\.0\.0:7 ' "ss"
sh_cmd "ss -x"
expect '^usage: ss' "ss -x"

sh_cmd "stats"
expect '^image: [1-9][0-9]* pages \([0-9]+ KiB\)' "stats"
expect '^pages: total [0-9]+ used [1-9][0-9]* free [0-9]+' "stats"
expect '^slab: [0-9]+ objects, [0-9]+ bytes \([0-9]+ KiB\) in use' "stats"
expect '^  skbuff_head +[0-9]+ +[0-9]+' "stats"
expect '^  kmalloc-64 ' "stats"
expect '^skbs: alive [0-9]+ data [0-9]+ bytes [0-9]+' "stats"
expect '^softirq NET_RX +runs [0-9]+ time [0-9]+ us' "stats"
expect '^irqs unexpected [0-9]+' "stats"

sh_cmd "nf add drop:in:tcp:dport=23,drop:in:src=192.0.2.0/24"
sh_cmd "nf"
expect '^   1: drop:in:tcp:dport=23 +packets 0 bytes 0' "nf after add"
expect '^   2: drop:in:src=192\.0\.2\.0/24' "nf after add"
sh_cmd "nf add drop:nowhere:tcp"
expect "unknown chain 'nowhere'" "nf add (bad rule)"
expect '^usage: nf add' "nf add (bad rule)"
sh_cmd "nf flush"
sh_cmd "nf show"
reject '^ +[0-9]+: ' "nf after flush"

sh_cmd "pcap on"
expect 'capturing to COM2' "pcap on"
sh_cmd "pcap off"
expect '^pcap: off; [0-9]+ records' "pcap off"
python3 - "$COM2" <<'PY' || fail "COM2 does not start with a pcap header"
import struct, sys
d = open(sys.argv[1], 'rb').read()
sys.exit(0 if len(d) >= 24 and struct.unpack_from('<I', d)[0] == 0xa1b2c3d4 else 1)
PY
sh_cmd "pcap"
expect '^usage: pcap on' "pcap"

sh_cmd "help"
expect '^  reboot ' "help"

# reboot: the reset ends QEMU (-no-reboot); no prompt comes back.
python3 - "$TEST_OUT/$NAME.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'reboot\r')
PY
qemu_wait_exit 30
[ $? -ne 124 ] || fail "QEMU still running 30 s after reboot"
grep -q 'reboot: resetting' "$LOG" || fail "no 'reboot: resetting' line"
echo "shell: ok"

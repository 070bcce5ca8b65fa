#!/usr/bin/env bash
# DHCPNAK, rebinding and lease expiry against dnsmasq (issue 5: "A NAK or
# lease expiry is handled and logged"), on virtio-net over a TAP in a
# private namespace (tap0 198.18.0.1/24), COM1 the shell's console, no ip=
# but route=10.9.0.0/16@198.18.0.1 (the kernel's unbound callback removes
# it with the lease, its bound callback puts it back):
#  (a) dnsmasq leases 198.18.0.100-150 with router 198.18.0.1 (2 minutes,
#      T1 20 s, T2 40 s): synack binds an address A; `ip route` shows the
#      default route via 198.18.0.1 and 10.9.0.0/16;
#  (b) dnsmasq restarted authoritative with 198.18.0.200-250 and router
#      198.18.0.254: the renewal at T1 is NAKed (dnsmasq logs the DHCPNAK
#      for A), synack logs the NAK and the removal, discovers and binds B
#      in the new range; `ip addr` shows B and not A, `ip route` the default
#      via 198.18.0.254 and nothing via 198.18.0.1 but 10.9.0.0/16 again,
#      nothing with source A; HTTP answers at B;
#  (c) dnsmasq stopped: synack logs T1 (RENEWING) and T2 (REBINDING, seen
#      in `ip addr` too), then at expiry logs it and `ip addr` and
#      `ip route` show no address, default, connected or 10.9.0.0/16 route
#      on eth0; DISCOVERs go on, so when dnsmasq is back (range A) synack
#      binds again and answers HTTP.  `netstat -s Dhcp` counts the NAK, the
#      expiry, renewals and rebinds.
# 160 to 230 s under TCG here, most of it the 2-minute lease of (c) in
# guest seconds (on a loaded host the guest's clock ran about 1.5 times
# slower than the wall clock); the waits allow about twice that.
# QEMU and dnsmasq are ended by PID and the namespace and TAP deleted in
# the trap.
set -u
. "$(dirname "$0")/dhcp_dnsmasq_lib.bash"

NAME=dhcp_dnsmasq_nak
MAC=${NIC_MAC,,}
OUT=

# sh_cmd CMD: runs CMD on synack's console, output in $OUT and the test log.
sh_cmd() {
	OUT=$(console_cmd "$NAME" "$1") || fail "no prompt after '$1' (see $NIC_LOG)"
	printf '%s\n' "synack> $1" "$OUT" | sed "s/^/$NAME: /"
}

expect() {
	printf '%s\n' "$OUT" | grep -qE -- "$1" || fail "$2: expected /$1/ in:
$OUT"
}

reject() {
	! printf '%s\n' "$OUT" | grep -qE -- "$1" || fail "$2: unexpected /$1/ in:
$OUT"
}

# bound_addr N: the address of the Nth "synack: ready" line, once it is
# there (run in $(...): the caller checks for an empty answer).
bound_addr() {
	nic_wait_count 120 'synack: ready ip=198\.18\.0\.[0-9]+/24' "$1" ||
		fail "no binding number $1 (see $NIC_LOG, $DNSMASQ_LOG)"
	sed -nE 's/.*synack: ready ip=(198\.18\.0\.[0-9]+)\/24.*/\1/p' "$NIC_LOG" | sed -n "$1p"
}

http_ok() {
	local code
	code=$(nsx curl -s -o /dev/null -w '%{http_code}' --max-time 20 "http://$1/")
	[ "$code" = 200 ] || fail "$2: HTTP GET http://$1/ gave '$code'"
	echo "$NAME: HTTP 200 from $1"
}

# counter FAMILY NAME: from `netstat -s FAMILY` on the console.
counter() {
	console_cmd "$NAME" "netstat -s $1" | sed -nE "s/^ +$2: ([0-9]+)\r?$/\1/p"
}

nic_tap_setup
dnsmasq_start "$NAME.a" 198.18.0.100 198.18.0.150 198.18.0.1
oldpath=$PATH
PATH=$NIC_BIN:$PATH
NIC_LOG=$TEST_OUT/$NAME.log
qemu_boot_console "$NAME" 120 'eth0: link up' -nic none \
	-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
	-device "virtio-net-pci,netdev=n0,mac=$NIC_MAC,id=nic0" -kernel "$BUILD/synack.elf" \
	-append "loglevel=info route=10.9.0.0/16@198.18.0.1"
booted=$?
PATH=$oldpath
[ $booted -eq 0 ] || fail "no 'eth0: link up' (see $NIC_LOG)"
t0=$SECONDS

# (a) a lease from range A.
a=$(bound_addr 1)
[[ $a =~ ^198\.18\.0\.1([0-4][0-9]|50)$ ]] || fail "(a) bound '$a', outside 198.18.0.100-150"
grep -qE "dhcp: eth0: bound ${a//./\\.}/24 router 198\.18\.0\.1 server 198\.18\.0\.1 " \
	"$NIC_LOG" || fail "(a) the guest logged no binding of $a"
sh_cmd "ip route"
expect '^default via 198\.18\.0\.1 dev eth0' "(a) ip route"
expect '^10\.9\.0\.0/16 via 198\.18\.0\.1 dev eth0' "(a) ip route"
echo "$NAME: (a) bound $a after $((SECONDS - t0)) s"

# (b) an authoritative server that does not know A NAKs the renewal.
dnsmasq_stop
dnsmasq_start "$NAME.b" 198.18.0.200 198.18.0.250 198.18.0.254 --dhcp-authoritative
qemu_wait_for "$NAME" 90 "dhcp: eth0: T1: renewing ${a//./\\.} with 198\.18\.0\.1" ||
	fail "(b) no renewal at T1 (see $NIC_LOG)"
qemu_wait_for "$NAME" 30 "dhcp: eth0: DHCPNAK from 198\.18\.0\.1 in RENEWING, address and default route removed: restarting" ||
	fail "(b) no NAK logged (see $NIC_LOG, $DNSMASQ_LOG)"
grep -qE "DHCPNAK\(tap0\) ${a//./\\.} $MAC" "$DNSMASQ_LOG" ||
	fail "(b) dnsmasq logged no DHCPNAK for $a ($DNSMASQ_LOG)"
b=$(bound_addr 2)
[[ $b =~ ^198\.18\.0\.2([0-4][0-9]|50)$ ]] || fail "(b) bound '$b', outside 198.18.0.200-250"
grep -qE "dhcp: eth0: bound ${b//./\\.}/24 router 198\.18\.0\.254 server 198\.18\.0\.1 " \
	"$NIC_LOG" || fail "(b) the guest logged no binding of $b"
sh_cmd "ip addr show eth0"
expect "inet ${b//./\\.}/24 brd 198\.18\.0\.255 scope global eth0" "(b) ip addr"
reject "inet ${a//./\\.}/" "(b) ip addr"
expect 'dhcp BOUND server 198\.18\.0\.1 lease 120s' "(b) ip addr"
sh_cmd "ip route"
expect '^default via 198\.18\.0\.254 dev eth0' "(b) ip route"
reject '^default via 198\.18\.0\.1 ' "(b) ip route"
expect "^198\.18\.0\.0/24 dev eth0 proto kernel scope link src ${b//./\\.}" "(b) ip route"
reject "src ${a//./\\.}( |$)" "(b) ip route"
expect '^10\.9\.0\.0/16 via 198\.18\.0\.1 dev eth0' "(b) ip route"
http_ok "$b" "(b)"
echo "$NAME: (b) NAK for $a, bound $b after $((SECONDS - t0)) s"

# (c) no server: renewing, rebinding, expiry; then the server returns.
dnsmasq_stop
qemu_wait_for "$NAME" 90 "dhcp: eth0: T1: renewing ${b//./\\.} with 198\.18\.0\.1" ||
	fail "(c) no renewal at T1 (see $NIC_LOG)"
qemu_wait_for "$NAME" 90 "dhcp: eth0: T2: rebinding ${b//./\\.}" ||
	fail "(c) no rebinding at T2 (see $NIC_LOG)"
sh_cmd "ip addr show eth0"
expect 'dhcp REBINDING server 198\.18\.0\.1' "(c) ip addr"
expect "inet ${b//./\\.}/24" "(c) ip addr"
qemu_wait_for "$NAME" 240 "dhcp: eth0: lease of ${b//./\\.} expired: address and default route removed" ||
	fail "(c) no expiry logged (see $NIC_LOG)"
sh_cmd "ip addr show eth0"
reject 'inet ' "(c) ip addr after expiry"
reject 'dhcp ' "(c) ip addr after expiry"
sh_cmd "ip route"
reject 'dev eth0' "(c) ip route after expiry"
dnsmasq_start "$NAME.c" 198.18.0.100 198.18.0.150 198.18.0.1
c=$(bound_addr 3)
[[ $c =~ ^198\.18\.0\.1([0-4][0-9]|50)$ ]] || fail "(c) bound '$c', outside 198.18.0.100-150"
grep -qE "DHCPACK\(tap0\) ${c//./\\.} $MAC" "$DNSMASQ_LOG" ||
	fail "(c) dnsmasq logged no DHCPACK for $c"
sh_cmd "ip route"
expect '^default via 198\.18\.0\.1 dev eth0' "(c) ip route after the server returned"
http_ok "$c" "(c)"
echo "$NAME: (c) expired, bound $c after $((SECONDS - t0)) s"

for k in Naks:1 Expiries:1 Renewals:2 Rebinds:1 Bounds:3; do
	v=$(counter Dhcp "${k%:*}")
	echo "$NAME: Dhcp ${k%:*} $v"
	[ "${v:-0}" -ge "${k#*:}" ] || fail "Dhcp ${k%:*} is '$v', expected at least ${k#*:}"
done
grep -E 'dhcp: |synack: ready' "$NIC_LOG" | sed "s/^/$NAME: /"
grep -hE 'DHCP[A-Z]+\(tap0\)' "$TEST_OUT/$NAME".[abc].dnsmasq.log | sed "s/^/$NAME: dnsmasq: /"
dhcp_dnsmasq_cleanup
echo "dhcp_dnsmasq_nak: ok ($((SECONDS - t0)) s after link up)"

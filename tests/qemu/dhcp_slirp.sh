#!/usr/bin/env bash
# DHCP against QEMU user networking (slirp's built-in server), no ip= on
# the command line, for e1000 and virtio-net: the kernel says it starts
# DHCP, the client logs the binding slirp gives (10.0.2.15/24, router and
# server 10.0.2.2, DNS 10.0.2.3) before the ready line
# "synack: ready ip=10.0.2.15/24" (so no built-in default can fake it).
# For e1000, a carrier cycle through the QEMU monitor (set_link off/on)
# makes the client confirm its lease with an INIT-REBOOT request, and
# slirp's ACK renews it.
#
# Uses the nic_* helpers of nic_e1000.sh (boot with a monitor, link
# cycle); QEMU is ended by PID through their trap.
set -u
. "$(dirname "$0")/nic_e1000.sh"

# dhcp_slirp_one NAME DEVICE [cycle]
dhcp_slirp_one() {
	local name=$1 device=$2 cycle=${3:-} line
	nic_boot "$name" "$device" "user,id=n0" "" ||
		fail "$name: no 'eth0: link up' (see $NIC_LOG)"
	qemu_wait_for "$name" 60 'synack: ready ip=10\.0\.2\.15/24' ||
		fail "$name: no 'synack: ready ip=10.0.2.15/24' (see $NIC_LOG)"
	grep -q 'net: eth0: no ip=, starting DHCP' "$NIC_LOG" ||
		fail "$name: the kernel did not start DHCP"
	line=$(grep -E 'dhcp: eth0: bound ' "$NIC_LOG" | head -1)
	echo "$line" | grep -qE 'bound 10\.0\.2\.15/24 router 10\.0\.2\.2 server 10\.0\.2\.2 dns 10\.0\.2\.3' ||
		fail "$name: no DHCP binding of 10.0.2.15/24 via 10.0.2.2 logged: '$line'"
	# The binding is logged before the ready line, which it causes.
	[ "$(grep -nE 'dhcp: eth0: bound ' "$NIC_LOG" | head -1 | cut -d: -f1)" -lt \
	  "$(grep -n 'synack: ready' "$NIC_LOG" | head -1 | cut -d: -f1)" ] ||
		fail "$name: the ready line came before the DHCP binding"
	grep 'synack: ready' "$NIC_LOG" | grep "mac=$NIC_MAC" | grep -q "dev=eth0" ||
		fail "$name: the ready line does not carry mac=$NIC_MAC and dev=eth0"
	if [ -n "$cycle" ]; then
		nic_link_cycle
		qemu_wait_for "$name" 60 'dhcp: eth0: renewed 10\.0\.2\.15/24' ||
			fail "$name: no lease confirmation after the carrier came back (see $NIC_LOG)"
		grep -q 'dhcp: eth0: link up: confirming the lease (INIT-REBOOT)' "$NIC_LOG" ||
			fail "$name: no INIT-REBOOT after the carrier came back"
		[ "$(grep -c 'synack: ready' "$NIC_LOG")" -eq 1 ] ||
			fail "$name: the same address was announced twice"
	fi
	grep -E 'dhcp: |synack: ready' "$NIC_LOG" | sed "s/^/$name: /"
	qemu_stop
}

dhcp_slirp_one dhcp_slirp_e1000 e1000 cycle
dhcp_slirp_one dhcp_slirp_virtio virtio-net-pci
echo "dhcp_slirp: ok"

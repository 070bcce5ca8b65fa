#!/usr/bin/env bash
# DHCP against dnsmasq over a TAP link in a private network namespace
# (host side tap0 198.18.0.1/24; dnsmasq leases 198.18.0.100-150 for two
# minutes, its shortest, with router 198.18.0.1, DNS server 198.18.0.53
# and T1 20 s / T2 40 s as options 58 and 59), no ip= on synack's command
# line, for e1000 and virtio-net:
#   - dnsmasq logs DISCOVER/OFFER/REQUEST/ACK for synack's MAC and the
#     guest logs the same binding, then "synack: ready ip=<leased>/24";
#   - the guest answers ping at the leased address and shows the DNS
#     server in /stats;
#   - at T1 (20 s after each ACK) the guest renews twice: dnsmasq logs the
#     unicast DHCPREQUESTs and their DHCPACKs, the guest logs "renewed"
#     and counts Dhcp RenewAcks, its Icmp OutDestUnreachs stays unchanged
#     (the unicast ACK reached port 68: no port unreachable), and it still
#     answers ping;
#   - (e1000) after a carrier cycle the INIT-REBOOT request is ACKed too.
# The lease file lists the MAC and address.  Nothing leaves the
# namespace; QEMU and dnsmasq are ended by PID and the namespace and TAP
# deleted in the trap.
set -u
. "$(dirname "$0")/dhcp_dnsmasq_lib.bash"

# dhcp_dnsmasq_one NAME DEVICE [cycle]
dhcp_dnsmasq_one() {
	local name=$1 device=$2 cycle=${3:-} oldpath=$PATH addr mac req unreach acks n
	nic_tap_setup
	dnsmasq_start "$name" 198.18.0.100 198.18.0.150 198.18.0.1
	PATH=$NIC_BIN:$PATH
	nic_boot "$name" "$device" tap,id=n0,ifname=tap0,script=no,downscript=no ""
	local booted=$?
	PATH=$oldpath
	[ $booted -eq 0 ] || fail "$name: no 'eth0: link up' (see $NIC_LOG)"
	qemu_wait_for "$name" 60 'synack: ready ip=198\.18\.0\.1[0-9][0-9]/24' ||
		fail "$name: no 'synack: ready ip=198.18.0.1xx/24' (see $NIC_LOG, $DNSMASQ_LOG)"
	addr=$(sed -nE 's/.*synack: ready ip=(198\.18\.0\.[0-9]+)\/24.*/\1/p' "$NIC_LOG" | head -1)
	mac=${NIC_MAC,,}
	grep -qE "dhcp: eth0: bound ${addr//./\\.}/24 router 198\.18\.0\.1 server 198\.18\.0\.1 .*lease 120 s" \
		"$NIC_LOG" || fail "$name: no DHCP binding of $addr logged by the guest"
	for msg in DHCPDISCOVER DHCPOFFER DHCPREQUEST DHCPACK; do
		grep -E "$msg\(tap0\)" "$DNSMASQ_LOG" | grep -q "$mac" ||
			fail "$name: dnsmasq logged no $msg for $mac ($DNSMASQ_LOG)"
	done
	grep -qE "dhcp: eth0: bound .* dns 198\.18\.0\.53" "$NIC_LOG" ||
		fail "$name: the guest did not log the DNS server"
	dhcp_ping "$name" "$addr" -c 5 -i 0.2 -W 5
	nsx curl -s --max-time 20 "http://$addr/stats" | grep -q '"dns":\["198\.18\.0\.53"\]' ||
		fail "$name: /stats does not show the DNS server"
	unreach=$(metric "$name" "$addr" Icmp OutDestUnreachs)
	# T1 = 20 s after each ACK: a second and a third DHCPREQUEST for the
	# address (the first was the one after the offer), unicast from it.
	req="DHCPREQUEST\(tap0\) ${addr//./\\.} $mac"
	dnsmasq_wait_count 60 "$req" 3 || fail "$name: no two renewal DHCPREQUESTs in dnsmasq's log"
	dnsmasq_wait_count 10 "DHCPACK\(tap0\) ${addr//./\\.} $mac" 3 ||
		fail "$name: dnsmasq did not ACK the renewals"
	for _ in $(seq 1 50); do
		[ "$(grep -c "dhcp: eth0: renewed ${addr//./\\.}/24" "$NIC_LOG")" -ge 2 ] && break
		sleep 0.2
	done
	[ "$(grep -c "dhcp: eth0: renewed ${addr//./\\.}/24" "$NIC_LOG")" -ge 2 ] ||
		fail "$name: the guest did not log two renewals (see $NIC_LOG)"
	grep -q "dhcp: eth0: T1: renewing ${addr//./\\.} with 198\.18\.0\.1" "$NIC_LOG" ||
		fail "$name: the renewal did not start at T1"
	acks=$(metric "$name" "$addr" Dhcp RenewAcks)
	[ "$acks" -ge 2 ] || fail "$name: Dhcp RenewAcks $acks, expected at least 2"
	[ "$(metric "$name" "$addr" Icmp OutDestUnreachs)" = "$unreach" ] ||
		fail "$name: Icmp OutDestUnreachs moved during the renewals (port 68 unreachable?)"
	[ "$(metric "$name" "$addr" Udp NoPorts)" = 0 ] || fail "$name: Udp NoPorts is not 0"
	echo "$name: renewals acknowledged: Dhcp RenewAcks $acks, Icmp OutDestUnreachs $unreach unchanged"
	dhcp_ping "$name" "$addr" -c 5 -i 0.2 -W 5
	if [ -n "$cycle" ]; then
		nic_link_cycle
		n=$(grep -cE "$req" "$DNSMASQ_LOG")
		dnsmasq_wait_count 30 "$req" $((n + 1)) ||
			fail "$name: no INIT-REBOOT DHCPREQUEST after link up"
		dnsmasq_wait_count 10 "DHCPACK\(tap0\) ${addr//./\\.} $mac" $((n + 1)) ||
			fail "$name: dnsmasq did not ACK the INIT-REBOOT request"
		qemu_wait_for "$name" 10 'dhcp: eth0: link up: confirming the lease' ||
			fail "$name: no INIT-REBOOT logged after link up"
		dhcp_ping "$name" "$addr" -c 5 -i 0.5 -W 5
	fi
	grep -qi "$mac" "$TEST_OUT/leases" && grep -q " $addr " "$TEST_OUT/leases" ||
		fail "$name: the lease file does not list $mac at $addr"
	grep -E 'DHCP[A-Z]+\(tap0\)' "$DNSMASQ_LOG" | sed "s/^/$name: dnsmasq: /"
	grep -E 'dhcp: |synack: ready' "$NIC_LOG" | sed "s/^/$name: /"
	dhcp_dnsmasq_cleanup
}

dhcp_dnsmasq_one dhcp_dnsmasq_e1000 e1000 cycle
dhcp_dnsmasq_one dhcp_dnsmasq_virtio virtio-net-pci
echo "dhcp_dnsmasq: ok"

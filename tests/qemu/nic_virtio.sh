#!/usr/bin/env bash
# virtio-net end to end, on each transport: transitional virtio-net-pci
# (modern interface preferred, MSI-X), the same with MSI-X off (INTx and
# the ISR), legacy only (disable-modern=on), and modern only
# (virtio-net-pci-non-transitional).  With QEMU user networking: probe line
# (transport, the MAC from the command line, and under TCG that the rings
# take their barriers from a register read: drivers/net/virtio_pci.c), link
# up, the stack's ready line, an exchange with slirp seen in the pcap=1
# capture, set_link off/on through the monitor.  Over a TAP link in a private
# namespace: the same traffic as nic_e1000.sh (its nic_* helpers).
set -u
. "$(dirname "$0")/nic_e1000.sh"

tcg=
[ "$(qemu_accel)" = tcg ] && tcg=', ring barriers by register read \(TCG\)'
nic_slirp nic_virtio virtio-net-pci "virtio-net 1af4:1000 .*\(modern\).*$tcg" cycle
nic_slirp nic_virtio_intx virtio-net-pci,vectors=0 \
	"virtio-net 1af4:1000 .*\(modern\).*intx line.*$tcg" cycle
nic_slirp nic_virtio_legacy virtio-net-pci,disable-modern=on \
	"virtio-net 1af4:1000 .*\(legacy\).*$tcg" cycle
nic_slirp nic_virtio_modern virtio-net-pci-non-transitional \
	"virtio-net 1af4:1041 .*\(modern\).*msix.*$tcg"
nic_tap nic_virtio_tap virtio-net-pci
nic_tap nic_virtio_legacy_tap virtio-net-pci,disable-modern=on
echo "nic_virtio: ok"

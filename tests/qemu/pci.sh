#!/usr/bin/env bash
# PCI enumeration, both configuration mechanisms:
#  - q35 (ECAM from the ACPI MCFG table): e1000 and virtio-net-pci appear
#    with their BARs, the virtio device with MSI-X and its vendor
#    capabilities, the ICH9 AHCI controller with MSI, and a device behind a
#    PCIe root port on bus 1 (recursion through bridges);
#  - i440fx (`-M pc`, no MCFG): the same NICs through the 0xcf8/0xcfc ports.
set -u
. "$(dirname "$0")/lib.sh"

hex='0x[0-9a-f]+'
bdf='[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]'

expect() {	# expect LOG DESCRIPTION REGEX
	grep -qE "$3" "$1" || fail "$2 (see $1)"
}

# shellcheck disable=SC2046
qemu_boot pci_q35 120 'synack: boot ok' -nic none \
	-device e1000 -device virtio-net-pci \
	-device pcie-root-port,id=rp1,chassis=1 -device virtio-net-pci-non-transitional,bus=rp1 \
	$(kernel_args "loglevel=info") ||
	fail "q35: no 'synack: boot ok' (see $TEST_OUT/pci_q35.log)"
qemu_stop
log=$TEST_OUT/pci_q35.log
expect "$log" "q35: ECAM not used" 'pci: ECAM segment 0 buses 00-ff'
expect "$log" "q35: e1000 line with BAR0 (128 KiB MMIO) and BAR1 (64 bytes I/O)" \
	"pci $bdf 8086:100e class 020000 \(ethernet\).* bar0 mem32 $hex/0x20000 bar1 io $hex/0x40"
expect "$log" "q35: virtio-net line with its three BARs, MSI-X and 5 vendor capabilities" \
	"pci $bdf 1af4:1000 class 020000 \(ethernet\).* bar0 io $hex/0x20 bar1 mem32 $hex/0x1000 bar4 mem64 pref $hex/0x4000 caps( [a-z0-9*]+)* msix( [a-z0-9*]+)* vndr\*5"
expect "$log" "q35: AHCI's MSI capability not found" \
	"pci $bdf 8086:2922 class 010601 .* caps( [a-z0-9*]+)* msi([^a-z]|$)"
expect "$log" "q35: root port's secondary bus not scanned" \
	'pci 0000:01:00\.0 1af4:1041 class 020000 .* caps( [a-z0-9*]+)* msix'

# shellcheck disable=SC2046
qemu_boot pci_pc 120 'synack: boot ok' -M pc -nic none -device e1000 -device virtio-net-pci \
	$(kernel_args "loglevel=info") ||
	fail "pc: no 'synack: boot ok' (see $TEST_OUT/pci_pc.log)"
qemu_stop
log=$TEST_OUT/pci_pc.log
expect "$log" "pc: legacy config ports not used" 'pci: config space through legacy ports'
expect "$log" "pc: e1000 missing" "pci $bdf 8086:100e class 020000 .* bar0 mem32 $hex/0x20000"
expect "$log" "pc: virtio-net missing" "pci $bdf 1af4:1000 class 020000 .* caps( [a-z0-9*]+)* msix"
echo "pci: ok"

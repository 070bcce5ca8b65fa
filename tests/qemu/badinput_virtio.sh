#!/usr/bin/env bash
# Bad input over a real L2 link, virtio-net: badinput_e1000.sh's test
# (malformed frames from tools/badframes, ping still answered, drop
# counters moved, skb count back at its baseline) on the modern and the
# legacy virtio transports.  virtio-net does not pad short frames, so here
# the runts and truncated headers reach the stack as sent.
set -u
. "$(dirname "$0")/badinput_e1000.sh"

# Unpadded, a cut IPv4 or ARP header is seen as cut.
VIRTIO_EXPECT='ip_hdr_cut Ip.InTruncated
arp_cut Arp.drop_truncated'

badinput_run badinput_virtio virtio-net-pci "$VIRTIO_EXPECT"
badinput_run badinput_virtio_legacy virtio-net-pci,disable-modern=on "$VIRTIO_EXPECT"
echo "badinput_virtio: ok"

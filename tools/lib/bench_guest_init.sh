#!/bin/sh
# /init of the reference Linux guest that tools/bench boots (copied into the
# initramfs by bench_initramfs.sh; runs under busybox sh as PID 1).
#
# Loads the NIC modules, brings eth0 up as 198.18.0.2/24, starts nginx on
# port 80 and socat as the TCP echo service on port 7, then prints
#     linux-ref: ready ip=198.18.0.2/24 kernel=VERSION
# on the console.  Afterwards it makes the bulk file: the largest power of
# two MiB up to 256 MiB that fits in two thirds of MemAvailable, in its own
# tmpfs, served as /bytes/<size in bytes> (zeros; throughput in MB/s does not
# depend on the size), and prints
#     linux-ref: bulk /bytes/SIZE
# 256 MiB is the reference size; a 1 GiB file cannot live in the RAM
# of a guest with the same -m as synack, which generates its bytes instead.
PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec < /dev/console > /dev/console 2>&1

for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m" || echo "linux-ref: insmod $m failed"
done

i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
ip link set lo up
ip addr add 198.18.0.2/24 dev eth0
ip link set eth0 up

nginx || echo "linux-ref: nginx failed to start"
# -b 4096: socat's writes into its own echo pipe then fit one pipe slot and
# never block; with the default 8 KiB a full pipe can stall it for good.
socat -b 4096 TCP4-LISTEN:7,fork,reuseaddr,backlog=64 PIPE &
i=0
while ! grep -q ':0007 ' /proc/net/tcp && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
echo "linux-ref: ready ip=198.18.0.2/24 kernel=$(uname -r)"

avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
mib=256
while [ $mib -gt 1 ] && [ $((mib * 3)) -gt $((avail * 2)) ]; do
	mib=$((mib / 2))
done
bytes=$((mib * 1048576))
mount -t tmpfs -o size=$((mib + 1))m tmpfs /www/bytes
if dd if=/dev/zero of="/www/bytes/$bytes" bs=1048576 count=$mib 2>/dev/null; then
	echo "linux-ref: bulk /bytes/$bytes"
else
	echo "linux-ref: bulk none (no room for $mib MiB)"
fi

while :; do
	sleep 3600
done

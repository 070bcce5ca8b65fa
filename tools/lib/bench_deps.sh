# shellcheck shell=bash disable=SC2034 # the lists are used by tools/bench
# Debian packages tools/bench needs beyond SYNACK_PACKAGES (sourced after
# tools/lib/deps.sh; deps_install installs only the missing ones).

# The reference Linux guest (kernel, busybox, nginx, socat, cpio to pack
# it), the load clients (ping, wrk, ab, curl) and the chart (gnuplot).
BENCH_PACKAGES=(
	linux-image-amd64 busybox-static nginx-light socat cpio
	iputils-ping wrk apache2-utils curl gnuplot-nox
)

# tools/bench --micro: callgrind.
BENCH_MICRO_PACKAGES=(valgrind)

#!/usr/bin/env bash
# tools/bench --micro: instructions per packet through the host-built stack,
# counted by callgrind (deterministic: a regression shows as a number).
#
#   tools/lib/bench_micro.sh BUILD_DIR [RESULTS_DIR]
#
# Builds tests/bench/bench_net (-O2, no sanitizers), runs every scenario it
# lists under valgrind --tool=callgrind counting only bench_measured(), and
# prints Ir / packets per scenario plus the transmit side derived as
# echo-56 minus rx-56.  Scenarios whose name starts with "http-conn" count
# per connection (request included), other "http" ones per
# HTTP request, "bulk" ones per 64 KiB sent; until bench_net has an http
# scenario the table says n/a.  Writes
# RESULTS_DIR/micro-latest.json (default results).
set -eu
build=${1:?usage: bench_micro.sh BUILD_DIR [RESULTS_DIR]}
results=${2:-results}
cd "$(dirname "$0")/../.."
. tools/lib/deps.sh

COUNT=2000
build_synack "$build" || { echo "bench_micro: build failed in $build" >&2; exit 1; }
ninja -C "$build" tests/bench/bench_net > /dev/null
exe=$build/tests/bench/bench_net
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A per=()
rows=()
while IFS=$'\t' read -r name what; do
	valgrind --tool=callgrind --collect-atstart=no --toggle-collect=bench_measured \
		--callgrind-out-file="$tmp/$name.out" "$exe" "$name" "$COUNT" \
		> "$tmp/$name.log" 2>&1 || { cat "$tmp/$name.log" >&2; exit 1; }
	ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$tmp/$name.out")
	per[$name]=$((ir / COUNT))
	unit=packet
	case $name in
	http-conn*) unit="connection" ;;
	http*) unit="HTTP request" ;;
	bulk*) unit="64 KiB sent" ;;
	esac
	rows+=("$(printf '%-18s %8d %12d  per %s: %s' "$name" "$COUNT" "${per[$name]}" "$unit" "$what")")
done < <("$exe" --list)

commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
echo "synack host stack, callgrind instructions (Ir) in bench_measured(), -O2, commit $commit"
echo "(allocation is the host platform's glibc malloc, not the kernel slab: it is counted)"
printf '%-18s %8s %12s  %s\n' scenario count Ir/unit what
printf '%s\n' "${rows[@]}"
tx=
if [ -n "${per[echo-56]:-}" ] && [ -n "${per[rx-56]:-}" ]; then
	tx=$((per[echo-56] - per[rx-56]))
	printf '%-18s %8s %12d  per packet: transmit side, derived (echo-56 - rx-56)\n' tx-56 - "$tx"
fi
http=no
for n in "${!per[@]}"; do
	case $n in http*) http=yes ;; esac
done
[ $http = yes ] || printf '%-18s %8s %12s  %s\n' http - n/a \
	"n/a: synack's host build has no HTTP server yet (add an http-* scenario to tests/bench/bench_net.c)"

mkdir -p "$results"
{
	echo "{\"commit\": \"$commit\", \"count\": $COUNT, \"instructions_per_unit\": {"
	sep=
	for n in "${!per[@]}"; do
		printf '%s "%s": %d' "$sep" "$n" "${per[$n]}"
		sep=,
	done
	[ -n "$tx" ] && printf ', "tx-56 (derived)": %d' "$tx"
	echo "}}"
} > "$results/micro-latest.json"
echo "wrote $results/micro-latest.json"

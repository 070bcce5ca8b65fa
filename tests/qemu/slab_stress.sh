#!/usr/bin/env bash
# test=slab: a kmalloc/slab stress in the booted kernel (mixed sizes, random
# free order, caches created and destroyed) must leave objects and bytes in
# use exactly at their baseline.
set -u
. "$(dirname "$0")/lib.sh"

log=$TEST_OUT/slab_stress.log
qemu_boot slab_stress 300 'slab-stress: (ok|FAIL)' -kernel "$BUILD/synack.elf" -append "loglevel=info test=slab" ||
	fail "no slab-stress result (see $log)"
line=$(grep -E 'slab-stress: (ok|FAIL)' "$log" | head -1)
echo "$line"
case $line in
*"slab-stress: ok "*) ;;
*) fail "stress reported failure: $line" ;;
esac
base=$(sed -nE 's/.* baseline=([0-9]+) .*/\1/p' <<< "$line")
after=$(sed -nE 's/.* after=([0-9]+) .*/\1/p' <<< "$line")
objs_base=$(sed -nE 's/.*objs_baseline=([0-9]+).*/\1/p' <<< "$line")
objs_after=$(sed -nE 's/.*objs_after=([0-9]+).*/\1/p' <<< "$line")
[ -n "$base" ] && [ "$base" = "$after" ] || fail "bytes in use $base -> $after"
[ -n "$objs_base" ] && [ "$objs_base" = "$objs_after" ] || fail "objects in use $objs_base -> $objs_after"
grep -q 'kmalloc-large *post' "$log" || fail "no accounting printed after the stress"

#!/usr/bin/env bash
# The framebuffer console: booted by the EFI loader under OVMF, the kernel
# logs "fbcon: WxH" and draws its log into the GOP framebuffer.  A QEMU
# screendump (kept as $TEST_OUT/boot_fbcon.ppm) must match that size and
# show console text: pixels in the console's grey (0xc0c0c0).  Then
# console=serial (an ISO built with it, under SeaBIOS) must keep the
# framebuffer console off.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../tools/lib/ovmf.sh"

name=boot_fbcon
log=$TEST_OUT/$name.log mon=$TEST_OUT/$name.mon shot=$TEST_OUT/$name.ppm
rm -f "$mon" "$shot"
: > "$log"
ovmf=$(ovmf_args "$TEST_OUT/$name.vars.fd") || fail "no OVMF"
# Without isa-debug-exit the kernel's exit after "boot ok" leaves it halted
# with the screen intact, so there is time to capture it.
base=$(qemu_base_args | sed 's/-device isa-debug-exit[^ ]*//')
# shellcheck disable=SC2086
qemu-system-x86_64 $base $ovmf -serial "file:$log" -monitor "unix:$mon,server,nowait" \
	-drive "format=raw,snapshot=on,file=$BUILD/synack-efi.img" > "$TEST_OUT/$name.qemu.out" 2>&1 &
QEMU_PID=$!

qemu_wait_for $name 180 'synack: boot ok' || fail "no 'synack: boot ok' (see $log)"
size=$(grep -oE 'fbcon: [0-9]+x[0-9]+' "$log" | head -1 | cut -d' ' -f2)
[ -n "$size" ] || fail "no 'fbcon: WxH' line (see $log)"

python3 - "$mon" "$shot" "$size" <<'EOF' || fail "screendump check failed"
import socket, sys

mon, shot, size = sys.argv[1], sys.argv[2], sys.argv[3]

def until_prompt(s):
    buf = b""
    while not buf.endswith(b"(qemu) "):
        chunk = s.recv(4096)
        if not chunk:
            sys.exit("monitor closed")
        buf += chunk
    return buf

s = socket.socket(socket.AF_UNIX)
s.settimeout(30)
s.connect(mon)
until_prompt(s)
s.sendall(f"screendump {shot}\n".encode())
until_prompt(s)
s.close()

with open(shot, "rb") as f:
    data = f.read()
magic, w, h, maxval, pixels = data.split(maxsplit=4)
if magic != b"P6" or maxval != b"255":
    sys.exit("screendump is not a binary 8-bit PPM")
if f"{int(w)}x{int(h)}" != size:
    sys.exit(f"screen is {int(w)}x{int(h)}, fbcon said {size}")
grey = sum(1 for i in range(0, len(pixels) - 2, 3) if pixels[i:i + 3] == b"\xc0\xc0\xc0")
print(f"{size} screen, {grey} console-text pixels")
if grey < 500:
    sys.exit("no console text on screen")
EOF
qemu_stop

# console=serial: no framebuffer console, the boot still completes.
iso=$TEST_OUT/$name.serial.iso
"$(dirname "$0")/../../tools/lib/mkiso.sh" "$iso" "$BUILD/synack.elf" \
	"$(dirname "$0")/../../boot/grub/grub.cfg.in" "$TEST_OUT/$name.iso.d" console=serial ||
	fail "cannot build the console=serial ISO"
qemu_boot $name.serial 180 'synack: boot ok' -cdrom "$iso" ||
	fail "console=serial: no 'synack: boot ok' (see $TEST_OUT/$name.serial.log)"
grep -q 'cmdline "console=serial"' "$TEST_OUT/$name.serial.log" || fail "console=serial not passed"
! grep -q 'fbcon:' "$TEST_OUT/$name.serial.log" || fail "console=serial still drew on the framebuffer"
rm -rf "$iso" "$TEST_OUT/$name.iso.d"

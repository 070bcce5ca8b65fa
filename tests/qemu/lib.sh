# Shared helpers for QEMU integration tests (sourced, bash).
#
#   qemu_boot NAME TIMEOUT PATTERN [qemu args...]
#       Starts QEMU in the background with the serial console logged to
#       $TEST_OUT/NAME.log, waits until PATTERN (an extended regex) appears,
#       QEMU exits, or TIMEOUT seconds pass.  Returns 0 if the pattern was
#       seen.  QEMU is always ended by PID (trap on EXIT as well).
#   qemu_stop           kills the QEMU started by qemu_boot, if alive.
#   kernel_args ARGS    the default -kernel/-append pair for PVH boots; its
#                       output is word-split, so for an -append value with
#                       spaces pass -kernel/-append to qemu_boot directly.
#   qemu_boot_console NAME TIMEOUT PATTERN [qemu args...]
#       Like qemu_boot, but COM1 is a Unix socket ($TEST_OUT/NAME.sock) the
#       test can type into; everything the guest writes is still logged to
#       $TEST_OUT/NAME.log.
#   console_cmd NAME CMD [TIMEOUT]
#       Types CMD and Enter on NAME's console (qemu_boot_console) and prints
#       what the shell answered: the lines after the echoed command, up to
#       its next prompt.  Fails if no prompt comes back within TIMEOUT
#       seconds (default 60).
#
# Environment: BUILD (build dir, default build), TEST_OUT (artifacts dir),
# ACCEL (tcg by default; kvm only where /dev/kvm is hardware-backed).

BUILD=${BUILD:-build}
TEST_OUT=${TEST_OUT:-$BUILD/test-out}
mkdir -p "$TEST_OUT"
QEMU_PID=

qemu_accel() {
	if [ -n "${ACCEL:-}" ]; then
		echo "$ACCEL"
	elif [ -e /dev/kvm ] && grep -qE '^(kvm_intel|kvm_amd) ' /proc/modules 2>/dev/null; then
		echo kvm
	else
		echo tcg
	fi
}

qemu_stop() {
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$QEMU_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$QEMU_PID" 2>/dev/null
	fi
	wait "$QEMU_PID" 2>/dev/null
	QEMU_PID=
}
trap qemu_stop EXIT

qemu_base_args() {
	echo -M q35 -accel "$(qemu_accel)" -cpu max -m "${MEM:-128}" -display none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4
}

qemu_boot() {
	local name=$1 timeout=$2 pattern=$3
	shift 3
	local log=$TEST_OUT/$name.log
	: > "$log"
	# shellcheck disable=SC2046
	qemu-system-x86_64 $(qemu_base_args) -serial "file:$log" "$@" \
		> "$TEST_OUT/$name.qemu.out" 2>&1 &
	QEMU_PID=$!
	local deadline=$((SECONDS + timeout))
	while [ $SECONDS -lt $deadline ]; do
		if grep -qE "$pattern" "$log" 2>/dev/null; then
			return 0
		fi
		kill -0 "$QEMU_PID" 2>/dev/null || break
		sleep 0.2
	done
	grep -qE "$pattern" "$log" 2>/dev/null
}

# Waits (up to TIMEOUT s) for PATTERN in NAME's log while QEMU keeps running.
qemu_wait_for() {
	local name=$1 timeout=$2 pattern=$3
	local deadline=$((SECONDS + timeout))
	while [ $SECONDS -lt $deadline ]; do
		grep -qE "$pattern" "$TEST_OUT/$name.log" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}

# Waits for QEMU to exit by itself (up to TIMEOUT s); returns its status.
qemu_wait_exit() {
	local timeout=$1 deadline=$((SECONDS + $1))
	while [ $SECONDS -lt $deadline ]; do
		if ! kill -0 "$QEMU_PID" 2>/dev/null; then
			local rc=0
			wait "$QEMU_PID" || rc=$?
			QEMU_PID=
			return $rc
		fi
		sleep 0.2
	done
	return 124
}

kernel_args() {
	echo -kernel "$BUILD/synack.elf" -append "$*"
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

qemu_boot_console() {
	local name=$1 timeout=$2 pattern=$3
	shift 3
	local log=$TEST_OUT/$name.log sock=$TEST_OUT/$name.sock
	: > "$log"
	rm -f "$sock"
	# shellcheck disable=SC2046
	qemu-system-x86_64 $(qemu_base_args) \
		-chardev "socket,id=con0,path=$sock,server=on,wait=off,logfile=$log" \
		-serial chardev:con0 "$@" > "$TEST_OUT/$name.qemu.out" 2>&1 &
	QEMU_PID=$!
	local deadline=$((SECONDS + timeout))
	while [ $SECONDS -lt $deadline ]; do
		grep -qE "$pattern" "$log" 2>/dev/null && return 0
		kill -0 "$QEMU_PID" 2>/dev/null || break
		sleep 0.2
	done
	grep -qE "$pattern" "$log" 2>/dev/null
}

console_cmd() {
	python3 - "$TEST_OUT/$1.sock" "$2" "${3:-60}" <<'EOF'
import socket, sys, time
path, cmd, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
prompt = b'synack> '
s = socket.socket(socket.AF_UNIX)
s.connect(path)
s.settimeout(0.5)
s.sendall(cmd.encode('latin-1') + b'\r')
buf, deadline = b'', time.monotonic() + timeout
# The shell echoes the command and Enter, answers, then prompts again.  A
# kernel log line may follow the prompt: a prompt after the echo with the
# console then quiet for a moment also ends the answer.
while True:
    nl, end = buf.find(b'\n'), buf.rfind(prompt)
    if nl >= 0 and end > nl and buf.endswith(prompt):
        break
    if time.monotonic() > deadline:
        sys.stderr.write('console_cmd: no prompt after %r; got %r\n' % (cmd, buf[-2000:]))
        sys.exit(1)
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        if nl >= 0 and end > nl:
            break
        continue
    if not chunk:
        sys.stderr.write('console_cmd: console closed after %r\n' % cmd)
        sys.exit(1)
    buf += chunk
out = buf[nl + 1:end].replace(b'\r\n', b'\n')
sys.stdout.write(out.decode('latin-1'))
EOF
}

# OVMF (UEFI firmware for QEMU, Debian's ovmf package), sourced by
# tools/run and the UEFI boot tests.
#
#   ovmf_args VARS_COPY   prints the QEMU arguments that boot OVMF: the
#                         read-only code flash plus a private writable copy
#                         of the variable store at VARS_COPY (the firmware
#                         writes boot entries there; the packaged file stays
#                         pristine).  Falls back to the combined OVMF.fd.

ovmf_args() {
	local vars_copy=$1 dir=/usr/share/OVMF pair code vars
	for pair in OVMF_CODE_4M.fd:OVMF_VARS_4M.fd OVMF_CODE.fd:OVMF_VARS.fd; do
		code=$dir/${pair%:*} vars=$dir/${pair#*:}
		if [ -f "$code" ] && [ -f "$vars" ]; then
			cp "$vars" "$vars_copy" || return 1
			echo "-drive if=pflash,format=raw,readonly=on,file=$code" \
			     "-drive if=pflash,format=raw,file=$vars_copy"
			return 0
		fi
	done
	if [ -f /usr/share/ovmf/OVMF.fd ]; then
		echo "-bios /usr/share/ovmf/OVMF.fd"
		return 0
	fi
	echo "OVMF firmware not found (apt-get install ovmf)" >&2
	return 1
}

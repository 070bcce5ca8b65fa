# Installs the Debian packages synack needs, only those missing (sourced).
# Packages are probed with dpkg-query so a partial install is repaired.

SYNACK_PACKAGES=(
	gcc binutils make python3 meson ninja-build
	qemu-system-x86 ovmf
	grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools dosfstools
	gnu-efi
	iproute2 procps iputils-ping iputils-arping socat hping3
	dnsmasq-base
	curl apache2-utils wrk
	wget nghttp2-client chromium nmap
)

deps_install() {
	local missing=() p
	for p in "${SYNACK_PACKAGES[@]}" "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
			"${missing[@]}" >/dev/null 2>&1
}

# Configures (once) and builds the default targets in $1.
build_synack() {
	local dir=$1
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" --cross-file boot/x86_64-synack.ini >/dev/null || return 1
	fi
	ninja -C "$dir" >/dev/null
}

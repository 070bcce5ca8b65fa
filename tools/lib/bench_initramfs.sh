#!/usr/bin/env bash
# Assembles the reference Linux guest for tools/bench from installed Debian
# packages (nothing prebuilt is committed):
#
#   tools/lib/bench_initramfs.sh OUTDIR
#
# writes OUTDIR/initramfs.cpio (uncompressed newc: under TCG the guest's own
# decompression would dominate its boot time) and OUTDIR/guest.env (KERNEL=
# the linux-image-amd64 bzImage for -kernel, KVER=, NGINX=, SOCAT=).
#
# The initramfs holds busybox-static, nginx (nginx-light) and socat with the
# shared libraries ldd names plus the dynamic loader, the e1000, virtio_net
# and virtio_pci modules with their modules.dep dependencies (loaded in
# dependency order by /init), the site synack serves (apps/www, the index
# page among it; a small generated page if it does not exist) and
# tools/lib/bench_guest_init.sh as /init.  The bulk file for /bytes is made
# by /init in a tmpfs at boot, sized to the guest's memory (see
# bench_guest_init.sh).
set -eu
out=${1:?usage: bench_initramfs.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

die() {
	echo "bench_initramfs: $*" >&2
	exit 1
}

# The newest installed kernel that has its modules directory.
kver=
# shellcheck disable=SC2045 # version order (ls -v); the names hold no spaces
for k in $(ls -v /boot/vmlinuz-*-amd64 2>/dev/null); do
	v=${k#/boot/vmlinuz-}
	[ -d "/lib/modules/$v" ] && kver=$v
done
[ -n "$kver" ] || die "no /boot/vmlinuz-*-amd64 with /lib/modules (apt-get install linux-image-amd64)"
for b in /bin/busybox /usr/sbin/nginx /usr/bin/socat; do
	[ -x "$b" ] || die "$b missing (busybox-static, nginx-light, socat)"
done

mkdir -p "$out"
root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,www/bytes,lib/modules} \
	"$root"/var/{log/nginx,lib/nginx,lock} "$root/etc/nginx"

# busybox applets as symlinks, made here so /init needs none at boot.
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done

# A dynamically linked program, the libraries ldd resolves and the loader.
copy_with_libs() {
	local bin=$1 lib
	mkdir -p "$root$(dirname "$bin")"
	cp "$bin" "$root$bin"
	for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_with_libs /usr/sbin/nginx
copy_with_libs /usr/bin/socat

# NIC modules with dependencies first (modules.dep, depth first); .ko.xz
# and .ko.zst are decompressed because busybox insmod loads plain .ko.
moddir=/lib/modules/$kver
declare -A seen=()
order=()
add_module() {
	local rel=$1 dep
	[ -n "${seen[$rel]:-}" ] && return 0
	seen[$rel]=1
	for dep in $(grep -E "^$rel:" "$moddir/modules.dep" | cut -d: -f2); do
		add_module "$dep"
	done
	order+=("$rel")
}
for m in e1000 virtio_net virtio_pci; do
	rel=$(grep -oE "^[^:]*/$m\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep" | tr -d :) ||
		die "module $m not in $moddir/modules.dep"
	add_module "$rel"
done
: > "$root/lib/modules/order"
for rel in "${order[@]}"; do
	name=$(basename "$rel")
	case $name in
	*.ko.xz) xz -dc "$moddir/$rel" > "$root/lib/modules/${name%.xz}"; name=${name%.xz} ;;
	*.ko.zst) zstd -qdc "$moddir/$rel" > "$root/lib/modules/${name%.zst}"; name=${name%.zst} ;;
	*.ko.gz) gzip -dc "$moddir/$rel" > "$root/lib/modules/${name%.gz}"; name=${name%.gz} ;;
	*) cp "$moddir/$rel" "$root/lib/modules/$name" ;;
	esac
	echo "$name" >> "$root/lib/modules/order"
done

# Users for nginx's `user root;` (glibc's files NSS is built into libc).
echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
echo -e 'passwd: files\ngroup: files' > "$root/etc/nsswitch.conf"

cat > "$root/etc/nginx/nginx.conf" <<'EOF'
# Reference HTTP server for tools/bench: one worker for one vCPU, no
# logging, sendfile, keep-alive connections never closed by request count.
user root;
worker_processes 1;
pid /run/nginx.pid;
error_log /dev/console warn;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	default_type text/html;
	server {
		listen 80 default_server reuseport;
		root /www;
		index index.html;
		location /bytes/ { default_type application/octet-stream; }
	}
}
EOF

if [ -f "$repo/apps/www/index.html" ]; then
	cp -r "$repo/apps/www/." "$root/www/"	# the site synack embeds (tools/mkwww.py)
else
	cat > "$root/www/index.html" <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>synack</title></head>
<body><h1>synack</h1>
<p>A bare-metal x86-64 unikernel network appliance: echo on port 7, HTTP/1.1 on port 80.</p>
<p>GET /bytes/N returns N bytes.</p>
</body></html>
EOF
fi

cp "$here/bench_guest_init.sh" "$root/init"
chmod 755 "$root/init"

(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) > "$out/initramfs.cpio"
rm -rf "$root"
{
	echo "KERNEL=/boot/vmlinuz-$kver"
	echo "KVER=$kver"
	echo "NGINX=$(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///')"
	echo "SOCAT=$(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/\1/p')"
	echo "INITRAMFS_BYTES=$(stat -c %s "$out/initramfs.cpio")"
} > "$out/guest.env"

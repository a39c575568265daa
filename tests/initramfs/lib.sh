# shellcheck shell=bash disable=SC2034  # sets variables for its callers
# Shared pieces of the qemu initramfs tests (sourced by run and families):
# pick a kernel, collect modules with their dependencies, pack a cpio,
# boot it, split the serial console at the markers. Callers set -eu and
# define skip() (print the reason, exit 77) and usage() (exit 2).

bb=/bin/busybox

# vm_prereqs: skip naming the Debian packages missing; sets kver to the
# newest /boot/vmlinuz-* whose modules are installed next to it.
vm_prereqs() {
	local missing='' v t
	command -v qemu-system-x86_64 >/dev/null || missing+=" qemu-system-x86"
	command -v cpio >/dev/null || missing+=" cpio"
	if command -v dpkg-query >/dev/null; then
		dpkg-query -W -f='${Status}\n' busybox-static 2>/dev/null |
			grep -q 'ok installed' || missing+=" busybox-static"
	else
		[ -x $bb ] || missing+=" busybox-static"
	fi
	kver=
	for v in $(printf '%s\n' /boot/vmlinuz-* | sed 's|^/boot/vmlinuz-||' | sort -V); do
		[ -r "/boot/vmlinuz-$v" ] && [ -f "/lib/modules/$v/modules.dep" ] && kver=$v
	done
	[ -n "$kver" ] || missing+=" linux-image-amd64"
	[ -z "$missing" ] ||
		skip "missing Debian packages:$missing (apt-get install -y --no-install-recommends$missing)"
	for t in gzip timeout awk; do
		command -v $t >/dev/null || skip "missing tool: $t"
	done
	moddir=/lib/modules/$kver
}

# vm_static FILE: usage error unless FILE is a static executable.
vm_static() {
	[ -x "$1" ] || usage "$1 is not an executable"
	if command -v readelf >/dev/null &&
		readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'; then
		usage "$1 is dynamically linked; the initramfs has no libc"
	fi
}

# vm_root DIR: an initramfs tree with busybox as /bin/sh only (every other
# tool is called as "busybox TOOL", so none shadows a tool under test).
vm_root() {
	root=$1
	mkdir -p "$root"/bin "$root"/dev "$root"/proc "$root"/tmp "$root"/modules
	cp $bb "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	modules=''
}

# vm_kconfig SYMBOL: y, m or nothing, from the kernel's config.
vm_kconfig() {
	sed -n "s/^CONFIG_$1=//p" "/boot/config-$kver" 2>/dev/null
}

# vm_modline NAME: the modules.dep line of module NAME ("-" and "_" equal);
# DIR/NAME matches the end of the path (TIPC's diag module is tipc/diag.ko).
vm_modline() {
	awk -F: -v n="$1" '{ f = $1; sub(/\.ko(\.[a-z]+)?$/, "", f); gsub(/-/, "_", f)
		if (n !~ /\//) sub(/.*\//, "", f)
		if (f == n || substr(f, length(f) - length(n)) == "/" n) { print; exit } }' "$moddir/modules.dep"
}

# vm_addmod PATH: copy one module (PATH as in modules.dep) after its
# dependencies into $root/modules, decompressed (busybox insmod and a kernel
# without module decompression both need plain ELF); $modules lists them
# in load order.
vm_addmod() {
	local path=$1 name line dep cat
	name=${path##*/}; name=${name%%.ko*}; name=${name//-/_}
	case " $modules " in *" $name "*) return ;; esac
	line=$(awk -F: -v p="$path" '$1 == p { print; exit }' "$moddir/modules.dep")
	for dep in ${line#*:}; do vm_addmod "$dep"; done
	case $path in
	*.ko) cat='cat' ;;
	*.ko.xz) cat="xz -dc" ;;
	*.ko.zst) cat="zstd -qdc" ;;
	*.ko.gz) cat="gzip -dc" ;;
	*) skip "cannot unpack module $path" ;;
	esac
	command -v "${cat%% *}" >/dev/null || skip "missing ${cat%% *} to unpack $path"
	$cat "$moddir/$path" >"$root/modules/$name.ko"
	modules="${modules:+$modules }$name"
}

# vm_module NAME: vm_addmod by module name; false if this kernel has none.
vm_module() {
	local line
	line=$(vm_modline "$1")
	[ -n "$line" ] || return 1
	vm_addmod "${line%%:*}"
}

# vm_pack OUT: $root as a gzip'd newc cpio.
vm_pack() {
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$1"
}

# vm_boot INITRD RAW ERR LIMIT ACCEL: boot $kver on INITRD, serial console
# into RAW, qemu's stderr into ERR, killed after LIMIT seconds; sets qrc.
# TCG by default: it boots in seconds, while a /dev/kvm that opens is no
# proof that KVM works (nested setups can hang in the firmware).
vm_boot() {
	case $5 in
	kvm|tcg) ;;
	*)	usage "the accelerator must be tcg or kvm" ;;
	esac
	qrc=0
	timeout -k 10 "$4" qemu-system-x86_64 -nographic -no-reboot -m 512 -smp 1 \
		-accel "$5" -nic none -kernel "/boot/vmlinuz-$kver" -initrd "$1" \
		-append "console=ttyS0 panic=-1 loglevel=3" \
		</dev/null >"$2" 2>"$3" || qrc=$?
}

# vm_split LOG DIR [raw]: one result per command, from the console LOG's
# "=== PHASE P CMD ===" ... "=== END rc=N ===" blocks: DIR/P:CMD.out
# holds the "out: "/"err: " lines (with raw: .out the stdout lines and
# .err the stderr ones, unprefixed), DIR/P:CMD.rc the exit code ("/" in
# CMD becomes "_").
vm_split() {
	mkdir -p "$2"
	awk -v dir="$2" -v raw="${3:-}" '
		/^=== PHASE / { s = $0; sub(/^=== PHASE /, "", s); sub(/ ===$/, "", s)
			p = s; sub(/ .*/, "", p); c = substr(s, length(p) + 2); gsub(/\//, "_", c)
			f = dir "/" p ":" c; printf "" >(f ".out"); if (raw) printf "" >(f ".err"); next }
		/^=== END rc=/ && f != "" { s = $0; sub(/^=== END rc=/, "", s); sub(/ ===$/, "", s)
			print s >(f ".rc"); close(f ".rc"); close(f ".out"); close(f ".err"); f = ""; next }
		f != "" && /^(out|err): / {
			if (!raw) print >>(f ".out")
			else print substr($0, 6) >>(f (/^out/ ? ".out" : ".err")) }
	' "$1"
}

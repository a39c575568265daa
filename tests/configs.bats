#!/usr/bin/env bats
# Every configuration in config/, the extremes and a few random ones build
# without a warning and give a working binary. Each build happens in a
# copy of the tree so the main build is left alone.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

bats_require_minimum_version 1.5.0

SRC=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

# Builds and whole nested suites: more than tests/run's per-test default.
BATS_TEST_TIMEOUT=900

setup_file() {
	command -v kconfig-conf >/dev/null || skip "kconfig-frontends not installed"
	export COPY=$(mktemp -d)
	cp -r "$SRC"/. "$COPY"
	rm -rf "$COPY/.git"
	rm -rf "$COPY/build" "$COPY/.config" "$COPY/include/config" "$COPY/include/generated"
	# a dozen builds: compile on every core (the LTO link stays one job)
	export MAKEFLAGS="-j$(nproc)"
}

setup() {
	[ "${SANITIZE:-}" != 1 ] || skip "build tests run in the plain make check"
}

teardown_file() {
	[ -n "${COPY:-}" ] && rm -rf "$COPY"
}

# build_config TARGET [EXTRA_CONFIG_LINE...]: configure, build, check.
build_config() {
	local target=$1; shift
	make -C "$COPY" -s distclean >/dev/null 2>&1 || true
	make -C "$COPY" -s "$target" >/dev/null 2>&1 || fail "make $target failed"
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" >> "$COPY/.config"
		make -C "$COPY" -s olddefconfig >/dev/null 2>&1 || fail "olddefconfig failed"
	fi
	run make -C "$COPY" 2>&1
	assert_success
	refute_output --partial "warning:"
	[ -x "$COPY/sockbox" ]
	# --list names exactly the applets the .config enables
	local want="" a
	for a in ss netstat sockstat; do
		grep -q "^CONFIG_${a^^}=y" "$COPY/.config" && want+="$a"$'\n'
	done
	run "$COPY/sockbox" --list
	assert_success
	assert_output "${want%$'\n'}"
}

ss_runs() {
	grep -q '^CONFIG_SS=y' "$COPY/.config" || return 0
	run "$COPY/sockbox" ss -tan
	assert_success
	assert_line --index 0 --regexp '^State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port *Process$'
}

@test "allnoconfig plus CONFIG_SS builds and runs ss -tan" {
	build_config allnoconfig CONFIG_SS=y
	ss_runs
	run "$COPY/sockbox" ss -xa
	assert_failure 1
	assert_output "ss: UNIX sockets are not enabled in this build"
}

@test "allyesconfig builds" {
	build_config allyesconfig
	ss_runs
}

@test "allnoconfig builds (no applets at all)" {
	build_config allnoconfig
	run -127 "$COPY/sockbox" ss
}

@test "every config/*_defconfig and defconfig builds" {
	build_config defconfig
	ss_runs
	local f
	for f in "$SRC"/config/*_defconfig; do
		[ -e "$f" ] || continue
		f=${f##*/}
		build_config "$f"
		ss_runs
	done
}

@test "three random configurations (fixed seeds) build" {
	local seed
	for seed in 0x5eed1 0x5eed2 0x5eed3; do
		make -C "$COPY" -s distclean >/dev/null 2>&1
		KCONFIG_SEED=$seed make -C "$COPY" -s randconfig >/dev/null 2>&1 ||
			fail "randconfig $seed failed"
		run make -C "$COPY" 2>&1
		assert_success
		refute_output --partial "warning:"
		ss_runs
	done
}

# Suites against one config/ build: tests of what it leaves out must skip
# (require_features, or sockbox's "not enabled in this build"), the rest
# must pass as they do against the default build.
config_suites() {
	build_config "$1"
	shift
	local suites=() s
	for s in sockbox "$@"; do
		suites+=("$SRC/tests/$s.bats")
	done
	run env SOCKBOX="$COPY/sockbox" SOCKBOX_TRIMMED=1 "$SRC/tests/run" "${suites[@]}"
	# only the failures and their diagnostics: CI logs may be cut
	[ "$status" = 0 ] || printf '%s\n' "${lines[@]}" |
		awk '/^not ok/ { on = 1; print; next } /^(ok|[0-9]+\.\.)/ { on = 0 } on || /passed,/' | fail
	[[ ${lines[-1]} =~ ^([0-9]+)\ passed,\ 0\ failed ]] || fail "${lines[-1]}"
	[ "${BASH_REMATCH[1]}" -gt 0 ] || fail "nothing ran: ${lines[-1]}"
}

@test "tiny_defconfig passes the ss suites (what it drops skips)" {
	config_suites tiny_defconfig ss_basic ss_errors
}
@test "ss_defconfig passes the ss suites" { config_suites ss_defconfig ss_basic ss_errors json; }
@test "netstat_defconfig passes the netstat suite" { config_suites netstat_defconfig netstat; }
@test "sockstat_defconfig passes the sockstat suites" { config_suites sockstat_defconfig sockstat sockstat_golden; }

@test "aarch64 cross build (CROSS_COMPILE=aarch64-linux-gnu-) runs under qemu" {
	command -v aarch64-linux-gnu-gcc >/dev/null &&
		[ -e /usr/lib/aarch64-linux-musl/musl-gcc.specs ] ||
		skip "no aarch64 musl cross compiler (make deps installs one)"
	make -C "$COPY" -s distclean >/dev/null 2>&1 || true
	make -C "$COPY" -s defconfig >/dev/null 2>&1 || fail "make defconfig failed"
	run make -C "$COPY" CROSS_COMPILE=aarch64-linux-gnu- 2>&1
	assert_success
	refute_output --partial "warning:"
	run file "$COPY/sockbox"
	assert_output --partial "ARM aarch64"
	assert_output --partial "statically linked"
	command -v qemu-aarch64-static >/dev/null || skip "qemu-user-static not installed"
	run qemu-aarch64-static "$COPY/sockbox" --list
	assert_success
	assert_output $'ss\nnetstat\nsockstat'
	run qemu-aarch64-static "$COPY/sockbox" ss -tln
	assert_success
	assert_line --index 0 --regexp '^State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port *Process$'
}

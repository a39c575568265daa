#!/usr/bin/env bats
# make check-initramfs from make check: sockbox in a booted bare kernel
# (tests/initramfs/README.md lists the checks).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

bats_require_minimum_version 1.5.0

@test "initramfs: ss, netstat and sockstat in a booted kernel without and with diag modules, and without /proc" {
	[ "${SANITIZE:-}" != 1 ] || skip "the sanitizer build is not static"
	SOCKBOX=$(readlink -f "${SOCKBOX:-$BATS_TEST_DIRNAME/../sockbox}")
	run --separate-stderr env SOCKBOX="$SOCKBOX" \
		"$BATS_TEST_DIRNAME/initramfs/run"
	[ "$status" -ne 77 ] || skip "$(printf '%s\n' "$stderr" "$output" | grep -m1 .)"
	[ "$status" -eq 0 ] || fail "$(printf '%s\n' "$output" | grep -E 'FAIL|PASS' | head -60)"
}

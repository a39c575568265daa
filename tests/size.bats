#!/usr/bin/env bats
# Size budgets (x86-64 musl -Os, stripped): tiny_defconfig 48 KiB,
# defconfig 160 KiB. tests/size-table builds them in a scratch copy.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

@test "tiny_defconfig and defconfig fit their size budgets" {
	[ "${SANITIZE:-}" != 1 ] || skip "build tests run in the plain make check"
	command -v musl-gcc >/dev/null || skip "musl-gcc not installed"
	[ "$(uname -m)" = x86_64 ] || skip "budgets are for x86-64"
	run "$BATS_TEST_DIRNAME/size-table" --check tiny_defconfig defconfig
	assert_success
	assert_line --regexp '^\| tiny_defconfig \| .* ok \|$'
	assert_line --regexp '^\| defconfig \| .* ok \|$'
}

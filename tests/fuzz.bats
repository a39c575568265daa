#!/usr/bin/env bats
# Every libFuzzer target runs briefly from its seed corpus without a
# finding (make fuzz FUZZ_SECONDS=N for long runs; see tests/fuzz/README).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

# Building the targets (clang, ASan, every source) takes minutes on a busy
# machine: here, outside the per-test timeout.
setup_file() {
	[ "${SANITIZE:-}" != 1 ] && command -v clang >/dev/null || return 0
	make -C "$ROOT" -s -j"$(nproc)" fuzz-build >/dev/null 2>&1 || true
}

setup() {
	[ "${SANITIZE:-}" != 1 ] || skip "fuzzing runs in the plain make check"
	command -v clang >/dev/null || skip "clang not installed"
	echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' >"$BATS_TEST_TMPDIR/t.c"
	clang -fsanitize=fuzzer -o "$BATS_TEST_TMPDIR/t" "$BATS_TEST_TMPDIR/t.c" 2>/dev/null ||
		skip "clang has no libFuzzer runtime"
}

@test "every fuzz target builds and runs ${FUZZ_CHECK_SECONDS:-5} s from its corpus without a finding" {
	run make -C "$ROOT" -s -j"$(nproc)" fuzz FUZZ_SECONDS=${FUZZ_CHECK_SECONDS:-5}
	assert_success
	assert_output --partial "FUZZ    diag"
	assert_output --partial "FUZZ    filter"
	refute_output --partial "ERROR"
}

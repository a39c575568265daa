#!/usr/bin/env bats
# On a terminal ss fits its columns to the window and never pads a line
# with spaces out to the screen's edge (piped output is iproute2's).

load lib/common

setup_file() {
	netns_setup
	fixture_start "tcp-listen 127.0.0.1 5001" "tcp-pair 127.0.0.1 5001" \
		"tcp-listen :: 5002" "unix-listen /tmp/sbtty.$$.sock"
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
	dry_run && skip "sockbox only"
	command -v script >/dev/null || skip "script(1) not installed"
	require_features SS
	sockbox_cmd
}

on_tty() {	# on_tty COLS ARGS...: run ss on a pty of COLS columns
	local cols=$1; shift
	script -qec "stty cols $cols rows 50; ip netns exec $NS ${SB_SS[*]} $*" /dev/null |
		tr -d '\r'
}

@test "terminal: no line ends in a space, columns spread over the width" {
	on_tty 120 -tan >"$BATS_TEST_TMPDIR/out"
	run grep -c ' $' "$BATS_TEST_TMPDIR/out"
	assert_output 0
	# spread: the header is wider than the compact (piped) one
	local piped
	piped=$(ip netns exec "$NS" "${SB_SS[@]}" -tan | head -1 | sed 's/ *$//')
	[ "$(head -1 "$BATS_TEST_TMPDIR/out" | wc -c)" -gt "${#piped}" ]
	[ "$(head -1 "$BATS_TEST_TMPDIR/out" | wc -c)" -le 121 ]
}

@test "terminal: the same rows and values as the piped output" {
	on_tty 150 -tan | tr -s ' ' >"$BATS_TEST_TMPDIR/tty"
	ip netns exec "$NS" "${SB_SS[@]}" -tan | tr -s ' ' | sed 's/ $//' >"$BATS_TEST_TMPDIR/pipe"
	diff -u "$BATS_TEST_TMPDIR/pipe" "$BATS_TEST_TMPDIR/tty"
}

@test "pipe: \$COLUMNS does not change piped output" {
	ip netns exec "$NS" "${SB_SS[@]}" -tan >"$BATS_TEST_TMPDIR/a"
	COLUMNS=50 ip netns exec "$NS" "${SB_SS[@]}" -tan >"$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

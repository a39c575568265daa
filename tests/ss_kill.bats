#!/usr/bin/env bats
# ss -K (SOCK_DESTROY), ss -E (destroy events) and ss -N (network
# namespaces). Each test starts its own fixture: closing sockets is
# destructive. The peer of a closed TCP socket gets a reset, so its own
# end leaves the table too: that is how the tests see the reset arrive.

load lib/common

need_config() {
	dry_run && return 0
	grep -q "^CONFIG_$1=y" "$TESTS_DIR/../.config" 2>/dev/null ||
		skip "CONFIG_$1 is off in this build"
}

setup_file() {
	netns_setup
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
}

teardown() {
	fixture_stop
}

in_ns() { ip netns exec "$NS" "$@"; }

kill_fixture() {
	fixture_start \
		"tcp-listen 127.0.0.1 7100" \
		"tcp-pair 127.0.0.1 7100 sport=41001" \
		"tcp-pair 127.0.0.1 7100 sport=41002" \
		"tcp-listen ::1 7100" \
		"tcp-pair ::1 7100 sport=41003" \
		"tcp-listen 127.0.0.1 7200" \
		"tcp-pair 127.0.0.1 7200 sport=41004" \
		"udp-bind 127.0.0.1 7100"
}

@test "ss -K dport = :7100 closes exactly the matching connections" {
	need_config SS_ACTIONS
	kill_fixture
	sockbox_cmd
	local d=$BATS_TEST_TMPDIR
	# what will be closed, as iproute2 lists it before
	in_ns "$REF_SS" -tn dport = :7100 >"$d/before"
	[ "$(wc -l <"$d/before")" -eq 4 ]
	in_ns "${SB_SS[@]}" -K -tn dport = :7100 >"$d/killed"
	diff -u "$d/before" "$d/killed"
	# the clients are gone, and so are their peers (they got the reset);
	# listeners, the 7200 pair and the UDP socket stay
	in_ns "$REF_SS" -tan >"$d/after"
	run grep -c ESTAB "$d/after"
	assert_output 2
	run grep -E ':4100[123] |:7100 .*:4100' "$d/after"
	assert_failure
	[ "$(grep -c LISTEN "$d/after")" -eq 3 ]
	in_ns "$REF_SS" -uan | grep -q '127.0.0.1:7100'
}

@test "ss -K on UDP: the bound socket is aborted and listed" {
	need_config SS_ACTIONS
	kill_fixture
	sockbox_cmd
	run in_ns "${SB_SS[@]}" -K -uan sport = :7100
	assert_success
	assert_line --index 1 --regexp '^UNCONN +0 +0 +127\.0\.0\.1:7100 +0\.0\.0\.0:\*'
	[ "${#lines[@]}" -eq 2 ]
}

@test "ss -K needs a filter expression" {
	need_config SS_ACTIONS
	kill_fixture
	sockbox_cmd
	run in_ns "${SB_SS[@]}" -K -tn
	assert_failure 1
	assert_output "ss: -K needs a filter expression to select the sockets to close"
	[ "$(in_ns "$REF_SS" -tHn | wc -l)" -eq 8 ]
}

@test "ss -K without CAP_NET_ADMIN: one clear error, nothing closed" {
	need_config SS_ACTIONS
	command -v capsh >/dev/null || skip "capsh not installed"
	kill_fixture
	sockbox_cmd
	run in_ns capsh --drop=cap_net_admin -- -c "${SB_SS[*]} -K -tn dport = :7100"
	assert_failure 1
	assert_line --partial "SOCK_DESTROY: Operation not permitted (closing sockets needs CAP_NET_ADMIN)"
	[ "$(in_ns "$REF_SS" -tHn | wc -l)" -eq 8 ]
}

@test "ss -E prints sockets as they close, as iproute2 does" {
	need_config SS_ACTIONS
	sockbox_cmd
	local d=$BATS_TEST_TMPDIR ref sb i
	ip netns exec "$NS" stdbuf -oL "$REF_SS" -E >"$d/ref.ev" 2>/dev/null 3>&- &
	ref=$!
	ip netns exec "$NS" "${SB_SS[@]}" -E >"$d/sb.ev" 2>"$d/sb.ev.err" 3>&- &
	sb=$!
	sleep 0.5
	kill_fixture
	in_ns "${SB_SS[@]}" -K -tn dport = :7100 >/dev/null
	fixture_stop
	for ((i = 0; i < 100; i++)); do
		[ "$(wc -l <"$d/sb.ev")" -ge 13 ] && [ "$(wc -l <"$d/ref.ev")" -ge 13 ] && break
		sleep 0.05
	done
	# SIGTERM ends both the same way (every line is already written)
	kill -TERM "$ref" "$sb"
	local rc=0
	wait "$sb" || rc=$?
	[ "$rc" -eq 143 ] || fail "ss -E exited $rc on SIGTERM"
	wait "$ref" || true
	diff -u "$d/ref.ev" "$d/sb.ev"
	[ "$(wc -l <"$d/sb.ev")" -eq 13 ]
	[ ! -s "$d/sb.ev.err" ]
}

@test "ss -E | cat shows each line at once; SIGINT stops it" {
	need_config SS_ACTIONS
	sockbox_cmd
	local d=$BATS_TEST_TMPDIR pid i
	# (a background job starts with SIGINT ignored: undo that, as a shell
	# with job control would)
	env --default-signal=INT ip netns exec "$NS" "${SB_SS[@]}" -E -t 2>"$d/err" 3>&- |
		cat >"$d/pipe" 3>&- &
	local cat_pid=$!
	sleep 0.5
	# sockets are destroyed (and reported) when their last fd goes
	kill_fixture
	fixture_stop
	for ((i = 0; i < 100; i++)); do
		[ "$(wc -l <"$d/pipe")" -ge 12 ] && break
		sleep 0.05
	done
	# the header and 11 TCP sockets, while ss is still running
	[ "$(wc -l <"$d/pipe")" -eq 12 ] || fail "$(cat "$d/pipe")"
	grep -q '127.0.0.1:41004 ' "$d/pipe"
	pid=$(pgrep -xf -- "${SB_SS[*]} -E -t")
	kill -INT "$pid"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	! kill -0 "$pid" 2>/dev/null || fail "ss -E still running after SIGINT"
	wait "$cat_pid"
	[ ! -s "$d/err" ]
}

@test "ss -E with no TCP or UDP table has nothing to follow" {
	need_config SS_ACTIONS
	ss_run_both -E -x
	ss_assert_same -E -x
}

# --- -N -----------------------------------------------------------------

@test "ss -N NS -tan equals ip netns exec NS ss -tan" {
	kill_fixture
	sockbox_cmd
	local d=$BATS_TEST_TMPDIR
	in_ns "$REF_SS" -tan >"$d/ref"
	"${SB_SS[@]}" -N "$NS" -tan >"$d/sb"
	diff -u "$d/ref" "$d/sb"
	[ "$(wc -l <"$d/ref")" -eq 12 ]
	"${SB_SS[@]}" -N "/var/run/netns/$NS" -tan >"$d/sb"
	diff -u "$d/ref" "$d/sb"
	ss_run_both -N "$NS" -tan
	ss_assert_same -N "$NS" -tan
}

@test "ss -N with a namespace that does not exist: one line, exit 1" {
	dry_run && skip "sockbox's message"
	sockbox_cmd
	run "${SB_SS[@]}" -N sbtest-no-such-ns -tan
	assert_failure 1
	assert_output --partial 'cannot open network namespace "sbtest-no-such-ns"'
	[ "${#lines[@]}" -eq 1 ]
}

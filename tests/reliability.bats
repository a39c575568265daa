#!/usr/bin/env bats
# Sturdiness: dumps while sockets and processes churn, closed or full
# stdout, no /proc, an unprivileged user, and a valgrind pass.

load lib/common

bats_require_minimum_version 1.5.0

CHURN=$TESTS_DIR/fixture/churn
LINES_AWK=$TESTS_DIR/lib/ss-lines.awk

setup_file() {
	netns_setup
	fixture_start "tcp-listen 127.0.0.1 5001" "tcp-pair 127.0.0.1 5001" \
		"tcp-listen ::1 5002" "tcp-pair ::1 5002" "unix-pair"
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
	require_features SS
	sockbox_cmd
}

# Runs "ss ARGS" repeatedly for SECONDS while churn runs; every run must
# exit 0 with well-formed lines and no stderr but iproute2's interrupted-
# dump note.
churn_dumps() {
	local secs=$1 n=0 end; shift
	[ -x "$CHURN" ] || skip "tests/fixture/churn not built (make check builds it)"
	ip netns exec "$NS" "$CHURN" $((secs + 1)) 6000 >"$BATS_TEST_TMPDIR/churn.out" 3>&- &
	local cpid=$!
	sleep 0.3
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		local rc=0
		ip netns exec "$NS" "${SB_SS[@]}" "$@" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
		[ "$rc" -eq 0 ] || { kill $cpid; fail "run $n: exit $rc: $(cat "$BATS_TEST_TMPDIR/err")"; }
		if grep -v '^Dump was interrupted and may be inconsistent\.$' "$BATS_TEST_TMPDIR/err"; then
			kill $cpid
			fail "run $n: unexpected stderr"
		fi
		awk -f "$LINES_AWK" "$BATS_TEST_TMPDIR/out" || { kill $cpid; fail "run $n: malformed output"; }
		n=$((n + 1))
	done
	wait $cpid
	[ "$n" -ge 5 ] || fail "only $n dumps ran"
	[ "$(tail -1 "$BATS_TEST_TMPDIR/churn.out")" -gt 1000 ] || fail "churn made too few connections"
}

@test "ss -tan during heavy connection churn: exit 0, only well-formed lines" {
	churn_dumps 4 -tan
}

@test "ss -tn state established during churn" {
	churn_dumps 3 -tn
}

@test "the strict line checker rejects a garbled line (it can fail)" {
	printf 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nESTAB 0 0 127.0.0.1:22\n' >"$BATS_TEST_TMPDIR/bad"
	run awk -f "$LINES_AWK" "$BATS_TEST_TMPDIR/bad"
	assert_failure
	assert_output --partial "line 2: fields"
}

@test "stdout closed: a clear error and exit 1" {
	run --separate-stderr bash -c "ip netns exec '$NS' ${SB_SS[*]} -tan >&-"
	assert_failure 1
	[ "$stderr" = "ss: write error: Bad file descriptor" ]
}

@test "ss -tan | head -1 is quiet" {
	run --separate-stderr bash -c "ip netns exec '$NS' ${SB_SS[*]} -tan | head -1"
	assert_success
	[ -z "$stderr" ]
	assert_output --regexp '^State'
}

@test "no /proc: ss -tan still works through netlink" {
	command -v unshare >/dev/null || skip "no unshare(1)"
	ip netns exec "$NS" "${SB_SS[@]}" -tan >"$BATS_TEST_TMPDIR/with"
	run --separate-stderr ip netns exec "$NS" unshare --mount --propagation private \
		sh -c 'umount -l /proc && exec "$@"' sh "${SB_SS[@]}" -tan
	assert_success
	[ -z "$stderr" ]
	# Without /proc the ephemeral range falls back to 1024-4999 (as in
	# iproute2), so only compare the numeric columns' rows count and header.
	[ "$(wc -l <"$BATS_TEST_TMPDIR/with")" -eq "${#lines[@]}" ]
	assert_line --index 0 --regexp '^State'
}

@test "as an unprivileged user the output equals iproute2's as that user" {
	command -v setpriv >/dev/null || skip "no setpriv(1)"
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$REF_SS" -tuna >"$d/ref" 2>/dev/null || true
	run --separate-stderr ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "${SB_SS[@]}" -tuna
	assert_success
	diff -u "$d/ref" <(printf '%s\n' "$output")
}

@test "valgrind: ss -tuna, -xa, -tln and a bad option run clean" {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	dry_run && skip "dry run"
	[ "${SANITIZE:-}" != 1 ] || skip "sanitizer build"
	local args
	for args in "-tuna" "-xa" "-tln" "-Htn state established" "-j -a"; do
		run --separate-stderr ip netns exec "$NS" valgrind -q --error-exitcode=99 \
			"${SB_SS[@]}" $args
		[ "$status" -eq 0 ] || fail "valgrind ss $args: exit $status: $stderr"
		[ -z "$stderr" ] || fail "valgrind ss $args: $stderr"
	done
	run -255 valgrind -q --error-exitcode=99 "${SB_SS[@]}" -Y
	[[ "$stderr" != *"=="* ]]
}

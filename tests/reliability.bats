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
	sockbox_cmd
}

# churn_dumps RUNS MODE CMD...: runs CMD RUNS times while churn opens and
# closes connections and forks socket-holding processes; every run must
# exit 0 with lines the strict checker accepts (ss-lines.awk in MODE ss,
# netstat or sockstat) and no stderr but iproute2's interrupted-dump note.
# Counted runs, not seconds: a loaded machine makes dumps slow.
churn_dumps() {
	local runs=$1 mode=$2 n i d=$BATS_TEST_TMPDIR; shift 2
	[ -x "$CHURN" ] || skip "tests/fixture/churn not built (make check builds it)"
	ip netns exec "$NS" "$CHURN" 120 6000 >"$d/churn.out" 3>&- &
	CHURN_PID=$!
	for ((i = 0; i < 500; i++)); do
		grep -q ready "$d/churn.out" 2>/dev/null && break
		sleep 0.01
	done
	sleep 0.2	# let it get going
	for ((n = 0; n < runs; n++)); do
		local rc=0
		ip netns exec "$NS" "$@" >"$d/out" 2>"$d/err" || rc=$?
		[ "$rc" -eq 0 ] || fail "run $n: exit $rc: $(cat "$d/err")"
		! grep -v '^Dump was interrupted and may be inconsistent\.$' "$d/err" ||
			fail "run $n: unexpected stderr"
		awk -v mode="$mode" -f "$LINES_AWK" "$d/out" || fail "run $n: malformed output"
		[ "$(wc -l <"$d/out")" -ge 2 ] || fail "run $n: no rows"
	done
	kill -TERM $CHURN_PID
	wait $CHURN_PID
	CHURN_PID=
	[ "$(tail -1 "$d/churn.out")" -gt 1000 ] || fail "churn made too few connections: $(tail -1 "$d/churn.out")"
}

teardown() {
	[ -z "${CHURN_PID:-}" ] || { kill -TERM "$CHURN_PID"; wait "$CHURN_PID"; } 2>/dev/null || true
}

@test "ss -tan during heavy connection churn: exit 0, only well-formed lines" {
	churn_dumps 8 ss "${SB_SS[@]}" -tan
}

@test "ss -tanp during churn (processes holding sockets fork and exit)" {
	churn_dumps 5 ss "${SB_SS[@]}" -tanp
}

@test "netstat -tan and -tanp during churn: exit 0, only well-formed lines" {
	dry_run && skip "sockbox only"
	churn_dumps 5 netstat "$SOCKBOX" netstat -tan
	churn_dumps 5 netstat "$SOCKBOX" netstat -tanp
}

@test "sockstat -46 during churn: exit 0, only well-formed lines" {
	dry_run && skip "sockbox only"
	churn_dumps 5 sockstat "$SOCKBOX" sockstat -46
}

@test "ss -tn (connected states) during churn" {
	churn_dumps 5 ss "${SB_SS[@]}" -tn
}

@test "the strict line checker rejects a garbled line (it can fail)" {
	printf 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nESTAB 0 0 127.0.0.1:22\n' >"$BATS_TEST_TMPDIR/bad"
	run awk -f "$LINES_AWK" "$BATS_TEST_TMPDIR/bad"
	assert_failure
	assert_output --partial "line 2: fields"
	printf 'Active Internet connections (servers and established)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      \ntcp 0 0 127.0.0.1:1 127.0.0.1:2 ESTAB\n' >"$BATS_TEST_TMPDIR/bad"
	run awk -v mode=netstat -f "$LINES_AWK" "$BATS_TEST_TMPDIR/bad"
	assert_failure
	assert_output --partial "line 3: state"
	printf 'USER     COMMAND    PID   FD  PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      \nroot     x\x1b[31m    1     3   tcp4   127.0.0.1:1 \n' >"$BATS_TEST_TMPDIR/bad"
	run awk -v mode=sockstat -f "$LINES_AWK" "$BATS_TEST_TMPDIR/bad"
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

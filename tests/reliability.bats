#!/usr/bin/env bats
# Sturdiness: dumps while sockets and processes churn, closed or full
# stdout, no /proc, failing netlink requests, SIGINT, an unprivileged user,
# hostile names. (valgrind: tests/valgrind.bats.)

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

@test "a big dump received ahead on a second thread: iproute2's output; a write error mid-dump ends it cleanly" {
	dry_run && skip "sockbox only (the thread's hook)"
	require_features RECV_AHEAD
	local a before=$FIXTURE_PIDS pid
	# (first in this file: no churn has left sockets that change between
	# the two tools' dumps)
	# 4000 sockets more: a dozen datagrams of about 32 KiB
	fixture_start "tcp-listen 127.0.0.1 6300 backlog=4096" "repeat 2000 tcp-pair 127.0.0.1 6300"
	# the thread from the first datagram, the second, the fifth (the
	# default), never
	for a in 0 1 4 1000000; do
		SOCKBOX_RECV_AHEAD=$a ss_compare -tan
		[ "$(ref_lines)" -ge 4000 ] || fail "only $(ref_lines) lines"
		SOCKBOX_RECV_AHEAD=$a ss_compare -tane
		SOCKBOX_RECV_AHEAD=$a ss_compare -tan 'sport = :6300 or dport = :6300'
		SOCKBOX_RECV_AHEAD=$a ss_compare -tn state established
	done
	SOCKBOX_RECV_AHEAD=0 ss_compare -tanp
	# JSON lines stream: the error comes while the thread still receives
	local streaming=(0 1)
	"$SOCKBOX" --config | grep -qx JSON || streaming=()
	for a in "${streaming[@]}"; do
		run --separate-stderr timeout 30 bash -c \
			"ip netns exec '$NS' env SOCKBOX_RECV_AHEAD=$a '$SOCKBOX' ss -tan --json=lines >/dev/full"
		assert_failure 1
		[ "$stderr" = "ss: write error: No space left on device" ] || fail "ahead=$a >/dev/full: $stderr"
		run --separate-stderr timeout 30 bash -c \
			"ip netns exec '$NS' env SOCKBOX_RECV_AHEAD=$a '$SOCKBOX' ss -tan --json=lines | head -1"
		assert_success
		[ -z "$stderr" ] || fail "ahead=$a | head -1: $stderr"
	done
	for pid in $FIXTURE_PIDS; do
		case " $before " in *" $pid "*) ;; *) kill -TERM "$pid"; wait "$pid" 2>/dev/null || true ;; esac
	done
	FIXTURE_PIDS=$before
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

@test "ss -tan during churn, dumps received ahead on a second thread from the first datagram" {
	require_features RECV_AHEAD
	SOCKBOX_RECV_AHEAD=0 churn_dumps 5 ss "${SB_SS[@]}" -tan
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
	[ "${SANITIZE:-}" != 1 ] || skip "LeakSanitizer needs /proc/self/maps"
	ip netns exec "$NS" "${SB_SS[@]}" -tan exclude time-wait >"$BATS_TEST_TMPDIR/with"
	run --separate-stderr ip netns exec "$NS" unshare --mount --propagation private \
		sh -c 'umount -l /proc && exec "$@"' sh "${SB_SS[@]}" -tan exclude time-wait
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
		"$REF_SS" -tuna exclude time-wait >"$d/ref" 2>/dev/null || true
	run --separate-stderr ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "${SB_SS[@]}" -tuna exclude time-wait
	assert_success
	diff -u "$d/ref" <(printf '%s\n' "$output")
}

@test "diag module missing (SOCKBOX_FAULT_DIAG=2): the /proc fallback, as iproute2 reads it" {
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" env PROC_NET_TCP=/proc/net/tcp PROC_NET_TCP6=/proc/net/tcp6 \
		"$REF_SS" -tan exclude time-wait >"$d/ref"
	run --separate-stderr ip netns exec "$NS" env SOCKBOX_FAULT_DIAG=2:tcp "${SB_SS[@]}" -tan exclude time-wait
	assert_success
	[ -z "$stderr" ]
	diff -u "$d/ref" <(printf '%s\n' "$output")
	[ "$(wc -l <"$d/ref")" -ge 5 ]
	dry_run && return
	ip netns exec "$NS" /usr/bin/netstat -tan >"$d/ref"
	run --separate-stderr ip netns exec "$NS" env SOCKBOX_FAULT_DIAG=2:tcp,udp,raw \
		"$SOCKBOX" netstat -tan
	assert_success
	diff -u <(grep -v TIME_WAIT "$d/ref") <(printf '%s\n' "$output" | grep -v TIME_WAIT)
}

@test "ENOBUFS from a dump: one clear line and exit 1 (ss, netstat, sockstat)" {
	dry_run && skip "sockbox only (the fault hook)"
	local a
	for a in "ss -tan" "netstat -tan" "sockstat -4"; do
		run --separate-stderr ip netns exec "$NS" env SOCKBOX_FAULT_DIAG=105:tcp "$SOCKBOX" $a
		assert_failure 1
		[ "$stderr" = "${a%% *}: dumping tcp sockets: No buffer space available" ] ||
			fail "$a: stderr: $stderr"
	done
}

@test "stdout closed or a full disk: a clear error and exit 1 (netstat, sockstat, ss)" {
	dry_run && skip "sockbox only"
	local a
	for a in "netstat -tan" "sockstat -4" "ss -tan"; do
		run --separate-stderr bash -c "ip netns exec '$NS' '$SOCKBOX' $a >&-"
		assert_failure 1
		[ "$stderr" = "${a%% *}: write error: Bad file descriptor" ] || fail "$a >&-: $stderr"
		run --separate-stderr bash -c "ip netns exec '$NS' '$SOCKBOX' $a >/dev/full"
		assert_failure 1
		[ "$stderr" = "${a%% *}: write error: No space left on device" ] || fail "$a >/dev/full: $stderr"
	done
}

@test "netstat -tan | head -1 and sockstat | head -1 are quiet" {
	dry_run && skip "sockbox only"
	run --separate-stderr bash -c "ip netns exec '$NS' '$SOCKBOX' netstat -tan | head -1"
	assert_success
	[ -z "$stderr" ]
	assert_output "Active Internet connections (servers and established)"
	run --separate-stderr bash -c "ip netns exec '$NS' '$SOCKBOX' sockstat -4 | head -1"
	assert_success
	[ -z "$stderr" ]
	assert_output --regexp '^USER +COMMAND'
}

@test "SIGINT during netstat -c: dies by the signal as net-tools does, whole lines, no stderr" {
	dry_run && skip "sockbox only"
	local d=$BATS_TEST_TMPDIR rc=0
	# background jobs start with SIGINT ignored; give netstat the default
	ip netns exec "$NS" env --default-signal=INT "$SOCKBOX" netstat -tanc >"$d/out" 2>"$d/err" 3>&- &
	local pid=$!
	sleep 1.5
	kill -INT $pid
	wait $pid || rc=$?
	[ "$rc" -eq 130 ] || fail "exit $rc"
	[ ! -s "$d/err" ] || fail "stderr: $(cat "$d/err")"
	[ "$(grep -c '^Active Internet' "$d/out")" -ge 2 ] || fail "fewer than 2 rounds"
	[ "$(tail -c 1 "$d/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "a cut line"
}

@test "SIGINT during ss -E: exit 130, nothing on stderr, no cut line" {
	dry_run && skip "sockbox only"
	require_features SS_ACTIONS
	local d=$BATS_TEST_TMPDIR pid rc=0
	# a background job starts with SIGINT ignored: give it back its default
	ip netns exec "$NS" env --default-signal=INT "$SOCKBOX" ss -E >"$d/out" 2>"$d/err" &
	pid=$!
	sleep 1
	local keep=$FIXTURE_PIDS
	FIXTURE_PIDS=""
	fixture_start 'tcp-listen 127.0.0.1 7301' 'tcp-pair 127.0.0.1 7301'
	fixture_stop	# closes the pair: -E must print it
	FIXTURE_PIDS=$keep
	sleep 1
	kill -INT "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ] || fail "exit $rc"
	[ ! -s "$d/err" ] || fail "stderr: $(cat "$d/err")"
	grep -q ':7301 ' "$d/out" || fail "the closed pair was not printed: $(cat "$d/out")"
	[ "$(tail -c 1 "$d/out" | od -An -c | tr -d ' ')" = '\n' ] || fail "a cut line"
}

# nobody_fixture SPEC...: sockfix run as nobody in $NS (its ready file in
# a directory nobody can write).
nobody_fixture() {
	local dir
	dir=$(mktemp -d) && chmod 777 "$dir"
	ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SOCKFIX" -r "$dir/ready" "$@" >/dev/null 2>&1 3>&- &
	NOBODY_PID=$!
	for _ in $(seq 500); do [ -e "$dir/ready" ] && break; sleep 0.01; done
	[ -e "$dir/ready" ] || fail "sockfix as nobody not ready"
	rm -rf "$dir"
}

@test "unprivileged: ss -tanp and netstat -tanp equal the reference tools as that user" {
	command -v setpriv >/dev/null || skip "no setpriv(1)"
	nobody_fixture "tcp-listen 127.0.0.1 5005"
	local d=$BATS_TEST_TMPDIR np=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	# (without the churn tests' TIME-WAIT leftovers, which expire meanwhile)
	ip netns exec "$NS" "${np[@]}" "$REF_SS" -tanp exclude time-wait >"$d/ref" 2>"$d/ref.err" || true
	ip netns exec "$NS" "${np[@]}" "${SB_SS[@]}" -tanp exclude time-wait >"$d/sb" 2>"$d/sb.err" || true
	diff -u "$d/ref" "$d/sb"
	diff -u "$d/ref.err" "$d/sb.err"
	grep -q '127.0.0.1:5005 .*users:(("sockfix",pid=[0-9]*' "$d/sb" || fail "own socket without process"
	if ! dry_run; then
		ip netns exec "$NS" "${np[@]}" /usr/bin/netstat -tanp >"$d/ref" 2>"$d/ref.err" || true
		ip netns exec "$NS" "${np[@]}" "$SOCKBOX" netstat -tanp >"$d/sb" 2>"$d/sb.err" || true
		diff -u <(grep -v TIME_WAIT "$d/ref") <(grep -v TIME_WAIT "$d/sb")
		diff -u "$d/ref.err" "$d/sb.err"
		grep -q '127.0.0.1:5005 .* [0-9]*/sockfix' "$d/sb" || fail "own socket without process"
		grep -q 'Not all processes could be identified' "$d/sb.err"
	fi
	kill $NOBODY_PID
}

@test "unprivileged sockstat: own sockets in full, others' as ??, the note on stderr" {
	dry_run && skip "sockbox only"
	command -v setpriv >/dev/null || skip "no setpriv(1)"
	nobody_fixture "tcp-listen 127.0.0.1 5006"
	run --separate-stderr ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$SOCKBOX" sockstat -4
	kill $NOBODY_PID
	assert_success
	[ "$stderr" = "sockstat: not running as root: sockets of other users' processes show as ??" ]
	assert_line --regexp '^nobody +sockfix +[0-9]+ +[0-9]+ +tcp4 +127\.0\.0\.1:5006 +\*:\* *$'
	assert_line --regexp '^\?\? +\?\? +\?\? +\?\? +tcp4 +127\.0\.0\.1:5001 +\*:\* *$'
}

@test "a filter error about a long hostile token ends (no hang) with one line" {
	run --separate-stderr timeout 10 "${SB_SS[@]}" "$(printf '\xff%.0s' {1..61})"
	[ "$status" -ne 124 ] || fail "hung"
	[ "$status" -eq 1 ]	# iproute2's class: a bad address
	dry_run && return
	[ "${#stderr}" -le 512 ]
	[[ "$stderr" == "ss: filter: an inet prefix is expected rather than '\\xff\\xff"* ]]
}

@test "hostile process and socket names: escaped in ss -p, netstat -p and sockstat text, exact in sockstat JSON" {
	dry_run && skip "sockbox only"
	local h=$TESTS_DIR/fixture/hostile d=$BATS_TEST_TMPDIR long
	[ -x "$h" ] || skip "tests/fixture/hostile not built"
	long=/tmp/sb$(printf 'L%.0s' {1..100})
	# comm (ss, sockstat) from the first path, argv[0] (netstat) hostile too
	ip netns exec "$NS" bash -c 'exec -a "$0" "$@"' $'/x/ev\e[2Jil\n)' \
		"$h" "$d/ready" '@h\e[31m)"q\nx\xff' "$long" '/tmp/sbq\n\x01\xc3(' 3>&- &
	local pid=$!
	for _ in $(seq 200); do [ -e "$d/ready" ] && break; sleep 0.02; done
	ip netns exec "$NS" "${SB_SS[@]}" -xlp >"$d/ss"
	ip netns exec "$NS" "$SOCKBOX" netstat -xlp >"$d/netstat"
	ip netns exec "$NS" "$SOCKBOX" sockstat -u >"$d/sockstat"
	ip netns exec "$NS" "$SOCKBOX" sockstat -u --json >"$d/json"
	kill $pid
	local f
	for f in ss netstat sockstat; do
		! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$d/$f" || fail "$f: raw control bytes"
	done
	# sockstat cuts addresses to their column, as FreeBSD's does
	grep -qF "$long" "$d/ss" && grep -qF "$long" "$d/netstat" || fail "long path cut"
	grep -q "$pid/ev.x1b.2Jil" "$d/netstat" || fail "netstat: $(grep -F "$pid/" "$d/netstat")"
	grep -qF 'users:(("@h\x1b[31m)"q\x0ax\xff",pid='"$pid" "$d/ss" || fail "ss: $(grep -F '@h' "$d/ss")"
	# /proc/net/unix (netstat's source, as for net-tools) ends a path at \n
	grep -qF '@h\x1b[31m)"q' "$d/netstat" || fail "netstat: $(grep -F '@h' "$d/netstat")"
	grep -qF '/tmp/sbq\x0a\x01\xc3(' "$d/sockstat"
	# JSON: the bytes themselves; invalid UTF-8 as the text \xNN
	run jq -r --arg pid "$pid" '.sockstat.socket[] | select(.pid == ($pid | tonumber)) | .command' "$d/json"
	assert_success
	[ "${lines[0]}" = $'@h\e[31m)"q' ] && [ "${lines[1]}" = 'x\xff' ] || fail "command: $output"
	run jq -r '.sockstat.socket[].local.path | select(. != null and startswith("/tmp/sbq"))' "$d/json"
	[ "$output" = $'/tmp/sbq\n\x01\\xc3(' ] || fail "path: $output"
	run jq -r --arg l "$long" '.sockstat.socket[].local.path | select(. == $l)' "$d/json"
	assert_output "$long"
}

#!/usr/bin/env bats
# sockstat: FreeBSD's layout, one line per (process, fd, socket), on a
# fixture whose processes, fds and sockets are known.

load lib/common

bats_require_minimum_version 1.5.0

setup_file() {
	netns_setup
	export SBPATH=/tmp/sbsockstat.$$.a-rather-long-socket-path.sock
	fixture_start "name sbsockfix12345" \
		"tcp-listen 127.0.0.1 5001" "tcp-listen :: 5002" "tcp-listen :: 5003 v6only" \
		"tcp-pair 127.0.0.1 5001" "dup" \
		"udp-bind 0.0.0.0 5353" "udp-bind ::1 5354" \
		"unix-listen $SBPATH" "unix-connect $SBPATH" "unix-pair" \
		"fork sbchild"
}

teardown_file() {
	netns_teardown
	rm -f "$SBPATH"
}

setup() {
	netns_require
	dry_run && skip "sockbox only"
	"$SOCKBOX" --list | grep -qx sockstat || skip "sockstat not in this build"
}

sst() {
	ip netns exec "$NS" "$SOCKBOX" sockstat "$@"
}

fixture_pid() {	# the parent fixture process (named sbsockfix12345)
	ip netns pids "$NS" | while read -r p; do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = sbsockfix12345 ] && echo "$p"
	done | head -1
}

@test "header and columns as FreeBSD's sockstat" {
	run sst
	assert_success
	assert_line --index 0 --regexp '^USER +COMMAND    +PID +FD +PROTO +LOCAL ADDRESS +FOREIGN ADDRESS +$'
	local pid
	pid=$(fixture_pid)
	assert_line --regexp "^root +sbsockfix1 $pid +[0-9]+ tcp4 +127\.0\.0\.1:5001 +\*:\* +$"
	assert_line --regexp "^root +sbsockfix1 $pid +[0-9]+ tcp46 +\*:5002 +\*:\* +$"
	assert_line --regexp "^root +sbsockfix1 $pid +[0-9]+ tcp6 +\*:5003 +\*:\* +$"
	assert_line --regexp "^root +sbsockfix1 $pid +[0-9]+ udp4 +\*:5353 +\*:\* +$"
	assert_line --regexp "^root +sbsockfix1 $pid +[0-9]+ udp6 +::1:5354 +\*:\* +$"
}

@test "COMMAND is cut to 10 characters, PID and FD right-aligned" {
	run sst -4
	assert_success
	refute_output --partial sbsockfix12345
	local pid
	pid=$(fixture_pid)
	# FD is right-aligned under the two-character header
	assert_line --regexp "^root sbsockfix1 $pid +[ 0-9][0-9] tcp4 "
}

@test "every PID/FD printed is that process's fd holding a socket, and every socket fd is printed" {
	run sst -q
	assert_success
	local pid fd got=() want=()
	while read -r _ _ pid fd _; do
		[ "$pid" = "??" ] && continue
		[[ "$(readlink /proc/$pid/fd/$fd)" == socket:\[* ]] || fail "$pid/$fd is not a socket"
		got+=("$pid/$fd")
	done <<<"$output"
	for pid in $(ip netns pids "$NS"); do
		for fd in /proc/$pid/fd/*; do
			[[ "$(readlink "$fd")" == socket:\[* ]] && want+=("$pid/${fd##*/}")
		done
	done
	diff <(printf '%s\n' "${want[@]}" | sort) <(printf '%s\n' "${got[@]}" | sort)
}

@test "the BPF iterator and the /proc scan list the same (process, fd, socket) lines" {
	require_features PROCESSES_BPF
	local err
	err=$(SOCKBOX_FD_SCAN=bpf "$SOCKBOX" sockstat 2>&1 >/dev/null) ||
		skip "no BPF iterator here (${err##*: })"
	SOCKBOX_FD_SCAN=bpf sst -s >"$BATS_TEST_TMPDIR/bpf"
	SOCKBOX_FD_SCAN=proc sst -s >"$BATS_TEST_TMPDIR/proc"
	diff -u "$BATS_TEST_TMPDIR/proc" "$BATS_TEST_TMPDIR/bpf"
	[ "$(grep -c sbsockfix1 "$BATS_TEST_TMPDIR/bpf")" -ge 10 ]
}

@test "a socket held by two processes (fork) and two fds (dup) prints once per fd" {
	run sst -4 -q -p 5001
	assert_success
	# the client end of the pair: two fds in the parent, two in the child
	run grep -c '127\.0\.0\.1:[0-9]* *127\.0\.0\.1:5001' <<<"$output"
	assert_output 4
	run sst -4 -q -p 5001
	assert_line --regexp '^root +sbchild '
}

@test "unix: bound path, peers as -> PATH and -> [PID FD]" {
	run sst -u -w
	assert_success
	local pid
	pid=$(fixture_pid)
	# -w: COMMAND is not cut either
	assert_line --regexp "^root +sbsockfix12345 $pid +[0-9]+ stream +$SBPATH +\?\? *$"
	assert_line --regexp "^root +sbsockfix12345 $pid +[0-9]+ stream +\?\? +-> $SBPATH *$"
	assert_line --regexp "^root +sbsockfix12345 $pid +[0-9]+ stream +$SBPATH +-> \[$pid [0-9]+\] *$"
}

@test "addresses are cut to 21 columns unless -w" {
	run sst -u -q
	assert_success
	refute_output --partial "$SBPATH"
	assert_output --partial "${SBPATH:0:21}"
	run sst -u -q -w
	assert_output --partial "$SBPATH"
}

@test "-4, -6, -u select families; -l and -c select states" {
	run sst -6 -q
	refute_output --regexp ' (tcp4|udp4|stream|dgram) '
	assert_output --regexp ' tcp6 '
	run sst -u -q
	refute_output --regexp ' (tcp|udp)[46]+ '
	run sst -4 -l -q
	refute_output --partial '127.0.0.1:5001        127.0.0.1'
	assert_output --partial '127.0.0.1:5001'
	run sst -4 -c -q
	refute_output --regexp '\*:\* *$'
}

@test "-p ports and ranges, -P protocols, -L hides loopback" {
	run sst -q -p 5002-5003
	assert_success
	[ "$(grep -c ' tcp' <<<"$output")" -eq 4 ]	# two listeners, parent and child
	run sst -q -P udp
	refute_output --regexp ' tcp'
	assert_output --regexp ' udp4 '
	run sst -q -4 -L
	refute_output --partial 127.0.0.1
	assert_output --partial '*:5353'
}

@test "-n numeric users, -q no header" {
	run sst -n -q -4
	assert_line --regexp '^0 +sbsockfix1 '
	refute_line --regexp '^USER'
}

@test "-s CONN STATE, -C congestion control, -i the socket cookie" {
	run sst -4 -s -C -i -p 5001
	assert_success
	# PATH STATE only comes with SCTP associations
	assert_line --index 0 --regexp 'FOREIGN ADDRESS +ID CONN STATE +CC *$'
	assert_line --regexp ' tcp4 +127\.0\.0\.1:5001 +\*:\* +[0-9]+ LISTEN +[a-z0-9]+ *$'
	assert_line --regexp ' tcp4 .*127\.0\.0\.1:5001 +[0-9]+ ESTABLISHED +[a-z0-9]+ *$'
}

@test "-j NETNS looks into a named namespace from outside" {
	run "$SOCKBOX" sockstat -j "$NS" -4 -q -p 5353
	assert_success
	assert_output --regexp 'udp4 +\*:5353'
	run --separate-stderr "$SOCKBOX" sockstat -j sbtest-no-such-ns
	assert_failure 1
	[[ "$stderr" == "sockstat: -j sbtest-no-such-ns: No such file or directory" ]]
}

@test "FreeBSD options with no Linux meaning are one-line errors" {
	local o
	for o in -A -b -f -I -S -U; do
		run --separate-stderr "$SOCKBOX" sockstat $o
		assert_failure 1
		[ "$stderr" = "sockstat: $o is not supported on Linux" ]
	done
	run --separate-stderr "$SOCKBOX" sockstat -Z
	assert_failure 1
	[ "$stderr" = "sockstat: unknown option -Z (try 'sockstat -h')" ]
	run --separate-stderr "$SOCKBOX" sockstat -p 70000
	assert_failure 1
	[ "$stderr" = "sockstat: -p: '70000' is out of range" ]
}

@test "--json and --libxo json: the same rows, valid JSON" {
	command -v jq >/dev/null || skip "jq not installed"
	run sst -4 -q
	local text=$output
	run sst -4 --json
	assert_success
	diff <(jq -r '.sockstat.socket[] | [.pid // "??", .fd // "??", .proto] | map(tostring) | join(" ")' <<<"$output") \
		<(awk '{print $3, $4, $5}' <<<"$text")
	run sst -4 --libxo json
	assert_success
	jq -e '.sockstat.socket | length > 0' <<<"$output"
}

@test "not root: a one-line note, own sockets still listed" {
	command -v setpriv >/dev/null || skip "no setpriv"
	run --separate-stderr ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SOCKBOX" sockstat -4
	assert_success
	[ "$stderr" = "sockstat: not running as root: sockets of other users' processes show as ??" ]
	assert_line --regexp '^\?\? +\?\? +\?\? +\?\? tcp4 '
}

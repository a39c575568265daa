#!/usr/bin/env bats
# sockstat golden tests: exact output for every option on a fixture whose
# processes, fds and sockets are all known.
#
# The fixture runs as PID 1 of its own PID namespace (unshare --pid
# --mount-proc) inside a network namespace, so PIDs are fixed: 1 is
# sbgold-longname, 2 its fork sbkid (holding fds 3-9 too), 3 sbnobody (uid
# 65534). fds are fixed by the spec order (inherited ones are closed), client ports by sport=, unix
# paths live in $D. sockstat runs in the same namespaces (nsenter) and sees
# that /proc. Nothing is masked: only the socket cookies of -i vary, and
# that test takes them from ss -e. Expected lines end in '|' (the padding
# before it is part of the output). Rows without an owner come in kernel
# hash order: they are compared sorted.

load lib/common

bats_require_minimum_version 1.5.0

D=/tmp/sbgold
LONG=$D/a-long-unix-socket-path-for-the-wide-option-of-sockstat.sock

setup_file() {
	netns_setup
	[ -z "$NETNS_SKIP" ] || return 0
	command -v unshare >/dev/null && command -v nsenter >/dev/null &&
		command -v setpriv >/dev/null || { export NETNS_SKIP="needs unshare, nsenter, setpriv"; return 0; }
	fixture_build
	rm -rf "$D"
	mkdir -m 1777 "$D"
	# a congestion control every kernel has, for -C
	ip netns exec "$NS" sysctl -qw net.ipv4.tcp_congestion_control=reno
	cp "$SOCKFIX" "$D/sockfix"	# runnable by nobody whatever the checkout's modes
	cp "$SOCKBOX" "$D/sockbox"	# (or sockbox-san)
	chmod 755 "$D/sockfix" "$D/sockbox"
	ip netns exec "$NS" unshare --pid --kill-child --mount-proc "$D/sockfix" -r "$D/ready" \
		"name sbgold-longname" \
		"tcp-listen 127.0.0.1 6001" "tcp-listen :: 6002" "tcp-listen :: 6003 v6only" \
		"tcp-listen ::1 6004" \
		"tcp-pair 127.0.0.1 6001 sport=40001" "dup" "fork sbkid" \
		"tcp-pair ::ffff:127.0.0.1 6002 sport=40002" "tcp-pair ::1 6004 sport=40003" \
		"tcp-connect 127.0.0.1 6001 sport=40004" \
		"udp-bind 0.0.0.0 6010" "udp-bind ::1 6011" "udp-bind :: 6012" \
		"udp-pair 127.0.0.1 6013 sport=40005" "udplite-bind 127.0.0.1 6014" \
		"unix-listen $D/L" "unix-connect $D/L" \
		"unix-bind $D/dg" "unix-connect $D/dg" "unix-connect $D/dg" \
		"unix-pair" "unix-socket" "unix-listen $LONG" \
		"unix-listen @sbgold-abstract seqpacket" \
		>/dev/null 2>"$D/err" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	wait_ready "$D/ready"
	export FIXPID="" p
	for p in $(ip netns pids "$NS"); do
		[ "$(awk '/^NSpid/ {print $3}' /proc/$p/status)" = 1 ] && FIXPID=$p
	done
	[ -n "$FIXPID" ] || fail "no PID 1 in the fixture's namespace"
	nsenter -t "$FIXPID" -p -m -n setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$D/sockfix" -r "$D/ready2" "name sbnobody" "tcp-listen 127.0.0.1 6100" \
		"unix-listen $D/nobody.sock" >/dev/null 2>>"$D/err" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	wait_ready "$D/ready2"
	[ "$(sst_pids)" = "1 2 3" ] || fail "fixture PIDs are $(sst_pids), not 1 2 3"
}

teardown_file() {
	# PID 1 of the namespace takes every fixture process with it
	[ -n "${FIXPID:-}" ] && kill -TERM "$FIXPID" 2>/dev/null
	netns_teardown
	rm -rf "$D"
}

setup() {
	netns_require
	dry_run && skip "sockbox only"
	require_features SOCKSTAT TCP UDP UNIX IPV6 FILTER PROCESSES
}

wait_ready() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.01
	done
	fail "sockfix not ready: $(cat "$D/err")"
}

# PIDs of the fixture's namespace as it sees them
sst_pids() {
	local p
	for p in $(ip netns pids "$NS"); do
		awk '/^NSpid/ && NF == 3 {print $3}' /proc/$p/status
	done | sort -n | xargs
}

# sockstat inside the fixture's PID, mount and network namespaces
sst() {
	nsenter -t "$FIXPID" -p -m -n "$D/sockbox" sockstat "$@"
}

# Owned rows in order, then the ?? rows sorted.
norm() {
	awk '/^\?\? / { print > "/dev/stderr"; next } { print }' 2>"$BATS_TEST_TMPDIR/unowned"
	sort "$BATS_TEST_TMPDIR/unowned"
}

# golden CMD... <<EOF: stdout of CMD is exactly stdin without the final '|'
# of each line; exit status 0; nothing on stderr.
golden() {
	local d=$BATS_TEST_TMPDIR rc=0
	sed 's/|$//' | norm >"$d/want"
	"$@" >"$d/out" 2>"$d/err" || rc=$?
	norm <"$d/out" >"$d/got"
	[ "$rc" = 0 ] || fail "exit status $rc: $(cat "$d/err")"
	[ ! -s "$d/err" ] || fail "stderr: $(cat "$d/err")"
	cmp -s "$d/want" "$d/got" ||
		diff -u --label expected --label "$*" "$d/want" "$d/got" | sed 's/$/|/' | fail
}

@test "default: every socket of every process, FreeBSD's columns" {
	golden sst <<EOF
USER   COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbgold-lon   1  4 tcp46    *:6002                *:*                  |
root   sbgold-lon   1  5 tcp6     *:6003                *:*                  |
root   sbgold-lon   1  6 tcp6     ::1:6004              *:*                  |
root   sbgold-lon   1  7 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1  8 tcp4     127.0.0.1:6001        127.0.0.1:40001      |
root   sbgold-lon   1  9 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1 10 tcp4     127.0.0.1:40002       127.0.0.1:6002       |
root   sbgold-lon   1 11 tcp4     127.0.0.1:6002        127.0.0.1:40002      |
root   sbgold-lon   1 12 tcp6     ::1:40003             ::1:6004             |
root   sbgold-lon   1 13 tcp6     ::1:6004              ::1:40003            |
root   sbgold-lon   1 14 tcp4     127.0.0.1:40004       127.0.0.1:6001       |
root   sbgold-lon   1 15 udp4     *:6010                *:*                  |
root   sbgold-lon   1 16 udp6     ::1:6011              *:*                  |
root   sbgold-lon   1 17 udp46    *:6012                *:*                  |
root   sbgold-lon   1 18 udp4     127.0.0.1:6013        *:*                  |
root   sbgold-lon   1 19 udp4     127.0.0.1:40005       127.0.0.1:6013       |
root   sbgold-lon   1 20 udplite4 127.0.0.1:6014        *:*                  |
root   sbgold-lon   1 21 stream   /tmp/sbgold/L         ??                   |
root   sbgold-lon   1 22 stream   ??                    -> /tmp/sbgold/L     |
root   sbgold-lon   1 23 stream   /tmp/sbgold/L         -> [1 22]            |
root   sbgold-lon   1 24 dgram    /tmp/sbgold/dg         <- [1 25],[1 26]    |
root   sbgold-lon   1 25 dgram    ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 26 dgram    ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 27 stream   ??                    -> [1 28]            |
root   sbgold-lon   1 28 stream   ??                    -> [1 27]            |
root   sbgold-lon   1 29 stream   (not connected)       ??                   |
root   sbgold-lon   1 30 stream   /tmp/sbgold/a-long-un ??                   |
root   sbgold-lon   1 31 seqpac   @sbgold-abstract      ??                   |
root   sbkid        2  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbkid        2  4 tcp46    *:6002                *:*                  |
root   sbkid        2  5 tcp6     *:6003                *:*                  |
root   sbkid        2  6 tcp6     ::1:6004              *:*                  |
root   sbkid        2  7 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
root   sbkid        2  8 tcp4     127.0.0.1:6001        127.0.0.1:40001      |
root   sbkid        2  9 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
nobody sbnobody     3  3 tcp4     127.0.0.1:6100        *:*                  |
nobody sbnobody     3  4 stream   /tmp/sbgold/nobody.so ??                   |
??     ??          ?? ?? tcp4     127.0.0.1:6001        127.0.0.1:40004      |
EOF
}

@test "-4: IPv4 sockets, with tcp46/udp46 and v4-mapped ones (tcp4)" {
	golden sst -4 <<EOF
USER   COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbgold-lon   1  4 tcp46    *:6002                *:*                  |
root   sbgold-lon   1  7 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1  8 tcp4     127.0.0.1:6001        127.0.0.1:40001      |
root   sbgold-lon   1  9 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1 10 tcp4     127.0.0.1:40002       127.0.0.1:6002       |
root   sbgold-lon   1 11 tcp4     127.0.0.1:6002        127.0.0.1:40002      |
root   sbgold-lon   1 14 tcp4     127.0.0.1:40004       127.0.0.1:6001       |
root   sbgold-lon   1 15 udp4     *:6010                *:*                  |
root   sbgold-lon   1 17 udp46    *:6012                *:*                  |
root   sbgold-lon   1 18 udp4     127.0.0.1:6013        *:*                  |
root   sbgold-lon   1 19 udp4     127.0.0.1:40005       127.0.0.1:6013       |
root   sbgold-lon   1 20 udplite4 127.0.0.1:6014        *:*                  |
root   sbkid        2  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbkid        2  4 tcp46    *:6002                *:*                  |
root   sbkid        2  7 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
root   sbkid        2  8 tcp4     127.0.0.1:6001        127.0.0.1:40001      |
root   sbkid        2  9 tcp4     127.0.0.1:40001       127.0.0.1:6001       |
nobody sbnobody     3  3 tcp4     127.0.0.1:6100        *:*                  |
??     ??          ?? ?? tcp4     127.0.0.1:6001        127.0.0.1:40004      |
EOF
}

@test "-6: IPv6 sockets, with tcp46/udp46" {
	golden sst -6 <<EOF
USER COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
root sbgold-lon   1  4 tcp46 *:6002                *:*                  |
root sbgold-lon   1  5 tcp6  *:6003                *:*                  |
root sbgold-lon   1  6 tcp6  ::1:6004              *:*                  |
root sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004             |
root sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003            |
root sbgold-lon   1 16 udp6  ::1:6011              *:*                  |
root sbgold-lon   1 17 udp46 *:6012                *:*                  |
root sbkid        2  4 tcp46 *:6002                *:*                  |
root sbkid        2  5 tcp6  *:6003                *:*                  |
root sbkid        2  6 tcp6  ::1:6004              *:*                  |
EOF
}

@test "-u: unix sockets, peers as -> PATH, -> [PID FD] and <- [PID FD],..." {
	golden sst -u <<EOF
USER   COMMAND    PID FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1 21 stream /tmp/sbgold/L         ??                   |
root   sbgold-lon   1 22 stream ??                    -> /tmp/sbgold/L     |
root   sbgold-lon   1 23 stream /tmp/sbgold/L         -> [1 22]            |
root   sbgold-lon   1 24 dgram  /tmp/sbgold/dg         <- [1 25],[1 26]    |
root   sbgold-lon   1 25 dgram  ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 26 dgram  ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 27 stream ??                    -> [1 28]            |
root   sbgold-lon   1 28 stream ??                    -> [1 27]            |
root   sbgold-lon   1 29 stream (not connected)       ??                   |
root   sbgold-lon   1 30 stream /tmp/sbgold/a-long-un ??                   |
root   sbgold-lon   1 31 seqpac @sbgold-abstract      ??                   |
nobody sbnobody     3  4 stream /tmp/sbgold/nobody.so ??                   |
EOF
}

@test "-c: connected sockets only (a foreign port, a unix peer)" {
	golden sst -c <<EOF
USER COMMAND    PID FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      |
root sbgold-lon   1  7 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
root sbgold-lon   1  8 tcp4   127.0.0.1:6001        127.0.0.1:40001      |
root sbgold-lon   1  9 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
root sbgold-lon   1 10 tcp4   127.0.0.1:40002       127.0.0.1:6002       |
root sbgold-lon   1 11 tcp4   127.0.0.1:6002        127.0.0.1:40002      |
root sbgold-lon   1 12 tcp6   ::1:40003             ::1:6004             |
root sbgold-lon   1 13 tcp6   ::1:6004              ::1:40003            |
root sbgold-lon   1 14 tcp4   127.0.0.1:40004       127.0.0.1:6001       |
root sbgold-lon   1 19 udp4   127.0.0.1:40005       127.0.0.1:6013       |
root sbgold-lon   1 22 stream ??                    -> /tmp/sbgold/L     |
root sbgold-lon   1 23 stream /tmp/sbgold/L         -> [1 22]            |
root sbgold-lon   1 25 dgram  ??                    -> /tmp/sbgold/dg    |
root sbgold-lon   1 26 dgram  ??                    -> /tmp/sbgold/dg    |
root sbgold-lon   1 27 stream ??                    -> [1 28]            |
root sbgold-lon   1 28 stream ??                    -> [1 27]            |
root sbkid        2  7 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
root sbkid        2  8 tcp4   127.0.0.1:6001        127.0.0.1:40001      |
root sbkid        2  9 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
??   ??          ?? ?? tcp4   127.0.0.1:6001        127.0.0.1:40004      |
EOF
}

@test "-l: listening and unconnected sockets only" {
	golden sst -l <<EOF
USER   COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbgold-lon   1  4 tcp46    *:6002                *:*                  |
root   sbgold-lon   1  5 tcp6     *:6003                *:*                  |
root   sbgold-lon   1  6 tcp6     ::1:6004              *:*                  |
root   sbgold-lon   1 15 udp4     *:6010                *:*                  |
root   sbgold-lon   1 16 udp6     ::1:6011              *:*                  |
root   sbgold-lon   1 17 udp46    *:6012                *:*                  |
root   sbgold-lon   1 18 udp4     127.0.0.1:6013        *:*                  |
root   sbgold-lon   1 20 udplite4 127.0.0.1:6014        *:*                  |
root   sbgold-lon   1 21 stream   /tmp/sbgold/L         ??                   |
root   sbgold-lon   1 24 dgram    /tmp/sbgold/dg         <- [1 25],[1 26]    |
root   sbgold-lon   1 29 stream   (not connected)       ??                   |
root   sbgold-lon   1 30 stream   /tmp/sbgold/a-long-un ??                   |
root   sbgold-lon   1 31 seqpac   @sbgold-abstract      ??                   |
root   sbkid        2  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbkid        2  4 tcp46    *:6002                *:*                  |
root   sbkid        2  5 tcp6     *:6003                *:*                  |
root   sbkid        2  6 tcp6     ::1:6004              *:*                  |
nobody sbnobody     3  3 tcp4     127.0.0.1:6100        *:*                  |
nobody sbnobody     3  4 stream   /tmp/sbgold/nobody.so ??                   |
EOF
}

@test "-4 -l" {
	golden sst -4 -l <<EOF
USER   COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbgold-lon   1  4 tcp46    *:6002                *:*                  |
root   sbgold-lon   1 15 udp4     *:6010                *:*                  |
root   sbgold-lon   1 17 udp46    *:6012                *:*                  |
root   sbgold-lon   1 18 udp4     127.0.0.1:6013        *:*                  |
root   sbgold-lon   1 20 udplite4 127.0.0.1:6014        *:*                  |
root   sbkid        2  3 tcp4     127.0.0.1:6001        *:*                  |
root   sbkid        2  4 tcp46    *:6002                *:*                  |
nobody sbnobody     3  3 tcp4     127.0.0.1:6100        *:*                  |
EOF
}

@test "-6 -c" {
	golden sst -6 -c <<EOF
USER COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
root sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004             |
root sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003            |
EOF
}

@test "-L: no loopback addresses (unix sockets stay)" {
	golden sst -L <<EOF
USER   COMMAND    PID FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1  4 tcp46  *:6002                *:*                  |
root   sbgold-lon   1  5 tcp6   *:6003                *:*                  |
root   sbgold-lon   1 15 udp4   *:6010                *:*                  |
root   sbgold-lon   1 17 udp46  *:6012                *:*                  |
root   sbgold-lon   1 21 stream /tmp/sbgold/L         ??                   |
root   sbgold-lon   1 22 stream ??                    -> /tmp/sbgold/L     |
root   sbgold-lon   1 23 stream /tmp/sbgold/L         -> [1 22]            |
root   sbgold-lon   1 24 dgram  /tmp/sbgold/dg         <- [1 25],[1 26]    |
root   sbgold-lon   1 25 dgram  ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 26 dgram  ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 27 stream ??                    -> [1 28]            |
root   sbgold-lon   1 28 stream ??                    -> [1 27]            |
root   sbgold-lon   1 29 stream (not connected)       ??                   |
root   sbgold-lon   1 30 stream /tmp/sbgold/a-long-un ??                   |
root   sbgold-lon   1 31 seqpac @sbgold-abstract      ??                   |
root   sbkid        2  4 tcp46  *:6002                *:*                  |
root   sbkid        2  5 tcp6   *:6003                *:*                  |
nobody sbnobody     3  4 stream /tmp/sbgold/nobody.so ??                   |
EOF
}

@test "-p one port" {
	golden sst -p 6001 <<EOF
USER   COMMAND    PID FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1  3 tcp4   127.0.0.1:6001        *:*                  |
root   sbgold-lon   1  7 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1  8 tcp4   127.0.0.1:6001        127.0.0.1:40001      |
root   sbgold-lon   1  9 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1 14 tcp4   127.0.0.1:40004       127.0.0.1:6001       |
root   sbgold-lon   1 21 stream /tmp/sbgold/L         ??                   |
root   sbgold-lon   1 22 stream ??                    -> /tmp/sbgold/L     |
root   sbgold-lon   1 23 stream /tmp/sbgold/L         -> [1 22]            |
root   sbgold-lon   1 24 dgram  /tmp/sbgold/dg         <- [1 25],[1 26]    |
root   sbgold-lon   1 25 dgram  ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 26 dgram  ??                    -> /tmp/sbgold/dg    |
root   sbgold-lon   1 27 stream ??                    -> [1 28]            |
root   sbgold-lon   1 28 stream ??                    -> [1 27]            |
root   sbgold-lon   1 29 stream (not connected)       ??                   |
root   sbgold-lon   1 30 stream /tmp/sbgold/a-long-un ??                   |
root   sbgold-lon   1 31 seqpac @sbgold-abstract      ??                   |
root   sbkid        2  3 tcp4   127.0.0.1:6001        *:*                  |
root   sbkid        2  7 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
root   sbkid        2  8 tcp4   127.0.0.1:6001        127.0.0.1:40001      |
root   sbkid        2  9 tcp4   127.0.0.1:40001       127.0.0.1:6001       |
nobody sbnobody     3  4 stream /tmp/sbgold/nobody.so ??                   |
??     ??          ?? ?? tcp4   127.0.0.1:6001        127.0.0.1:40004      |
EOF
}

@test "-p a list with ranges" {
	golden sst -p 6002,6010-6012,40003 -46 <<EOF
USER COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
root sbgold-lon   1  4 tcp46 *:6002                *:*                  |
root sbgold-lon   1 10 tcp4  127.0.0.1:40002       127.0.0.1:6002       |
root sbgold-lon   1 11 tcp4  127.0.0.1:6002        127.0.0.1:40002      |
root sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004             |
root sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003            |
root sbgold-lon   1 15 udp4  *:6010                *:*                  |
root sbgold-lon   1 16 udp6  ::1:6011              *:*                  |
root sbgold-lon   1 17 udp46 *:6012                *:*                  |
root sbkid        2  4 tcp46 *:6002                *:*                  |
EOF
}

@test "-P tcp (implies -4 -6: no unix sockets)" {
	golden sst -P tcp <<EOF
USER   COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
root   sbgold-lon   1  3 tcp4  127.0.0.1:6001        *:*                  |
root   sbgold-lon   1  4 tcp46 *:6002                *:*                  |
root   sbgold-lon   1  5 tcp6  *:6003                *:*                  |
root   sbgold-lon   1  6 tcp6  ::1:6004              *:*                  |
root   sbgold-lon   1  7 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1  8 tcp4  127.0.0.1:6001        127.0.0.1:40001      |
root   sbgold-lon   1  9 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
root   sbgold-lon   1 10 tcp4  127.0.0.1:40002       127.0.0.1:6002       |
root   sbgold-lon   1 11 tcp4  127.0.0.1:6002        127.0.0.1:40002      |
root   sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004             |
root   sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003            |
root   sbgold-lon   1 14 tcp4  127.0.0.1:40004       127.0.0.1:6001       |
root   sbkid        2  3 tcp4  127.0.0.1:6001        *:*                  |
root   sbkid        2  4 tcp46 *:6002                *:*                  |
root   sbkid        2  5 tcp6  *:6003                *:*                  |
root   sbkid        2  6 tcp6  ::1:6004              *:*                  |
root   sbkid        2  7 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
root   sbkid        2  8 tcp4  127.0.0.1:6001        127.0.0.1:40001      |
root   sbkid        2  9 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
nobody sbnobody     3  3 tcp4  127.0.0.1:6100        *:*                  |
??     ??          ?? ?? tcp4  127.0.0.1:6001        127.0.0.1:40004      |
EOF
}

@test "-P udp,udplite -l" {
	golden sst -P udp,udplite -l <<EOF
USER COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS      |
root sbgold-lon   1 15 udp4     *:6010                *:*                  |
root sbgold-lon   1 16 udp6     ::1:6011              *:*                  |
root sbgold-lon   1 17 udp46    *:6012                *:*                  |
root sbgold-lon   1 18 udp4     127.0.0.1:6013        *:*                  |
root sbgold-lon   1 20 udplite4 127.0.0.1:6014        *:*                  |
EOF
}

@test "-P takes /etc/protocols aliases" {
	golden sst -P TCP,UDPLite -6 <<EOF
USER COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
root sbgold-lon   1  4 tcp46 *:6002                *:*                  |
root sbgold-lon   1  5 tcp6  *:6003                *:*                  |
root sbgold-lon   1  6 tcp6  ::1:6004              *:*                  |
root sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004             |
root sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003            |
root sbkid        2  4 tcp46 *:6002                *:*                  |
root sbkid        2  5 tcp6  *:6003                *:*                  |
root sbkid        2  6 tcp6  ::1:6004              *:*                  |
EOF
}

@test "-n: numeric user ids" {
	golden sst -n -4 -l <<EOF
USER  COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS      |
0     sbgold-lon   1  3 tcp4     127.0.0.1:6001        *:*                  |
0     sbgold-lon   1  4 tcp46    *:6002                *:*                  |
0     sbgold-lon   1 15 udp4     *:6010                *:*                  |
0     sbgold-lon   1 17 udp46    *:6012                *:*                  |
0     sbgold-lon   1 18 udp4     127.0.0.1:6013        *:*                  |
0     sbgold-lon   1 20 udplite4 127.0.0.1:6014        *:*                  |
0     sbkid        2  3 tcp4     127.0.0.1:6001        *:*                  |
0     sbkid        2  4 tcp46    *:6002                *:*                  |
65534 sbnobody     3  3 tcp4     127.0.0.1:6100        *:*                  |
EOF
}

@test "-q: no header" {
	golden sst -q -6 <<EOF
root sbgold-lon   1  4 tcp46 *:6002                *:*                  |
root sbgold-lon   1  5 tcp6  *:6003                *:*                  |
root sbgold-lon   1  6 tcp6  ::1:6004              *:*                  |
root sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004             |
root sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003            |
root sbgold-lon   1 16 udp6  ::1:6011              *:*                  |
root sbgold-lon   1 17 udp46 *:6012                *:*                  |
root sbkid        2  4 tcp46 *:6002                *:*                  |
root sbkid        2  5 tcp6  *:6003                *:*                  |
root sbkid        2  6 tcp6  ::1:6004              *:*                  |
EOF
}

@test "-w: nothing cut, COMMAND and addresses as wide as their values" {
	golden sst -w <<EOF
USER   COMMAND         PID FD PROTO    LOCAL ADDRESS                                                            FOREIGN ADDRESS  |
root   sbgold-longname   1  3 tcp4     127.0.0.1:6001                                                           *:*              |
root   sbgold-longname   1  4 tcp46    *:6002                                                                   *:*              |
root   sbgold-longname   1  5 tcp6     *:6003                                                                   *:*              |
root   sbgold-longname   1  6 tcp6     ::1:6004                                                                 *:*              |
root   sbgold-longname   1  7 tcp4     127.0.0.1:40001                                                          127.0.0.1:6001   |
root   sbgold-longname   1  8 tcp4     127.0.0.1:6001                                                           127.0.0.1:40001  |
root   sbgold-longname   1  9 tcp4     127.0.0.1:40001                                                          127.0.0.1:6001   |
root   sbgold-longname   1 10 tcp4     127.0.0.1:40002                                                          127.0.0.1:6002   |
root   sbgold-longname   1 11 tcp4     127.0.0.1:6002                                                           127.0.0.1:40002  |
root   sbgold-longname   1 12 tcp6     ::1:40003                                                                ::1:6004         |
root   sbgold-longname   1 13 tcp6     ::1:6004                                                                 ::1:40003        |
root   sbgold-longname   1 14 tcp4     127.0.0.1:40004                                                          127.0.0.1:6001   |
root   sbgold-longname   1 15 udp4     *:6010                                                                   *:*              |
root   sbgold-longname   1 16 udp6     ::1:6011                                                                 *:*              |
root   sbgold-longname   1 17 udp46    *:6012                                                                   *:*              |
root   sbgold-longname   1 18 udp4     127.0.0.1:6013                                                           *:*              |
root   sbgold-longname   1 19 udp4     127.0.0.1:40005                                                          127.0.0.1:6013   |
root   sbgold-longname   1 20 udplite4 127.0.0.1:6014                                                           *:*              |
root   sbgold-longname   1 21 stream   /tmp/sbgold/L                                                            ??               |
root   sbgold-longname   1 22 stream   ??                                                                       -> /tmp/sbgold/L |
root   sbgold-longname   1 23 stream   /tmp/sbgold/L                                                            -> [1 22]        |
root   sbgold-longname   1 24 dgram    /tmp/sbgold/dg                                                            <- [1 25],[1 26]|
root   sbgold-longname   1 25 dgram    ??                                                                       -> /tmp/sbgold/dg|
root   sbgold-longname   1 26 dgram    ??                                                                       -> /tmp/sbgold/dg|
root   sbgold-longname   1 27 stream   ??                                                                       -> [1 28]        |
root   sbgold-longname   1 28 stream   ??                                                                       -> [1 27]        |
root   sbgold-longname   1 29 stream   (not connected)                                                          ??               |
root   sbgold-longname   1 30 stream   /tmp/sbgold/a-long-unix-socket-path-for-the-wide-option-of-sockstat.sock ??               |
root   sbgold-longname   1 31 seqpac   @sbgold-abstract                                                         ??               |
root   sbkid             2  3 tcp4     127.0.0.1:6001                                                           *:*              |
root   sbkid             2  4 tcp46    *:6002                                                                   *:*              |
root   sbkid             2  5 tcp6     *:6003                                                                   *:*              |
root   sbkid             2  6 tcp6     ::1:6004                                                                 *:*              |
root   sbkid             2  7 tcp4     127.0.0.1:40001                                                          127.0.0.1:6001   |
root   sbkid             2  8 tcp4     127.0.0.1:6001                                                           127.0.0.1:40001  |
root   sbkid             2  9 tcp4     127.0.0.1:40001                                                          127.0.0.1:6001   |
nobody sbnobody          3  3 tcp4     127.0.0.1:6100                                                           *:*              |
nobody sbnobody          3  4 stream   /tmp/sbgold/nobody.sock                                                  ??               |
??     ??               ?? ?? tcp4     127.0.0.1:6001                                                           127.0.0.1:40004  |
EOF
}

@test "-u -w: long unix paths whole" {
	golden sst -u -w <<EOF
USER   COMMAND         PID FD PROTO  LOCAL ADDRESS                                                            FOREIGN ADDRESS  |
root   sbgold-longname   1 21 stream /tmp/sbgold/L                                                            ??               |
root   sbgold-longname   1 22 stream ??                                                                       -> /tmp/sbgold/L |
root   sbgold-longname   1 23 stream /tmp/sbgold/L                                                            -> [1 22]        |
root   sbgold-longname   1 24 dgram  /tmp/sbgold/dg                                                            <- [1 25],[1 26]|
root   sbgold-longname   1 25 dgram  ??                                                                       -> /tmp/sbgold/dg|
root   sbgold-longname   1 26 dgram  ??                                                                       -> /tmp/sbgold/dg|
root   sbgold-longname   1 27 stream ??                                                                       -> [1 28]        |
root   sbgold-longname   1 28 stream ??                                                                       -> [1 27]        |
root   sbgold-longname   1 29 stream (not connected)                                                          ??               |
root   sbgold-longname   1 30 stream /tmp/sbgold/a-long-unix-socket-path-for-the-wide-option-of-sockstat.sock ??               |
root   sbgold-longname   1 31 seqpac @sbgold-abstract                                                         ??               |
nobody sbnobody          3  4 stream /tmp/sbgold/nobody.sock                                                  ??               |
EOF
}

@test "-s: CONN STATE" {
	golden sst -s -P tcp <<EOF
USER   COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS       CONN STATE |
root   sbgold-lon   1  3 tcp4  127.0.0.1:6001        *:*                   LISTEN     |
root   sbgold-lon   1  4 tcp46 *:6002                *:*                   LISTEN     |
root   sbgold-lon   1  5 tcp6  *:6003                *:*                   LISTEN     |
root   sbgold-lon   1  6 tcp6  ::1:6004              *:*                   LISTEN     |
root   sbgold-lon   1  7 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED|
root   sbgold-lon   1  8 tcp4  127.0.0.1:6001        127.0.0.1:40001       ESTABLISHED|
root   sbgold-lon   1  9 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED|
root   sbgold-lon   1 10 tcp4  127.0.0.1:40002       127.0.0.1:6002        ESTABLISHED|
root   sbgold-lon   1 11 tcp4  127.0.0.1:6002        127.0.0.1:40002       ESTABLISHED|
root   sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004              ESTABLISHED|
root   sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003             ESTABLISHED|
root   sbgold-lon   1 14 tcp4  127.0.0.1:40004       127.0.0.1:6001        ESTABLISHED|
root   sbkid        2  3 tcp4  127.0.0.1:6001        *:*                   LISTEN     |
root   sbkid        2  4 tcp46 *:6002                *:*                   LISTEN     |
root   sbkid        2  5 tcp6  *:6003                *:*                   LISTEN     |
root   sbkid        2  6 tcp6  ::1:6004              *:*                   LISTEN     |
root   sbkid        2  7 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED|
root   sbkid        2  8 tcp4  127.0.0.1:6001        127.0.0.1:40001       ESTABLISHED|
root   sbkid        2  9 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED|
nobody sbnobody     3  3 tcp4  127.0.0.1:6100        *:*                   LISTEN     |
??     ??          ?? ?? tcp4  127.0.0.1:6001        127.0.0.1:40004       ESTABLISHED|
EOF
}

@test "-C: congestion control (?? for non-TCP)" {
	golden sst -C -l -4 <<EOF
USER   COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS       CC  |
root   sbgold-lon   1  3 tcp4     127.0.0.1:6001        *:*                   reno|
root   sbgold-lon   1  4 tcp46    *:6002                *:*                   reno|
root   sbgold-lon   1 15 udp4     *:6010                *:*                   ??  |
root   sbgold-lon   1 17 udp46    *:6012                *:*                   ??  |
root   sbgold-lon   1 18 udp4     127.0.0.1:6013        *:*                   ??  |
root   sbgold-lon   1 20 udplite4 127.0.0.1:6014        *:*                   ??  |
root   sbkid        2  3 tcp4     127.0.0.1:6001        *:*                   reno|
root   sbkid        2  4 tcp46    *:6002                *:*                   reno|
nobody sbnobody     3  3 tcp4     127.0.0.1:6100        *:*                   reno|
EOF
}

@test "-s -C -c -q -P tcp" {
	golden sst -s -C -c -q -P tcp <<EOF
root sbgold-lon   1  7 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED reno|
root sbgold-lon   1  8 tcp4  127.0.0.1:6001        127.0.0.1:40001       ESTABLISHED reno|
root sbgold-lon   1  9 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED reno|
root sbgold-lon   1 10 tcp4  127.0.0.1:40002       127.0.0.1:6002        ESTABLISHED reno|
root sbgold-lon   1 11 tcp4  127.0.0.1:6002        127.0.0.1:40002       ESTABLISHED reno|
root sbgold-lon   1 12 tcp6  ::1:40003             ::1:6004              ESTABLISHED reno|
root sbgold-lon   1 13 tcp6  ::1:6004              ::1:40003             ESTABLISHED reno|
root sbgold-lon   1 14 tcp4  127.0.0.1:40004       127.0.0.1:6001        ESTABLISHED reno|
root sbkid        2  7 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED reno|
root sbkid        2  8 tcp4  127.0.0.1:6001        127.0.0.1:40001       ESTABLISHED reno|
root sbkid        2  9 tcp4  127.0.0.1:40001       127.0.0.1:6001        ESTABLISHED reno|
??   ??          ?? ?? tcp4  127.0.0.1:6001        127.0.0.1:40004       ESTABLISHED reno|
EOF
}

@test "combined flags: -46lLn" {
	golden sst -46lLn <<EOF
USER COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
0    sbgold-lon   1  4 tcp46 *:6002                *:*                  |
0    sbgold-lon   1  5 tcp6  *:6003                *:*                  |
0    sbgold-lon   1 15 udp4  *:6010                *:*                  |
0    sbgold-lon   1 17 udp46 *:6012                *:*                  |
0    sbkid        2  4 tcp46 *:6002                *:*                  |
0    sbkid        2  5 tcp6  *:6003                *:*                  |
EOF
}

@test "combined flags: -cuq" {
	golden sst -cuq <<EOF
root sbgold-lon   1 22 stream ??                    -> /tmp/sbgold/L     |
root sbgold-lon   1 23 stream /tmp/sbgold/L         -> [1 22]            |
root sbgold-lon   1 25 dgram  ??                    -> /tmp/sbgold/dg    |
root sbgold-lon   1 26 dgram  ??                    -> /tmp/sbgold/dg    |
root sbgold-lon   1 27 stream ??                    -> [1 28]            |
root sbgold-lon   1 28 stream ??                    -> [1 27]            |
EOF
}

@test "-lw with -p" {
	golden sst -lw -p 6100,6001 <<EOF
USER   COMMAND         PID FD PROTO  LOCAL ADDRESS                                                            FOREIGN ADDRESS  |
root   sbgold-longname   1  3 tcp4   127.0.0.1:6001                                                           *:*              |
root   sbgold-longname   1 21 stream /tmp/sbgold/L                                                            ??               |
root   sbgold-longname   1 24 dgram  /tmp/sbgold/dg                                                            <- [1 25],[1 26]|
root   sbgold-longname   1 29 stream (not connected)                                                          ??               |
root   sbgold-longname   1 30 stream /tmp/sbgold/a-long-unix-socket-path-for-the-wide-option-of-sockstat.sock ??               |
root   sbgold-longname   1 31 seqpac @sbgold-abstract                                                         ??               |
root   sbkid             2  3 tcp4   127.0.0.1:6001                                                           *:*              |
nobody sbnobody          3  3 tcp4   127.0.0.1:6100                                                           *:*              |
nobody sbnobody          3  4 stream /tmp/sbgold/nobody.sock                                                  ??               |
EOF
}

@test "-i: ID is the socket cookie (ss -e's sk:), ?? for unix sockets" {
	local ss=/usr/bin/ss port cookie c1 c2 c3 w
	[ -x "$ss" ] || ss="$SOCKBOX ss"
	# the cookies of our listeners on 6001, 6002 and 6100, from ss -e
	declare -A ck
	while read -r port cookie; do
		ck[$port]=$((16#$cookie))
	done < <(ip netns exec "$NS" $ss -Htlne 2>/dev/null | sed -n 's/.*:\(6001\|6002\|6100\) .* sk:\([0-9a-f]*\).*/\1 \2/p')
	[ "${#ck[@]}" = 3 ] || fail "cookies from ss -e: ${!ck[*]}"
	c1=${ck[6001]} c2=${ck[6002]} c3=${ck[6100]}
	w=$(printf '%s\n' ID "$c1" "$c2" "$c3" | awk '{ if (length($0) > w) w = length($0) } END { print w }')
	printf '%-6s %-10s %3s %2s %-5s %-21s %-21s %*s|\n' USER COMMAND PID FD PROTO \
		"LOCAL ADDRESS" "FOREIGN ADDRESS" "$w" ID \
		root sbgold-lon 1 3 tcp4 127.0.0.1:6001 '*:*' "$w" "$c1" \
		root sbgold-lon 1 4 tcp46 '*:6002' '*:*' "$w" "$c2" \
		root sbkid 2 3 tcp4 127.0.0.1:6001 '*:*' "$w" "$c1" \
		root sbkid 2 4 tcp46 '*:6002' '*:*' "$w" "$c2" \
		nobody sbnobody 3 3 tcp4 127.0.0.1:6100 '*:*' "$w" "$c3" >"$BATS_TEST_TMPDIR/expected"
	golden sst -i -l -P tcp -p 6001,6002,6100 <"$BATS_TEST_TMPDIR/expected"
	run sst -i -q -u
	assert_success
	assert_line --index 0 --regexp '^root +sbgold-lon +1 21 stream +/tmp/sbgold/L +\?\? +\?\?$'
}

@test "-j NETNS from outside: the namespace's sockets, unowned ones too" {
	golden nsenter -t "$FIXPID" -p -m "$D/sockbox" sockstat -j "$NS" -c -4 <<EOF
USER COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
root sbgold-lon   1  7 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
root sbgold-lon   1  8 tcp4  127.0.0.1:6001        127.0.0.1:40001      |
root sbgold-lon   1  9 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
root sbgold-lon   1 10 tcp4  127.0.0.1:40002       127.0.0.1:6002       |
root sbgold-lon   1 11 tcp4  127.0.0.1:6002        127.0.0.1:40002      |
root sbgold-lon   1 14 tcp4  127.0.0.1:40004       127.0.0.1:6001       |
root sbgold-lon   1 19 udp4  127.0.0.1:40005       127.0.0.1:6013       |
root sbkid        2  7 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
root sbkid        2  8 tcp4  127.0.0.1:6001        127.0.0.1:40001      |
root sbkid        2  9 tcp4  127.0.0.1:40001       127.0.0.1:6001       |
??   ??          ?? ?? tcp4  127.0.0.1:6001        127.0.0.1:40004      |
EOF
	run --separate-stderr "$SOCKBOX" sockstat -j sbtest-no-such-netns
	assert_failure 1
	assert_output ''
	[ "$stderr" = "sockstat: -j sbtest-no-such-netns: No such file or directory" ]
}

# Host PIDs of the fixture's namespace, by namespace PID.
declare -gA HOSTPID
map_pids() {
	local host pid
	for host in $(ip netns pids "$NS"); do
		pid=$(awk '/^NSpid/ && NF == 3 {print $3}' /proc/$host/status)
		[ -n "$pid" ] && HOSTPID[$pid]=$host
	done
	return 0
}

@test "every printed (PID, FD) is /proc/PID/fd/FD, a socket whose inode is the row's socket" {
	local ss=/usr/bin/ss pid fd proto laddr id link ino n=0 want net
	[ -x "$ss" ] || ss="$SOCKBOX ss"
	declare -A inet_ino unix_sock
	map_pids
	# ss -e: socket cookie -> inode (inet); ss -x: inode -> "netid local" (unix)
	while read -r id ino; do
		inet_ino[$((16#$id))]=$ino
	done < <(ip netns exec "$NS" $ss -Htuane 2>/dev/null | sed -n 's/.* ino:\([0-9]*\) sk:\([0-9a-f]*\).*/\2 \1/p')
	while read -r net _ _ _ laddr ino _; do
		unix_sock[$ino]="$net $laddr"
	done < <(ip netns exec "$NS" $ss -Hxan)
	while read -r _ _ pid fd proto laddr _ id; do
		[ "$pid" = "??" ] && continue
		link=$(readlink "/proc/${HOSTPID[$pid]}/fd/$fd") || fail "no fd $fd in pid $pid"
		[[ "$link" =~ ^socket:\[([0-9]+)\]$ ]] || fail "pid $pid fd $fd is $link, not a socket"
		ino=${BASH_REMATCH[1]}
		case $proto in
		stream | dgram | seqpac)
			net=u_str
			[ "$proto" = dgram ] && net=u_dgr
			[ "$proto" = seqpac ] && net=u_seq
			[ "$laddr" = "??" ] || [ "$laddr" = "(not-connected)" ] && laddr="*"
			want=${unix_sock[$ino]:-none}
			[ "$want" = "$net $laddr" ] ||
				fail "pid $pid fd $fd: inode $ino is '$want' in ss -x, sockstat says '$net $laddr'"
			;;
		udplite*)	# ss has no UDP-Lite table: /proc/net/udplite's inode column
			ip netns exec "$NS" awk -v i="$ino" '$10 == i { f = 1 } END { exit !f }' \
				/proc/net/udplite /proc/net/udplite6 ||
				fail "pid $pid fd $fd: inode $ino is no UDP-Lite socket"
			;;
		*)
			[ "${inet_ino[$id]:-none}" = "$ino" ] ||
				fail "pid $pid fd $fd: inode $ino, but the socket with cookie $id is inode ${inet_ino[$id]:-none}"
			;;
		esac
		n=$((n + 1))
	done < <(sst -q -w -i | sed 's/(not connected)/(not-connected)/')
	[ "$n" = 38 ] || fail "checked $n rows, the fixture has 38 (process, fd) pairs"
}

@test "every socket fd of every process is printed, once" {
	local pid fd want got
	map_pids
	run sst -q
	assert_success
	got=$(awk '$3 != "??" { print $3 "/" $4 }' <<<"$output" | sort)
	want=$(for pid in "${!HOSTPID[@]}"; do
		for fd in /proc/${HOSTPID[$pid]}/fd/*; do
			[[ "$(readlink "$fd")" == socket:* ]] && echo "$pid/${fd##*/}"
		done
	done | sort)
	[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | fail
}

# sockstat as uid 65534 in the fixture's namespaces
sst_nobody() {
	nsenter -t "$FIXPID" -p -m -n setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$D/sockbox" sockstat "$@"
}

@test "not root: other users' sockets listed with ??, one note on stderr" {
	local d=$BATS_TEST_TMPDIR
	run --separate-stderr sst_nobody -4 -l
	assert_success
	[ "$stderr" = "sockstat: not running as root: sockets of other users' processes show as ??" ] ||
		fail "stderr: $stderr"
	sed 's/|$//' <<EOF | norm >"$d/want"
USER   COMMAND    PID FD PROTO    LOCAL ADDRESS         FOREIGN ADDRESS      |
nobody sbnobody     3  3 tcp4     127.0.0.1:6100        *:*                  |
??     ??          ?? ?? tcp4     127.0.0.1:6001        *:*                  |
??     ??          ?? ?? tcp46    *:6002                *:*                  |
??     ??          ?? ?? udp4     *:6010                *:*                  |
??     ??          ?? ?? udp46    *:6012                *:*                  |
??     ??          ?? ?? udp4     127.0.0.1:6013        *:*                  |
??     ??          ?? ?? udplite4 127.0.0.1:6014        *:*                  |
EOF
	norm <<<"$output" >"$d/got"
	cmp -s "$d/want" "$d/got" || diff -u "$d/want" "$d/got" | fail
}

@test "not root: no note when nothing is hidden" {
	golden sst_nobody -4 -p 6100 <<EOF
USER   COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
nobody sbnobody     3  3 tcp4  127.0.0.1:6100        *:*                  |
EOF
}

@test "FreeBSD options with no Linux meaning: one line, exit 1, no output" {
	local o
	for o in -A -b -f -I -S -U; do
		run --separate-stderr sst $o
		[ "$status" = 1 ] || fail "$o: exit status $status"
		[ -z "$output" ] || fail "$o: printed $output"
		[ "$stderr" = "sockstat: $o is not supported on Linux" ] || fail "$o: stderr '$stderr'"
	done
}

@test "bad input: one line naming it, exit 1, no output" {
	local args want
	while IFS='|' read -r args want; do
		run --separate-stderr sst $args
		[ "$status" = 1 ] || fail "$args: exit status $status"
		[ -z "$output" ] || fail "$args: printed $output"
		[ "$stderr" = "$want" ] || fail "$args: stderr '$stderr', not '$want'"
	done <<'EOF'
-p 70000|sockstat: -p: '70000' is out of range
-p 6002-6001|sockstat: -p: '6002-6001' is out of range
-p 22,x|sockstat: -p: 'x' is not a port or a range
-p 1-|sockstat: -p: '1-' is not a port or a range
-P nosuchproto|sockstat: -P: unknown protocol 'nosuchproto' (not in /etc/protocols)
-P tcp,icmp|sockstat: -P: protocol 'icmp' is not supported (tcp, udp, sctp, udplite)
-p|sockstat: option -p needs an argument
-Z|sockstat: unknown option -Z (try 'sockstat -h')
-4 extra|sockstat: unexpected argument 'extra'
EOF
}

@test "-v: nothing more to say when the dump is consistent" {
	golden sst -v -4 -p 6100 <<EOF
USER   COMMAND    PID FD PROTO LOCAL ADDRESS         FOREIGN ADDRESS      |
nobody sbnobody     3  3 tcp4  127.0.0.1:6100        *:*                  |
EOF
}

#!/usr/bin/env bats
# valgrind over a representative subset of all three applets: every run
# must be free of memory errors and definite leaks (--error-exitcode=99),
# with its usual exit status. `make check-valgrind` runs just this file.

load lib/common

bats_require_minimum_version 1.5.0

VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)

setup_file() {
	netns_setup
	fixture_start "tcp-listen 127.0.0.1 5001" "tcp-pair 127.0.0.1 5001" \
		"tcp-listen ::1 5002" "tcp-pair ::1 5002" "udp-bind 0.0.0.0 53" \
		"unix-listen /tmp/sbvg.sock" "unix-pair" "unix-listen @sbvg-abstract"
}

teardown_file() {
	netns_teardown
}

setup() {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	dry_run && skip "dry run"
	[ "${SANITIZE:-}" != 1 ] || skip "sanitizer build (ASan and valgrind do not mix)"
	netns_require
}

# vg_run STATUS APPLET ARGS...: no valgrind error, exit STATUS, no valgrind
# line on stderr.
vg_run() {
	local want=$1; shift
	run --separate-stderr ip netns exec "$NS" "${VG[@]}" "$SOCKBOX" "$@"
	[ "$status" -eq "$want" ] || fail "valgrind $*: exit $status: $stderr"
	[[ "$stderr" != *"=="* ]] || fail "valgrind $*: $stderr"
}

@test "valgrind ss: dumps, processes, filters, details, JSON, errors" {
	vg_run 0 ss -tunap
	vg_run 0 ss -xap
	vg_run 0 ss -tlnT
	vg_run 0 ss -tan '( dport = :5001 or sport = :5001 ) and src 127.0.0.1'
	vg_run 0 ss -teno
	vg_run 0 ss -Htn state established
	vg_run 0 ss -j -a
	vg_run 0 ss --json=lines -x
	vg_run 255 ss -Y
	vg_run 1 ss -tan dport = :nosuchport
}

@test "valgrind netstat: sockets, programs, routes, interfaces, groups, errors" {
	vg_run 0 netstat -tunap
	vg_run 0 netstat -xa
	vg_run 0 netstat -tanoe
	vg_run 0 netstat -rn
	vg_run 0 netstat -i
	vg_run 0 netstat -gn
	vg_run 3 netstat -Q
}

@test "valgrind sockstat: text, JSON, port and loopback filters, errors" {
	vg_run 0 sockstat
	vg_run 0 sockstat -46lsCi
	vg_run 0 sockstat --json -u
	vg_run 0 sockstat -4 -p 5001,50-60 -L
	vg_run 1 sockstat -p 99999
}

@test "valgrind under /proc fallbacks (PROC_ROOT)" {
	run --separate-stderr ip netns exec "$NS" env PROC_ROOT=/proc "${VG[@]}" "$SOCKBOX" ss -tuxan
	[ "$status" -eq 0 ] && [[ "$stderr" != *"=="* ]] || fail "ss: $status $stderr"
	run --separate-stderr ip netns exec "$NS" env SOCKBOX_FAULT_DIAG=2:tcp,udp,unix_stream \
		"${VG[@]}" "$SOCKBOX" sockstat
	[ "$status" -eq 0 ] && [[ "$stderr" != *"=="* ]] || fail "sockstat: $status $stderr"
}

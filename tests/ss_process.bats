#!/usr/bin/env bats
# Differential tests for -p (users:((...)) from the /proc fd scan): two
# fixture processes with set names, one forked half way so that its early
# sockets are held by two processes.  ip netns exec keeps the host's /proc,
# so every process is scanned, but only fixture sockets live in the netns.
# The order of entries inside users:(...) is part of the output (iproute2
# lists the most recently scanned process first).

load lib/common

setup_file() {
	netns_setup
	local d=$BATS_FILE_TMPDIR
	fixture_start \
		"name sbfix-main" \
		"tcp-listen 127.0.0.1 8990" \
		"tcp-listen :: 80" \
		"tcp-pair 127.0.0.1 8990" \
		"udp-bind 0.0.0.0 53" \
		"unix-listen $d/p.sock" \
		"unix-connect $d/p.sock" \
		"fork sbfix-child" \
		"tcp-pair ::1 80" \
		"udp-connect ::1 53" \
		"unix-pair" \
		"unix-bind @sbfix-dgram" \
		"tcp-timewait 127.0.0.1 6000 sport=6001"
	fixture_start \
		"name sbfix-other" \
		"tcp-listen 127.0.0.1 22" \
		"tcp-pair 127.0.0.1 22" \
		"unix-socket seqpacket"
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
	require_features SS PROCESSES
}

@test "ss -p (connected, with processes)" {
	ss_compare -p
	[ "$(ref_lines)" -gt 5 ]
}

@test "ss -tlp" {
	ss_compare -tlp
}

@test "ss -tlnp" {
	ss_compare -tlnp
}

@test "ss -tanp (TIME-WAIT has no process)" {
	ss_compare -tanp
}

@test "ss -uanp" {
	ss_compare -uanp
}

@test "ss -xap" {
	ss_compare -xap
}

@test "ss -xlp" {
	ss_compare -xlp
}

@test "ss -tuxanp" {
	ss_compare -tuxanp
}

@test "ss -Htnp state established" {
	ss_compare -Htnp state established
}

@test "ss -tlnpT (thread ids)" {
	ss_compare -tlnpT
}

@test "ss -tuxanpT: the /proc scan shared among 4 threads, or done by 1, gives iproute2's output" {
	require_features PROCESSES_THREADS
	SOCKBOX_SCAN_THREADS=4 ss_compare -tuxanpT
	SOCKBOX_SCAN_THREADS=1 ss_compare -tuxanpT
	SOCKBOX_SCAN_THREADS=3 ss_compare -xap
}

#!/usr/bin/env bats
# Differential tests for -p (users:((...)) from the /proc fd scan): two
# fixture processes with set names, one forked half way so that its early
# sockets are held by two processes.  ip netns exec keeps the host's /proc,
# so every process is scanned, but only fixture sockets live in the netns.
# The order of entries inside users:(...) is part of the output (iproute2
# lists the most recently scanned process first).

load lib/common

bats_require_minimum_version 1.5.0

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
		"unix-socket seqpacket" \
		"thread-listen 127.0.0.1 8991"
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

# The BPF iterator (CONFIG_PROCESSES_BPF) must give the /proc scan's map:
# SOCKBOX_FD_SCAN=bpf forces it (or fails), =proc rules it out.
bpf_require() {
	require_features PROCESSES_BPF
	local err
	err=$(SOCKBOX_FD_SCAN=bpf "$SOCKBOX" ss -xp 2>&1 >/dev/null) ||
		skip "no BPF iterator here (${err##*: })"
}

# bpf_calls ARGS...: how many bpf() system calls `sockbox ss ARGS` made.
bpf_calls() {
	command -v strace >/dev/null || skip "needs strace"
	ip netns exec "$NS" strace -f -qq -e trace=bpf -o "$BATS_TEST_TMPDIR/strace" \
		"$SOCKBOX" ss "$@" >/dev/null
	grep -c '^[0-9]* *bpf(' "$BATS_TEST_TMPDIR/strace" || true
}

@test "ss -p from the BPF iterator gives iproute2's output, as the /proc scan does" {
	bpf_require
	SOCKBOX_FD_SCAN=bpf ss_compare -tuxanp
	SOCKBOX_FD_SCAN=bpf ss_compare -tlp
	SOCKBOX_FD_SCAN=bpf ss_compare -Htnp state established
	SOCKBOX_FD_SCAN=proc ss_compare -tuxanp
}

@test "the BPF iterator is used by default with 4096 open files, never with SOCKBOX_FD_SCAN=proc or -T" {
	bpf_require
	# 5000 open files, held by a process of our own
	python3 -c 'import os, resource, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (6000, 6000))
fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(5000)]
print("ready", flush=True)
time.sleep(60)' >"$BATS_TEST_TMPDIR/holder" 3>&- &
	local holder=$! i
	for ((i = 0; i < 500; i++)); do
		grep -q ready "$BATS_TEST_TMPDIR/holder" && break
		sleep 0.02
	done
	[ "$(cut -f1 /proc/sys/fs/file-nr)" -ge 4096 ] || { kill "$holder"; fail "file-nr below 4096"; }
	local auto proc threads
	auto=$(bpf_calls -xp)
	proc=$(SOCKBOX_FD_SCAN=proc bpf_calls -xp)
	threads=$(bpf_calls -xpT)
	kill "$holder"
	[ "$auto" -ge 3 ] || fail "no BPF iterator by default with $(cut -f1 /proc/sys/fs/file-nr) files"
	[ "$proc" = 0 ] || fail "SOCKBOX_FD_SCAN=proc made $proc bpf() calls"
	[ "$threads" = 0 ] || fail "-T made $threads bpf() calls"
}

@test "with fewer than 4096 open files the map comes from /proc" {
	bpf_require
	[ "$(cut -f1 /proc/sys/fs/file-nr)" -lt 3500 ] || skip "this machine has 3500 or more open files"
	[ "$(bpf_calls -xp)" = 0 ] || fail "bpf() used with $(cut -f1 /proc/sys/fs/file-nr) files"
}

@test "SOCKBOX_FD_SCAN=bpf where the iterator cannot be had: one line, exit 1" {
	require_features PROCESSES_BPF
	command -v setpriv >/dev/null || skip "needs setpriv"
	# a copy that nobody may run (the build's directory may be root's alone)
	local d
	d=$(mktemp -d /tmp/sbnobody.XXXXXX)
	chmod 755 "$d"
	cp "$SOCKBOX" "$d/sockbox"
	run -1 setpriv --reuid=65534 --regid=65534 --clear-groups env SOCKBOX_FD_SCAN=bpf "$d/sockbox" ss -xp
	rm -rf "$d"
	[ "$output" = "ss: SOCKBOX_FD_SCAN=bpf: no BPF iterator: Operation not permitted" ]
	run -1 unshare -pf --mount-proc env SOCKBOX_FD_SCAN=bpf "$SOCKBOX" ss -xp
	[ "$output" = "ss: SOCKBOX_FD_SCAN=bpf: not in the first pid namespace" ]
}

@test "SOCKBOX_FD_SCAN other than bpf or proc: one line, exit 1" {
	run -1 env SOCKBOX_FD_SCAN=bfp "$SOCKBOX" ss -xp
	[ "$output" = "ss: SOCKBOX_FD_SCAN is 'bpf' or 'proc', not 'bfp'" ]
}

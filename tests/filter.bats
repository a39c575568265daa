#!/usr/bin/env bats
# The filter language, differentially: every expression of
# tests/filter/valid.txt must give byte-identical output from sockbox ss and
# /usr/bin/ss, both with the kernel bytecode (SOCKBOX_BYTECODE_STRICT=1: a
# program the kernel refuses is an error, not a silent fallback) and with
# the userspace evaluator alone (SOCKBOX_NO_BYTECODE=1).  Every expression
# of tests/filter/malformed.txt must fail as /usr/bin/ss does (same status,
# no stdout) with one stderr line, also under ./sockbox-san when built.
# tests/filter/run-corpus does the work; a failure lists every mismatching
# expression with its diff.
#
# Fixture: tcp listen/established/time-wait over v4, v6 and v4-mapped, udp,
# unix paths and abstract names, SO_MARK marks, sockets bound to lo and to
# a veth device, addresses 10.1.2.3 and 2001:db8::3 on lo, and the host
# name "multi" (127.0.0.2, ::1 and 10.1.2.3 in the namespace's hosts file).

load lib/common

bats_require_minimum_version 1.5.0

setup_file() {
	# A private, small TCP/UDP hash table for the namespace: a dump walks
	# every bucket, and the host's 256k buckets make each ss run cost
	# ~100 ms of kernel time (the sysctls apply to namespaces created
	# while they are set; restored at once).
	local tcp udp
	tcp=$(sysctl -n net.ipv4.tcp_child_ehash_entries 2>/dev/null) || tcp=
	udp=$(sysctl -n net.ipv4.udp_child_hash_entries 2>/dev/null) || udp=
	[ -z "$tcp" ] || sysctl -qw net.ipv4.tcp_child_ehash_entries=1024 2>/dev/null || true
	[ -z "$udp" ] || sysctl -qw net.ipv4.udp_child_hash_entries=1024 2>/dev/null || true
	netns_setup
	[ -z "$tcp" ] || sysctl -qw net.ipv4.tcp_child_ehash_entries="$tcp" 2>/dev/null || true
	[ -z "$udp" ] || sysctl -qw net.ipv4.udp_child_hash_entries="$udp" 2>/dev/null || true
	[ -n "$NS" ] || return 0
	ip -n "$NS" link add v0 type veth peer name v1 || fail "cannot add veth"
	ip -n "$NS" link set v1 up && ip -n "$NS" link set v0 up
	ip -n "$NS" addr add 10.1.2.3/8 dev lo
	ip -n "$NS" addr add 2001:db8::3/64 dev lo nodad
	# "ip netns exec" bind-mounts this over /etc/hosts
	mkdir -p "/etc/netns/$NS"
	printf '%s\n' "127.0.0.1 localhost" "127.0.0.2 multi" "::1 multi" "10.1.2.3 multi" \
		"10.1.2.3 single" >"/etc/netns/$NS/hosts"
	# unresolvable names fail at once: no route to this name server (the
	# default, 127.0.0.1, is the fixture's UDP port 53, which never answers)
	printf '%s\n' "nameserver 192.0.2.1" "options timeout:1 attempts:1" >"/etc/netns/$NS/resolv.conf"
	local d=/tmp/sbfilter-$NS
	mkdir -p "$d"
	fixture_start \
		"tcp-listen 127.0.0.1 5001" \
		"tcp-listen 0.0.0.0 22" \
		"tcp-listen :: 80" \
		"tcp-listen :: 443 v6only" \
		"tcp-listen ::1 8080" \
		"tcp-listen 127.0.0.1 8990 dev=lo" \
		"tcp-listen 10.1.2.3 9000 dev=v0" \
		"tcp-listen 2001:db8::3 9001 dev=v0 mark=7" \
		"tcp-listen 127.0.0.2 3000 mark=16" \
		"tcp-listen 127.0.0.1 57000" \
		"tcp-listen ::1 60177" \
		"tcp-pair 127.0.0.1 5001" \
		"send 1000" \
		"tcp-pair ::1 8080 mark=17" \
		"tcp-pair ::ffff:127.0.0.1 80" \
		"tcp-pair ::ffff:127.0.0.1 22" \
		"tcp-pair 127.0.0.1 57000 sport=40001" \
		"tcp-pair ::1 60177 sport=60178" \
		"tcp-pair 127.0.0.1 45000 sport=45001 dev=lo" \
		"tcp-pair 10.1.2.3 2222 sport=33000 mark=255" \
		"tcp-pair 2001:db8::3 2223 sport=33001" \
		"tcp-timewait 127.0.0.1 6000 sport=6001" \
		"tcp-timewait ::1 6002 sport=6003" \
		"tcp-bind 127.0.0.1 7777" \
		"udp-bind 0.0.0.0 53" \
		"udp-bind :: 53" \
		"udp-bind ::1 5353 v6only" \
		"udp-bind 127.0.0.1 33434 dev=lo" \
		"udp-bind 10.1.2.3 123 mark=3" \
		"udp-connect 127.0.0.1 53 sport=41000" \
		"udp-connect ::1 53" \
		"udp-pair 127.0.0.1 443" \
		"udp-pair ::1 37000" \
		"unix-listen $d/stream.sock" \
		"unix-connect $d/stream.sock" \
		"unix-listen @sbf-abstract" \
		"unix-connect @sbf-abstract" \
		"unix-listen $d/seq.sock seqpacket" \
		"unix-connect $d/seq.sock" \
		"unix-bind $d/dgram.sock" \
		"unix-connect $d/dgram.sock" \
		"unix-bind @sbf-dgram" \
		"unix-bind $d/Mixed-Case.sock stream" \
		"unix-pair" \
		"unix-pair dgram" \
		"unix-socket" \
		"unix-autobind" \
		"unix-autobind stream"
	[ -x "$SOCKBOX" ] || return 0
	SOCKBOX=$SOCKBOX ip netns exec "$NS" "$TESTS_DIR/filter/run-corpus" valid \
		"$TESTS_DIR/filter/valid.txt" >"$BATS_FILE_TMPDIR/valid.report" 2>&1 || true
	# the sanitizer build too, when there is one (make SANITIZE=1)
	local san=$TESTS_DIR/../sockbox-san
	[ -x "$san" ] && [ "$san" -nt "$SOCKBOX" ] || san=
	SOCKBOX=$SOCKBOX SOCKBOX_SAN=$san ip netns exec "$NS" "$TESTS_DIR/filter/run-corpus" \
		malformed "$TESTS_DIR/filter/malformed.txt" >"$BATS_FILE_TMPDIR/malformed.report" 2>&1 || true
}

teardown_file() {
	[ -z "${NS:-}" ] || rm -rf "/etc/netns/$NS" "/tmp/sbfilter-$NS"
	netns_teardown
}

setup() {
	netns_require
	dry_run && skip "the corpus runner needs a sockbox binary"
	[ -x "$SOCKBOX" ] || fail "no sockbox at $SOCKBOX"
}

# no_reports [-m] KIND... : fail listing every report line of these kinds
# (of the valid corpus, or with -m the malformed one)
no_reports() {
	local r=$BATS_FILE_TMPDIR/valid.report pat
	[ "$1" != -m ] || { r=$BATS_FILE_TMPDIR/malformed.report; shift; }
	pat=$(printf '|%s' "$@")
	grep -q '^EXPRESSIONS ' "$r" || fail "the corpus did not run: $(tail -5 "$r")"
	if grep -Eq "^(${pat#|}) " "$r"; then
		# each report line and its indented diff
		awk -v p="^(${pat#|}) " '$0 ~ p {on=1; print; next} /^    / && on {print; next} {on=0}' "$r" | fail
	fi
}

@test "valid corpus: at least 220 expressions, all accepted by /usr/bin/ss" {
	local n
	no_reports REF-FAILED
	n=$(awk '/^EXPRESSIONS /{print $2}' "$BATS_FILE_TMPDIR/valid.report")
	[ "$n" -ge 220 ] || fail "only $n expressions"
}

@test "valid corpus: sockbox with kernel bytecode prints what /usr/bin/ss prints" {
	no_reports MISMATCH-BC
}

@test "valid corpus: sockbox with SOCKBOX_NO_BYTECODE=1 prints what /usr/bin/ss prints" {
	no_reports MISMATCH-NOBC
}

@test "valid corpus: the kernel accepts every compiled program (SOCKBOX_BYTECODE_STRICT=1)" {
	local n
	no_reports STDERR
	n=$(awk '/^PROGRAMS /{print $2}' "$BATS_FILE_TMPDIR/valid.report")
	[ "$n" -ge 300 ] || fail "only $n bytecode programs reached the kernel"
}

@test "malformed corpus: at least 70 expressions, all refused by /usr/bin/ss" {
	local n
	no_reports -m REF-ACCEPTS
	n=$(awk '/^EXPRESSIONS /{print $2}' "$BATS_FILE_TMPDIR/malformed.report")
	[ "$n" -ge 70 ] || fail "only $n expressions"
}

@test "malformed corpus: same exit status as /usr/bin/ss, nothing on stdout" {
	no_reports -m STATUS STDOUT
}

@test "malformed corpus: exactly one line on stderr, 'ss: ...'" {
	no_reports -m STDERR-LINES STDERR-FORMAT
}

@test "malformed corpus: the sanitizer build fails the same way, no report" {
	[ -x "$TESTS_DIR/../sockbox-san" ] || skip "no ./sockbox-san (make SANITIZE=1)"
	grep -q '^SANITIZED ' "$BATS_FILE_TMPDIR/malformed.report" ||
		skip "./sockbox-san is older than ./sockbox (make SANITIZE=1)"
	no_reports -m SANITIZER
}

@test "filter errors name the token and its column" {
	local d=$BATS_TEST_TMPDIR
	run -1 "$SOCKBOX" ss -tan 'dport = abc'
	assert_output "ss: filter: 'abc' does not look like a port at column 9: 'dport = abc'"
	run -255 "$SOCKBOX" ss -tan 'sport = :22 and ( dport = :80'
	assert_output --regexp "^ss: filter: expected '\)' to close the '\(' of column 17 at column 30: "
	run -255 "$SOCKBOX" ss -tan 'src'
	assert_output "ss: filter: expected an address after 'src' at column 4: 'src'"
}

@test "a filtered TCP dump walks the kernel's tables once for both families, in iproute2's order also past its IPv6 bound" {
	local e cap
	# one program for one request over both families
	run --separate-stderr ip netns exec "$NS" env SOCKBOX_FILTER_DUMP=1 "$SOCKBOX" ss -tan 'sport = :80'
	assert_success
	[[ $stderr == *"bytecode inet+inet6 tcp "* ]] || fail "not one walk: $stderr"
	[[ $stderr != *"bytecode inet tcp"* ]] || fail "a per-family request too: $stderr"
	run --separate-stderr ip netns exec "$NS" env SOCKBOX_FILTER_DUMP=1 "$SOCKBOX" ss -t4an 'sport = :80'
	[[ $stderr == *"bytecode inet tcp "* ]] || fail "-4: $stderr"
	# IPv6 answers kept whole, partly (the rest fetched again), or none
	for cap in 4194304 200 0; do
		for e in 'sport = :80' 'dst ::1 or dst 127.0.0.1' '( sport > :1000 or dport < :100 )' \
			'state listening' 'state established dport != :5001' 'state time-wait'; do
			[[ $e == state* ]] && set -- $e || set -- "$e"
			diff <(ip netns exec "$NS" /usr/bin/ss -tan "$@" 2>/dev/null) \
				<(ip netns exec "$NS" env SOCKBOX_DEFER_CAP=$cap "$SOCKBOX" ss -tan "$@") ||
				fail "ss -tan $e with SOCKBOX_DEFER_CAP=$cap"
		done
	done
}

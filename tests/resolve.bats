#!/usr/bin/env bats
# Name resolution (ss -r, netstat without -n, host names in filters) against
# a real DNS server: fixture/dnsstub.py on 127.0.0.1:53 inside the test's
# namespace, with its own resolv.conf and hosts file (/etc/netns/NS). The
# reference tools resolve through glibc; sockbox asks DNS itself.

load lib/common

bats_require_minimum_version 1.5.0

DNSSTUB=$BATS_TEST_DIRNAME/fixture/dnsstub.py

setup_file() {
	netns_setup
	[ -z "$NETNS_SKIP" ] || return 0
	[ -x /usr/bin/python3 ] || { export NETNS_SKIP="needs /usr/bin/python3 for the DNS stub"; return 0; }
	mkdir -p "/etc/netns/$NS"
	printf '%s\n' "127.0.0.1 localhost" "::1 localhost ip6-localhost ip6-loopback" \
		"127.0.0.7 fromhosts.test" >"/etc/netns/$NS/hosts"
	printf '%s\n' "nameserver 127.0.0.1" >"/etc/netns/$NS/resolv.conf"
	ip -n "$NS" addr add 2001:db8::5/128 dev lo nodad
	export DNSLOG=$BATS_FILE_TMPDIR/dns.log
	ip netns exec "$NS" /usr/bin/python3 "$DNSSTUB" -r "$BATS_FILE_TMPDIR/dns.ready" \
		127.0.0.2:two.test 2001:db8::5:six.test 127.0.0.5:five.test \
		servfail:4.0.0.127.in-addr.arpa \
		multi.test=127.0.0.2 multi.test=127.0.0.3 multi.test=2001:db8::5 \
		2>>"$DNSLOG" 3>&- &	# appends: tests empty the log
	local i
	for ((i = 0; i < 500; i++)); do
		[ -e "$BATS_FILE_TMPDIR/dns.ready" ] && break
		sleep 0.01
	done
	[ -e "$BATS_FILE_TMPDIR/dns.ready" ] || fail "dnsstub not ready: $(cat "$DNSLOG")"
	fixture_start "tcp-listen 127.0.0.2 5001" "tcp-listen 127.0.0.3 5002" \
		"tcp-listen 127.0.0.4 5003" "tcp-listen 127.0.0.7 5004" \
		"tcp-listen 2001:db8::5 5005" "tcp-listen ::1 5006" \
		"tcp-pair 127.0.0.2 5001" "tcp-pair 127.0.0.5 5007" "tcp-pair 2001:db8::5 5005"
}

teardown_file() {
	[ -n "${NS:-}" ] && rm -rf "/etc/netns/$NS"
	netns_teardown	# the DNS stub is one of the namespace's processes
}

setup() {
	netns_require
	require_features SS TCP IPV6 RESOLVE
}

@test "ss -tlr: PTR names, /etc/hosts first, NXDOMAIN and SERVFAIL numeric, as iproute2" {
	ss_compare -tlr
	grep -q 'two\.test:5001' "$BATS_TEST_TMPDIR/sb.out"
	grep -q 'six\.test:5005' "$BATS_TEST_TMPDIR/sb.out"
	grep -q 'fromhosts\.test:5004' "$BATS_TEST_TMPDIR/sb.out"
	grep -q '127\.0\.0\.4:5003' "$BATS_TEST_TMPDIR/sb.out"
}

@test "ss -tar, -tar -4, -tar -6 and -taer equal iproute2's" {
	ss_compare -tar
	ss_compare -tar -4
	ss_compare -tar -6
	ss_compare_masked -taer
}

@test "each address is asked of DNS once per run (the cache keeps failures too)" {
	dry_run && skip "sockbox only"
	: >"$DNSLOG"
	run ip netns exec "$NS" "$SOCKBOX" ss -tar
	assert_success
	# 127.0.0.2 is on three rows, 127.0.0.5 on two
	[ "$(grep -c '^PTR 2\.0\.0\.127\.in-addr\.arpa$' "$DNSLOG")" = 1 ] || fail "$(cat "$DNSLOG")"
	[ "$(grep -c '^PTR 5\.0\.0\.127\.in-addr\.arpa$' "$DNSLOG")" = 1 ] || fail "$(cat "$DNSLOG")"
	# SERVFAIL: asked again as resolv.conf's attempts (2) allow, once per run
	[ "$(grep -c '^PTR 4\.0\.0\.127\.in-addr\.arpa$' "$DNSLOG")" = 2 ] || fail "$(cat "$DNSLOG")"
	# /etc/hosts answered for 127.0.0.1 and 127.0.0.7: no query
	! grep -q '^PTR [17]\.0\.0\.127\.' "$DNSLOG" || fail "$(cat "$DNSLOG")"
}

@test "netstat -ta and -tl (names and services) equal net-tools'" {
	dry_run && skip "sockbox only"
	require_features NETSTAT
	local d=$BATS_TEST_TMPDIR args
	for args in -tl -ta -tl6; do
		ip netns exec "$NS" /usr/bin/netstat $args >"$d/ref" 2>&1 || true
		ip netns exec "$NS" "$SOCKBOX" netstat $args >"$d/sb" 2>&1 || true
		diff -u --label "netstat $args" --label "sockbox netstat $args" "$d/ref" "$d/sb"
		[ "$args" = -tl6 ] || grep -q 'two\.test:5001' "$d/sb" || fail "no name in netstat $args"
	done
}

@test "a host name in a filter takes every address DNS gives (A and AAAA)" {
	dry_run && skip "sockbox only"
	run ip netns exec "$NS" "$SOCKBOX" ss -Htln src multi.test
	assert_success
	# (rows in the kernel's hash order)
	diff -u - <(LC_ALL=C sort <<<"$output") <<'EOF'
LISTEN 0      128        127.0.0.2:5001 0.0.0.0:*
LISTEN 0      128        127.0.0.3:5002 0.0.0.0:*
LISTEN 0      128    [2001:db8::5]:5005    [::]:*
EOF
	run --separate-stderr ip netns exec "$NS" "$SOCKBOX" ss -tln src nosuchname.test
	assert_failure
	[ -z "$output" ] || fail "printed: $output"
	[[ $stderr == *nosuchname.test* ]] || fail "stderr: $stderr"
}

@test "a nameserver that refuses (closed port) fails at once, not after resolv.conf's timeouts" {
	dry_run && skip "sockbox only"
	local conf=/etc/netns/$NS/resolv.conf start
	cp "$conf" "$BATS_TEST_TMPDIR/resolv.conf"
	# 5 s x 2 attempts per query if the refusal went unnoticed (musl's
	# res_query did): 6 addresses would take a minute
	printf '%s\n' "nameserver 127.0.0.9" "options timeout:5 attempts:2" >"$conf"
	start=$SECONDS
	run ip netns exec "$NS" "$SOCKBOX" ss -tar
	cp "$BATS_TEST_TMPDIR/resolv.conf" "$conf"
	assert_success
	[ $((SECONDS - start)) -lt 5 ] || fail "took $((SECONDS - start)) s"
	assert_output --partial '127.0.0.2:5001'
	assert_output --partial 'fromhosts.test:5004'
}

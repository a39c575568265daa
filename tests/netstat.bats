#!/usr/bin/env bats
# netstat against net-tools' /usr/bin/netstat on the same sockets, routes
# and interfaces, byte for byte.

load lib/common

bats_require_minimum_version 1.5.0

REF_NETSTAT=${REF_NETSTAT:-/usr/bin/netstat}

setup_file() {
	netns_setup
	[ -n "${NETNS_SKIP:-}" ] && return 0
	export NSPATH=/tmp/sbnetstat.$$.sock
	# names resolve from /etc/hosts; DNS fails at once (nothing listens on
	# [::1]:53) instead of timing out through the fake default route
	mkdir -p "/etc/netns/$NS"
	printf 'nameserver ::1\noptions timeout:1 attempts:1\n' >"/etc/netns/$NS/resolv.conf"
	fixture_start "name sbnetfix" \
		"tcp-listen 127.0.0.1 5001" "tcp-listen :: 8080" "tcp-listen ::1 5003 v6only" \
		"tcp-listen 0.0.0.0 22" "tcp-pair 127.0.0.1 5001" "send 300" \
		"tcp-pair ::1 5003" "tcp-pair ::ffff:127.0.0.1 8080" \
		"udp-bind 0.0.0.0 53" "udp-connect 127.0.0.1 53" "udp-bind ::1 123" \
		"raw 0.0.0.0 1" \
		"unix-listen $NSPATH" "unix-connect $NSPATH" "unix-bind @sbnetabs" \
		"unix-pair" "unix-listen @sbnetseq seqpacket"
	# started by a relative path: net-tools shows argv[0] as it is then
	# ("./sockfix"), the base name only of an absolute one
	pushd "$(dirname "$SOCKFIX")" >/dev/null
	SOCKFIX=./sockfix fixture_start "tcp-listen 127.0.0.1 5011" "unix-listen @sbnetrel"
	popd >/dev/null
	ip netns exec "$NS" ip link add sbv0 type veth peer name sbv1 || true
	ip netns exec "$NS" ip link set sbv0 up mtu 1400
	ip netns exec "$NS" ip link set sbv1 up
	ip netns exec "$NS" ip addr add 192.0.2.5/24 dev sbv0
	ip netns exec "$NS" ip route add default via 192.0.2.1
	ip netns exec "$NS" ip route add 198.51.100.0/25 via 192.0.2.9 metric 5
	ip netns exec "$NS" ip route add 10.9.9.9 dev sbv0
	ip netns exec "$NS" ip route add unreachable 203.0.113.0/24
	ip netns exec "$NS" ip route add 10.1.0.0/16 via 192.0.2.2 table 100
}

teardown_file() {
	[ -n "${NS:-}" ] && rm -rf "/etc/netns/$NS"
	netns_teardown
	rm -f "${NSPATH:-}"
}

setup() {
	netns_require
	dry_run && skip "sockbox only"
	"$SOCKBOX" --list | grep -qx netstat || skip "netstat not in this build"
}

# net-tools opens a UDP socket of its own for ioctls: its row (an
# ephemeral port on 0.0.0.0, with -p its own name) is not ours to print.
own_socket='^udp +0 +0 0\.0\.0\.0:(3[2-9][0-9]{3}|[4-6][0-9]{4}) +0\.0\.0\.0:\* '

netstat_compare() {
	local d=$BATS_TEST_TMPDIR ref_rc=0 sb_rc=0
	ip netns exec "$NS" "$REF_NETSTAT" "$@" 2>"$d/ref.err" </dev/null |
		grep -Ev "$own_socket" >"$d/ref.out" || true
	ip netns exec "$NS" "$REF_NETSTAT" "$@" >/dev/null 2>&1 </dev/null || ref_rc=$?
	ip netns exec "$NS" "$SOCKBOX" netstat "$@" >"$d/sb.out" 2>"$d/sb.err" </dev/null || sb_rc=$?
	if ! cmp -s "$d/ref.out" "$d/sb.out" || [ "$ref_rc" != "$sb_rc" ]; then
		{
			echo "MISMATCH for netstat $* (status: ref $ref_rc, sockbox $sb_rc)"
			diff -u --label "net-tools $*" --label "sockbox $*" "$d/ref.out" "$d/sb.out"
			head -3 "$d/sb.err"
		} | fail
	fi
	[ "$(wc -l <"$d/ref.out")" -ge 2 ] || fail "reference printed almost nothing"
}

@test "netstat -tan" { netstat_compare -tan; }
@test "netstat -tuan" { netstat_compare -tuan; }
@test "netstat -tulpn" { netstat_compare -tulpn; }
@test "netstat -tanp" { netstat_compare -tanp; }
@test "netstat -tane" { netstat_compare -tane; }
@test "netstat -tanep" { netstat_compare -tanep; }
@test "netstat -tlnpe" { netstat_compare -tlnpe; }
@test "netstat -W -tan" { netstat_compare -W -tan; }
@test "netstat -tn (w/o servers)" { netstat_compare -tn; }
@test "netstat -tln (only servers)" { netstat_compare -tln; }
@test "netstat -at (names)" { netstat_compare -at; }
@test "netstat -tl (names)" { netstat_compare -tl; }
@test "netstat -uan" { netstat_compare -uan; }
@test "netstat -un" { netstat_compare -un; }
@test "netstat -uln" { netstat_compare -uln; }
@test "netstat -wan (raw: numeric state)" { netstat_compare -wan; }
@test "netstat -wln" { netstat_compare -wln; }
@test "netstat -xa" { netstat_compare -xa; }
@test "netstat -x" { netstat_compare -x; }
@test "netstat -xl" { netstat_compare -xl; }
@test "netstat -xap" { netstat_compare -xap; }
@test "netstat -xlp" { netstat_compare -xlp; }
@test "netstat -tuxanp and -tlp from the BPF iterator" {
	require_features PROCESSES_BPF
	local err
	err=$(SOCKBOX_FD_SCAN=bpf "$SOCKBOX" netstat -xlp 2>&1 >/dev/null) ||
		skip "no BPF iterator here (${err##*: })"
	SOCKBOX_FD_SCAN=bpf netstat_compare -tuxanp
	SOCKBOX_FD_SCAN=bpf netstat_compare -tlp
}
@test "netstat -tan -4" { netstat_compare -tan -4; }
@test "netstat -tan -6" { netstat_compare -tan -6; }
@test "netstat -A inet -an" { netstat_compare -A inet -an; }
@test "netstat -A inet6 -ln" { netstat_compare -A inet6 -ln; }
@test "netstat --inet -an" { netstat_compare --inet -an; }
@test "netstat --unix -a" { netstat_compare --unix -a; }
@test "netstat -an" { netstat_compare -an; }
@test "netstat -ln" { netstat_compare -ln; }
@test "netstat -n" { netstat_compare -n; }
@test "netstat --numeric-ports -ta" { netstat_compare --numeric-ports -ta; }
@test "netstat --numeric-hosts -ta" { netstat_compare --numeric-hosts -ta; }
@test "netstat --numeric-users -tae" { netstat_compare --numeric-users -tae; }
@test "netstat -tae (user names)" { netstat_compare -tae; }
@test "netstat --tcp --listening --numeric --programs" { netstat_compare --tcp --listening --numeric --programs; }
@test "netstat -rn" { netstat_compare -rn; }
@test "netstat -r" { netstat_compare -r; }
@test "netstat -rne" { netstat_compare -rne; }
@test "netstat -rnee" { netstat_compare -rnee; }
@test "netstat -g" { netstat_compare -g; }
@test "netstat -gn" { netstat_compare -gn; }

@test "netstat: bad option exits 3 with one line; -h on stdout exits 0" {
	run --separate-stderr "$SOCKBOX" netstat -Y
	[ "$status" -eq 3 ]
	[ "$stderr" = "netstat: invalid option -- 'Y' (try 'netstat -h')" ]
	run "$REF_NETSTAT" -Y
	[ "$status" -eq 3 ]
	run --separate-stderr "$SOCKBOX" netstat -h
	[ "$status" -eq 0 ]
	[[ "$output" == usage:* ]]
	run --separate-stderr "$SOCKBOX" netstat -r -i
	[ "$status" -eq 3 ]
	run --separate-stderr "$SOCKBOX" netstat -M
	[ "$status" -eq 1 ]
	[ "$stderr" = "netstat: no support for \`ip_masquerade' on this system." ]
}
